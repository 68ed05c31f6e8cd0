package decode

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// maxPayload bounds a payload held in memory while its end is sought.
const maxPayload = 256 << 10

// lexData reads a payload.
func (t *Tokenizer) lexData() bool {
	d := t.data
	if d.afterPrompt && d.dir == DirUnknown {
		// A line end right after the prompt is the log tool's, not payload,
		// and so is a colour code ("> \x1b[0m").
		if n := t.lineEndRun(0); n > 0 {
			t.takeBlank(n)
			d.lineStart = true
			return true
		}
		if t.buf[0] == 0x1b {
			b := t.buf[:t.boundary(0)]
			if n := csiLen(b); n > 0 {
				t.takeBlank(n)
				return true
			}
			if csiOpen(b) && len(b) == len(t.buf) && !t.eof {
				return false // more bytes may complete it
			}
		}
		if t.isTerminatorLine(0, d.term) {
			if _, _, ok := t.lineAt(0); ok || t.eof {
				if t.holding {
					t.held().Problem = "no payload after the prompt"
				}
				t.data = nil
				return true
			}
			return false
		}
	}
	if d.dir == DirUnknown {
		d.dir = t.segs[0].dir
	}
	if d.frame.Kind == FrameCount && d.indent > 0 {
		end, text, holds, ok := t.dedented(0, d.frame.N, d.indent, d.lineStart)
		if !ok {
			return false
		}
		if holds {
			t.data = nil
			ev := Event{Kind: KindData, Dir: t.segs[0].dir, Text: text}
			t.inferDataDir(&ev, d)
			t.emit(&ev, end)
			return true
		}
	}
	end, textEnd, problem, ok := t.payloadEnd(0, d.frame, d.term, &d.scanned)
	if !ok {
		return false
	}
	if end == 0 { // a counted payload of length 0: nothing to emit
		t.data = nil
		return true
	}
	ev := Event{Kind: KindData, Dir: t.segs[0].dir, Text: t.str(0, textEnd), Problem: problem}
	if problem != "" && d.frame.Kind == FrameCount {
		ev.Length, ev.Have, ev.Declared = LengthShort, int32(textEnd), int32(d.frame.N)
	}
	t.inferDataDir(&ev, d)
	if end > textEnd && t.buf[textEnd] == 0x1b {
		ev.Problem = "cancelled with ESC: nothing was sent"
	}
	if d.frame.Kind == FrameCount && problem == "" && d.afterPrompt && ev.Dir == DirToModule {
		extra, ok := t.typedAfter(end)
		if !ok {
			return false
		}
		if extra > 0 {
			ev.Length, ev.Have, ev.Declared = LengthLong, int32(end+extra), int32(end)
			ev.Problem = fmt.Sprintf("payload is %d bytes, length says %d: the module takes %d, the rest reaches it as a command", ev.Have, end, end)
			t.typed = true
		}
	}
	t.data = nil
	t.emit(&ev, end)
	return true
}

// inferDataDir gives a payload of a log without directions one: the host
// sends what follows a prompt, the module the rest.
func (t *Tokenizer) inferDataDir(ev *Event, d *dataMode) {
	if ev.Dir == DirUnknown {
		ev.Dir, ev.DirInferred = DirFromModule, true
		if d.afterPrompt {
			ev.Dir = DirToModule
		}
	}
}

// typedAfter returns how many bytes the host typed on the line of a counted
// payload after its declared length ends at i, blanks around them aside: 0
// when the line ends there or what follows is the module's answer ("OK",
// "+QMTPUBEX: 0,1,0"), which a log without line ends runs on. ok is false
// when more input is needed.
func (t *Tokenizer) typedAfter(i int) (n int, ok bool) {
	ce, _, ok := t.lineAt(i)
	if !ok {
		return 0, false
	}
	rest := t.str(i, ce)
	if cut := splitMerged(rest); cut > 0 {
		rest = rest[:cut]
	}
	text := strings.TrimSpace(rest)
	if text == "" || t.isModuleAnswer(text) {
		return 0, true
	}
	return len(strings.TrimRight(rest, " \t")), true
}

// isModuleAnswer reports whether text is a line only a module sends: a
// final result, a "+NAME: args" response or URC, or a word the vocabulary
// knows.
func (t *Tokenizer) isModuleAnswer(text string) bool {
	if _, final := t.resultCode(text); final {
		return true
	}
	if _, ok := prefixedName(text); ok {
		return true
	}
	return t.isBare(text)
}

// payloadEnd finds where a payload that starts at from ends: after N bytes,
// at Ctrl-Z or ESC, or early at a line that shows the module has answered
// (a final result, a URC named term, a new command). end includes the
// payload's last line end when it stopped early; textEnd excludes it. ok is
// false when more input is needed to decide.
//
// resume keeps, between calls that wait for more input, where the scan got
// to: the bytes before it are complete lines already judged, so each byte is
// looked at once however slowly the payload arrives.
func (t *Tokenizer) payloadEnd(from int, f Framing, term string, resume *int) (end, textEnd int, problem string, ok bool) {
	counted := f.Kind == FrameCount
	target := from + f.N
	if counted && t.turnAt(from) {
		return from, from, t.short(f, 0), true // the other direction's bytes follow at once
	}
	for p := max(from, *resume); ; *resume = p {
		ce, le, ok := t.lineAt(p)
		if !ok {
			if len(t.buf)-from > maxPayload {
				return len(t.buf), len(t.buf), "payload longer than 256 KiB: split", true
			}
			return 0, 0, "", false
		}
		if counted && target <= le {
			return target, target, "", true
		}
		if f.Kind == FrameUntil && f.Until != "" {
			// The terminator may straddle a line end no more than Ctrl-Z can.
			if k := bytes.Index(t.buf[p:ce], []byte(f.Until)); k >= 0 {
				return p + k + len(f.Until), p + k, "", true
			}
		} else if !counted {
			if k := indexCtrlZOrESC(t.buf[p:ce]); k >= 0 {
				return p + k + 1, p + k, "", true
			}
			if cut := splitMerged(t.str(p, ce)); cut > 0 {
				return p + cut, p + cut, t.noCtrlZ(f), true
			}
		}
		if le == ce && ce < t.boundary(p) {
			p = le // an over-long line, cut by lineAt
			continue
		}
		if le == ce || le == len(t.buf) && t.eof || counted && t.turnAt(le) {
			// The payload meets a change of direction or the end of input.
			return le, ce, t.short(f, ce-from), true
		}
		if !t.terminatorKnown(le) {
			return 0, 0, "", false
		}
		if t.isTerminatorLine(le, term) {
			return le, ce, t.short(f, ce-from), true
		}
		if le-from > maxPayload {
			return le, ce, "payload longer than 256 KiB: split", true
		}
		p = le
	}
}

func (t *Tokenizer) short(f Framing, have int) string {
	if f.Kind == FrameCount {
		return fmt.Sprintf("payload is %d bytes, length says %d", have, f.N)
	}
	return t.noCtrlZ(f)
}

func (t *Tokenizer) noCtrlZ(f Framing) string {
	switch f.Kind {
	case FrameCtrlZ:
		return "no Ctrl-Z in the log before the module answered"
	case FrameUntil:
		return "no " + f.Until + " in the log before the module answered"
	}
	return ""
}

// terminatorKnown reports whether the line at i is complete enough to judge.
func (t *Tokenizer) terminatorKnown(i int) bool {
	_, _, ok := t.lineAt(i)
	return ok || t.eof
}

// isTerminatorLine reports whether the line at i shows that a payload before
// it has ended: a final result code, a URC of the command, or a new command.
func (t *Tokenizer) isTerminatorLine(i int, term string) bool {
	ce, _, _ := t.lineAt(i)
	if ce <= i {
		return false
	}
	text := t.trimmed(i, ce)
	if _, final := t.resultCode(text); final {
		return true
	}
	if term != "" && len(text) > len(term) && equalFoldASCII(text[:len(term)], term) && text[len(term)] == ':' {
		return true
	}
	return isCommandText(text)
}

// promptAllowed reports whether a '>' at the front of buf is a data prompt:
// the latest command takes a payload and has not had its prompt.
func (t *Tokenizer) promptAllowed() bool {
	c := t.last
	if c == nil || c.prompted || t.segs[0].dir == DirToModule {
		return false
	}
	switch t.commandFraming(c).Kind {
	case FrameNone:
		return false
	case FrameUnknown:
		// A declared length that is no byte count still declares a
		// prompted payload, which may follow the OK (ESP-AT).
		return t.pending == c || c.badLength
	}
	return true
}

// framing asks the hooks about a command event that lives in the
// tokenizer, not on the stack: a command's remembered one, or asked. bad
// reports a declared length that is no byte count, or more than a payload
// can be: the payload is then read up to the module's answer.
func (t *Tokenizer) framing(cmd *Event) (f Framing, bad bool) {
	if t.hooks == nil {
		return Framing{}, false
	}
	f = t.hooks.Payload(cmd)
	if f.Kind == FrameCount && (f.Bad != "" || f.N < 0 || f.N > maxPayload) {
		if f.Bad == "" {
			f.Bad = strconv.Itoa(f.N)
		}
		return Framing{Bad: f.Bad}, true
	}
	return f, false
}

// commandFraming is c's framing, asked of the hooks once: parsing a
// command's arguments is the costliest part of a hook.
func (t *Tokenizer) commandFraming(c *command) Framing {
	if !c.asked {
		c.frame, c.badLength = t.framing(&c.ev)
		c.asked = true
	}
	return c.frame
}

// framingOf is the framing of a command or echo event, from the latest
// command's when the text is the same (an echo).
func (t *Tokenizer) framingOf(ev *Event) Framing {
	if c := t.last; c != nil && c.ev.Text == ev.Text {
		return t.commandFraming(c)
	}
	t.asked = *ev
	f, _ := t.framing(&t.asked)
	return f
}

// indexCtrlZOrESC returns the index of the first Ctrl-Z or ESC in b that
// ends a payload, or -1. An ESC that starts a colour code ("\x1b[0m") is the
// log tool's, not the host's.
func indexCtrlZOrESC(b []byte) int {
	for i := 0; i < len(b); {
		k := bytes.IndexAny(b[i:], "\x1a\x1b")
		if k < 0 {
			return -1
		}
		i += k
		if n := csiLen(b[i:]); b[i] == 0x1b && n > 0 && b[i+n-1] == 'm' {
			i += n
			continue
		}
		return i
	}
	return -1
}

// csiOpen reports whether b is the start of a control sequence cut short:
// ESC, or ESC '[' and parameter bytes only.
func csiOpen(b []byte) bool {
	if len(b) == 0 || b[0] != 0x1b || len(b) > 1 && b[1] != '[' {
		return false
	}
	for _, c := range b[min(len(b), 2):] {
		if c < 0x20 || c > 0x3f {
			return false
		}
	}
	return true
}
