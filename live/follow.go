package live

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// Follower reads a file that another program writes to, like tail -F: at
// its end it waits for more rather than returning io.EOF. A file truncated
// under it is read again from its start; a file renamed away (log
// rotation) is read to its end, then the new file at the path from its
// start. Read returns io.EOF only once Stop is called.
type Follower struct {
	path string
	poll time.Duration
	wait func(time.Duration) <-chan time.Time // time.After, or a test's

	mu   sync.Mutex // guards f against Stop
	f    *os.File
	off  int64
	stop chan struct{}
	once sync.Once
}

// Follow opens the file at path to follow it; poll is how often it looks
// for more when at its end, wait is what waits (time.After).
func Follow(path string, poll time.Duration, wait func(time.Duration) <-chan time.Time) (*Follower, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, errors.New(path + ": is a directory")
	}
	return &Follower{path: path, poll: poll, wait: wait, f: f, stop: make(chan struct{})}, nil
}

// Read reads what the file has past what was read, waiting for more.
func (r *Follower) Read(p []byte) (int, error) {
	for {
		n, err := r.f.Read(p)
		r.off += int64(n)
		if n > 0 {
			return n, nil
		}
		if err != nil && err != io.EOF {
			return 0, err
		}
		if r.switched() {
			continue
		}
		select {
		case <-r.stop:
			return 0, io.EOF
		case <-r.wait(r.poll):
		}
	}
}

// switched looks, at the end of the file, for a truncation (read again
// from the start) or a new file at the path (read it from its start). A
// path that is gone for a moment, between a rename and a create, is waited
// for.
func (r *Follower) switched() bool {
	cur, err := r.f.Stat()
	if err != nil {
		return false
	}
	if cur.Size() < r.off {
		r.off = 0
		_, err := r.f.Seek(0, io.SeekStart)
		return err == nil
	}
	st, err := os.Stat(r.path)
	if err != nil || os.SameFile(st, cur) {
		return false
	}
	f, err := os.Open(r.path)
	if err != nil {
		return false
	}
	r.mu.Lock()
	r.f.Close()
	r.f, r.off = f, 0
	r.mu.Unlock()
	return true
}

// Stop ends the following: a Read waiting for more returns io.EOF, the
// bytes already in the file having been read. It may be called from any
// goroutine, more than once.
func (r *Follower) Stop() { r.once.Do(func() { close(r.stop) }) }

// Close closes the file; call it once reading is over.
func (r *Follower) Close() error {
	r.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
