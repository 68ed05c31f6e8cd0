package decode

import (
	"bytes"
	"io"
)

// stampedFormat reads logs whose lines start with a timestamp, written by
// terminal programs with a "show time" option, the Arduino serial monitor,
// and host scripts that log what they write and read:
//
//	[14:17:35.895] AT+QMTOPEN=0,"broker.example.com",1883
//	[14:17:35.901] OK
//	18:13:18.620 -> +QMTOPEN: 0,0
//	2024-05-30 09:23:10,053 TX: AT+QMTCONN=0,"dev01"
//	2024-05-30T09:23:10.311+08:00 <-- +QMTCONN: 0,0,0
//
// A direction mark after the stamp (see parseDirMark), maybe after a log
// level ("DEBUG TX: AT"), gives the direction;
// without one it is left to the tokenizer. A line without a stamp continues
// the record before it, with the same time and direction: tools stamp each
// read, and a read may hold several lines (a long echo, a payload). The
// host program's own prints that monitors stamp alike ("[app] connecting",
// "I (1234) app: ...") become notes, unless a mark says they were sent.
var stampedFormat = Format{
	Name:    "stamped",
	Doc:     "lines with a time prefix ([14:17:35.895], 18:13:18.620 ->, 2024-05-30 09:23:10,053, ISO 8601), optional TX/RX or --> <-- mark",
	Example: `[14:17:35.895] AT+CPIN?`,
	Sniff:   sniffStamped,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &stampedParser{times: timeParser{opt: opt}})
	},
}

// sniffStamped scores by the share of non-blank lines with a time prefix.
// Lines of tools with their own format (SSCOM, QCOM, [Send->]) count
// against it, so that their readers, which know the direction marks, win.
// One stamp among other lines is chance. The score stays below the ticket
// format's, which also reads stamps.
func sniffStamped(head []byte) int {
	hits, other, total := 0, 0, 0
	eachHeadLine(head, func(line []byte) {
		total++
		if otherToolLine(line) {
			other++
			return
		}
		if _, _, ok := parseTimePrefix(line, Options{}); ok {
			hits++
		}
	})
	if hits == 0 || other*4 >= hits || hits*4 < total || hits == 1 && total > 1 {
		return 0
	}
	return 20 + 60*hits/total
}

type stampedParser struct {
	times timeParser
	st    Stamp
	dir   Dir
}

func (p *stampedParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		out.add(l.View(0, p.dir, p.st))
		return
	}
	start := bomLen(*l)
	if st, n, ok := p.times.timePrefix(l.Bytes[start:]); ok {
		start += n
		p.st, p.dir = st, DirUnknown
		if d, m, ok := parseLevelDirMark(l.Bytes[start:]); ok {
			p.dir = d
			emitRest(*l, start+m, p.dir, p.st, out)
			return
		}
	}
	if isDebugPrint(l.Bytes[start:]) {
		out.add(l.Note(p.st))
		return
	}
	emitRest(*l, start, p.dir, p.st, out)
}

func (p *stampedParser) flush(*chunkQueue) {}

// emitRest emits the line from start as data. A line that is all prefix
// (the last line of a file, without a line end) becomes a note, so that no
// line vanishes.
func emitRest(l Line, start int, dir Dir, st Stamp, out *chunkQueue) {
	if start < len(l.Bytes) {
		out.add(l.View(start, dir, st))
		return
	}
	out.add(l.Note(st))
}

// isDebugPrint reports a line (from its text start) that a host program
// printed for itself rather than a line of serial traffic; see isDebugLine.
func isDebugPrint(b []byte) bool {
	c := bytes.TrimRight(trimBlankLeft(b), " \t\r\n")
	return len(c) > 0 && isDebugLine(c)
}

// bomLen is the length of a UTF-8 byte order mark at the start of the file.
func bomLen(l Line) int {
	if l.Pos.Offset == 0 && !l.Cont && startsWith(l.Bytes, "\xEF\xBB\xBF") {
		return 3
	}
	return 0
}

// eachHeadLine calls fn with each non-blank line of head, without its line
// end, skipping the cut-off last piece of a full head.
func eachHeadLine(head []byte, fn func(line []byte)) {
	captureHeadLines(head, func(line []byte) bool { fn(line); return true })
}

// Record markers of serial tools that have a reader of their own. A file
// that shows them belongs to that reader, not to the generic formats.
var otherToolMarks = [...][]byte{
	[]byte("发→◇"), []byte("收←◆"), // SSCOM, UTF-8
	{0xB7, 0xA2, 0xA1, 0xFA}, {0xCA, 0xD5, 0xA1, 0xFB}, // SSCOM, GBK: 发→ 收←
	[]byte("_S:]"), []byte("_R:]"), // QCOM
	[]byte("[Send->]"), []byte("[Recv<-]"), []byte("[SEND->]"), []byte("[RECV<-]"),
	[]byte(": /dev/"), // jpnevulator's "2006-05-30 13:23:49.461075: /dev/ttyS0"
}

func otherToolLine(line []byte) bool {
	for _, m := range otherToolMarks {
		if bytes.Contains(line, m) {
			return true
		}
	}
	return false
}
