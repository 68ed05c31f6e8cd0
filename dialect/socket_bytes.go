package dialect

import (
	"bytes"
	"fmt"
	"strings"

	"atscope/decode"
	"atscope/mqttstream"
)

// sockWant is payload the machine counts out of the raw bytes: a send's
// after its prompt, or a receive's after its header.
type sockWant struct {
	send bool // a send: a prompt ("> " or ">") comes first
	at   bool // the prompt is u-blox's "@", and no space follows it
	// silent: no prompt; the data follows the command's OK and ends at
	// "+++" (Nordic SLM data mode).
	silent  bool
	ctrlZ   bool // a send whose data ends at Ctrl-Z (ESC cancels)
	hex     bool // the data is hex text, two digits a byte
	untilOK bool // the data ends at the "OK" that ends its read command (n is at most)
	eol     bool // a line end may come before the data (data on the next line)
	n       int  // bytes (hex digits when hex) still wanted
	link    int
	started bool // past the prompt, or past the line end
	got     []byte
	evs     []evRef
}

// evRef is what an op keeps of an event that carried its bytes.
type evRef struct {
	seq, line, endLine int
	name               string       // the event's name: "+CIPSEND", "+IPD", "" for data
	ev                 decode.Event // with no Raw, Text or Args
}

func refOf(ev *decode.Event) evRef {
	e := decode.Event{Seq: ev.Seq, Pos: ev.Pos, EndLine: ev.EndLine, Time: ev.Time, TimeSrc: ev.TimeSrc, Dir: ev.Dir}
	return evRef{seq: ev.Seq, line: ev.Pos.Line, endLine: ev.EndLine, name: ev.Name, ev: e}
}

// carrierName is the vendor command or URC that carried a packet: the name
// of its first named event.
func carrierName(refs []evRef) string {
	for _, r := range refs {
		if r.name != "" {
			return r.name
		}
	}
	return "socket data"
}

// sockSend is a send command until its result.
type sockSend struct {
	link    int
	evs     []evRef
	payload []byte
	lost    int  // bytes the log lost (the count said more)
	done    bool // the payload is complete
	problem string
}

// startWant makes the machine count w's bytes out of what follows.
func (m *sockMachine) startWant(w *sockWant) {
	if w.hex {
		w.n *= 2
	}
	m.want = w
}

// wantTakes reports whether ev's bytes go to w: a send's lines before its
// prompt are events of their own; a command or final result ends a payload
// the log cut short.
func (m *sockMachine) wantTakes(w *sockWant, ev *decode.Event, emit func(*Op)) bool {
	if !ev.DirInferred && (w.send && ev.Dir == decode.DirFromModule && w.started || !w.send && ev.Dir == decode.DirToModule) {
		return false // the other direction's bytes: interleaved lines
	}
	if w.silent && !w.started {
		if ev.Kind == decode.KindResult {
			if ev.Name == "OK" {
				w.started = true
			} else {
				m.want = nil
			}
		}
		return false
	}
	if w.send && !w.started {
		if startsWithPrompt(ev.Raw, w.prompt()) {
			return true
		}
		if ev.Kind == decode.KindResult && ev.Name != "OK" {
			m.want = nil // ERROR or SEND FAIL instead of the prompt
		}
		return false
	}
	if ev.Kind == decode.KindCommand || ev.Kind == decode.KindResult && !w.untilOK {
		m.want = nil
		m.wantShort(w, ev, emit)
		return false
	}
	if ev.Kind == decode.KindResult { // the OK after a read's data
		m.want = nil
		m.wantDone(w, emit)
		return false
	}
	return true
}

func startsWithPrompt(raw []byte, prompt byte) bool {
	raw = bytes.TrimLeft(raw, "\r\n ")
	return len(raw) > 0 && raw[0] == prompt
}

// prompt is the byte that asks for a send's data.
func (w *sockWant) prompt() byte {
	if w.at {
		return '@'
	}
	return '>'
}

// feedBytes runs raw bytes through the wanted payload, the echo of a
// payload, and reads the lines among them itself.
func (m *sockMachine) feedBytes(b []byte, ev *decode.Event, emit func(*Op)) {
	for len(b) > 0 {
		if w := m.want; w != nil {
			used, done := w.take(b, ev)
			b = b[used:]
			if done {
				m.want = nil
				m.wantDone(w, emit)
			}
			if used == 0 && !done {
				b = b[m.relex(b, ev, emit):] // a line before the prompt
			}
			continue
		}
		if m.echo != nil {
			b = m.skipEcho(b)
			continue
		}
		b = bytes.TrimLeft(b, "\r\n \t\x00")
		if len(b) > 0 {
			b = b[m.relex(b, ev, emit):]
		}
	}
}

// take moves bytes of b into the payload. It returns how many it used and
// whether the payload is complete.
func (w *sockWant) take(b []byte, ev *decode.Event) (int, bool) {
	used := 0
	if !w.started {
		skip := len(b) - len(bytes.TrimLeft(b, "\r\n "))
		if w.send {
			if skip == len(b) {
				return len(b), false
			}
			if b[skip] != w.prompt() {
				return 0, false
			}
			skip++
			if skip < len(b) && b[skip] == ' ' && !w.at {
				skip++
			}
		} else if !w.eol {
			skip = 0
		} else {
			skip = len(b) - len(bytes.TrimLeft(b, "\r\n"))
			skip = min(skip, 2)
		}
		b, used, w.started = b[skip:], skip, true
	}
	if len(b) == 0 {
		return used, w.n == 0 && !w.ctrlZ
	}
	w.evs = append(w.evs, refOf(ev))
	switch {
	case w.silent:
		if k := bytes.Index(b, []byte(sockDataEnd)); k >= 0 {
			w.got = append(w.got, b[:k]...)
			return used + k + len(sockDataEnd), true
		}
		w.got = append(w.got, b...)
		return used + len(b), false
	case w.ctrlZ:
		if k := bytes.IndexAny(b, "\x1a\x1b"); k >= 0 {
			w.got = append(w.got, b[:k]...)
			if b[k] == 0x1b {
				w.got = nil // ESC: nothing was sent
			}
			return used + k + 1, true
		}
		w.got = append(w.got, b...)
		return used + len(b), false
	case w.untilOK:
		if k := bytes.Index(b, []byte("\r\nOK")); k >= 0 && k <= w.n {
			w.got = append(w.got, b[:k]...)
			return used + k, true
		}
	}
	k := min(w.n, len(b))
	w.got = append(w.got, b[:k]...)
	w.n -= k
	return used + k, w.n == 0
}

// payload is the data as bytes: hex decoded.
func (w *sockWant) payload() ([]byte, string) {
	if !w.hex {
		return w.got, ""
	}
	text := strings.TrimSpace(string(w.got))
	if text == "" {
		return nil, ""
	}
	b, err := mqttstream.ParseHex(text)
	if err != nil {
		return nil, "the hex data does not read: " + err.Error()
	}
	return b, ""
}

// sockDataEnd ends the Nordic SLM's data mode (its default termination
// pattern); a "+++" split over two events is not found.
const sockDataEnd = "+++"

// wantDone hands a complete payload on: to the pending send, or to the
// stream of its link.
func (m *sockMachine) wantDone(w *sockWant, emit func(*Op)) {
	data, problem := w.payload()
	if w.send {
		if s := m.send; s != nil {
			s.evs, s.payload, s.done, s.problem = append(s.evs, w.evs...), data, true, problem
			if !w.ctrlZ || len(data) > 0 {
				m.echo = data
			}
		}
		return
	}
	if m.read.set && m.read.link == w.link {
		m.waiting[w.link] = max(m.waiting[w.link]-len(data), 0)
	}
	c := m.conn(w.link, w.evs)
	if problem != "" {
		c.notes = append(c.notes, Note{Kind: NoteMalformed, Text: problem})
	}
	m.write(c, mqttstream.FromBroker, data, 0, w.evs, emit)
}

// wantShort ends a payload that the log cut: what is there is kept and the
// rest is a gap of known length.
func (m *sockMachine) wantShort(w *sockWant, ev *decode.Event, emit func(*Op)) {
	missing := w.n
	if w.hex {
		missing = (w.n + 1) / 2
	}
	if w.ctrlZ || w.untilOK || w.silent {
		missing = -1
		if w.untilOK {
			missing = 0
		}
	}
	if !w.hex && !w.untilOK {
		// The line end the module prints before its answer is not data.
		for _, eol := range []string{"\r\n", "\n"} {
			if n := len(w.got); n >= len(eol) && string(w.got[n-len(eol):]) == eol {
				w.got = w.got[:n-len(eol)]
				if missing >= 0 {
					missing += len(eol)
				}
				break
			}
		}
	}
	data, problem := w.payload()
	if w.send {
		if s := m.send; s != nil {
			s.evs, s.payload, s.done, s.lost, s.problem = append(s.evs, w.evs...), data, true, missing, problem
		}
		return
	}
	c := m.conn(w.link, w.evs)
	if missing > 0 {
		c.notes = append(c.notes, shortNote(w.evs, len(data), len(data)+missing, "header"))
	}
	m.write(c, mqttstream.FromBroker, data, missing, w.evs, emit)
}

// shortNote says that a payload is shorter than its count.
func shortNote(evs []evRef, have, want int, what string) Note {
	line := 0
	if len(evs) > 0 {
		line = evs[len(evs)-1].line
	}
	return Note{Kind: NotePayloadLength, Have: have, Want: want,
		Text: fmt.Sprintf("line %d: payload is %d bytes, the %s says %d: the log lost the rest", line, have, what, want)}
}

// skipEcho drops the module's echo of the payload just sent (SIMCom and
// Quectel echo it with ATE1), which may come in pieces.
func (m *sockMachine) skipEcho(b []byte) []byte {
	rest := bytes.TrimLeft(b, "\r\n")
	if len(rest) == 0 {
		return nil
	}
	n := min(len(rest), len(m.echo))
	if !bytes.Equal(rest[:n], m.echo[:n]) {
		m.echo = nil
		return b
	}
	m.echo = m.echo[n:]
	if len(m.echo) == 0 {
		m.echo = nil
	}
	return rest[n:]
}

// relex reads one line at the front of b, which the tokenizer did not see
// as one (it followed a receive's data), and acts on it. It returns the
// bytes used: a receive header's, or the line's.
func (m *sockMachine) relex(b []byte, ev *decode.Event, emit func(*Op)) int {
	syn := decode.Event{Seq: ev.Seq, Pos: ev.Pos, EndLine: ev.EndLine, Time: ev.Time, TimeSrc: ev.TimeSrc, Dir: ev.Dir, DirInferred: ev.DirInferred}
	if r, ok := parseRecvHeader(b); ok {
		syn.Name = r.name
		m.recvHeader(r, b[:r.at], &syn, emit)
		return r.at
	}
	end := bytes.IndexAny(b, "\r\n")
	if end < 0 {
		end = len(b)
	}
	if end == 0 {
		return 1
	}
	text := strings.TrimSpace(string(b[:end]))
	classifyLine(&syn, text)
	m.handle(&syn, emit)
	return end
}

// recvHeader starts counting a receive's data, or notes a passive-mode
// notice.
func (m *sockMachine) recvHeader(r sockRecv, header []byte, ev *decode.Event, emit func(*Op)) {
	link := 0
	if r.hasLink {
		link = r.link
	} else if len(m.socks) == 1 {
		link = lowestKey(m.socks) // the header names no link: the one open socket's
	}
	if r.name == "+CIPRECVDATA" {
		link = m.read.link
	}
	hex := r.name == "+USORD" && m.hexRecv
	if r.notice {
		m.waiting[link] = r.n
		return
	}
	// +RECEIVE's data starts on the next line; +IPD's right after ':'.
	w := &sockWant{n: r.n, link: link, started: !r.nextLine, eol: true, hex: hex}
	if hex {
		w.n *= 2
	}
	w.evs = append(w.evs, refOf(ev))
	m.want = w
	if r.n == 0 {
		m.want = nil
		m.wantDone(w, emit)
	}
}

// classifyLine makes *ev the event of a line the machine read itself.
func classifyLine(ev *decode.Event, text string) {
	ev.Text = text
	switch {
	case len(text) >= 2 && strings.EqualFold(text[:2], "AT"):
		ev.Kind = decode.KindCommand
		ev.Name, ev.Form, ev.Args = decode.ParseCommand(text)
	case text == "OK" || text == "ERROR":
		ev.Kind, ev.Name = decode.KindResult, text
	default:
		if name, final, ok := sockBare(text); ok {
			ev.Kind, ev.Name = decode.KindURC, name
			if final {
				ev.Kind = decode.KindResult
			}
			return
		}
		if i := strings.IndexByte(text, ':'); i > 1 && text[0] == '+' {
			ev.Kind, ev.Name, ev.Args = decode.KindURC, strings.ToUpper(text[:i]), strings.TrimSpace(text[i+1:])
			return
		}
		ev.Kind = decode.KindText
	}
}
