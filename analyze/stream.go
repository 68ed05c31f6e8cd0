package analyze

import (
	"sync"
	"time"

	"atscope/decode"
)

// A log's tokenizer runs in a goroutine of its own and hands its events
// over in batches, so that reading and tokenizing (one core) overlap with
// what a command does with the events (the other): dialect, sessions,
// output. A batch is so many events or so many bytes of them, give or take
// one read-ahead of the tokenizer (a log of long lines has 64 KiB events);
// the batches in flight bound what the pipeline holds.
const (
	batchSize    = 256
	batchBytes   = 256 << 10
	batchesAhead = 4
)

// eventStream is the consuming end of a tokenizer's goroutine.
type eventStream struct {
	full, free chan []decode.Event
	stop, done chan struct{}
	stopOnce   sync.Once
	batch      []decode.Event
	i          int
	// live hands each read's events on at once rather than in batches
	// (a live source); tick, when set, calls onTick while Next waits.
	live   bool
	tick   <-chan time.Time
	onTick func() error
	err    error // onTick's, which ends the stream
}

func newEventStream(tok *decode.Tokenizer, live bool) *eventStream {
	s := &eventStream{live: live,
		full: make(chan []decode.Event, batchesAhead), free: make(chan []decode.Event, batchesAhead+1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	for range batchesAhead + 1 {
		s.free <- make([]decode.Event, 0, batchSize)
	}
	go s.run(tok)
	return s
}

// run tokenizes until the end of the log or until the consumer stops.
func (s *eventStream) run(tok *decode.Tokenizer) {
	defer close(s.done)
	defer close(s.full)
	b, size := <-s.free, 0
	for {
		n := len(b)
		if b = tok.AppendEvents(b); len(b) == n {
			break
		}
		for i := n; i < len(b); i++ {
			size += len(b[i].Raw) + len(b[i].Text)
		}
		if len(b) < batchSize && size < batchBytes && !s.live {
			continue
		}
		size = 0
		select {
		case s.full <- b:
		case <-s.stop:
			return
		}
		select {
		case b = <-s.free:
		case <-s.stop:
			return
		}
	}
	if len(b) > 0 {
		select {
		case s.full <- b:
		case <-s.stop:
		}
	}
}

// Next returns the next event, valid until the next call.
func (s *eventStream) Next() (*decode.Event, bool) {
	for s.i == len(s.batch) {
		if s.batch != nil {
			clear(s.batch)        // let the events' bytes go
			s.free <- s.batch[:0] // never blocks: free has room for every batch
		}
		b, ok := s.wait()
		if !ok {
			s.batch, s.i = nil, 0
			return nil, false
		}
		s.batch, s.i = b, 0
	}
	s.i++
	return &s.batch[s.i-1], true
}

// wait waits for the next batch, calling onTick at every tick meanwhile.
func (s *eventStream) wait() ([]decode.Event, bool) {
	for {
		select {
		case b, ok := <-s.full:
			return b, ok
		case <-s.tick:
			if s.err = s.onTick(); s.err != nil {
				return nil, false
			}
		}
	}
}

// Close stops the tokenizer if it still runs and waits for it: after
// Close, the tokenizer's Err and Stats are final.
func (s *eventStream) Close() {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
}
