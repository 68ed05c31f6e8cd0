package decode

import (
	"bytes"
	"io"
)

// blocksFormat reads serial tools that write a header line with the time,
// the direction and the display mode above the bytes of each write and read:
//
//	[2024-01-02 10:11:12.345]# SEND ASCII>>>
//	AT+QMTOPEN=0,"broker.example.com",1883
//
//	[2024-01-02 10:11:12.401]# RECV ASCII/n <<<
//	OK
//
// The lines under a header, up to the next, carry its time and direction;
// in HEX mode they are rows of hex bytes. A line before the first header is
// not the tool's: a note.
var blocksFormat = Format{
	Name:    "blocks",
	Doc:     "serial tool logs with [2024-01-02 10:11:12.345]# SEND ASCII>>> / # RECV ASCII<<< (or HEX) headers above each write and read",
	Example: "[2024-01-02 10:11:12.345]# SEND ASCII>>>",
	Sniff: func(head []byte) int {
		n := 0
		eachHeadLine(head, func(line []byte) {
			if _, _, _, ok := blocksHeader(line); ok {
				n++
			}
		})
		return min(100, 40*n) // headers are few among the lines under them
	},
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return newLineReader(r, file, &blocksParser{})
	},
}

// blocksHeader parses "[date time]# SEND ASCII>>>" and its variants (RECV,
// HEX, "/n", "<<<", spaces) that fill line.
func blocksHeader(line []byte) (dir Dir, st Stamp, hex bool, ok bool) {
	line = bytes.TrimRight(line, " \t\r\n")
	if len(line) < 2 || line[0] != '[' {
		return 0, Stamp{}, false, false
	}
	t, n, ok := parseDateTime(line[1:])
	if !ok || 1+n+1 >= len(line) || line[1+n] != ']' {
		return 0, Stamp{}, false, false
	}
	rest := trimBlankLeft(line[n+2:])
	if len(rest) == 0 || rest[0] != '#' {
		return 0, Stamp{}, false, false
	}
	rest = trimBlankLeft(rest[1:])
	word := rest[:min(len(rest), 4)]
	switch {
	case bytes.EqualFold(word, []byte("SEND")):
		dir = DirToModule
	case bytes.EqualFold(word, []byte("RECV")):
		dir = DirFromModule
	default:
		return 0, Stamp{}, false, false
	}
	rest = trimBlankLeft(rest[len(word):])
	mode := rest[:min(len(rest), 5)]
	switch {
	case bytes.EqualFold(mode, []byte("ASCII")):
	case bytes.EqualFold(mode[:min(len(mode), 3)], []byte("HEX")):
		hex, mode = true, mode[:3]
	default:
		return 0, Stamp{}, false, false
	}
	// What follows is the tool's arrow and options: "/n <<<", ">>>", ">".
	tail := rest[len(mode):]
	for i := 0; i < len(tail); i++ {
		switch c := tail[i]; {
		case c == '<' || c == '>' || c == ' ':
		case c == '/' && i+1 < len(tail) && isLetter(tail[i+1]):
			i++
		default:
			return 0, Stamp{}, false, false
		}
	}
	return dir, Stamp{Time: t, HasDate: true}, hex, true
}

type blocksParser struct {
	dir     Dir
	st      Stamp
	hex     bool
	inBlock bool
	bytes   []byte
}

func (p *blocksParser) parse(l *Line, out *chunkQueue) {
	if !l.Cont {
		text := l.Text()
		if l.Pos.Offset == 0 {
			text = bytes.TrimPrefix(text, utf8BOM)
		}
		if dir, st, hex, ok := blocksHeader(text); ok {
			p.dir, p.st, p.hex, p.inBlock = dir, st, hex, true
			out.add(l.Note(st))
			return
		}
	}
	switch {
	case !p.inBlock:
		out.add(l.Note(Stamp{}))
	case p.hex:
		p.hexLine(*l, out)
	default:
		out.add(l.Data(0, p.dir, p.st))
	}
}

// hexLine reads a row of hex bytes ("41 54 0D 0A"); a blank line is the
// tool's space between blocks, and a line that is no hex a note.
func (p *blocksParser) hexLine(l Line, out *chunkQueue) {
	fields := bytes.Fields(l.Text())
	if len(fields) == 0 {
		out.add(l.Note(p.st))
		return
	}
	p.bytes = p.bytes[:0]
	for _, f := range fields {
		if len(f) != 2 || !isHex(f[0]) || !isHex(f[1]) {
			out.add(l.Note(p.st))
			return
		}
		p.bytes = append(p.bytes, unhex(f[0])<<4|unhex(f[1]))
	}
	out.add(decoded(l, 0, bytes.Clone(p.bytes), p.dir, p.st))
}

func (p *blocksParser) flush(*chunkQueue) {}
