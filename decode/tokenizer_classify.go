package decode

import (
	"strings"
	"time"
)

// classify makes *ev an event of one line's text.
func (t *Tokenizer) classify(ev *Event, text string, dir Dir) {
	*ev = Event{Text: text, Dir: dir}
	if isCommandText(text) {
		ev.Name, ev.Form, ev.Args = ParseCommand(text)
		switch {
		case dir == DirFromModule:
			ev.Kind = KindEcho
		case dir == DirUnknown && t.echoDue() && equalFoldASCII(text, t.pending.ev.Text):
			ev.Kind, ev.Dir, ev.DirInferred = KindEcho, DirFromModule, true
		case dir == DirUnknown && t.echoDue() && len(text) >= 2 && hasPrefixFold(t.pending.ev.Text, text):
			// Possibly the first half of an echo split over two lines.
			ev.Kind, ev.Dir, ev.DirInferred = KindEcho, DirFromModule, true
		default:
			ev.Kind = KindCommand
			if dir == DirUnknown {
				ev.Dir, ev.DirInferred = DirToModule, true
			}
		}
		return
	}
	if dir == DirToModule {
		return // text the host typed that is not a command: "+++"
	}
	if ev.Kind = t.moduleKind(ev, text); ev.Kind != KindText && dir == DirUnknown {
		ev.Dir, ev.DirInferred = DirFromModule, true
	}
	if p := t.pending; p != nil && (ev.Kind == KindResponse || ev.Kind == KindResult) {
		if f := p.ev.Form; f == FormRead || f == FormTest {
			ev.AnswerTo = f
		}
	}
}

// moduleKind is the kind of a line that is not a command, from the module
// or of unknown direction, whose name and arguments it sets in ev: KindText
// when it is none that the module sends.
func (t *Tokenizer) moduleKind(ev *Event, text string) Kind {
	if name, final := t.resultCode(text); final {
		ev.Name, ev.Args = name, argsAfterName(text)
		return KindResult
	}
	if name, ok := prefixedName(text); ok {
		ev.Name, ev.Args = name, argsAfterName(text)
		if t.pending != nil && t.pending.ev.Name == name {
			return KindResponse
		}
		return KindURC
	}
	if name, final, ok := t.bare(text); ok && !final {
		ev.Name = name
		return KindURC
	}
	if name, ok := bareURC(text); ok {
		ev.Name = name
		return KindURC
	}
	if t.pending != nil {
		return KindResponse
	}
	return KindText
}

// isBare reports whether a whole line is one word the vocabulary knows
// ("CONNECT OK"), which splitMerged must not cut.
func (t *Tokenizer) isBare(text string) bool {
	if _, _, ok := t.bare(text); ok {
		return true
	}
	_, ok := bareURC(text)
	return ok
}

// echoDue reports whether the pending command may still be echoed: it has
// no echo and no answer yet, and (when the log has times) it was sent within
// the last two seconds, since a module echoes at once. The same command typed
// again later is a new command.
func (t *Tokenizer) echoDue() bool {
	p := t.pending
	if p == nil || p.echoed || p.answered {
		return false
	}
	s := &t.segs[0]
	return p.ev.TimeSrc != TimeLog || s.tsrc != TimeLog || s.time.Sub(p.ev.Time) <= 2*time.Second
}

// commit updates what the tokenizer remembers after an event. fresh
// reports a command remembered anew (not the echo of the pending one).
func (t *Tokenizer) commit(ev *Event) (fresh bool) {
	switch ev.Kind {
	case KindCommand:
		t.remember(command{ev: *ev})
		return true
	case KindEcho:
		if t.pending != nil && equalFoldASCII(ev.Text, t.pending.ev.Text) {
			t.pending.echoed = true
			return false
		}
		// Only the echo shows this command (a log of the module's side).
		t.remember(command{ev: *ev, echoed: true})
		return true
	case KindResponse:
		if t.pending != nil {
			t.pending.answered = true
		}
	case KindResult:
		t.pending = nil
	}
	return false
}

// remember makes c the latest command, which awaits its final result.
func (t *Tokenizer) remember(c command) {
	t.latest = c
	t.pending, t.last = &t.latest, &t.latest
}

// resultCode recognises final result codes [ITU-T V.250 §5.7.1, 3GPP TS
// 27.007 §9.2], and the vendor ones the hooks know.
func (t *Tokenizer) resultCode(text string) (string, bool) {
	switch text {
	case "OK", "ERROR", "NO CARRIER", "NO DIALTONE", "BUSY", "NO ANSWER":
		return text, true
	}
	if strings.HasPrefix(text, "+CM") {
		for _, p := range []string{"+CME ERROR", "+CMS ERROR"} {
			if len(text) > len(p) && text[:len(p)] == p && text[len(p)] == ':' {
				return p, true
			}
		}
	}
	if name, final, ok := t.bare(text); ok && final {
		return name, true
	}
	return "", false
}

// bareAnswer is what the hooks said of a line's text.
type bareAnswer struct {
	text, name string
	final, ok  bool
	asked      bool // text was asked about
}

// bare is the hooks' Bare, which depends on text alone, remembered for the
// latest text: a line is asked about up to three times (result code, URC,
// terminator of a payload).
func (t *Tokenizer) bare(text string) (name string, final, ok bool) {
	if t.hooks == nil {
		return "", false, false
	}
	if a := &t.lastBare; !a.asked || a.text != text {
		a.name, a.final, a.ok = t.hooks.Bare(text)
		a.text, a.asked = text, true
	}
	return t.lastBare.name, t.lastBare.final, t.lastBare.ok
}
