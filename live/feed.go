package live

import (
	"bytes"
	"io"
	"sync"
)

// feedDepth is how many writes a Feed holds before Write waits for the
// reader: far more than a tap's analysis falls behind.
const feedDepth = 4096

// Feed hands what is written to it to a reader in another goroutine, as
// a pipe does, but without making the writer wait for each read: a tap
// records into it and the analysis reads from it at its own pace.
type Feed struct {
	ch    chan []byte
	rest  []byte
	close sync.Once
}

// NewFeed returns an empty feed.
func NewFeed() *Feed { return &Feed{ch: make(chan []byte, feedDepth)} }

// Write queues a copy of p. It must not be called after Close.
func (f *Feed) Write(p []byte) (int, error) {
	f.ch <- bytes.Clone(p)
	return len(p), nil
}

// Read reads what was written, waiting for it; io.EOF once Close was
// called and everything was read.
func (f *Feed) Read(p []byte) (int, error) {
	for len(f.rest) == 0 {
		b, ok := <-f.ch
		if !ok {
			return 0, io.EOF
		}
		f.rest = b
	}
	n := copy(p, f.rest)
	f.rest = f.rest[n:]
	return n, nil
}

// Close ends the feed: the reader gets io.EOF after the rest.
func (f *Feed) Close() error {
	f.close.Do(func() { close(f.ch) })
	return nil
}
