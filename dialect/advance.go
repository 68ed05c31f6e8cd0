package dialect

import (
	"time"

	"atscope/decode"
)

// ticker is a machine whose open ops time out (tracker.tick).
type ticker interface {
	tick(ev *decode.Event, emit func(*Op))
}

// Advance moves the log's clock to t without an event: the ops whose
// deadline has passed by t time out. A live source (a followed file, a
// tap) calls it when it has been quiet a while, so that an op whose
// result never comes ends when its deadline passes, not when the next line
// does. A decoder still choosing its dialect decides on the evidence so
// far, as at the end of a log, but keeps waiting when there is none.
func (d *Decoder) Advance(t time.Time, emit func(*Op)) {
	if d.machine == nil {
		best, _ := d.best()
		if best == nil {
			return
		}
		d.use(best)
		d.replay(emit)
	}
	d.out = emit
	if m, ok := d.machine.(ticker); ok {
		m.tick(&decode.Event{Kind: decode.KindText, Time: t, TimeSrc: decode.TimeLog}, d.emitFn)
	}
}
