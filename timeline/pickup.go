package timeline

import "atscope/dialect"

// Up says how the log shows a connection come up.
type Up uint8

const (
	// UpLogged: its open or connect is in the log, with its outcome.
	UpLogged Up = iota
	// UpAtLogStart: it was up when the log starts (an excerpt): no open
	// or connect before it, and Connected is the first op the broker
	// answered. Opened is nil.
	UpAtLogStart
	// UpUnanswered: Unanswered is an open or connect whose result is not
	// in the log (pending, unknown, timed out), and Connected is the first
	// op after it that the broker answered; Opened is the open before it,
	// or Unanswered itself.
	UpUnanswered
)

var upNames = [...]string{UpLogged: "logged", UpAtLogStart: "up when the log starts", UpUnanswered: "connect result not in the log"}

func (u Up) String() string {
	if int(u) < len(upNames) {
		return upNames[u]
	}
	return "up?"
}

// MarshalText makes Up a string in JSON.
func (u Up) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// ShowsUp reports whether op shows the client's MQTT connection up: an
// exchange the broker answered, or a message it sent.
func ShowsUp(op *dialect.Op) bool {
	switch op.Kind {
	case dialect.OpPublish, dialect.OpSubscribe, dialect.OpUnsubscribe, dialect.OpDisconnect:
		return op.Status == dialect.StatusOK
	case dialect.OpReceive:
		return op.Status != dialect.StatusFailed && op.Topic != ""
	case dialect.OpLink:
		return op.Status == dialect.StatusOK && dialect.KeepAliveOp(op)
	}
	return false
}

// pickUp starts, at op, a connection the log shows only by its traffic
// (issue 14 point 7): up when the log starts, when the client has had no
// open, connect or connection yet; or up after an open or connect whose
// result is not in the log. It reports whether it started one; a network
// opened and a connect without result make the open's connection
// connected at op.
func (c *Cutter) pickUp(op *dialect.Op) bool {
	if !ShowsUp(op) {
		return false
	}
	if c.cur != nil {
		if c.cur.Connected == nil && c.unanswered != nil {
			c.cur.Connected, c.cur.Up, c.cur.Unanswered, c.unanswered = op, UpUnanswered, c.unanswered, nil
		}
		return false
	}
	switch {
	case c.unanswered != nil:
		c.cur = &Connection{Opened: c.unanswered, Connected: op, Up: UpUnanswered, Unanswered: c.unanswered}
	case !c.seen:
		c.cur = &Connection{Connected: op, Up: UpAtLogStart}
	default:
		return false
	}
	c.seen, c.unanswered = true, nil
	return true
}

// sawAttempt keeps what pickUp needs of an open or connect.
func (c *Cutter) sawAttempt(op *dialect.Op) {
	c.seen = true
	switch op.Status {
	case dialect.StatusPending, dialect.StatusUnknown, dialect.StatusTimeout:
		c.unanswered = op
	default:
		c.unanswered = nil
	}
}
