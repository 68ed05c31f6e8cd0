package redact

import (
	"strings"
	"unicode/utf8"
)

// learnShapes learns the numbers that are secrets by their shape, in any
// text whether or not it was decoded: 15-digit IMEIs that pass the Luhn
// check (also inside topics and client IDs), ICCIDs (89 and 17 or 18 more
// digits, an F allowed at the end), and the IMSI that answers a typed
// AT+CIMI within the next few events.
func (r *Redactor) learnShapes(text string) {
	if r.imsiDue > 0 {
		r.imsiDue--
	}
	if rest, ok := afterIMSICommand(text); ok {
		r.imsiDue = 4
		r.imsiAfter(rest)
	} else if r.imsiDue > 0 {
		r.imsiAfter(text)
	}
	forDigitRuns(text, true, 15, func(run string) {
		switch digits := strings.TrimRight(run, "Ff"); {
		case len(run) == 15 && digits == run && luhn(run):
			r.Add(run, IMEI)
		case strings.HasPrefix(run, "89") && len(digits) >= 19 && len(digits) <= 20:
			r.Add(run, ICCID)
		}
	})
}

// afterIMSICommand finds a typed command that answers with the IMSI
// (not its test or read form) in text and returns the text after it.
func afterIMSICommand(text string) (string, bool) {
	for _, cmd := range imsiCommands {
		i := indexFold(text, cmd)
		if end := i + len(cmd); i >= 0 && (end == len(text) || text[end] != '=' && text[end] != '?') {
			return text[end:], true
		}
	}
	return "", false
}

// imsiAfter learns the first 14- or 15-digit number of text as an IMSI.
func (r *Redactor) imsiAfter(text string) {
	forDigitRuns(text, false, 14, func(run string) {
		if r.imsiDue > 0 && (len(run) == 14 || len(run) == 15) {
			r.Add(run, IMSI)
			r.imsiDue = 0
		}
	})
}

// luhn reports whether the digits of s pass the Luhn check, as an IMEI's
// last digit makes them do [3GPP TS 23.003 §6.2.1].
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// indexFold is strings.Index ignoring letter case. Where sub holds an
// ASCII byte that is no letter ("+" in "AT+CIMI"), which only itself
// matches, only the places of that byte are compared; otherwise those of
// sub's first byte in either case, unless it has a fold outside ASCII (K:
// the Kelvin sign, S: the long s) or is not ASCII.
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	if a := anchorByte(sub); a >= 0 {
		for from := 0; ; {
			j := strings.IndexByte(s[from:], sub[a])
			if j < 0 {
				return -1
			}
			i := from + j - a
			if i+len(sub) > len(s) {
				return -1
			}
			if i >= 0 && strings.EqualFold(s[i:i+len(sub)], sub) {
				return i
			}
			from += j + 1
		}
	}
	lower, upper := sub[0], sub[0]
	if c := sub[0] | 0x20; c >= 'a' && c <= 'z' {
		lower, upper = c, c&^0x20
	}
	quick := sub[0] < utf8.RuneSelf && lower != 'k' && lower != 's'
	for i := 0; i+len(sub) <= len(s); i++ {
		if quick && s[i] != lower && s[i] != upper {
			continue
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// anchorByte is the index of the first ASCII byte of sub that is no
// letter, -1 if none.
func anchorByte(sub string) int {
	for i := 0; i < len(sub); i++ {
		if c := sub[i] | 0x20; sub[i] < utf8.RuneSelf && (c < 'a' || c > 'z') {
			return i
		}
	}
	return -1
}
