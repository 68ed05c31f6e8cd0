package redact

import "strings"

// argSpan is one argument of a command or answer found in a text: the
// bounds of its value (quotes excluded) and the argument as written.
type argSpan struct {
	start, end int
	raw        string
	open       bool // a string the line end cut: its value is not whole
}

// scanCommands calls fn for every write command ("AT+NAME=...") and every
// answer ("+NAME: ...") in text, wherever it stands: after a time stamp,
// a direction mark, ANSI colour codes or indentation, on a line that ends
// in CR only or shows its CR LF as dots. This is how secrets are found in
// text that no format reader understood. args is scratch space for the
// argument lists, returned for the next call: a list allocated at each
// command made 40 % of redact's garbage.
func scanCommands(text string, args []argSpan, fn func(name string, answer bool, args []argSpan)) []argSpan {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '+' && c != '#' {
			continue
		}
		n := i + 1
		for n < len(text) && isNameByte(text[n]) {
			n++
		}
		if n == i+1 || n >= len(text) {
			continue
		}
		name := strings.ToUpper(text[i:n])
		command := i >= 2 && strings.EqualFold(text[i-2:i], "AT") && text[n] == '='
		answer := !command && text[n] == ':' && (i == 0 || !isWord(text[i-1]))
		if !command && !answer {
			continue
		}
		args = parseArgs(text, n+1, args[:0])
		if len(args) > 0 {
			fn(name, answer, args)
			i = args[len(args)-1].end - 1
		}
	}
	return args[:0]
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

const (
	openCurly  = "“"
	closeCurly = "”"
)

// parseArgs reads a comma-separated argument list from text[j:], up to
// the first byte that cannot continue it.
func parseArgs(text string, j int, out []argSpan) []argSpan {
	for {
		j = skipBlanks(text, j)
		from := j
		var a argSpan
		switch {
		case j < len(text) && text[j] == '"':
			end := closeQuote(text, j+1, `"`)
			a = argSpan{start: j + 1, end: end, open: closedBy(text, end, `"`) == ""}
			j = end + len(closedBy(text, end, `"`))
		case strings.HasPrefix(text[j:], openCurly):
			end := closeQuote(text, j+len(openCurly), closeCurly)
			a = argSpan{start: j + len(openCurly), end: end, open: closedBy(text, end, closeCurly) == ""}
			j = end + len(closedBy(text, end, closeCurly))
		default:
			k := j
			for k < len(text) && !endsBare(text, k) {
				k++
			}
			a = argSpan{start: j, end: k}
			j = k
		}
		a.raw = text[from:j]
		out = append(out, a)
		j = skipBlanks(text, j)
		if j >= len(text) || text[j] != ',' {
			return out
		}
		j++
	}
}

// closedBy is quote when text[end:] starts with it, "" for a string left open.
func closedBy(text string, end int, quote string) string {
	if strings.HasPrefix(text[end:], quote) {
		return quote
	}
	return ""
}

// closeQuote finds the quote that closes a string starting at j; a string
// left open ends at the line end.
func closeQuote(text string, j int, quote string) int {
	for k := j; k < len(text); k++ {
		switch {
		case text[k] == '\\' && k+1 < len(text) && text[k+1] != '\r' && text[k+1] != '\n':
			k++
		case strings.HasPrefix(text[k:], quote):
			return k
		case text[k] == '\r' || text[k] == '\n':
			return k
		}
	}
	return len(text)
}

// endsBare reports whether text[k] ends an unquoted argument: a comma, a
// blank, a line end (also one shown as ".."), a quote, an escape code.
func endsBare(text string, k int) bool {
	switch text[k] {
	case ',', ' ', '\t', '\r', '\n', '"', 0x1b:
		return true
	case '.':
		return k+1 < len(text) && text[k+1] == '.'
	}
	return false
}

// skipBlanks skips spaces, tabs and ANSI escape sequences (ESC [ ... final).
func skipBlanks(text string, j int) int {
	for j < len(text) {
		switch {
		case text[j] == ' ' || text[j] == '\t':
			j++
		case text[j] == 0x1b && j+1 < len(text) && text[j+1] == '[':
			k := j + 2
			for k < len(text) && (text[k] < 0x40 || text[k] > 0x7e) {
				k++
			}
			j = min(k+1, len(text))
		default:
			return j
		}
	}
	return j
}
