package decode

import "strings"

// gluedCut returns where the first token of a module line ends when the log
// glued URCs together without line ends, or 0 when the line is one token.
// ev is the line classified whole: a response or URC. The cut is
//   - right after the arguments of a URC whose payload follows (the hooks'
//     follow length), when that payload ends at the line's end or at a
//     known name: "+CMQTTRXTOPIC: 0,44" before a 44-byte topic;
//   - else before the next known name, when the URC before it announces no
//     payload: "+CMQTTRXSTART: 0,44,203" before "+CMQTTRXTOPIC:".
//
// A name in the middle of a payload is no cut: the declared length decides.
func (t *Tokenizer) gluedCut(ev *Event, line string) int {
	if t.names == nil || ev.Name == "" || (ev.Kind != KindURC && ev.Kind != KindResponse) || !extended.has(line[0]) {
		return 0
	}
	next := t.knownNameAfter(line, len(ev.Name))
	if next < 0 {
		return 0
	}
	args := strings.IndexByte(line, ':') + 1
	for args < len(line) && line[args] == ' ' {
		args++
	}
	if j, ok := t.payloadCut(ev, line, args, next); ok {
		return j
	}
	if inline, follow := t.tailOf(ev, line[:next]); inline == 0 && follow == 0 {
		return next
	}
	return 0
}

// payloadCut finds where the arguments of ev, from args on, end when its
// payload follows at once: after a digit, before what is neither a digit
// nor a comma, such that the payload of the declared length ends at the
// line's end or at a known name. A payload with no known name inside wins
// ("0,6" before "12/abc+CMQTTRXPAYLOAD:" rather than "0,61"), then the
// longest arguments.
func (t *Tokenizer) payloadCut(ev *Event, line string, args, next int) (cut int, ok bool) {
	end := args
	for end < next && (isDigit(line[end]) || line[end] == ',') {
		end++
	}
	loose := 0
	for j := end; j > args; j-- {
		if !isDigit(line[j-1]) {
			continue
		}
		_, follow := t.tailOf(ev, line[:j])
		if follow <= 0 || follow > maxPayload || j+follow > len(line) {
			continue
		}
		at := j + follow
		if at < len(line) && !t.knownNameAt(line, at) {
			continue
		}
		if inside := t.knownNameAfter(line, j); inside < 0 || inside == at {
			return j, true
		}
		if loose == 0 {
			loose = j
		}
	}
	return loose, loose > 0
}

// tailOf asks the hooks' Tail about ev with its text cut to text.
func (t *Tokenizer) tailOf(ev *Event, text string) (inline, follow int) {
	t.asked = *ev
	t.asked.Text, t.asked.Args = text, argsAfterName(text)
	return t.hooks.Tail(&t.asked)
}

// knownNameAfter returns the index of the first known "+NAME:" in line at
// or after from, or -1.
func (t *Tokenizer) knownNameAfter(line string, from int) int {
	for i := from; i < len(line); i++ {
		k := strings.IndexByte(line[i:], line[0])
		if k < 0 {
			return -1
		}
		if i += k; t.knownNameAt(line, i) {
			return i
		}
	}
	return -1
}

// knownNameAt reports whether a "+NAME:" the hooks know starts at line[i].
func (t *Tokenizer) knownNameAt(line string, i int) bool {
	name, ok := prefixedName(line[i:])
	return ok && i+len(name) < len(line) && line[i+len(name)] == ':' && t.names.KnownURC(name)
}
