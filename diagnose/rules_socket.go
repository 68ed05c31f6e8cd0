package diagnose

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// Socket-level sessions: the MQTT client runs on the host and the module
// only carries its bytes (the ops have a Wire). What fails there is the
// host's library talking to a socket: sending on a socket that is gone,
// sending before the broker accepted the CONNECT, not pinging, leaving
// received data unread, sending damaged packets, or TLS that the log
// cannot show. The facts come from the ops (Wire, notes by kind, TLS,
// CONNACK); CONNACK refusals, SEND FAIL and a close right after CONNECT
// are explained from the dialect tables by vendor-result and op-failed.

const (
	idSockSendClosed = "socket-send-closed"
	idSockEarly      = "socket-before-connack"
	idSockPing       = "socket-no-pingreq"
	idSockMalformed  = "socket-malformed"
	idSockTLS        = "socket-tls"
	idSockUnread     = "socket-unread"
)

func socketOp(op *dialect.Op) bool { return op.Wire != nil && op.Client != dialect.ModuleClient }

// sockSendClosedRule: a send that failed while the client's socket was
// closed (its close or loss is in the log, no open since).
type sockSendClosedRule struct {
	base
	down  map[int]*dialect.Op // per client, the op that closed its socket
	pairs [][2]*dialect.Op    // the failed send, the op that closed the socket before it
}

func (k *sockSendClosedRule) inOrder(r *run, op *dialect.Op) {
	if !socketOp(op) {
		return
	}
	if k.down == nil {
		k.down = map[int]*dialect.Op{}
	}
	sent := r.factsOf(op).command.Seq >= 0 // a host's command: a send, not a notice of the module
	switch {
	case op.Kind == dialect.OpOpen && op.Status == dialect.StatusOK:
		delete(k.down, op.Client)
	case op.Kind == dialect.OpClose && op.Status == dialect.StatusOK, linkLost(op) && !sent:
		k.down[op.Client] = op
	case sent && op.Status == dialect.StatusFailed && !op.Abandoned && op.Kind != dialect.OpOpen && op.Kind != dialect.OpClose:
		if c := k.down[op.Client]; c != nil {
			k.pairs = append(k.pairs, [2]*dialect.Op{op, c})
		}
	}
}

func (k *sockSendClosedRule) finish(r *run) {
	for _, p := range k.pairs {
		op, closer := p[0], p[1]
		r.claim(op)
		r.add(Finding{Rule: idSockSendClosed, Severity: Error, Client: op.Client,
			Title: fmt.Sprintf("%s sent on socket %d after it closed (line %d)", clientName(op.Client), op.Client, firstLineOf(closer)),
			Explanation: fmt.Sprintf("The send at line %d failed (%s): socket %d had closed at line %d (%s) and the log shows no open since, so the bytes had nowhere to go. The MQTT library on the host did not notice that its connection was gone.",
				firstLineOf(op), reasonOf(op), op.Client, firstLineOf(closer), reasonOf(closer)),
			Advice: "Watch the module's close notices (and check the socket's state before sending); after a close, open the socket again and start the MQTT session with a new CONNECT before publishing.",
			Lines:  append(append([]int(nil), closer.Lines...), op.Lines...)})
	}
}

// sockEarlyRule: packets the device sent before the broker's CONNACK, to a
// CONNECT the broker then refused or never answered: MQTT allows sending
// them early, but they are lost with the refused session [MQTT-3.1.4-5].
type sockEarlyRule struct {
	base
	pending map[int]*sockEarly // per client, the connect awaiting its CONNACK
	done    []*sockEarly
}

type sockEarly struct {
	connect *dialect.Op
	early   []*dialect.Op
}

func (k *sockEarlyRule) inOrder(r *run, op *dialect.Op) {
	if !socketOp(op) {
		return
	}
	if k.pending == nil {
		k.pending = map[int]*sockEarly{}
	}
	p := k.pending[op.Client]
	switch {
	case op.Kind == dialect.OpConnect:
		k.pending[op.Client] = &sockEarly{connect: op}
	case p == nil:
	case firstSeq(op) < lastSeqOf(p.connect) && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe):
		p.early = append(p.early, op)
	case firstSeq(op) >= lastSeqOf(p.connect):
		delete(k.pending, op.Client)
		if len(p.early) > 0 && p.connect.Status != dialect.StatusOK {
			k.done = append(k.done, p)
		}
	}
}

func lastSeqOf(op *dialect.Op) int {
	if len(op.Seqs) == 0 {
		return -1
	}
	return op.Seqs[len(op.Seqs)-1]
}

func (k *sockEarlyRule) finish(r *run) {
	for _, p := range k.pending {
		if len(p.early) > 0 && p.connect.Status != dialect.StatusOK {
			k.done = append(k.done, p)
		}
	}
	for _, p := range k.done {
		c := p.connect
		what := "never answered"
		if c.HasConnack && c.Connack > 0 {
			what = "refused (CONNACK " + dialect.ConnackWords(int(c.Connack)) + ")"
		}
		var lines []int
		var parts []string
		for _, op := range p.early {
			r.claim(op)
			lines = append(lines, op.Lines...)
			parts = append(parts, fmt.Sprintf("the %s at line %d", op.Kind, firstLineOf(op)))
		}
		r.add(Finding{Rule: idSockEarly, Severity: Warning, Client: c.Client,
			Title: fmt.Sprintf("%s sent %s before the broker's CONNACK, and the CONNECT was %s", clientName(c.Client), plural(len(p.early), "packet", "packets"), what),
			Explanation: fmt.Sprintf("After the CONNECT at line %d the device sent %s without waiting for the CONNACK. MQTT 3.1.1 allows that (§3.1.4), but the broker %s the session, so these packets were lost with it.",
				firstLineOf(c), strings.Join(parts, ", "), what),
			Advice: "Wait for the CONNACK (and check its return code) before subscribing or publishing; fix the CONNECT first (see its own finding).",
			Lines:  append(append([]int(nil), c.Lines...), lines...)})
	}
}

// sockPingRule: the device sent nothing (no PINGREQ) for longer than 1.5
// times its keep-alive: the broker may drop it [MQTT-3.1.2-24]. Modules
// with MQTT commands ping by themselves; over a socket, the host's library
// must, and a library whose loop is not called does not.
type sockPingRule struct {
	base
	conn  map[int]*sockPing
	found []*sockPing
}

type sockPing struct {
	connect    *dialect.Op
	last       time.Time // the device's latest bytes
	gap        time.Duration
	from, to   int // lines that bound the longest silence
	lossOp     *dialect.Op
	silentLoss bool // the silence ended with the loss of the link
}

func (k *sockPingRule) inOrder(r *run, op *dialect.Op) {
	if !socketOp(op) {
		return
	}
	if k.conn == nil {
		k.conn = map[int]*sockPing{}
	}
	s := k.conn[op.Client]
	if op.Kind == dialect.OpConnect && op.Status == dialect.StatusOK && op.KeepAlive > 0 && !opStart(op).IsZero() {
		k.conn[op.Client] = &sockPing{connect: op, last: opStart(op), from: firstLineOf(op)}
		return
	}
	if s == nil {
		return
	}
	for _, sg := range op.Wire.Segments {
		if sg.ToBroker && !sg.Time.IsZero() && sg.Time.After(s.last) {
			s.see(sg.Time, sg.Line)
			s.last = sg.Time
		}
	}
	if op.Kind == dialect.OpClose || linkLost(op) || op.Kind == dialect.OpDisconnect {
		if linkLost(op) && !opStart(op).IsZero() && s.see(opStart(op), firstLineOf(op)) {
			s.lossOp, s.silentLoss = op, true
		}
		k.end(op.Client)
	}
}

// see notes the silence up to t (line), and reports whether it is the
// longest so far.
func (s *sockPing) see(t time.Time, line int) bool {
	if gap := t.Sub(s.last); gap > s.gap {
		s.gap, s.to = gap, line
		return true
	}
	return false
}

func (k *sockPingRule) end(client int) {
	s := k.conn[client]
	delete(k.conn, client)
	if s != nil && s.gap*2 > 3*time.Duration(s.connect.KeepAlive)*time.Second {
		k.found = append(k.found, s)
	}
}

func (k *sockPingRule) finish(r *run) {
	for _, c := range slices.Sorted(maps.Keys(k.conn)) {
		k.end(c)
	}
	for _, s := range k.found {
		c := s.connect
		sev, end := Warning, ""
		lines := append([]int(nil), c.Lines...)
		if s.silentLoss {
			sev, end = Error, fmt.Sprintf(" The silence ended with the link lost at line %d: the broker dropped the client for it.", s.to)
			r.claim(s.lossOp)
			lines = append(lines, s.lossOp.Lines...)
		}
		r.add(Finding{Rule: idSockPing, Severity: sev, Client: c.Client,
			Title: fmt.Sprintf("%s sent no PINGREQ for %s, over 1.5 times its keep-alive of %d s", clientName(c.Client), timeline.HumanDuration(s.gap), c.KeepAlive),
			Explanation: fmt.Sprintf("The CONNECT at line %d asked for a keep-alive of %d s, then the device sent nothing for %s (up to line %d). Over a socket it is the host's MQTT library that must send PINGREQ; a broker drops a client it has not heard from for 1.5 times the keep-alive [MQTT-3.1.2-24].%s",
				firstLineOf(c), c.KeepAlive, timeline.HumanDuration(s.gap), s.to, end),
			Advice: "Call the MQTT library's loop (PubSubClient loop(), umqtt check_msg/ping) often enough to ping within the keep-alive, including while the application blocks or sleeps; or raise the keep-alive.",
			Lines:  lines})
	}
}
