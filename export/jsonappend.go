package export

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The records are written by hand rather than by encoding/json, whose
// reflection cost more than all the rest of `atscope events --json`. The
// appenders below write exactly what json.Encoder with SetEscapeHTML(false)
// writes (the fuzz tests in jsonappend_test.go hold them to it).

// appendKey starts a member that follows another: `,"key":`. Keys are
// plain ASCII and need no escaping.
func appendKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendStringField(b []byte, key, v string) []byte {
	return appendJSONString(appendKey(b, key), v)
}

func appendIntField[I int | int64](b []byte, key string, v I) []byte {
	return strconv.AppendInt(appendKey(b, key), int64(v), 10)
}

func appendBoolField(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(appendKey(b, key), v)
}

// The omit… appenders leave out a member that `json:",omitempty"` omits.

func omitEmptyString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendStringField(b, key, v)
}

func omitZeroInt(b []byte, key string, v int) []byte {
	if v == 0 {
		return b
	}
	return appendIntField(b, key, v)
}

func omitFalse(b []byte, key string, v bool) []byte {
	if !v {
		return b
	}
	return appendBoolField(b, key, v)
}

func omitNilInt(b []byte, key string, v *int) []byte {
	if v == nil {
		return b
	}
	return appendIntField(b, key, *v)
}

func omitNilString(b []byte, key string, v *string) []byte {
	if v == nil {
		return b
	}
	return appendStringField(b, key, *v)
}

func omitNilFloat(b []byte, key string, v *float64) []byte {
	if v == nil {
		return b
	}
	return appendFloat(appendKey(b, key), *v)
}

func omitEmptyStrings(b []byte, key string, v []string) []byte {
	if len(v) == 0 {
		return b
	}
	b = append(appendKey(b, key), '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func omitEmptyInts(b []byte, key string, v []int) []byte {
	if len(v) == 0 {
		return b
	}
	return appendIntsField(b, key, v)
}

// appendIntsField writes a nil slice as null, as encoding/json does.
func appendIntsField(b []byte, key string, v []int) []byte {
	b = appendKey(b, key)
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, n := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return append(b, ']')
}

// appendFloat writes f as encoding/json does: like ES6, in plain decimals
// from 1e-6 to 1e21, with a short exponent outside. f must be finite
// (encoding/json refuses NaN and infinities; a latency is never one).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 → e-7
		b = b[:n-1]
	}
	return b
}

// jsonPlain marks the ASCII bytes a JSON string holds as they are: not
// control characters, quotes or backslashes.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string the way encoding/json does
// without HTML escaping: control characters as \n, \r, \t, \b, \f or
// \u00XX, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped for
// JavaScript.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is plain and not yet written
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = appendEscapedASCII(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscapedASCII writes an ASCII byte that a JSON string cannot hold
// as it is.
func appendEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
