package decode

import "time"

// Time prefixes of serial tools differ in small ways: QCOM puts a colon
// before the milliseconds ("02:58:52:462"), Python logging a comma
// ("09:23:10,053"), most others a dot. These helpers accept all three.

// digits parses exactly n ASCII digits at the start of b.
func digits(b []byte, n int) (int, bool) {
	if len(b) < n {
		return 0, false
	}
	v := 0
	for _, c := range b[:n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// clock is a time of day.
type clock struct{ h, m, s, ns int }

// parseClock parses "HH:MM:SS" with an optional fraction after '.', ':' or
// ','; one-digit hours are accepted. It returns the bytes consumed.
func parseClock(b []byte) (clock, int, bool) {
	var c clock
	i := 2
	h, ok := digits(b, 2)
	if !ok {
		if h, ok = digits(b, 1); !ok {
			return c, 0, false
		}
		i = 1
	}
	if len(b) < i+6 || b[i] != ':' || b[i+3] != ':' {
		return c, 0, false
	}
	m, ok1 := digits(b[i+1:], 2)
	s, ok2 := digits(b[i+4:], 2)
	if !ok1 || !ok2 || h > 23 || m > 59 || s > 60 {
		return c, 0, false
	}
	c.h, c.m, c.s = h, m, s
	i += 6
	if i+1 < len(b) && (b[i] == '.' || b[i] == ':' || b[i] == ',') && isDigit(b[i+1]) {
		j, frac, scale := i+1, 0, 1_000_000_000
		for j < len(b) && isDigit(b[j]) && j-i <= 9 {
			scale /= 10
			frac += int(b[j]-'0') * scale
			j++
		}
		c.ns, i = frac, j
	}
	return c, i, true
}

// date is a calendar day.
type date struct{ y, m, d int }

// parseDate parses "YYYY-MM-DD" or "YYYY/MM/DD".
func parseDate(b []byte) (date, int, bool) {
	y, ok := digits(b, 4)
	if !ok || len(b) < 10 || (b[4] != '-' && b[4] != '/') || b[7] != b[4] {
		return date{}, 0, false
	}
	m, ok1 := digits(b[5:], 2)
	d, ok2 := digits(b[8:], 2)
	if !ok1 || !ok2 || m > 12 || d > 31 {
		return date{}, 0, false
	}
	return date{y, m, d}, 10, true
}

// parseDateTime parses a date, a 'T' or space, and a clock, with an optional
// "Z" or "+hh:mm" zone (the zone is kept as an offset).
func parseDateTime(b []byte) (time.Time, int, bool) {
	d, n, ok := parseDate(b)
	if !ok || len(b) <= n || (b[n] != ' ' && b[n] != 'T' && b[n] != '_') {
		return time.Time{}, 0, false
	}
	c, m, ok := parseClock(b[n+1:])
	if !ok {
		return time.Time{}, 0, false
	}
	n += 1 + m
	loc := time.UTC
	if n < len(b) && b[n] == 'Z' {
		n++
	} else if n+5 < len(b) && (b[n] == '+' || b[n] == '-') && b[n+3] == ':' {
		zh, ok1 := digits(b[n+1:], 2)
		zm, ok2 := digits(b[n+4:], 2)
		if ok1 && ok2 {
			off := zh*3600 + zm*60
			if b[n] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
			n += 6
		}
	}
	return time.Date(d.y, time.Month(d.m), d.d, c.h, c.m, c.s, c.ns, loc), n, true
}

// stampOf makes a Stamp of a time of day, on opt.Date when the user gave one.
func stampOf(c clock, opt Options) Stamp {
	y, m, d := 0, time.January, 1
	if !opt.Date.IsZero() {
		y, m, d = opt.Date.Date()
	}
	return Stamp{Time: time.Date(y, m, d, c.h, c.m, c.s, c.ns, time.UTC), HasDate: !opt.Date.IsZero()}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
