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
	Example: `AT+QMTOPEN=0,"broker.example.com",1883`,
	Sniff:   func([]byte) int { return 1 },
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return &rawReader{r: r, pos: Pos{File: file, Line: 1}, buf: make([]byte, 32<<10)}
	},
}

type rawReader struct {
	r   io.Reader
	buf []byte
	pos Pos
	cur Chunk
	err error
}

func (rr *rawReader) Next() bool {
	for rr.err == nil {
		n, err := rr.r.Read(rr.buf)
		if err != nil {
			rr.err = err
		}
		if n == 0 {
			continue
		}
		data := rr.buf[:n]
		rr.cur = Chunk{Data: data, Pos: rr.pos, Verbatim: true}
		rr.pos.Offset += int64(n)
		rr.pos.Line += bytes.Count(data, []byte{'\n'})
		return true
	}
	return false
}

func (rr *rawReader) Chunk() Chunk { return rr.cur }

func (rr *rawReader) Err() error {
	if rr.err == io.EOF {
		return nil
	}
	return rr.err
}
