package timeline

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atscope/dialect"
)

// Style says how to render: with ANSI colours (on a terminal) or plain.
type Style struct {
	Color bool
}

const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (st Style) paint(code, s string) string {
	if !st.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (st Style) status(s dialect.Status) string {
	switch s {
	case dialect.StatusOK:
		return st.paint(ansiGreen, s.String())
	case dialect.StatusFailed, dialect.StatusTimeout:
		return st.paint(ansiRed, s.String())
	}
	return st.paint(ansiYellow, s.String())
}

// Title names a session: "client 0" or "module".
func (s *Session) Title() string {
	if s.Client == dialect.ModuleClient {
		return "module"
	}
	return fmt.Sprintf("client %d", s.Client)
}

// Render writes a session's timeline: a heading, then one line per op with
// its time (or line), kind, essentials, status with reason, and latency.
func Render(w io.Writer, s *Session, st Style) error {
	title := s.Title()
	if s.Dialect != "" {
		title += " (" + s.Dialect + ")"
	}
	if _, err := fmt.Fprintf(w, "%s  %s\n", st.paint(ansiBold, title), st.paint(ansiDim, s.File)); err != nil {
		return err
	}
	for _, op := range s.Ops {
		if up := s.pickedUpAt(op, st); up != "" {
			if _, err := io.WriteString(w, "  "+up+"\n"); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(w, "  "+OpLine(op, st)+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// pickedUpAt says, before the op that shows a connection up by its traffic
// alone, how the log shows it (Connection.Up); "" for other ops.
func (s *Session) pickedUpAt(op *dialect.Op, st Style) string {
	for i := range s.Connections {
		if up := UpLine(&s.Connections[i], op, st); up != "" {
			return up
		}
	}
	return ""
}

// UpLine is the line a timeline shows before op when op is where
// connection c shows up without its connect's result in the log (up when
// the log starts, or after a connect without result); "" otherwise. The
// streamed text timeline asks it of each client's current connection.
func UpLine(c *Connection, op *dialect.Op, st Style) string {
	if c == nil || c.Connected != op {
		return ""
	}
	switch c.Up {
	case UpAtLogStart:
		return st.paint(ansiDim, "(connected when the log starts: no connect in the log, the broker answers here)")
	case UpUnanswered:
		return st.paint(ansiDim, fmt.Sprintf("(connected: the %s at line %d shows no result, the broker answers here)", c.Unanswered.Kind, firstLine(c.Unanswered)))
	}
	return ""
}

func firstLine(op *dialect.Op) int {
	if len(op.Lines) == 0 {
		return 0
	}
	return op.Lines[0]
}

// OpLine is one op as a timeline line.
func OpLine(op *dialect.Op, st Style) string {
	var b strings.Builder
	b.WriteString(when(op))
	b.WriteString("  ")
	b.WriteString(fmt.Sprintf("%-11s", op.Kind))
	if ess := Essentials(op); ess != "" {
		b.WriteString(" ")
		b.WriteString(ess)
	}
	b.WriteString("  ")
	b.WriteString(st.status(op.Status))
	if why := Outcome(op); why != "" {
		b.WriteString(": ")
		b.WriteString(why)
	}
	if d, ok := op.Latency(); ok {
		b.WriteString("  ")
		b.WriteString(st.paint(ansiDim, FormatMillis(d)))
	}
	return b.String()
}

// when is an op's start time of day, or its first line when the log has no
// times.
func when(op *dialect.Op) string {
	line := ""
	if len(op.Lines) > 0 {
		line = "L" + strconv.Itoa(op.Lines[0])
	}
	if op.Start.IsZero() {
		return fmt.Sprintf("%-7s", line)
	}
	return fmt.Sprintf("%s %-7s", op.Start.Format("15:04:05.000"), line)
}

// Essentials are the fields that matter for an op's kind, compactly.
func Essentials(op *dialect.Op) string { return string(AppendEssentials(nil, op)) }

// AppendEssentials appends Essentials(op). It writes straight into b, with
// no fmt: the pcapng writer makes one for every op of a log.
func AppendEssentials(b []byte, op *dialect.Op) []byte {
	e := parts{b: b}
	switch op.Kind {
	case dialect.OpOpen:
		if op.Host != "" || op.Port != 0 {
			e.hostPort(op.Host, op.Port)
		}
		if op.TLS {
			e.word("tls")
		}
	case dialect.OpConnect:
		if op.Host != "" {
			e.hostPort(op.Host, op.Port)
		}
		if op.ClientID != "" {
			e.quoted("id=", op.ClientID)
		}
		if op.Username != "" {
			e.quoted("user=", op.Username)
		}
		if op.KeepAlive >= 0 {
			e.number("keepalive=", op.KeepAlive)
			e.b = append(e.b, 's')
		}
	case dialect.OpSubscribe, dialect.OpUnsubscribe:
		for i, t := range op.Topics {
			e.quoted("", t)
			if i < len(op.Requested) && op.Requested[i] >= 0 {
				e.b = strconv.AppendInt(append(e.b, " qos"...), int64(op.Requested[i]), 10)
			}
			if i < len(op.Granted) {
				e.b = strconv.AppendInt(append(e.b, "→"...), int64(op.Granted[i]), 10)
			}
		}
		if op.MsgID >= 0 {
			e.number("id=", op.MsgID)
		}
	case dialect.OpPublish, dialect.OpReceive:
		if op.Topic != "" {
			e.quoted("", op.Topic)
		}
		if op.QoS >= 0 {
			e.number("qos", op.QoS)
		}
		if op.Retain {
			e.word("retain")
		}
		if op.MsgID >= 0 {
			e.number("id=", op.MsgID)
		}
		switch {
		case op.Payload == "" && op.PayloadLen > 0:
			// a declared length without payload bytes: never sent, or sent
			// unlogged (the op cannot tell which), but not an empty payload
			e.next()
			e.b = strconv.AppendInt(append(e.b, '('), int64(op.PayloadLen), 10)
			e.b = append(e.b, " B declared, not in the log)"...)
		case op.Payload != "":
			e.next()
			e.b = appendPreview(e.b, op.Payload, previewRunes)
			e.b = strconv.AppendInt(append(e.b, " ("...), int64(max(op.PayloadLen, len(op.Payload))), 10)
			e.b = append(e.b, " B)"...)
		}
		if op.Retries > 0 {
			e.number("retries=", op.Retries)
		}
	case dialect.OpLink, dialect.OpSetup:
		e.word(op.Name)
		if op.Code != "" {
			e.word(op.Code)
		}
	}
	return e.b
}

// parts appends words separated by single spaces, empty words included.
type parts struct {
	b []byte
	n int
}

// next starts a part.
func (p *parts) next() {
	if p.n > 0 {
		p.b = append(p.b, ' ')
	}
	p.n++
}

func (p *parts) word(s string) {
	p.next()
	p.b = append(p.b, s...)
}

func (p *parts) quoted(prefix, s string) {
	p.word(prefix)
	p.b = strconv.AppendQuote(p.b, s)
}

func (p *parts) number(prefix string, v int) {
	p.word(prefix)
	p.b = strconv.AppendInt(p.b, int64(v), 10)
}

func (p *parts) hostPort(host string, port int) {
	p.word(host)
	p.b = strconv.AppendInt(append(p.b, ':'), int64(port), 10)
}

// Outcome is what an op's status means in words, with remarks.
func Outcome(op *dialect.Op) string {
	s := op.Reason
	if op.Kind != dialect.OpLink && op.Kind != dialect.OpSetup && op.Code != "" && op.Status != dialect.StatusOK {
		s = strings.TrimSpace(op.Code + " " + s)
	}
	if len(op.Notes) > 0 {
		if s != "" {
			s += "; "
		}
		s += strings.Join(op.NoteTexts(), "; ")
	}
	return s
}

// previewRunes is how much of a payload a timeline line shows.
const previewRunes = 40

// Trim drops from op what Render does not show, for the timeline of a long
// log: the payload past its preview (its length stays in PayloadLen), the
// events but the first and the last, the lines but the first.
func Trim(op *dialect.Op) {
	op.PayloadLen = max(op.PayloadLen, len(op.Payload))
	if utf8.RuneCountInString(op.Payload) > previewRunes {
		op.Payload = string([]rune(op.Payload)[:previewRunes+1]) // a copy: the rest can go
	}
	if n := len(op.Seqs); n > 2 {
		op.Seqs = []int{op.Seqs[0], op.Seqs[n-1]}
	}
	if len(op.Lines) > 1 {
		op.Lines = []int{op.Lines[0]}
	}
}

// Preview quotes a payload, shortened to at most n runes, with control
// characters escaped and quotes left alone (payloads are mostly JSON).
func Preview(s string, n int) string { return string(appendPreview(nil, s, n)) }

func appendPreview(b []byte, s string, n int) []byte {
	more := utf8.RuneCountInString(s) > n
	b = append(b, '"')
	v := newVisibleText(s)
	for _, r := range s {
		if n == 0 {
			break
		}
		n--
		b = v.append(b, r)
	}
	b = append(b, '"')
	if more {
		b = append(b, "…"...)
	}
	return b
}

// FormatMillis renders a duration in milliseconds, or seconds when long.
func FormatMillis(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// HumanDuration renders a duration for people: "850 ms", "7.0 s",
// "3 min 20 s", "2 h 5 min".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}
