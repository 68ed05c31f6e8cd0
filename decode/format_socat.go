package decode

import (
	"bytes"
	"io"
	"time"
)

// socatFormat reads the traffic that socat prints on stderr with -v (text),
// -x (hex) or both, when it relays between a host-side address and the
// modem's tty:
//
//	socat -v -x PTY,link=/tmp/modem,raw,echo=0 /dev/ttyUSB2,raw,echo=0,b115200 2>capture.log
//
// Every block starts with a header; ">" is data from the first address to
// the second, "<" the other way:
//
//	> 2024/05/14 10:23:45.123456  length=10 from=0 to=9
//	AT+QMTDISC=0\r
//
// Which address is the modem is up to the command line. The reader assumes
// the usual order, host first, so ">" is host to module; Options
// SwapDirections flips it. In -v text CR is printed as \r (also \a \b \v \f
// and \\), LF as a line break, other unprintable bytes as '.', and no line
// end is added, so the next header may follow on the same line; the
// header's length says where the block ends. In -x each block is one line of
// hex; with -v -x, rows of 16 hex bytes (a row also ends after a 0a) with an
// ASCII column, and "--" ends the block.
var socatFormat = Format{
	Name:    "socat",
	Doc:     "socat -v / -x / -v -x dumps: > host to module, < module to host (assumes the host is socat's first address)",
	Example: "> 2024/05/14 10:23:45.123456  length=10 from=0 to=9",
	Sniff:   sniffSocat,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &socatParser{opt: opt})
	},
}

// socatHeader parses a block header that fills b (a line without its line
// end, or the rest of one). It returns the direction as socat prints it,
// before any swap, the time and the block's length.
func socatHeader(b []byte) (dir Dir, st Stamp, length int, ok bool) {
	b = bytes.TrimRight(b, " \r")
	if len(b) < 30 || b[1] != ' ' {
		return 0, Stamp{}, 0, false
	}
	switch b[0] {
	case '>':
		dir = DirToModule
	case '<':
		dir = DirFromModule
	default:
		return 0, Stamp{}, 0, false
	}
	if b[6] != '/' {
		return 0, Stamp{}, 0, false // socat writes YYYY/MM/DD
	}
	t, n, ok := parseDateTime(b[2:])
	if !ok {
		return 0, Stamp{}, 0, false
	}
	rest := bytes.TrimLeft(b[2+n:], " ")
	var from, to int
	for _, f := range []struct {
		key string
		v   *int
	}{{"length=", &length}, {"from=", &from}, {"to=", &to}} {
		if !startsWith(rest, f.key) {
			return 0, Stamp{}, 0, false
		}
		rest = rest[len(f.key):]
		k := 0
		for k < len(rest) && isDigit(rest[k]) && k < 12 {
			*f.v = *f.v*10 + int(rest[k]-'0')
			k++
		}
		if k == 0 {
			return 0, Stamp{}, 0, false
		}
		rest = bytes.TrimLeft(rest[k:], " ")
	}
	if len(rest) > 0 || length <= 0 {
		return 0, Stamp{}, 0, false
	}
	return dir, Stamp{Time: t, HasDate: true}, length, true
}

// socatHeaderIn finds a header that ends line: at its start, or glued to
// the end of -v text. It returns where the header starts.
func socatHeaderIn(line []byte) (int, bool) {
	if _, _, _, ok := socatHeader(line); ok {
		return 0, true
	}
	k := bytes.LastIndex(line, []byte(" length="))
	for i := k - 1; i > 0; i-- {
		if line[i] == '<' || line[i] == '>' {
			if _, _, _, ok := socatHeader(line[i:]); ok {
				return i, true
			}
		}
	}
	return 0, false
}

// sniffSocat looks for block headers, which no other tool writes.
func sniffSocat(head []byte) int {
	headers := 0
	captureHeadLines(head, func(line []byte) bool {
		if _, ok := socatHeaderIn(line); ok {
			headers++
		}
		return headers < 2
	})
	switch headers {
	case 0:
		return 0
	case 1:
		return 90
	}
	return 98
}

// socatHexRow parses " 41 54 0d" at the start of b: socat's hex groups. It
// returns the bytes appended to dst and whether what follows is nothing or
// the two spaces before an ASCII column.
func socatHexRow(dst, b []byte) ([]byte, bool) {
	n, i := 0, 0
	for i+2 < len(b) && b[i] == ' ' && isHex(b[i+1]) && isHex(b[i+2]) && (i+3 == len(b) || b[i+3] == ' ') {
		dst = append(dst, unhex(b[i+1])<<4|unhex(b[i+2]))
		i += 3
		n++
	}
	rest := b[i:]
	return dst, n > 0 && (len(rest) == 0 || startsWith(rest, "  "))
}

const (
	socatIdle  = iota // between blocks
	socatFresh        // after a header: the next line tells -v text from -x hex
	socatText         // reading -v text
	socatHex          // reading -x hex rows
)

type socatParser struct {
	opt Options
	// nanos is set once a header showed nine digits of nanoseconds, which
	// socat 1.7.4's microseconds in nine digits never start other than 000.
	nanos      bool
	mode       int
	dir        Dir
	st         Stamp
	left       int // bytes of the block not read yet
	length     int
	headerLine int  // for notes about the block
	last       Line // the line before, for a note at the end of input
}

func (p *socatParser) parse(l *Line, out *chunkQueue) {
	p.last = *l
	if l.Cont {
		if p.mode == socatText || p.mode == socatFresh {
			p.mode = socatText
			p.text(*l, 0, out)
		} else {
			out.add(l.Note(p.st))
		}
		return
	}
	text := l.Text()
	start := bomSkip(*l)
	switch p.mode {
	case socatFresh:
		if _, ok := socatHexRow(nil, text[start:]); ok {
			p.mode = socatHex
		} else {
			p.mode = socatText
			p.text(*l, start, out)
			return
		}
	case socatText:
		p.text(*l, start, out)
		return
	}
	p.line(*l, text, start, out)
}

// line handles a line outside -v text: a header, a hex row, "--", or a
// line that is not socat's.
func (p *socatParser) line(l Line, text []byte, start int, out *chunkQueue) {
	body := text[start:]
	if p.mode == socatHex {
		switch {
		case bytes.Equal(bytes.TrimSpace(body), []byte("--")):
			p.endBlock(l, out)
			p.mode = socatIdle
			return
		default:
			if data, ok := socatHexRow(nil, body); ok {
				out.add(decoded(l, start, data, p.dir, p.st))
				p.left -= len(data)
				return
			}
		}
		p.endBlock(l, out)
		p.mode = socatIdle
	}
	if blank(body) {
		return
	}
	i, ok := socatHeaderIn(body)
	if !ok {
		out.add(l.Note(Stamp{}))
		return
	}
	if i > 0 {
		c := verbatimPiece(l, start, start+i, DirUnknown, Stamp{})
		c.Note = true
		out.add(c)
	}
	p.header(l, body[i:])
}

// header starts a block.
func (p *socatParser) header(l Line, b []byte) {
	dir, st, length, _ := socatHeader(b)
	st.Time = p.micros(b, st.Time)
	p.dir, p.st, p.left, p.length = swapDir(dir, p.opt), st, length, length
	p.mode = socatFresh
	p.headerLine = l.Pos.Line
}

// endBlock notes, on the line that ends it, a hex block whose bytes do not
// add up to its length.
func (p *socatParser) endBlock(l Line, out *chunkQueue) {
	if p.left != 0 {
		out.add(noteAt(l, 0, p.st, "socat: the block of line %d has %d bytes, its header says length=%d", p.headerLine, p.length-p.left, p.length))
	}
	p.left = 0
}

// text reads -v text from byte from of l: as many bytes as the block has
// left, then a header glued to the end, or what else the line holds.
func (p *socatParser) text(l Line, from int, out *chunkQueue) {
	b := l.Bytes
	i, pieceStart := from, from
	var unescaped []byte
	verbatim := true
	flush := func() {
		if i > pieceStart {
			if verbatim {
				out.add(verbatimPiece(l, pieceStart, i, p.dir, p.st))
			} else {
				out.add(decoded(l, pieceStart, unescaped, p.dir, p.st))
			}
		}
		unescaped, verbatim, pieceStart = nil, true, i
	}
	for i < len(b) && p.left > 0 {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b) && socatEscape(b[i+1]) != 0:
			if verbatim {
				unescaped = append(unescaped, b[pieceStart:i]...)
				verbatim = false
			}
			unescaped = append(unescaped, socatEscape(b[i+1]))
			i += 2
			p.left--
			continue
		case c == '\r' && i+1 < len(b) && b[i+1] == '\n':
			// socat prints CR as \r: a raw one is a CR LF line end that an
			// editor or a Windows copy gave the file.
			if verbatim {
				unescaped = append(unescaped, b[pieceStart:i]...)
				verbatim = false
			}
			i++
			continue
		}
		if !verbatim {
			unescaped = append(unescaped, c)
		}
		i++
		p.left--
	}
	flush()
	if p.left > 0 {
		return
	}
	p.mode = socatIdle
	rest := bytes.TrimRight(b[i:], "\r\n")
	switch {
	case len(rest) == 0:
	case func() bool { _, _, _, ok := socatHeader(rest); return ok }():
		p.header(l, rest)
	default:
		c := l.Data(i, DirUnknown, Stamp{})
		c.Note = true
		out.add(c)
	}
}

// socatEscape is the byte of a -v escape "\x", or 0.
func socatEscape(c byte) byte {
	switch c {
	case 'r':
		return '\r'
	case 'a':
		return '\a'
	case 'b':
		return '\b'
	case 'v':
		return '\v'
	case 'f':
		return '\f'
	case '\\':
		return '\\'
	}
	return 0
}

func (p *socatParser) flush(out *chunkQueue) {
	if p.mode == socatHex {
		p.endBlock(p.last, out)
	}
}

// verbatimPiece is the chunk of bytes a to b of line l, copied.
func verbatimPiece(l Line, a, b int, dir Dir, st Stamp) Chunk {
	c := l.Data(a, dir, st)
	c.Data = c.Data[:b-a]
	return c
}

// socatFraction is where a header's fraction of a second starts:
// "> 2024/05/14 10:23:45." is 22 bytes.
const socatFraction = len("> 2024/05/14 10:23:45.")

// micros corrects t, the time of header b, for socat 1.7.4 (Debian 12),
// which prints microseconds zero-padded to nine digits: "01.000145634" is
// 01.145634. Nine digits that start with 000 are read so until a header
// shows true nanoseconds.
func (p *socatParser) micros(b []byte, t time.Time) time.Time {
	n := 0
	for socatFraction+n < len(b) && isDigit(b[socatFraction+n]) {
		n++
	}
	if n != 9 || p.nanos || b[socatFraction-1] != '.' {
		return t
	}
	if string(b[socatFraction:socatFraction+3]) != "000" {
		p.nanos = true
		return t
	}
	us := t.Nanosecond() // 000uuuuuu read as nanoseconds is the microseconds
	return t.Add(time.Duration(us)*time.Microsecond - time.Duration(us))
}
