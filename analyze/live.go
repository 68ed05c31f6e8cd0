package analyze

import (
	"bytes"
	"errors"
	"io"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// Live makes a run follow a source that grows while it is read (a file
// followed like tail -F, a pipe, a tap's capture): each event, and each op
// once decided, goes to the sinks as soon as it is read, not when the
// source ends. The clocks are injected: nothing below cli reads the time.
type Live struct {
	// Now is the wall clock (time.Now).
	Now func() time.Time
	// After is the timer (time.After): the tokenizer hands its latest event
	// on once the source has been quiet a moment.
	After func(time.Duration) <-chan time.Time
	// Tick fires now and then (a time.Ticker's channel). At every tick the
	// log's clock moves on by the wall-clock time since the latest logged
	// time was read, so that an op whose result does not come times out
	// when its deadline passes, and the ops and events held for log order
	// go out.
	Tick <-chan time.Time
	// MaxHold bounds how long an op decided waits behind an older one
	// still open, with Options.Ordered: past it, it goes out of order
	// rather than late.
	MaxHold time.Duration
}

// liveState is what a live run keeps to move the log's clock and to bound
// what the orderer holds.
type liveState struct {
	opt       *Live
	timed     bool
	lastLog   time.Time // the latest logged time
	lastWall  time.Time // when it was read
	held      int       // ops in the orderer
	heldSince time.Time // since when it holds ops without handing one on
}

// saw notes the time of an event just read.
func (s *liveState) saw(ev *decode.Event) {
	if s == nil || ev.TimeSrc != decode.TimeLog {
		return
	}
	if !s.timed || !ev.Time.Before(s.lastLog) {
		s.lastLog = ev.Time
	}
	s.timed, s.lastWall = true, s.opt.Now()
}

// clock is the log's time now: the latest logged time plus the wall-clock
// time since it was read; zero when the log has no times.
func (s *liveState) clock(now time.Time) time.Time {
	if !s.timed {
		return time.Time{}
	}
	return s.lastLog.Add(now.Sub(s.lastWall))
}

// order wraps an orderer's output and input to count what it holds.
func (s *liveState) order(out func(*dialect.Op), ord **timeline.Orderer) func(*dialect.Op) {
	if s == nil {
		*ord = timeline.NewOrderer(out)
		return (*ord).Add
	}
	*ord = timeline.NewOrderer(func(op *dialect.Op) {
		s.held--
		s.heldSince = s.opt.Now()
		out(op)
	})
	return func(op *dialect.Op) {
		if s.held == 0 {
			s.heldSince = s.opt.Now()
		}
		s.held++
		(*ord).Add(op)
	}
}

// onTick is what a live run does at every tick: move the log's clock on,
// then hand on what no op still to come precedes, and what the orderer has
// held too long.
func (l *Log) onTick(dec *dialect.Decoder, emit func(*dialect.Op), ord *timeline.Orderer, byClient *clientEvents) func() error {
	s := l.live
	return func() error {
		if dec == nil {
			return nil
		}
		now := s.opt.Now()
		dec.Advance(s.clock(now), emit)
		low := dec.Oldest()
		l.diag.Release(low)
		if ord != nil {
			ord.Release(low)
			if s.held > 0 && now.Sub(s.heldSince) > s.opt.MaxHold {
				ord.Flush()
			}
		}
		if byClient != nil {
			return byClient.release(low)
		}
		return nil
	}
}

// liveTokenizer is tokenizer for a live source: its start (its format)
// is judged from its first lines, since it has no end to wait for.
func liveTokenizer(r io.Reader, src *Source, opt Options, hooks decode.Hooks) (*decode.Tokenizer, decode.Format, error) {
	head, err := readHead(r)
	if err != nil {
		return nil, decode.Format{}, err
	}
	cr, format, err := decode.OpenLive(head, r, src.Name, opt.Format, opt.Decode)
	if err != nil {
		return nil, decode.Format{}, err
	}
	return decode.NewLiveTokenizer(cr, hooks, opt.Live.After), format, nil
}

// readHead reads the start of a live source up to a line end: what a
// reader gives at once, and more while no line has ended.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, 0, decode.SniffSize)
	for len(head) < cap(head) {
		n, err := r.Read(head[len(head):cap(head)])
		head = head[:len(head)+n]
		if bytes.IndexByte(head, '\n') >= 0 || errors.Is(err, io.EOF) {
			return head, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return head, nil
}
