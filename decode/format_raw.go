package decode

import (
	"bytes"
	"io"
)

// rawFormat is what a terminal program captures: the serial bytes as they
// came, with CRLF, LF or lone CR line ends, prompts without a line end,
// payload bytes and Ctrl-Z. It has no times or directions, so the tokenizer
// infers the direction of every line.
var rawFormat = Format{
	Name:    "raw",
	Doc:     "bytes as a terminal captured them (minicom, picocom, PuTTY, cat /dev/ttyUSB2); direction inferred",
	Example: `AT+CPIN?`,
	Sniff:   func([]byte) int { return 1 },
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return &rawReader{r: r, pos: Pos{File: file, Line: 1}, buf: make([]byte, 32<<10)}
	},
}

type rawReader struct {
	r       io.Reader
	buf     []byte
	pos     Pos
	cur     Chunk
	err     error
	started bool
	rest    []byte // bytes of the first read after a tool's banner line
}

// puttyBanner starts the header line PuTTY writes at the top of a session
// log; it is the tool's, not the module's.
var puttyBanner = []byte("=~=~=~=~=~=~=~=~=~=~=~= PuTTY log")

func (rr *rawReader) Next() bool {
	if len(rr.rest) > 0 {
		rr.emit(rr.rest, false)
		rr.rest = nil
		return true
	}
	for rr.err == nil {
		n, err := io.ReadFull(rr.r, rr.buf)
		if err != nil {
			rr.err = err
		}
		if n == 0 {
			continue
		}
		data := rr.buf[:n]
		if !rr.started {
			rr.started = true
			if nl := bytes.IndexByte(data, '\n'); nl >= 0 && bytes.HasPrefix(data, puttyBanner) {
				rr.rest = data[nl+1:]
				rr.emit(data[:nl+1], true)
				return true
			}
		}
		rr.emit(data, false)
		return true
	}
	return false
}

// emit makes the current chunk of data and advances the position.
func (rr *rawReader) emit(data []byte, note bool) {
	rr.cur = Chunk{Data: data, Pos: rr.pos, Verbatim: true, Note: note}
	rr.pos.Offset += int64(len(data))
	rr.pos.Line += bytes.Count(data, []byte{'\n'})
}

func (rr *rawReader) Chunk() Chunk { return rr.cur }

func (rr *rawReader) Err() error {
	if rr.err == io.EOF || rr.err == io.ErrUnexpectedEOF {
		return nil
	}
	return rr.err
}
