package cli

import (
	"testing"
	"time"

	"atscope/decode"
)

// TestLastClockFollowsEveryChange checks that the kept time of the event
// before is what clockTime gives, through repeats and changes of the time
// and of its source.
func TestLastClockFollowsEveryChange(t *testing.T) {
	t0 := time.Date(2024, 5, 30, 8, 0, 14, 540e6, time.UTC)
	evs := []decode.Event{
		{Time: t0, TimeSrc: decode.TimeLog},
		{Time: t0, TimeSrc: decode.TimeLog},
		{Time: t0, TimeSrc: decode.TimeNone},
		{Time: t0.Add(time.Millisecond), TimeSrc: decode.TimeLog},
		{Time: time.Date(0, 1, 1, 8, 0, 14, 0, time.UTC), TimeSrc: decode.TimeLog},
		{},
	}
	var c lastClock
	for i := range evs {
		if got, want := c.of(&evs[i]), clockTime(&evs[i]); got != want {
			t.Errorf("event %d: %q, want %q", i, got, want)
		}
	}
}
