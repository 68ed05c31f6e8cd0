package decode

import (
	"time"
)

// rollover carries time-of-day stamps over midnight: a log that stamps only
// the time of day shows 23:59:59.900 and then 00:00:00.100. When a time goes
// back by more than 12 hours within the same logged day, a day is added to
// it and to every later time.
type rollover struct {
	// shift stops growing at maxRollover: a log that jumps back and forth
	// a hundred thousand times must not overflow a Duration.
	raw      time.Time // the last time as logged
	adjusted time.Time // raw with shift added
	shift    time.Duration
	seen     bool
}

func (r *rollover) adjust(t time.Time) time.Time {
	if r.seen && t == r.raw {
		return r.adjusted // most chunks repeat the stamp before them
	}
	return r.change(t)
}

// change is adjust of a stamp other than the one before, apart so that
// adjust is inlined.
func (r *rollover) change(t time.Time) time.Time {
	if r.seen && t.Before(r.raw.Add(-12*time.Hour)) {
		y1, m1, d1 := t.Date()
		y0, m0, d0 := r.raw.Date()
		if y1 == y0 && m1 == m0 && d1 == d0 && r.shift < maxRollover {
			r.shift += 24 * time.Hour
		}
	}
	r.raw, r.adjusted, r.seen = t, t.Add(r.shift), true
	return r.adjusted
}

// maxRollover bounds the days a rollover adds: ten years of midnights.
const maxRollover = 10 * 366 * 24 * time.Hour
