package dialect

import (
	"slices"
	"strconv"
	"strings"
)

// splitArgs splits AT arguments at commas outside double quotes, keeping the
// quotes. With n > 0 it returns at most n fields, the last holding the rest
// untouched: payloads often contain unescaped quotes and commas
// ("{"a":1,"b":2}"), so a payload argument must be taken whole.
func splitArgs(s string, n int) []string {
	if s == "" {
		return nil
	}
	return appendArgs(make([]string, 0, countArgs(s, n)), s, n)
}

// appendArgs appends the fields splitArgs(s, n) returns to dst. Callers on
// the hot path pass a stack array (var buf [argsOnStack]string) so that
// splitting allocates nothing.
func appendArgs(dst []string, s string, n int) []string {
	if s == "" {
		return dst
	}
	start, fields := 0, 0
	for i := 0; i < len(s) && (n <= 0 || fields < n-1); i++ {
		switch s[i] {
		case '"':
			// A quoted run holds no field's end: jump to the quote that
			// closes it (a vector search, where a topic is most of the
			// bytes), or to the end when none does.
			q := strings.IndexByte(s[i+1:], '"')
			if q < 0 {
				return append(dst, trimSpace(s[start:]))
			}
			i += q + 1
		case ',':
			dst = append(dst, trimSpace(s[start:i]))
			start = i + 1
			fields++
		}
	}
	// The last field is the rest, whatever commas it holds: a payload is
	// not looked into.
	return append(dst, trimSpace(s[start:]))
}

// argsOnStack is the size of the arrays hot callers split arguments into:
// enough for every common command and URC; more fields spill to the heap.
const argsOnStack = 8

// countArgs is how many fields splitArgs(s, n) returns, so that it
// allocates once.
func countArgs(s string, n int) int {
	count, quoted := 1, false
	for i := 0; i < len(s) && (n <= 0 || count < n); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				count++
			}
		}
	}
	return count
}

// isQuoted reports whether an argument is in double quotes.
func isQuoted(s string) bool { return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' }

// unquote strips one pair of surrounding double quotes.
func unquote(s string) string {
	if isQuoted(s) {
		return s[1 : len(s)-1]
	}
	return s
}

// atoi parses an integer argument (quoted or not); ok is false when it is
// not one.
func atoi(s string) (int, bool) {
	if n, ok := digits(s); ok {
		return n, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(unquote(s)))
	return n, err == nil
}

// digits parses the common argument, 1 to 18 decimal digits and nothing
// else, as strconv.Atoi would, without its generality; ok is false for
// anything else.
func digits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// trimSpace is strings.TrimSpace, answering at once for the common field
// that starts and ends with a printable ASCII byte.
func trimSpace(s string) string {
	if n := len(s); n > 0 && isPrintableASCII(s[0]) && isPrintableASCII(s[n-1]) {
		return s
	}
	return strings.TrimSpace(s)
}

// isPrintableASCII reports whether b is an ASCII byte that is neither a
// space nor a control character.
func isPrintableASCII(b byte) bool { return ' ' < b && b < 0x7f }

// intArg returns field i of args as an integer, or def.
func intArg(args []string, i, def int) int {
	if i < len(args) {
		if n, ok := atoi(args[i]); ok {
			return n
		}
	}
	return def
}

// strArg returns field i of args unquoted, or "".
func strArg(args []string, i int) string {
	if i < len(args) {
		return unquote(args[i])
	}
	return ""
}

// ints parses every field as an integer; ok is false if one is not.
func ints(args []string) ([]int, bool) {
	out := make([]int, len(args))
	for i, a := range args {
		n, ok := atoi(a)
		if !ok {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// lastIntArg parses the last comma-separated field of s.
func lastIntArg(s string) (int, bool) { return atoi(lastArg(s)) }

// lastArg is what follows the last comma of an argument list.
func lastArg(s string) string { return s[strings.LastIndexByte(s, ',')+1:] }

// sortedKeys returns a map's integer keys in order, so that output never
// depends on map iteration.
func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lowestKey is the smallest key of m, or -1.
func lowestKey[V any](m map[int]V) int {
	if keys := sortedKeys(m); len(keys) > 0 {
		return keys[0]
	}
	return -1
}

// strArgRaw returns field i of args as logged, or "".
func strArgRaw(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// from returns args[i:], or nothing when there are fewer fields.
func from(args []string, i int) []string { return args[min(i, len(args)):] }

// SplitEscaped splits ESP-AT arguments at commas, honouring the backslash
// escapes of strings (\" \, \\) [§3.2, AT+MQTTPUB].
func SplitEscaped(s string) []string { return appendEscaped(nil, s) }

// appendEscaped appends the fields SplitEscaped(s) returns to dst.
func appendEscaped(dst []string, s string) []string {
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				dst = append(dst, trimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(dst, trimSpace(s[min(start, len(s)):]))
}

// hasLower reports whether s holds an ASCII lower-case letter.
func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return true
		}
	}
	return false
}
