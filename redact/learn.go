package redact

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"atscope/decode"
)

// LearnEvent learns the secrets an event shows. Feed it every event of a
// log in order (a first pass over the log) before rewriting anything, so
// that a secret is known wherever it shows, even before its command.
func (r *Redactor) LearnEvent(ev *decode.Event) {
	if r == nil {
		return
	}
	r.seen.count(ev)
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		r.prompted = ""
		r.identity = ""
		if k, ok := identityKind(ev.Name); ok && ev.Form != decode.FormTest {
			r.identity = string(k)
			if k == "" {
				r.identity = "I"
			}
		}
		if ev.Form == decode.FormWrite {
			r.scratch.args = parseArgs(ev.Args, 0, r.scratch.args[:0])
			r.learnArgs(ev.Name, false, ev.Args, r.scratch.args)
		}
		r.prompted = promptedKind(ev.Name)
	case decode.KindData:
		if r.prompted != "" {
			r.Add(ev.Text, r.prompted)
			r.prompted = ""
		}
	case decode.KindResponse, decode.KindURC, decode.KindText:
		r.answer(ev)
	case decode.KindResult:
		r.identity = ""
	}
	// Whatever the tokenizer made of them, the bytes are read again for
	// commands and for numbers shaped like identities.
	r.learnText(string(ev.Raw))
}

// learnText learns from any text: the secret arguments of every command
// and read-back in it, and the numbers that are secrets by their shape.
func (r *Redactor) learnText(text string) {
	r.scratch.args = scanCommands(text, r.scratch.args, func(name string, answer bool, args []argSpan) {
		r.learnArgs(name, answer, text, args)
	})
	r.learnShapes(text)
}

// learnArgs learns the arguments that hold a secret by their role.
func (r *Redactor) learnArgs(name string, answer bool, text string, args []argSpan) {
	for i, ro := range r.argRoles(name, answer, args) {
		if ro.kind == "" || args[i].open {
			continue
		}
		v := strings.TrimSpace(text[args[i].start:args[i].end])
		if ro.url {
			r.Add(hostOfURL(v), Host)
			continue
		}
		k := ro.kind
		if k == User && isIMEI(v) {
			k = IMEI
		}
		if ph := r.Add(v, k); ph != "" && escaped(v) {
			if u := espUnescape(v); u != v {
				r.alias(u, v)
			}
		}
	}
}

// answer learns the identity numbers that answer AT+CGSN, AT+CIMI,
// AT+QCCID and the like, or that a line names (IMEI: ...).
func (r *Redactor) answer(ev *decode.Event) {
	if k, ok := identityKind(ev.Name); ok && k != "" {
		r.numbers(ev.Args, k)
		return
	}
	if r.identity != "" && ev.Kind != decode.KindURC {
		k := Kind(r.identity)
		if r.identity == "I" {
			k = IMEI // ATI lists the IMEI on some modules
		}
		r.numbers(ev.Text, k)
	}
	if k := identityWord(ev.Text); k != "" {
		r.numbers(ev.Text, k)
	}
}

// identityWord is the kind of number a line names by the word IMEI, ICCID
// or IMSI, in any case (the first of them in that order that it holds),
// "" for none. An ASCII line is read once, without an upper-case copy:
// every answer of a log is asked.
func identityWord(s string) Kind {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			u := strings.ToUpper(s) // "ı" is "I" in upper case
			for _, k := range []Kind{IMEI, ICCID, IMSI} {
				if strings.Contains(u, strings.ToUpper(string(k))) {
					return k
				}
			}
			return ""
		}
	}
	var found Kind
	for i := 0; i+4 <= len(s); i++ {
		if s[i]|0x20 != 'i' {
			continue
		}
		switch rest := s[i+1:]; {
		case lowerIs(rest, "mei"):
			return IMEI
		case lowerIs(rest, "ccid"):
			found = ICCID
		case lowerIs(rest, "msi") && found == "":
			found = IMSI
		}
	}
	return found
}

// lowerIs reports whether s starts with the lower-case letters word, in
// any case.
func lowerIs(s, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for i := 0; i < len(word); i++ {
		if s[i]|0x20 != word[i] {
			return false
		}
	}
	return true
}

// numbers learns the long digit runs of s (an ICCID may end in F).
func (r *Redactor) numbers(s string, k Kind) {
	forDigitRuns(s, k == ICCID, 14, func(run string) {
		if n := len(run); n >= 14 && n <= 22 {
			kind := k
			if k == IMEI && n != 15 {
				kind = ICCID // a long number after AT+CGSN is not an IMEI; still hide it
				if n < 17 {
					kind = IMEI
				}
			}
			r.Add(run, kind)
		}
	})
}

// forDigitRuns calls fn with each maximal run of digits in s of at least
// least bytes (those of times and counts are shorter than any identity
// number); with hexEnd a run may end in F or f (ICCIDs padded to even
// length).
func forDigitRuns(s string, hexEnd bool, least int, fn func(string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		digit := i < len(s) && (s[i] >= '0' && s[i] <= '9' || hexEnd && start >= 0 && (s[i] == 'F' || s[i] == 'f'))
		if digit && start < 0 {
			start = i
		}
		if !digit && start >= 0 {
			if i-start >= least {
				fn(s[start:i])
			}
			start = -1
		}
	}
}

// hostOfURL takes the host from "tcp://host:port" (or "host:port").
func hostOfURL(v string) string {
	h := v
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[:i], ":") {
		if _, err := strconv.Atoi(h[i+1:]); err == nil {
			h = h[:i]
		}
	}
	return h
}

func isQuoted(s string) bool {
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' ||
		strings.HasPrefix(s, openCurly) && strings.HasSuffix(s, closeCurly) && len(s) >= 2*len(openCurly)
}

// unquote strips one pair of quotes, ASCII or curly.
func unquote(s string) string {
	switch {
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		return s[1 : len(s)-1]
	case len(s) >= 2*len(openCurly) && strings.HasPrefix(s, openCurly) && strings.HasSuffix(s, closeCurly):
		return s[len(openCurly) : len(s)-len(closeCurly)]
	}
	return s
}

// espUnescape undoes ESP-AT's string escapes: \, \" \\.
func espUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// census counts what the learning pass recognised, to tell a log that was
// decoded from one that was not.
type census struct {
	exchange     int // commands, echoes, responses, results, URCs
	unrecognised int // lines of serial text the tokenizer did not recognise
}

func (c *census) count(ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho, decode.KindResponse, decode.KindResult, decode.KindURC:
		c.exchange++
	case decode.KindText:
		if !ev.Note {
			c.unrecognised++
		}
	}
}

// Undecoded says why the learning pass did not understand the log ("" when
// it did): no AT exchange, or more unrecognised lines than recognised
// ones. Secrets in commands that were not recognised may then be missed,
// so a copy is not to be trusted.
func (r *Redactor) Undecoded() string {
	if r == nil {
		return ""
	}
	switch c := r.seen; {
	case c.exchange == 0:
		return "no AT command or answer was recognised"
	case c.unrecognised > c.exchange:
		return fmt.Sprintf("%d lines were not recognised, against %d AT commands and answers", c.unrecognised, c.exchange)
	}
	return ""
}
