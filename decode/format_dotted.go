package decode

import (
	"bytes"
	"io"
)

// dottedFormat reads the logs of host scripts that log each serial write and
// read with Python's logging in the style "#[time] ", printing CR and LF as
// '.' (the usual "printable or '.'" rendering):
//
//	#[10:11:12] AT+QMTOPEN=0,"broker.example.com",1883..
//	#[10:11:12] ..OK..
//	# waiting for the broker
//	#[10:11:13] ..+QMTOPEN: 0,0..
//
// The dots at either end of a record are its line ends, a pair each ("\r\n");
// an odd one left over is a real '.'. Dots inside the text are kept: they are
// as likely a decimal point. A record adds no line end of its own, so a read
// that stops mid-line runs on into the next record. A '#' line without a
// time is the script's comment, a note: "#WAIT for it" is no "#WAIT" URC.
var dottedFormat = Format{
	Name:    "dotted",
	Doc:     "script logs with #[14:17:35] before each read/write and CR/LF printed as '.' (AT+CPIN?.. then ..OK..); # comments are notes",
	Example: `#[10:11:12] AT+CPIN?..`,
	Sniff: func(head []byte) int {
		return sniffByLines(head, func(line []byte) bool {
			_, _, ok := dottedPrefix(line, &timeParser{})
			return ok
		})
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &dottedParser{times: timeParser{opt: opt}})
	},
}

// dottedPrefix parses "#[hh:mm:ss] " (also with a fraction or a date) at the
// start of line and returns where the record starts.
func dottedPrefix(line []byte, times *timeParser) (Stamp, int, bool) {
	if len(line) < 2 || line[0] != '#' || line[1] != '[' {
		return Stamp{}, 0, false
	}
	st, n, ok := times.timePrefix(line[1:])
	return st, 1 + n, ok
}

type dottedParser struct {
	times timeParser
	st    Stamp
	dir   Dir
	out   []byte // the record's bytes, dots made line ends
}

func (p *dottedParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		out.add(l.Data(0, p.dir, p.st)) // the rest of an over-long record
		return
	}
	text := l.Text()
	skip := 0
	if l.Pos.Offset == 0 && bytes.HasPrefix(text, utf8BOM) {
		skip = len(utf8BOM)
	}
	st, start, ok := dottedPrefix(text[skip:], &p.times)
	if !ok {
		out.add(l.Note(Stamp{})) // a comment, a blank, a line of another logger
		return
	}
	start += skip
	p.st, p.dir = st, DirUnknown
	if d, m, ok := parseLevelDirMark(text[start:]); ok {
		p.dir, start = d, start+m
	}
	if start == len(text) {
		out.add(l.Note(st))
		return
	}
	p.out = undot(p.out[:0], text[start:])
	out.add(decoded(*l, start, bytes.Clone(p.out), p.dir, st))
}

func (p *dottedParser) flush(*chunkQueue) {}

// undot appends b to dst with the dots at its ends made line ends: each
// pair of dots is "\r\n"; of an odd run, the dot next to the text is a dot.
func undot(dst, b []byte) []byte {
	lead := 0
	for lead < len(b) && b[lead] == '.' {
		lead++
	}
	if lead == len(b) { // dots only: line ends, and a dot if odd
		dst = crlfs(dst, lead/2)
		if lead%2 == 1 {
			dst = append(dst, '.')
		}
		return dst
	}
	trail := 0
	for trail < len(b) && b[len(b)-1-trail] == '.' {
		trail++
	}
	dst = crlfs(dst, lead/2)
	dst = append(dst, b[lead/2*2:len(b)-trail/2*2]...)
	return crlfs(dst, trail/2)
}

func crlfs(dst []byte, n int) []byte {
	for range n {
		dst = append(dst, '\r', '\n')
	}
	return dst
}
