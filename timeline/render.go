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
		if _, err := io.WriteString(w, "  "+OpLine(op, st)+"\n"); err != nil {
			return err
		}
	}
	return nil
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
func Essentials(op *dialect.Op) string {
	var parts []string
	add := func(format string, a ...any) { parts = append(parts, fmt.Sprintf(format, a...)) }
	switch op.Kind {
	case dialect.OpOpen:
		if op.Host != "" || op.Port != 0 {
			add("%s:%d", op.Host, op.Port)
		}
		if op.TLS {
			add("tls")
		}
	case dialect.OpConnect:
		if op.Host != "" {
			add("%s:%d", op.Host, op.Port)
		}
		if op.ClientID != "" {
			add("id=%q", op.ClientID)
		}
		if op.Username != "" {
			add("user=%q", op.Username)
		}
		if op.KeepAlive >= 0 {
			add("keepalive=%ds", op.KeepAlive)
		}
	case dialect.OpSubscribe, dialect.OpUnsubscribe:
		for i, t := range op.Topics {
			s := strconv.Quote(t)
			if i < len(op.Requested) && op.Requested[i] >= 0 {
				s += fmt.Sprintf(" qos%d", op.Requested[i])
			}
			if i < len(op.Granted) {
				s += fmt.Sprintf("→%d", op.Granted[i])
			}
			parts = append(parts, s)
		}
		if op.MsgID >= 0 {
			add("id=%d", op.MsgID)
		}
	case dialect.OpPublish, dialect.OpReceive:
		if op.Topic != "" {
			add("%q", op.Topic)
		}
		if op.QoS >= 0 {
			add("qos%d", op.QoS)
		}
		if op.Retain {
			add("retain")
		}
		if op.MsgID >= 0 {
			add("id=%d", op.MsgID)
		}
		if op.Payload != "" || op.PayloadLen > 0 {
			add("%s (%d B)", Preview(op.Payload, previewRunes), max(op.PayloadLen, len(op.Payload)))
		}
		if op.Retries > 0 {
			add("retries=%d", op.Retries)
		}
	case dialect.OpLink, dialect.OpSetup:
		add("%s", op.Name)
		if op.Code != "" {
			add("%s", op.Code)
		}
	}
	return strings.Join(parts, " ")
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
		s += strings.Join(op.Notes, "; ")
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
func Preview(s string, n int) string {
	more := ""
	if utf8.RuneCountInString(s) > n {
		s, more = string([]rune(s)[:n]), "…"
	}
	return `"` + Visible(s) + `"` + more
}

// Visible escapes control characters (CR, LF, Ctrl-Z) so that text stays on
// one line, and leaves quotes and non-ASCII text as they are.
func Visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
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
