package decode

import (
	"testing"
	"time"
)

// The timeParser reuses the time of the last stamp's second. These tests
// hold it to the plain parse, kept below as it was before the reuse: every
// stamp of a sequence, parsed after the ones before it, must give what the
// plain parse gives, to the nanosecond and the zone, and must be rejected
// where the plain parse rejects it.

// refParseClock is parseClock as it was written before timeParser.
func refParseClock(b []byte) (clock, int, bool) {
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

// refParseDateTime is parseDateTime as it was written before timeParser.
func refParseDateTime(b []byte) (time.Time, int, bool) {
	d, n, ok := parseDate(b)
	if !ok || len(b) <= n || (b[n] != ' ' && b[n] != 'T' && b[n] != '_') {
		return time.Time{}, 0, false
	}
	c, m, ok := refParseClock(b[n+1:])
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

// sameTime compares instants, zone offsets and zone names; time.Time's ==
// would also compare the pointers of equal fixed zones.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && (a.Location() == time.UTC) == (b.Location() == time.UTC)
}

// checkTimeParser parses each stamp in turn with one timeParser, as the
// lines of a log, and compares each result with the plain parse.
func checkTimeParser(t *testing.T, opt Options, stamps ...string) {
	t.Helper()
	p := timeParser{opt: opt}
	for i, s := range stamps {
		b := []byte(s)
		want, wantN, wantOK := refParseDateTime(b)
		got, n, ok := p.dateTime(b)
		if ok != wantOK || n != wantN || ok && !sameTime(got, want) {
			t.Errorf("after %q: dateTime(%q) = %v, %d, %v; plain parse %v, %d, %v",
				stamps[:i], s, got, n, ok, want, wantN, wantOK)
		}
		c, wantN, wantOK := refParseClock(b)
		st, n, ok := p.clock(b)
		if ok != wantOK || n != wantN || ok && (!sameTime(st.Time, stampOf(c, opt).Time) || st.HasDate != !opt.Date.IsZero()) {
			t.Errorf("after %q: clock(%q) = %v, %d, %v; plain parse %v, %d, %v",
				stamps[:i], s, st.Time, n, ok, stampOf(c, opt).Time, wantN, wantOK)
		}
	}
}

func TestTimeParserReuseMatchesPlainParse(t *testing.T) {
	day := Options{Date: time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		name   string
		stamps []string
	}{
		{"same second", []string{"2024-05-30 08:00:00:000_S:]", "2024-05-30 08:00:00:108_R:]", "2024-05-30 08:00:00:108_R:]"}},
		{"second change", []string{"2024-05-30 08:00:00.999", "2024-05-30 08:00:01.000", "2024-05-30 08:00:01"}},
		{"minute and hour change", []string{"2024-05-30 08:59:59.999", "2024-05-30 09:00:00.001", "2024-05-30 09:01:00.001"}},
		{"midnight", []string{"2024-05-30 23:59:59.999", "2024-05-31 00:00:00.000", "2024-05-31 00:00:00.5"}},
		{"month and year change", []string{"2024-12-31 23:59:59.999", "2025-01-01 00:00:00.000", "2025-01-31 23:59:59,1", "2025-02-01 00:00:00,1"}},
		{"only the date differs", []string{"2024-05-30 08:00:00.1", "2024-05-31 08:00:00.1", "2023-05-31 08:00:00.1", "3023-05-31 08:00:00.1", "2024/05/31 08:00:00.1"}},
		{"only the separator differs", []string{"2024-05-30 08:00:00", "2024-05-30T08:00:00", "2024-05-30_08:00:00", "2024-05-30x08:00:00"}},
		{"bad digits", []string{"2024-05-30 08:00:00.1", "2024-05-30 08:00:0x.1", "2024-05-3x 08:00:00.1", "2024-05-30 08:0x:00", "2024-05-30 08:00:00.x", "x024-05-30 08:00:00.1", "2024-05-30 08:00:0x.1"}},
		{"short lines", []string{"2024-05-30 08:00:00.1", "2024-05-30 08:00:00", "2024-05-30 08:00:0", "2024-05-30 08", "2024", "", "2024-05-30 08:00:00."}},
		{"one-digit hour", []string{"2024-05-30 8:00:00.5", "2024-05-30 8:00:001", "2024-05-30 18:00:00", "2024-05-30 8:00:00"}},
		{"out of range", []string{"2024-05-30 23:59:60.5", "2024-05-30 24:00:00", "2024-05-30 08:60:00", "2024-13-01 00:00:00", "2024-02-30 12:00:00", "2024-00-00 00:00:00"}},
		{"fractions", []string{"2024-05-30 08:00:00.1234567891", "2024-05-30 08:00:00.123456789", "2024-05-30 08:00:00,5", "2024-05-30 08:00:00:5", "2024-05-30 08:00:00;5"}},
		{"zones", []string{"2024-05-30T08:00:00.1Z", "2024-05-30T08:00:00.1+08:00", "2024-05-30T08:00:00-03:30 AT", "2024-05-30T08:00:00+08:0", "2024-05-30T08:00:00+00:00", "2024-05-30T08:00:00.2"}},
		{"unset module clock", []string{"0000/01/01 00:13:43.600: AT", "0000/01/01 00:13:43.700: AT", "0000/01/01 00:13:44.000: AT"}},
		{"times of day", []string{"14:17:35.895", "14:17:35.901", "14:17:36", "9:05:01.002", "9:05:01", "19:05:01", "24:00:00", "14:17:3x", "14:17", "14:17:35", "24:17:35", "x4:17:35", "04:17:35", "14:17:35"}},
		{"whole stamp repeats", []string{"2024-05-30 08:00:00.1 AT", "2024-05-30 08:00:00.1 OK", "2024-05-30 08:00:00.12 OK", "2024-05-30 08:00:00.1", "2024-05-30 08:00:00.1 ", "2024-05-30 08:00:00.1+08:00 x", "2024-05-30 08:00:00.1Z", "2024-05-30 08:00:00.1_S", "2024-05-30 08:00:00.1_"}},
		{"zone cut short", []string{"2024-05-30T08:00:00+08", "2024-05-30T08:00:00+08:00 AT", "2024-05-30T08:00:00 ", "2024-05-30T08:00:00+", "2024-05-30T08:00:00+08:00", "2024-05-30T08:00:00-08:00]", "2024-05-30T08:00:00-08:00]"}},
		{"nine digits", []string{"2024-05-30 08:00:00.123456789 ", "2024-05-30 08:00:00.1234567891 ", "2024-05-30 08:00:00.123456789+01:00 ", "2024-05-30 08:00:00.123456789 ", "2024-05-30 08:00:00.123456789Z "}},
		{"time of day repeats", []string{"14:17:35.895]", "14:17:35.895]", "14:17:35.8951]", "14:17:35.895 ->", "14:17:35.895", "14:17:35.895:1]", "14:17:35]", "14:17:35.1]"}},
		{"stamps of both kinds", []string{"14:17:35.895", "2024-05-30 14:17:35.895", "14:17:35.900", "2024-05-30 14:17:35.9"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkTimeParser(t, Options{}, tt.stamps...)
			checkTimeParser(t, day, tt.stamps...)
		})
	}
}

func FuzzTimeParser(f *testing.F) {
	f.Add("2024-05-30 08:00:00:000_S:] AT", "2024-05-30 08:00:00:108_R:] OK", false)
	f.Add("2024-05-30 23:59:59.999", "2024-05-31 00:00:00.000", false)
	f.Add("2024-05-30T08:00:00.1+08:00", "2024-05-30T08:00:00.1-03:30", false)
	f.Add("9:05:01.002", "9:05:011", true)
	f.Fuzz(func(t *testing.T, a, b string, withDate bool) {
		opt := Options{}
		if withDate {
			opt.Date = time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC)
		}
		checkTimeParser(t, opt, a, b, a, b)
	})
}

// TestRolloverBounded checks that a log whose time of day jumps back over
// and over never overflows the shift: times stay after the logged ones and
// within ten years of them.
func TestRolloverBounded(t *testing.T) {
	var r rollover
	late := time.Date(0, 1, 1, 23, 0, 0, 0, time.UTC)
	early := time.Date(0, 1, 1, 1, 0, 0, 0, time.UTC)
	for i := range 250000 {
		raw := late
		if i%2 == 1 {
			raw = early
		}
		got := r.adjust(raw)
		if got.Before(raw) || got.Sub(raw) > maxRollover+24*time.Hour {
			t.Fatalf("jump %d: %s for %s", i, got, raw)
		}
	}
}
