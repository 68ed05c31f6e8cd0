package analyze

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync/atomic"
)

// StdinName is the name standard input goes by in positions and output.
const StdinName = "<stdin>"

// Source is one log to analyze: a file named on the command line, or
// standard input. A run may read it more than once (to learn secrets
// first, to quote the lines of findings last): a regular file is read
// again from where it started; anything else (standard input, a pipe, a
// FIFO) is copied to a temporary file as it is first read, so memory does
// not grow with the log and the second read never waits on a writer.
type Source struct {
	Name string

	r        io.Reader
	file     *os.File // the opened file or standard input, when it is one
	owned    bool     // file was opened here, and is closed by Close
	seekable bool     // file is regular: read again from start
	start    int64
	spool    *os.File // what was read of an unseekable source, when kept
	passes   int
	drained  bool // the spool holds the whole source
	read     atomic.Int64
}

// Size is how many bytes the source holds (as stored: a .gz compressed),
// or -1 when that is not known before it is read (standard input).
func (s *Source) Size() int64 {
	if !s.seekable {
		return -1
	}
	st, err := s.file.Stat()
	if err != nil {
		return -1
	}
	return st.Size() - s.start
}

// BytesRead is how much of the source the read under way has read (each
// read of it counts from 0), for a progress bar; safe from any goroutine.
func (s *Source) BytesRead() int64 { return s.read.Load() }

// counted counts what is read through r in s.read.
type counted struct {
	r io.Reader
	n *atomic.Int64
}

func (c counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Open opens the log at path. A directory is refused at once, in plain
// words: reading one fails later, with an error that names the system
// call ("read adir: is a directory").
func Open(path string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	s := FromReader(path, f)
	s.owned = true
	return s, nil
}

// FromReader is a source read from r (standard input), named name. When
// r is a regular file (standard input redirected from one) it is read
// again by seeking; otherwise a second read comes from a copy.
func FromReader(name string, r io.Reader) *Source {
	s := &Source{Name: name, r: r}
	if f, ok := r.(*os.File); ok {
		s.file = f
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
				s.seekable, s.start = true, pos
			}
		}
	}
	return s
}

// Close releases the source: the file it opened and its copy.
func (s *Source) Close() error {
	var err error
	if s.spool != nil {
		err = errors.Join(s.spool.Close(), os.Remove(s.spool.Name()))
		s.spool = nil
	}
	if s.owned {
		err = errors.Join(err, s.file.Close())
	}
	return err
}

// keep makes the source readable again: an unseekable source is copied
// as it is read. It must come before the first read.
func (s *Source) keep() error {
	if s.seekable || s.spool != nil {
		return nil
	}
	if s.passes > 0 {
		return fmt.Errorf("%s: already read, cannot be kept", s.Name)
	}
	tmp, err := os.CreateTemp("", "atscope-input-*.log")
	if err != nil {
		return fmt.Errorf("%s: a copy to read it twice: %w", s.Name, err)
	}
	s.spool = tmp
	return nil
}

// pass returns a reader of the whole source for one more read of it.
func (s *Source) pass() (io.Reader, error) {
	r, err := s.rewind()
	s.read.Store(0)
	return counted{r, &s.read}, err
}

func (s *Source) rewind() (io.Reader, error) {
	s.passes++
	switch {
	case s.passes == 1 && s.spool != nil:
		return io.TeeReader(s.r, s.spool), nil
	case s.passes == 1:
		return s.r, nil
	case s.seekable:
		if _, err := s.file.Seek(s.start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		return s.file, nil
	case s.spool == nil:
		return nil, fmt.Errorf("%s: cannot be read twice", s.Name)
	}
	if !s.drained {
		// The read before may have stopped early (an error, a sink that
		// quit): the rest of the source still belongs to the copy.
		if _, err := s.spool.Seek(0, io.SeekEnd); err != nil {
			return nil, err
		}
		if _, err := io.Copy(s.spool, s.r); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		s.drained = true
	}
	if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return s.spool, nil
}

// Reread returns a reader of the source from its start, for a command
// that reads the raw bytes after a run (redact's copy). The source must
// have been kept (Options.Redactor or Options.Quotes) unless it is a
// regular file.
func (s *Source) Reread() (io.Reader, error) { return s.pass() }

// RereadAt is Reread for random access, for a command that reads the
// source twice side by side (redact decodes it and copies its bytes at
// once): the regular file from where the log starts, or the kept copy.
func (s *Source) RereadAt() (io.ReaderAt, error) {
	if _, err := s.pass(); err != nil {
		return nil, err
	}
	if s.seekable {
		return io.NewSectionReader(s.file, s.start, math.MaxInt64-s.start), nil
	}
	return s.spool, nil
}
