package timeline

import (
	"strings"
	"unicode/utf8"
)

// Visible escapes control characters (CR, LF, Ctrl-Z) so that text stays on
// one line, and leaves quotes and non-ASCII text as they are. Invalid UTF-8
// becomes U+FFFD. A tab in text shows as the spaces to the next tab stop,
// as an editor shows the log; in binary data (other control bytes, or
// bytes that are not UTF-8) it is a byte like the others: \x09.
func Visible(s string) string {
	if printableASCII(s) {
		return s // nearly every line of a log: nothing to escape, nothing to copy
	}
	b := make([]byte, 0, len(s))
	v := newVisibleText(s)
	for _, r := range s {
		b = v.append(b, r)
	}
	return string(b)
}

// VisibleBytes is Visible that escapes a byte that is not UTF-8 (binary
// payload) as \xNN too, so that the original byte shows rather than U+FFFD.
func VisibleBytes(s string) string {
	if printableASCII(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	v := newVisibleText(s)
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			b = appendHexEscape(b, s[i])
			v.col += len(`\xNN`)
			continue
		}
		b = v.append(b, r)
	}
	return string(b)
}

// printableASCII reports whether s is all ASCII from space to '~', which
// Visible and VisibleBytes show as it is.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// tabStop is the column width of a tab, as terminals and editors set it.
const tabStop = 8

// visibleText appends the runes of one string as Visible shows them,
// counting columns for the tab stops.
type visibleText struct {
	layoutTabs bool // the string is text: its tabs are layout, shown as spaces
	col        int  // runes appended so far
}

func newVisibleText(s string) visibleText { return visibleText{layoutTabs: isText(s)} }

func (v *visibleText) append(b []byte, r rune) []byte {
	if r == '\t' && v.layoutTabs {
		n := tabStop - v.col%tabStop
		v.col += n
		return append(b, "        "[:n]...)
	}
	start := len(b)
	b = appendVisible(b, r)
	v.col += utf8.RuneCount(b[start:])
	return b
}

// isText reports whether s is valid UTF-8 without control bytes but tab,
// CR and LF: a line or payload of text rather than binary data (an MQTT
// packet's length or packet id may be a 0x09 byte).
func isText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
			return false
		}
	}
	return utf8.ValidString(s)
}

// appendVisible appends r as Visible shows it, a tab as \x09.
func appendVisible(b []byte, r rune) []byte {
	switch {
	case r == '\r':
		return append(b, `\r`...)
	case r == '\n':
		return append(b, `\n`...)
	case r < 0x20 || r == 0x7f:
		return appendHexEscape(b, byte(r))
	}
	return utf8.AppendRune(b, r)
}

// appendHexEscape appends c as \xNN.
func appendHexEscape(b []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'x', hex[c>>4], hex[c&0xF])
}
