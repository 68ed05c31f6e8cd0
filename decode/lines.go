package decode

import (
	"bufio"
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
func (l Line) Text() []byte { return bytes.TrimRight(l.Bytes, "\r\n") }

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
// is data, as serial tools write it.
type lineScanner struct {
	r    *bufio.Reader
	pos  Pos
	cont bool
	line Line
	err  error
}

func newLineScanner(r io.Reader, file string) *lineScanner {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < maxLine {
		br = bufio.NewReaderSize(r, maxLine)
	}
	return &lineScanner{r: br, pos: Pos{File: file, Line: 1}}
}

func (s *lineScanner) Scan() bool {
	if s.err != nil {
		return false
	}
	b, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		err = nil
	}
	if len(b) == 0 {
		if err != io.EOF {
			s.err = err
		} else {
			s.err = io.EOF
		}
		return false
	}
	s.line = Line{Bytes: b, Pos: s.pos, Cont: s.cont}
	s.pos.Offset += int64(len(b))
	s.cont = b[len(b)-1] != '\n'
	if !s.cont {
		s.pos.Line++
	}
	if err != nil && err != io.EOF {
		s.err = err
	}
	return true
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
	parse(l Line, emit func(Chunk))
	// flush emits what is held at the end of input.
	flush(emit func(Chunk))
}

// lineReader is the ChunkReader for every line-based format.
type lineReader struct {
	s       *lineScanner
	p       lineParser
	queue   []Chunk
	head    int // queue[head:] is still to be returned
	emitFn  func(Chunk)
	cur     Chunk
	flushed bool
}

func newLineReader(r io.Reader, file string, p lineParser) *lineReader {
	lr := &lineReader{s: newLineScanner(r, file), p: p}
	lr.emitFn = lr.emit // one method value, not one per line
	return lr
}

func (lr *lineReader) emit(c Chunk) {
	if len(c.Data) > 0 {
		lr.queue = append(lr.queue, c)
	}
}

func (lr *lineReader) Next() bool {
	for lr.head == len(lr.queue) {
		lr.queue, lr.head = lr.queue[:0], 0 // reuse the queue's array
		if lr.s.Scan() {
			lr.p.parse(lr.s.Line(), lr.emitFn)
			continue
		}
		if lr.flushed {
			return false
		}
		lr.flushed = true
		lr.p.flush(lr.emitFn)
	}
	lr.cur = lr.queue[lr.head]
	lr.head++
	return true
}

func (lr *lineReader) Chunk() Chunk { return lr.cur }
func (lr *lineReader) Err() error   { return lr.s.Err() }
