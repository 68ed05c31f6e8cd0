package decode

import (
	"bytes"
	"io"
)

// qcomFormat reads logs of QCOM, Quectel's Windows serial tool, with "Show
// Time" on:
//
//	[2019-01-31 02:58:52:462_S:] AT
//	[2019-01-31 02:58:52:462_R:] AT
//	[2019-01-31 02:58:52:462_R:]
//	[2019-01-31 02:58:52:462_R:] OK
//
// QCOM stamps every line, puts a colon before the milliseconds, and writes a
// bare prefix for each CR LF the module sent, so the data after "] " is kept
// with its line end. In hex display mode a line is the bytes in hex
// ("30 0D"); its line end is QCOM's, the serial line ends are among the hex
// bytes. Changes of the modem status lines are logged as text
// ("DSR:1 CTS:1 RI:0 (DCD:1)") and become notes.
var qcomFormat = Format{
	Name:    "qcom",
	Doc:     "Quectel QCOM logs: [YYYY-MM-DD HH:MM:SS:mmm_S:] sent, _R:] received; hex mode and line states",
	Example: "[2019-01-31 02:58:52:462_S:] AT+CPIN?",
	Sniff: func(head []byte) int {
		var times timeParser
		return sniffByLines(head, func(line []byte) bool {
			_, _, _, ok := qcomPrefix(line, &times)
			return ok
		})
	},
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return newLineReader(r, file, &qcomParser{})
	},
}

// qcomPrefix parses "[YYYY-MM-DD HH:MM:SS:mmm_S:] " at the start of line and
// returns where the data starts (after the one space QCOM writes, which is
// missing on some blank lines).
func qcomPrefix(line []byte, times *timeParser) (start int, dir Dir, st Stamp, ok bool) {
	if len(line) == 0 || line[0] != '[' {
		return 0, 0, Stamp{}, false
	}
	t, n, ok := times.dateTime(line[1:])
	if !ok {
		return 0, 0, Stamp{}, false
	}
	i := 1 + n
	mark := line[i:] // "_S:] "
	if len(mark) < 4 || mark[0] != '_' || mark[2] != ':' || mark[3] != ']' {
		return 0, 0, Stamp{}, false
	}
	if dir, ok = qcomDir(mark[1]); !ok {
		return 0, 0, Stamp{}, false
	}
	i += 4
	if len(mark) > 4 && mark[4] == ' ' {
		i++
	}
	return i, dir, Stamp{Time: t, HasDate: true}, true
}

type qcomParser struct {
	times    timeParser
	second   qcomSecond // quickPrefix's
	dir      Dir
	st       Stamp
	inRecord bool
}

func (p *qcomParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		p.rest(*l, out)
		return
	}
	text := l.Text()
	start, dir, st, ok := p.quickPrefix(text)
	if !ok {
		skip := 0
		if l.Pos.Offset == 0 && bytes.HasPrefix(text, utf8BOM) {
			skip = len(utf8BOM)
		}
		if start, dir, st, ok = qcomPrefix(text[skip:], &p.times); !ok {
			p.rest(*l, out)
			return
		}
		start += skip
	}
	p.dir, p.st, p.inRecord = dir, st, true
	body := text[start:]
	switch {
	case mayBeLineState(body) && isLineState(body):
		c := l.Data(start, DirUnknown, st)
		c.Note = true
		out.add(c)
	case len(body) >= 2 && isHex(body[0]) && isHex(body[1]) && isHexLine(body):
		out.add(Chunk{Data: appendHex(nil, body), Pos: Pos{File: l.Pos.File, Line: l.Pos.Line, Offset: l.Pos.Offset + int64(start)},
			Dir: dir, Time: st.Time, TimeSrc: st.source()})
	default:
		out.add(l.View(start, dir, st))
	}
}

// rest handles a line without a prefix: the rest of an over-long line or of
// a record whose bytes held a line end QCOM did not stamp; before the first
// record, text that is not QCOM's.
func (p *qcomParser) rest(l Line, out *chunkQueue) {
	if p.inRecord {
		out.add(l.View(0, p.dir, p.st))
	} else {
		out.add(l.Note(Stamp{}))
	}
}

func (p *qcomParser) flush(*chunkQueue) {}

// isLineState reports whether b is QCOM's report of the modem status lines:
// space-separated NAME:0|1 items, the DCD one in parentheses.
func isLineState(b []byte) bool {
	if !mayBeLineState(b) {
		return false
	}
	b = bytes.TrimRight(b, " ")
	for len(b) > 0 {
		item := b
		if i := bytes.IndexByte(b, ' '); i >= 0 {
			item, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if len(item) > 2 && item[0] == '(' && item[len(item)-1] == ')' {
			item = item[1 : len(item)-1]
		}
		k := bytes.IndexByte(item, ':')
		if k < 0 || k != len(item)-2 || (item[k+1] != '0' && item[k+1] != '1') {
			return false
		}
		switch string(item[:k]) { // no allocation: the compiler compares in place
		case "DSR", "CTS", "RI", "DCD", "DTR", "RTS", "RING":
		default:
			return false
		}
	}
	return true
}

// mayBeLineState turns data lines away at their first byte, where every
// item of a line state report starts; inlined before the call to
// isLineState, which is not.
func mayBeLineState(b []byte) bool {
	return len(b) > 0 && (b[0] == 'D' || b[0] == 'C' || b[0] == 'R' || b[0] == '(')
}

// isHexLine reports whether b is a line of hex display mode: at least two
// two-digit hex bytes separated by single spaces (a trailing space allowed).
// One byte alone is too likely to be text ("OK" is not hex, but "12" is).
func isHexLine(b []byte) bool {
	n := 0
	for i := 0; i < len(b); {
		if i+1 >= len(b) || !isHex(b[i]) || !isHex(b[i+1]) {
			return false
		}
		n++
		i += 2
		if i < len(b) {
			if b[i] != ' ' {
				return false
			}
			i++
		}
	}
	return n >= 2
}

// appendHex appends the bytes of a line that isHexLine accepted.
func appendHex(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 3 {
		dst = append(dst, unhex(b[i])<<4|unhex(b[i+1]))
	}
	return dst
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// qcomDir reads the direction letter of a QCOM mark: S sent to the
// module, R received from it.
func qcomDir(b byte) (Dir, bool) {
	switch b {
	case 'S':
		return DirToModule, true
	case 'R':
		return DirFromModule, true
	}
	return 0, false
}
