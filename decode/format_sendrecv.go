package decode

import (
	"bytes"
	"io"
)

// sendrecvFormat reads the logs of serial tools that write a date-time and
// a bracketed direction before each write and read:
//
//	2019-06-26 14:05:09:055[Send->]AT+QMTOPEN=0,"broker.example.com",1883
//	2019-06-26 14:05:09:102[Recv<-]OK
//
// Tools differ in the millisecond separator (':' or '.') and in a space
// before the bracket. A read may hold several lines; those after the first
// have no prefix and continue the record.
var sendrecvFormat = Format{
	Name:    "sendrecv",
	Doc:     "serial tool logs with YYYY-MM-DD HH:MM:SS:mmm[Send->] and [Recv<-] prefixes",
	Example: `2019-06-26 14:05:09:055[Send->]AT+CPIN?`,
	Sniff: func(head []byte) int {
		return sniffByLines(head, func(line []byte) bool {
			_, _, _, ok := sendrecvPrefix(line)
			return ok
		})
	},
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return newLineReader(r, file, &sendrecvParser{})
	},
}

var (
	sendrecvSend = []byte("[Send->]")
	sendrecvRecv = []byte("[Recv<-]")
)

// sendrecvPrefix parses "YYYY-MM-DD HH:MM:SS:mmm[Send->]" or "...[Recv<-]"
// at the start of line, in any letter case, and returns where the data
// starts.
func sendrecvPrefix(line []byte) (start int, dir Dir, st Stamp, ok bool) {
	t, n, ok := parseDateTime(line)
	if !ok {
		return 0, 0, Stamp{}, false
	}
	if n < len(line) && line[n] == ' ' {
		n++
	}
	tag := line[n:min(n+len(sendrecvSend), len(line))]
	switch {
	case bytes.EqualFold(tag, sendrecvSend):
		dir = DirToModule
	case bytes.EqualFold(tag, sendrecvRecv):
		dir = DirFromModule
	default:
		return 0, 0, Stamp{}, false
	}
	return n + len(tag), dir, Stamp{Time: t, HasDate: true}, true
}

type sendrecvParser struct {
	dir      Dir
	st       Stamp
	inRecord bool
}

func (p *sendrecvParser) parse(l *Line, out *chunkQueue) {
	if !l.Cont {
		text := l.Text()
		skip := 0
		if l.Pos.Offset == 0 && bytes.HasPrefix(text, utf8BOM) {
			skip = len(utf8BOM)
		}
		if start, dir, st, ok := sendrecvPrefix(text[skip:]); ok {
			p.dir, p.st, p.inRecord = dir, st, true
			out.add(l.Data(skip+start, dir, st))
			return
		}
	}
	// An unprefixed line continues the record; before the first record it is
	// not the tool's.
	if p.inRecord {
		out.add(l.Data(0, p.dir, p.st))
	} else {
		out.add(l.Note(Stamp{}))
	}
}

func (p *sendrecvParser) flush(*chunkQueue) {}
