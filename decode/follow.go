package decode

import (
	"bytes"
	"io"
	"time"
)

// settleAfter is how long a live source must stay quiet before the
// tokenizer gives up waiting for what could still belong to its latest
// event (the blanks after a line, the rest of a split echo) and hands the
// event on.
const settleAfter = 20 * time.Millisecond

// NewLiveTokenizer is NewTokenizer for a source that grows while it is
// read (a followed file, a tap): its reads block until more comes, and an
// event must not wait for the next one. When src has given nothing for
// settleAfter, the tokenizer hands on the event it holds and the ones
// before it. after is the timer (time.After), injected.
func NewLiveTokenizer(src ChunkReader, hooks Hooks, after func(time.Duration) <-chan time.Time) *Tokenizer {
	lr := &liveReader{chunks: make(chan Chunk, 64), after: after}
	t := NewTokenizer(lr, hooks)
	lr.settle = t.release
	go lr.pump(src)
	return t
}

// liveReader reads a ChunkReader in a goroutine of its own, so that the
// tokenizer can tell a quiet source from one that has more.
type liveReader struct {
	chunks chan Chunk
	err    error // src's, once chunks is closed
	after  func(time.Duration) <-chan time.Time
	settle func() // releases the tokenizer's held event
	quiet  int    // how far a quiet source has been dealt with
	cur    Chunk
}

// The steps of a quiet source (liveReader.quiet).
const (
	quietNot     = iota // chunks come
	quietStepped        // the tokenizer has made events of what it has
	quietSettled        // and handed on the one it held: wait
)

func (r *liveReader) pump(src ChunkReader) {
	for src.Next() {
		c := src.Chunk()
		c.Data = bytes.Clone(c.Data) // valid until src's next Next
		r.chunks <- c
	}
	r.err = src.Err()
	close(r.chunks)
}

// Next returns the next chunk. When none comes for settleAfter it
// returns an empty note, which ends the tokenizer's read-ahead (fill) so
// that it makes events of the bytes it has; at the call after, it settles
// the tokenizer (hands on the event it holds) and returns another, so
// that AppendEvents returns it. Then it waits as long as it takes.
func (r *liveReader) Next() bool {
	switch r.quiet {
	case quietStepped:
		r.settle()
		r.quiet = quietSettled
		return true
	case quietNot:
		select {
		case c, ok := <-r.chunks:
			r.cur = c
			return ok
		case <-r.after(settleAfter):
			r.cur, r.quiet = Chunk{Note: true}, quietStepped
			return true
		}
	}
	c, ok := <-r.chunks
	r.cur, r.quiet = c, quietNot
	return ok
}

func (r *liveReader) Chunk() Chunk { return r.cur }

// Err is src's error, once Next has returned false.
func (r *liveReader) Err() error { return r.err }

// OpenLive is Open for a live source: head is what it has given so far,
// rest the reader of what is to come. What Open looks at before it reads
// (gzip and UTF-16 marks, the sniffing of the format) sees head only,
// rather than wait for more. Formats read line by line hand on each line
// as it comes; the raw format, which fills a buffer before it hands
// anything on, is read a read at a time instead.
func OpenLive(head []byte, rest io.Reader, file, name string, opt Options) (ChunkReader, Format, error) {
	r := &openingReader{head: head, rest: rest, opening: len(head) > 0}
	cr, f, err := Open(r, file, name, opt)
	r.opening = false
	if rr, ok := cr.(*rawReader); ok {
		cr = &liveRawReader{rawReader: rr, src: rr.r, buf: make([]byte, len(rr.buf)), full: rr.buf}
	}
	return cr, f, err
}

// openingReader gives head, then rest. While Open looks at the start, it
// gives nothing more than head: bufio takes a run of empty reads as no
// progress, which its Peek reports with what it has and then forgets.
type openingReader struct {
	head    []byte
	rest    io.Reader
	opening bool
}

func (r *openingReader) Read(p []byte) (int, error) {
	switch {
	case len(r.head) > 0:
		n := copy(p, r.head)
		r.head = r.head[n:]
		return n, nil
	case r.opening:
		return 0, nil
	}
	return r.rest.Read(p)
}

// liveRawReader is a rawReader that hands on what each read gives, rather
// than wait for a full buffer (io.ReadFull) that a live source may take
// hours to fill: the rawReader reads each read's bytes, and only them.
type liveRawReader struct {
	*rawReader
	src  io.Reader
	buf  []byte // what one read of src gives
	full []byte // the rawReader's buffer
	err  error  // src's
}

func (lr *liveRawReader) Next() bool {
	rr := lr.rawReader
	if len(rr.rest) > 0 { // the rest of a read after a PuTTY banner
		return rr.Next()
	}
	for lr.err == nil {
		n, err := lr.src.Read(lr.buf)
		lr.err = err
		if n > 0 {
			rr.r, rr.buf = bytes.NewReader(lr.buf[:n]), lr.full[:n]
			return rr.Next()
		}
	}
	return false
}

func (lr *liveRawReader) Err() error {
	if lr.err == io.EOF {
		return nil
	}
	return lr.err
}
