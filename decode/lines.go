package decode

import (
	"bytes"
	"io"
)

// maxLine bounds how much of one source line is held in memory; a longer
// line is delivered in pieces, each a Line with Cont set after the first.
const maxLine = 64 << 10

// Line is one line of a text log, with its line end. Its bytes are valid
// until the next line is read.
type Line struct {
	Bytes []byte // the line including its "\n" or "\r\n" (none on the last line)
	Pos   Pos
	Cont  bool // a continuation piece of an over-long line
}

// Text is the line without its line end.
func (l Line) Text() []byte {
	b := l.Bytes
	for len(b) > 0 && isCROrLF(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// Data is the chunk of serial bytes from byte start of the line to its end,
// line end included; it copies the bytes so the chunk outlives the line.
func (l Line) Data(start int, dir Dir, st Stamp) Chunk {
	c := l.View(start, dir, st)
	c.Data = bytes.Clone(c.Data)
	return c
}

// View is Data without the copy, for a parser that emits the chunk at once:
// a lineReader hands it on before it reads the next line.
func (l Line) View(start int, dir Dir, st Stamp) Chunk {
	start = min(max(start, 0), len(l.Bytes))
	return Chunk{
		Data:     l.Bytes[start:],
		Pos:      Pos{File: l.Pos.File, Line: l.Pos.Line, Offset: l.Pos.Offset + int64(start)},
		Verbatim: true,
		Dir:      dir,
		Time:     st.Time,
		TimeSrc:  st.source(),
	}
}

// Note is the whole line as a text note, attributed to the line.
func (l Line) Note(st Stamp) Chunk {
	c := l.Data(0, DirUnknown, st)
	c.Note = true
	return c
}

func (s Stamp) source() TimeSource {
	if s.Time.IsZero() {
		return TimeNone
	}
	return TimeLog
}

// lineScanner splits a reader into Lines. Only "\n" ends a line; a lone "\r"
// is data, as serial tools write it. Only an input whose first maxLine bytes
// hold a "\r" and no "\n" (a terminal that ends lines with CR alone) is
// split at "\r". A line is a slice of its buffer.
type lineScanner struct {
	r          io.Reader
	buf        []byte // maxLine bytes: a longer line comes in pieces
	head, tail int    // buf[head:tail] is read and not yet returned
	pos        Pos
	cont       bool
	line       Line
	err        error // the reader's, io.EOF at its end
	end        byte  // the byte that ends lines, once decided: '\n' or '\r'
}

func newLineScanner(r io.Reader, file string) *lineScanner {
	return &lineScanner{r: r, buf: make([]byte, maxLine), pos: Pos{File: file, Line: 1}}
}

func (s *lineScanner) Scan() bool {
	b := s.nextLine()
	if len(b) == 0 {
		return false
	}
	s.line.Bytes, s.line.Pos, s.line.Cont = b, s.pos, s.cont
	s.pos.Offset += int64(len(b))
	s.cont = b[len(b)-1] != s.end
	if !s.cont {
		s.pos.Line++
	}
	return true
}

// nextLine returns the next line with its "\n", a piece of a line that
// fills the buffer, or the bytes before the end of input or a read error;
// nothing when none are left.
func (s *lineScanner) nextLine() []byte {
	for s.end == 0 {
		s.decideEnd()
	}
	for {
		if i := bytes.IndexByte(s.buf[s.head:s.tail], s.end); i >= 0 {
			return s.take(i + 1)
		}
		if s.tail-s.head == len(s.buf) || s.err != nil {
			return s.take(s.tail - s.head)
		}
		s.fill()
	}
}

// decideEnd reads until the bytes show which byte ends lines: a "\n" says
// "\n"; a full buffer or the end of input without one says "\r" if it holds
// one.
func (s *lineScanner) decideEnd() {
	b := s.buf[s.head:s.tail]
	switch {
	case bytes.IndexByte(b, '\n') >= 0:
		s.end = '\n'
	case s.tail-s.head == len(s.buf) || s.err != nil:
		s.end = '\n'
		if bytes.IndexByte(b, '\r') >= 0 {
			s.end = '\r'
		}
	default:
		s.fill()
	}
}

func (s *lineScanner) take(n int) []byte {
	b := s.buf[s.head : s.head+n]
	s.head += n
	return b
}

// maxEmptyReads is how many reads in a row may return nothing before the
// reader is taken to be broken, as in bufio.
const maxEmptyReads = 100

// fill moves the bytes not yet returned to the front of the buffer and
// reads more after them.
func (s *lineScanner) fill() {
	s.tail = copy(s.buf, s.buf[s.head:s.tail])
	s.head = 0
	for range maxEmptyReads {
		n, err := s.r.Read(s.buf[s.tail:])
		s.tail += n
		if err != nil {
			s.err = err
		}
		if n > 0 || err != nil {
			return
		}
	}
	s.err = io.ErrNoProgress
}

func (s *lineScanner) Line() Line { return s.line }

func (s *lineScanner) Err() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// A lineParser turns each line of a text log into zero or more chunks. It
// keeps whatever state its format needs between lines (the direction of an
// SSCOM block, the time of a socat header).
type lineParser interface {
	parse(l *Line, out *chunkQueue)
	// flush adds what is held at the end of input.
	flush(out *chunkQueue)
}

// chunkQueue holds the chunks a lineParser made of a line until the
// lineReader hands them out. A concrete type, not a callback, so that adding
// a chunk is an inlined append.
type chunkQueue struct {
	chunks []Chunk
	head   int // chunks[head:] are still to be handed out
}

// add queues c; a chunk without bytes has nothing to hand out.
func (q *chunkQueue) add(c Chunk) {
	if len(c.Data) > 0 {
		q.chunks = append(q.chunks, c)
	}
}

func (q *chunkQueue) empty() bool { return q.head == len(q.chunks) }

// reset empties q, keeping its array.
func (q *chunkQueue) reset() { q.chunks, q.head = q.chunks[:0], 0 }

// lineReader is the ChunkReader for every line-based format.
type lineReader struct {
	s       *lineScanner
	p       lineParser
	q       chunkQueue
	cur     *Chunk // in q; nil before the first chunk
	flushed bool
}

func newLineReader(r io.Reader, file string, p lineParser) *lineReader {
	return &lineReader{s: newLineScanner(r, file), p: p}
}

func (lr *lineReader) Next() bool {
	for lr.q.empty() {
		lr.q.reset()
		if lr.s.Scan() {
			lr.p.parse(&lr.s.line, &lr.q)
			continue
		}
		if lr.flushed {
			return false
		}
		lr.flushed = true
		lr.p.flush(&lr.q)
	}
	lr.cur = &lr.q.chunks[lr.q.head]
	lr.q.head++
	return true
}

func (lr *lineReader) Chunk() Chunk {
	if lr.cur == nil {
		return Chunk{}
	}
	return *lr.cur
}

func (lr *lineReader) Err() error { return lr.s.Err() }
