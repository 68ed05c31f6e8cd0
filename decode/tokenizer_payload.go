package decode

import (
	"bytes"
	"fmt"
)

// maxPayload bounds a payload held in memory while its end is sought.
const maxPayload = 256 << 10

// lexData reads a payload.
func (t *Tokenizer) lexData() bool {
	d := t.data
	if d.afterPrompt && d.dir == DirUnknown {
		// A line end right after the prompt is the log tool's, not payload.
		if n := t.lineEndRun(0); n > 0 {
			t.takeBlank(n)
			return true
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
	end, textEnd, problem, ok := t.payloadEnd(0, d.frame, d.term, &d.scanned)
	if !ok {
		return false
	}
	if end == 0 { // a counted payload of length 0: nothing to emit
		t.data = nil
		return true
	}
	ev := Event{Kind: KindData, Dir: t.segs[0].dir, Text: t.str(0, textEnd), Problem: problem}
	if ev.Dir == DirUnknown {
		ev.Dir, ev.DirInferred = DirFromModule, true
		if d.afterPrompt {
			ev.Dir = DirToModule
		}
	}
	if end > textEnd && t.buf[textEnd] == 0x1b {
		ev.Problem = "cancelled with ESC: nothing was sent"
	}
	t.data = nil
	t.emit(&ev, end)
	return true
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
			if k := bytes.IndexAny(t.buf[p:ce], "\x1a\x1b"); k >= 0 {
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
		if le == ce || le == len(t.buf) && t.eof {
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
		return t.pending == c
	}
	return true
}

// framing asks the hooks about a command event that lives in the
// tokenizer, not on the stack: a command's remembered one, or asked.
func (t *Tokenizer) framing(cmd *Event) Framing {
	if t.hooks == nil {
		return Framing{}
	}
	f := t.hooks.Payload(cmd)
	if f.Kind == FrameCount && f.N < 0 {
		return Framing{} // a length the log got wrong: read up to the answer
	}
	return f
}

// commandFraming is c's framing, asked of the hooks once: parsing a
// command's arguments is the costliest part of a hook.
func (t *Tokenizer) commandFraming(c *command) Framing {
	if !c.asked {
		c.frame, c.asked = t.framing(&c.ev), true
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
	return t.framing(&t.asked)
}
