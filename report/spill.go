package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// spillAt is how many bytes of records a spill keeps in memory before
// it moves them to a temporary file: a short log's timeline never touches
// the disk, a long one's costs this much per client.
var spillAt = 64 << 10 // a variable for the tests

// spill is a sequence of records written once and read back in order:
// in memory while short, in a temporary file (removed by discard) past
// spillAt bytes. A record is a list of numbers and strings.
type spill struct {
	mem  bytes.Buffer
	file *os.File
	w    *bufio.Writer
	rec  []byte
	err  error // the first write error; later writes do nothing
}

// record is one op of a timeline as the text report writes it: whether it
// failed or timed out, its lines (for the findings that rest on them), the
// line that says how its connection showed up (or ""), and what its line
// shows of it (appendLineOp), rendered only if it is shown.
type record struct {
	failed bool
	lines  []int
	up     string
	op     []byte
}

// put appends r.
func (s *spill) put(r record) {
	if s.err != nil {
		return
	}
	b := s.rec[:0]
	flag := uint64(0)
	if r.failed {
		flag = 1
	}
	b = binary.AppendUvarint(b, flag)
	b = binary.AppendUvarint(b, uint64(len(r.lines)))
	for _, l := range r.lines {
		b = binary.AppendUvarint(b, uint64(max(l, 0)))
	}
	b = binary.AppendUvarint(b, uint64(len(r.up)))
	b = append(b, r.up...)
	b = binary.AppendUvarint(b, uint64(len(r.op)))
	b = append(b, r.op...)
	s.rec = b
	if s.w == nil && s.mem.Len()+len(b) > spillAt {
		s.err = s.toFile()
	}
	if s.w != nil {
		_, err := s.w.Write(b)
		s.err = err
		return
	}
	s.mem.Write(b)
}

// toFile moves the records to a temporary file.
func (s *spill) toFile() error {
	f, err := os.CreateTemp("", "atscope-report-*")
	if err != nil {
		return fmt.Errorf("spilling the timeline: %w", err)
	}
	s.file, s.w = f, bufio.NewWriterSize(f, 64<<10)
	_, err = s.w.Write(s.mem.Bytes())
	s.mem = bytes.Buffer{}
	return err
}

// each reads the records back in order, each valid during the call.
func (s *spill) each(fn func(record) error) error {
	if s.err != nil {
		return s.err
	}
	var r *bufio.Reader
	if s.w == nil {
		r = bufio.NewReader(bytes.NewReader(s.mem.Bytes()))
	} else {
		if err := s.w.Flush(); err != nil {
			return err
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		r = bufio.NewReaderSize(s.file, 64<<10)
	}
	var rec record
	for {
		err := readRecord(r, &rec)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the spilled timeline back: %w", err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// readRecord reads the next record into rec, reusing its list of lines.
func readRecord(r *bufio.Reader, rec *record) error {
	flag, err := binary.ReadUvarint(r)
	if err != nil {
		return err // io.EOF between records: the end
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return unexpected(err)
	}
	rec.failed, rec.lines = flag == 1, rec.lines[:0]
	for range n {
		l, err := binary.ReadUvarint(r)
		if err != nil {
			return unexpected(err)
		}
		rec.lines = append(rec.lines, int(l))
	}
	up, err := readBytes(r)
	if err != nil {
		return err
	}
	rec.up = string(up)
	rec.op, err = readBytes(r)
	return err
}

// readBytes reads a length and as many bytes, into a new slice.
func readBytes(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, unexpected(err)
	}
	if n > uint64(r.Size())+1<<20 {
		return nil, fmt.Errorf("a spilled record of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, unexpected(err)
	}
	return b, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// discard removes the temporary file, if any.
func (s *spill) discard() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file, s.w = nil, nil
	}
}
