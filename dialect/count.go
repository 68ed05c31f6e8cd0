package dialect

import (
	"strconv"
	"strings"

	"atscope/decode"
)

// countFraming is the framing of a payload whose length a command declares
// as s: FrameCount of N bytes, or, when s is a number that is no byte count
// ("-1", "1e30", "99999999999999999999"), FrameCount with Bad, which the
// tokenizer notes on the command while it still reads the payload after
// the prompt (issue 14 point 9). ok is false when s is no number at all
// (absent, quoted, a word): the dialect decides what that means.
func countFraming(s string) (f decode.Framing, ok bool) {
	if n, isInt := atoi(s); isInt && n >= 0 && !isQuoted(s) {
		return decode.Framing{Kind: decode.FrameCount, N: n}, true
	}
	if t := strings.TrimSpace(s); looksNumeric(t) {
		return decode.Framing{Kind: decode.FrameCount, Bad: t}, true
	}
	return decode.Framing{}, false
}

// looksNumeric reports whether s is written as a number: an optional sign,
// then a digit or a point and a digit, and strconv reads it as one ("-1",
// "1e30", "99999999999999999999", "2.5"; not "NaN", "Inf" nor a word).
func looksNumeric(s string) bool {
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 {
		return false
	}
	t = strings.TrimPrefix(t, ".")
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || err.(*strconv.NumError).Err == strconv.ErrRange
}
