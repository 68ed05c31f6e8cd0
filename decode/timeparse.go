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
	c, n, ok := parseHMS(b)
	if !ok {
		return c, 0, false
	}
	c.ns, n = parseFraction(b, n)
	return c, n, true
}

// parseHMS parses "HH:MM:SS" or "H:MM:SS", a clock to the second.
func parseHMS(b []byte) (clock, int, bool) {
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
	return c, i + 6, true
}

// parseFraction parses the fraction of a second that may follow a clock at
// b[i]: '.', ':' or ',' and up to nine digits (more are left unread). It
// returns the nanoseconds and where the fraction ends, i when there is none.
func parseFraction(b []byte, i int) (ns, end int) {
	if i+1 >= len(b) || (b[i] != '.' && b[i] != ':' && b[i] != ',') || !isDigit(b[i+1]) {
		return 0, i
	}
	frac := b[i+1 : min(len(b), i+10)] // nine digits at most
	n := 0
	for n < len(frac) && isDigit(frac[n]) {
		ns = ns*10 + int(frac[n]-'0')
		n++
	}
	return ns * fractionScale[n], i + 1 + n
}

// fractionScale[n] makes n digits of a fraction nanoseconds.
var fractionScale = [10]int{1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1}

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

// parseDateTime parses a date, a 'T', space or '_', and a clock, with an
// optional "Z" or "+hh:mm" zone (the zone is kept as an offset).
func parseDateTime(b []byte) (time.Time, int, bool) {
	unix, n, ok := parseDateTimeToSecond(b)
	if !ok {
		return time.Time{}, 0, false
	}
	t, n := completeDateTime(b, n, unix)
	return t, n, true
}

// parseDateTimeToSecond parses the start of a date-time up to its seconds,
// which many lines of a log share, and returns that time, read as UTC, in
// Unix seconds.
func parseDateTimeToSecond(b []byte) (int64, int, bool) {
	d, n, ok := parseDate(b)
	if !ok || len(b) <= n || (b[n] != ' ' && b[n] != 'T' && b[n] != '_') {
		return 0, 0, false
	}
	c, m, ok := parseHMS(b[n+1:])
	if !ok {
		return 0, 0, false
	}
	return time.Date(d.y, time.Month(d.m), d.d, c.h, c.m, c.s, 0, time.UTC).Unix(), n + 1 + m, true
}

// completeDateTime adds to unix, the time of b[:n] read as UTC, the fraction
// and the zone that may follow in b, and returns the time and where it ends.
// time.Unix makes the same Time as time.Date, without its calendar work.
func completeDateTime(b []byte, n int, unix int64) (time.Time, int) {
	ns, n := parseFraction(b, n)
	if n < len(b) && b[n] == 'Z' {
		return time.Unix(unix, int64(ns)).UTC(), n + 1
	}
	if off, ok := parseZoneOffset(b[n:]); ok {
		// In the zone the same clock is off seconds earlier than in UTC.
		return time.Unix(unix-int64(off), int64(ns)).In(time.FixedZone("", off)), n + len("+hh:mm")
	}
	return time.Unix(unix, int64(ns)).UTC(), n
}

// parseZoneOffset parses "+hh:mm" or "-hh:mm" into seconds east of UTC.
func parseZoneOffset(b []byte) (int, bool) {
	if len(b) < len("+hh:mm") || (b[0] != '+' && b[0] != '-') || b[3] != ':' {
		return 0, false
	}
	zh, ok1 := digits(b[1:], 2)
	zm, ok2 := digits(b[4:], 2)
	if !ok1 || !ok2 {
		return 0, false
	}
	off := zh*3600 + zm*60
	if b[0] == '-' {
		off = -off
	}
	return off, true
}

// stampOf makes a Stamp of a time of day, on opt.Date when the user gave one.
func stampOf(c clock, opt Options) Stamp {
	y, m, d := 0, time.January, 1
	if !opt.Date.IsZero() {
		y, m, d = opt.Date.Date()
	}
	return Stamp{Time: time.Date(y, m, d, c.h, c.m, c.s, c.ns, time.UTC), HasDate: !opt.Date.IsZero()}
}

// timeParser parses the stamps of one log as parseDateTime and parseClock
// with stampOf do. Many lines of a log repeat the stamp of the line before,
// and more repeat its second, so it keeps the last stamp, whole and up to
// its seconds, with its time: a line that repeats the whole stamp needs no
// parse, one that repeats the second only that of the fraction and zone.
type timeParser struct {
	opt             Options // gives times of day their date
	dateTimes       stampCache
	dateTimeSeconds secondCache
	clocks          stampCache
	clockSeconds    secondCache
}

// dateTime is parseDateTime.
func (p *timeParser) dateTime(b []byte) (time.Time, int, bool) {
	if t, n, ok := p.dateTimes.lookup(b); ok {
		return t, n, true
	}
	unix, n, ok := p.dateTimeSeconds.lookup(b)
	if !ok {
		if unix, n, ok = parseDateTimeToSecond(b); !ok {
			return time.Time{}, 0, false
		}
		p.dateTimeSeconds.keep(b[:n], unix)
	}
	t, n := completeDateTime(b, n, unix)
	p.dateTimes.keep(b, n, t)
	return t, n, true
}

// clock is parseClock made a Stamp by stampOf.
func (p *timeParser) clock(b []byte) (Stamp, int, bool) {
	hasDate := !p.opt.Date.IsZero()
	if t, n, ok := p.clocks.lookup(b); ok {
		return Stamp{Time: t, HasDate: hasDate}, n, true
	}
	unix, n, ok := p.clockSeconds.lookup(b)
	if !ok {
		var c clock
		if c, n, ok = parseHMS(b); !ok {
			return Stamp{}, 0, false
		}
		unix = stampOf(c, p.opt).Time.Unix()
		p.clockSeconds.keep(b[:n], unix)
	}
	ns, n := parseFraction(b, n)
	t := time.Unix(unix, int64(ns)).UTC()
	p.clocks.keep(b, n, t)
	return Stamp{Time: t, HasDate: hasDate}, n, true
}

// stampCache holds a whole stamp and the byte after it, with the stamp's
// time. That byte must end the stamp (see endsStamp): then the parse read
// no byte past it, and did not stop for want of bytes, so any text that
// starts with the same bytes parses to the same time and length.
type stampCache struct {
	text [len("2006-01-02T15:04:05.999999999+07:00") + 1]byte
	n    int // len of the stamp, one less than the text held; 0 when empty
	t    time.Time
}

// lookup returns the time and length of the held stamp if b starts with it
// and the byte after it.
func (c *stampCache) lookup(b []byte) (time.Time, int, bool) {
	if c.n == 0 || len(b) <= c.n || string(b[:c.n+1]) != string(c.text[:c.n+1]) {
		return time.Time{}, 0, false
	}
	return c.t, c.n, true
}

// keep holds the stamp b[:n] and its time t if b[n] ends it; otherwise what
// is held stays, as true as before.
func (c *stampCache) keep(b []byte, n int, t time.Time) {
	if n == 0 || n >= len(b) || n >= len(c.text) || !endsStamp(b[n]) {
		return
	}
	c.n = copy(c.text[:], b[:n+1]) - 1
	c.t = t
}

// endsStamp reports whether c, right after a parsed stamp, cannot be read as
// more of it: a digit of a fraction, the mark before one, or a zone.
func endsStamp(c byte) bool {
	return !isDigit(c) && c != '.' && c != ':' && c != ',' && c != 'Z' && c != '+' && c != '-'
}

// secondCache holds the text of a stamp up to its seconds and its time, read
// as UTC, in Unix seconds. The parse of that text reads no byte after it, so
// any text that starts with the same bytes has the same time to the second.
type secondCache struct {
	text [len("2006-01-02 15:04:05")]byte
	n    int // len of the text held; 0 when empty
	unix int64
}

// lookup returns the time and length of the held text if b starts with it.
func (c *secondCache) lookup(b []byte) (int64, int, bool) {
	if c.n == 0 || len(b) < c.n || string(b[:c.n]) != string(c.text[:c.n]) {
		return 0, 0, false
	}
	return c.unix, c.n, true
}

// keep holds text and its time, replacing what was held.
func (c *secondCache) keep(text []byte, unix int64) {
	if len(text) > len(c.text) {
		c.n = 0 // not a stamp this cache is made for; never a partial key
		return
	}
	c.n = copy(c.text[:], text)
	c.unix = unix
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
