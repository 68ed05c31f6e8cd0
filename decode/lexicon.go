package decode

import (
	"strings"
	"unicode"
)

// The AT vocabulary that is the same for every vendor [ITU-T V.250, 3GPP TS
// 27.007]. Vendor words reach the tokenizer through Hooks.

// Classes of the bytes of command lines, asked about every byte of a name.
var (
	extended      = newByteSet("+#$%^*") // what starts an extended name or a prefixed line
	extendedOrAnd = newByteSet("+#$%^*&")
	basicLetters  = newByteSet("EIVQZXHDAOSLMPTeivqzxhdaoslmpt") // basic commands that isCommandText accepts
	nameEnds      = newByteSet("=?; \t")                         // what ends a command's name
)

// byteSet is a set of bytes that answers in one load, where
// strings.IndexByte over the members is a call.
type byteSet [256]bool

func newByteSet(members string) *byteSet {
	var s byteSet
	for i := range len(members) {
		s[members[i]] = true
	}
	return &s
}

func (s *byteSet) has(c byte) bool { return s[c] }

// isCommandText reports whether a line is an AT command line: "AT",
// "AT+X...", "AT#X...", or a short basic command such as "ATE0" or "ATI".
// Case does not matter: modules accept "at+qmtopen".
func isCommandText(s string) bool {
	if len(s) < 2 || (s[0] != 'A' && s[0] != 'a') || (s[1] != 'T' && s[1] != 't') {
		return false
	}
	if len(s) == 2 {
		return true
	}
	switch c := s[2]; {
	case extendedOrAnd.has(c):
		return len(s) > 3
	case basicLetters.has(c):
		// Basic commands are short and have no spaces: "ATE0", "ATS0=0",
		// "ATD*99#". This keeps "ATtiny boot" out.
		return len(s) <= 16 && !strings.ContainsAny(s, " \t")
	}
	return false
}

// ParseCommand splits a command line into its upper-case name ("+QMTOPEN",
// "E" for ATE0, "" for a bare AT), its form and the text after "=".
func ParseCommand(s string) (name string, form Form, args string) {
	if len(s) < 2 {
		return "", FormExec, ""
	}
	rest := s[2:]
	if rest == "" {
		return "", FormExec, ""
	}
	if !extended.has(rest[0]) {
		// Basic command: one letter, or '&' and a letter, then its value.
		n := 1
		if rest[0] == '&' && len(rest) > 1 {
			n = 2
		}
		name, args = upperName(rest[:n]), rest[n:]
		form = FormExec
		if args != "" {
			form = FormWrite
		}
		return name, form, args
	}
	n := 1
	for n < len(rest) && !nameEnds.has(rest[n]) {
		n++
	}
	name, rest = upperName(rest[:n]), rest[n:]
	switch {
	case strings.HasPrefix(rest, "=?"):
		return name, FormTest, ""
	case strings.HasPrefix(rest, "?"):
		return name, FormRead, ""
	case strings.HasPrefix(rest, "="):
		return name, FormWrite, rest[1:]
	}
	return name, FormExec, strings.TrimSpace(rest)
}

// prefixedName returns the upper-case name of a "+NAME: args" line (also
// "#XMQTTEVT: ...", "^MODE: ...", "+E_UTRAN Service", "+MQTTPUB:OK").
func prefixedName(s string) (string, bool) {
	if len(s) < 2 || !extended.has(s[0]) || !isLetter(s[1]) {
		return "", false
	}
	n := 2
	for n < len(s) && (isLetter(s[n]) || isDigit(s[n]) || s[n] == '_') {
		n++
	}
	if n < len(s) && s[n] != ':' && s[n] != ' ' {
		return "", false
	}
	return upperName(s[:n]), true
}

// argsAfterName returns what follows the first ':' of a line, or what
// follows its first word when it has no colon.
func argsAfterName(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return strings.TrimSpace(s[i+1:])
	}
	return ""
}

// bareURCs are vendor-neutral unsolicited lines without a prefix: boot and
// power messages [3GPP TS 27.007; module manuals' common boot sequence].
var bareURCs = map[string]bool{
	"RING": true, "RDY": true, "APP RDY": true, "SMS DONE": true, "PB DONE": true,
	"SMS Ready": true, "Call Ready": true, "NORMAL POWER DOWN": true, "POWERED DOWN": true,
	"UNDER-VOLTAGE POWER DOWN": true, "UNDER-VOLTAGE WARNNING": true, "OVER-VOLTAGE POWER DOWN": true,
	"OVER-VOLTAGE WARNNING": true, "CONNECT": true, "Ready": true,
}

func bareURC(s string) (string, bool) {
	if bareURCs[s] {
		return s, true
	}
	return "", false
}

// splitMerged finds where a line that holds two tokens should be cut, as
// when a log lost a line end: "OK +QMTDISC: 0,0", "+CPIN: READY OK",
// "AT+CPIN? +CPIN: READY". It returns 0 when the line is one token. Text in
// double quotes is never cut.
func splitMerged(s string) int {
	if cut := splitAfterResult(s); cut > 0 {
		return cut
	}
	command := isCommandText(s)
	if !endsWithResult(s) && !(command && hasBlank(s)) {
		return 0 // splitAtBlank cuts at a blank, before "OK" or a command's "+NAME:"
	}
	return splitAtBlank(s, command)
}

// splitAfterResult cuts after a leading "OK" or "ERROR" that another token
// follows.
func splitAfterResult(s string) int {
	if s == "" || s[0] != 'O' && s[0] != 'E' {
		return 0 // the usual line, which starts with neither
	}
	for _, w := range []string{"OK", "ERROR"} {
		if len(s) > len(w)+1 && s[:len(w)] == w && (s[len(w)] == ' ' || s[len(w)] == '\t') {
			next := strings.TrimLeft(s[len(w):], " \t")
			if next == "" {
				continue
			}
			if next[0] == '+' || isCommandText(next) || next == "OK" || next == "ERROR" {
				return len(w)
			}
		}
		// A lost CR LF glued the result to a URC: "OK+QMTPUB: 0,3,0".
		if len(s) > len(w)+2 && s[:len(w)] == w && s[len(w)] == '+' && gluedURCName(s[len(w):]) {
			return len(w)
		}
	}
	return 0
}

// gluedURCName reports whether s starts with "+NAME:", NAME upper-case
// letters and digits led by a letter.
func gluedURCName(s string) bool {
	i := 1
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || i > 1 && isDigit(s[i])) {
		i++
	}
	return i > 1 && i < len(s) && s[i] == ':'
}

// splitAtBlank cuts at an unquoted blank before a final "OK" or "ERROR",
// or, in a command, before a "+NAME:".
func splitAtBlank(s string, command bool) int {
	quoted := false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ' ', '\t':
			if quoted {
				continue
			}
			next := strings.TrimLeft(s[i:], " \t")
			if (next == "OK" || next == "ERROR") && strings.TrimSpace(s[:i]) != "" {
				return i
			}
			if command {
				if name, ok := prefixedName(next); ok && strings.HasPrefix(next[len(name):], ":") {
					return i
				}
			}
		}
	}
	return 0
}

// isPlain reports whether c is printable ASCII other than a space: a byte
// that trimLine keeps at either end of a line.
func isPlain(c byte) bool { return c > ' ' && c < 0x7f }

func endsWithResult(s string) bool {
	return strings.HasSuffix(s, "OK") || strings.HasSuffix(s, "ERROR")
}

func hasBlank(s string) bool {
	return strings.IndexByte(s, ' ') >= 0 || strings.IndexByte(s, '\t') >= 0
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// equalFoldASCII is strings.EqualFold, quick for the usual equal strings:
// an echo is the command as typed.
func equalFoldASCII(a, b string) bool { return a == b || strings.EqualFold(a, b) }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// trimLine trims blanks and NUL bytes around a line before it is
// classified: serial lines pick up NULs from noise or a reset, and a NUL
// must not hide the command after it. Raw keeps the bytes.
func trimLine(s string) string {
	if s != "" && isPlain(s[0]) && isPlain(s[len(s)-1]) && s[len(s)-1] != 'm' {
		return s // the usual line, which nothing trims
	}
	s = strings.TrimFunc(s, isBlankOrNUL)
	if strings.Contains(s, "\x1b[") {
		s = trimColour(s)
	}
	return s
}

// trimColour strips the ANSI control sequences that a coloured terminal or
// logger wrote around a line: any at its start ("\x1b[32m", "\x1b[K"), a
// colour one ("\x1b[0m") at its end, and the blanks they leave. An ESC that
// starts none stays: it cancels a payload.
func trimColour(s string) string {
	for {
		was := s
		s = s[csiLen(s):]
		if k := strings.LastIndex(s, "\x1b["); k >= 0 && csiLen(s[k:]) == len(s)-k && s[len(s)-1] == 'm' {
			s = s[:k]
		}
		if s = strings.TrimFunc(s, isBlankOrNUL); s == was {
			return s
		}
	}
}

// csiLen is the length of the ANSI control sequence [ECMA-48 §5.4] at the
// start of b (ESC '[', parameter bytes, a final byte), or 0.
func csiLen[T string | []byte](b T) int {
	if len(b) < 3 || b[0] != 0x1b || b[1] != '[' {
		return 0
	}
	for i := 2; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c < 0x20 || c > 0x3f:
			return 0
		}
	}
	return 0
}

func isBlankOrNUL(r rune) bool { return r == 0 || unicode.IsSpace(r) }
