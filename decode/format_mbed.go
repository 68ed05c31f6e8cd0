package decode

import (
	"bytes"
	"io"
	"time"
)

// mbedFormat reads the AT trace of Arm Mbed OS's ATHandler
// (MBED_CONF_CELLULAR_DEBUG_AT=true with mbed-trace):
//
//	[00042148][INFO][CELL]: AT TX ( 9): AT+COPS=2
//	[00042150][INFO][CELL]: AT TX ( 1): <cr>
//	[00043596][INFO][CELL]: AT RX ( 6): <cr><ln>OK<cr><ln>
//
// "AT TX" is host to module, "AT RX" module to host; the number is how many
// bytes the line shows. ATHandler escapes CR as <cr>, LF as <ln> and other
// unprintable bytes as <XX> in hex, and logs every write and read, so the
// line ends are in the trace already. A line that shows fewer bytes than
// its count (mbed-trace cuts long lines) gets a note. A leading [digits]
// stamp is taken as milliseconds since boot, after Options Start. Other
// trace lines become notes; colour sequences are dropped.
var mbedFormat = Format{
	Name:    "mbed",
	Doc:     "Mbed OS ATHandler traces: [CELL]: AT TX ( 9): AT+COPS=2 and AT RX ( 6): <cr><ln>OK<cr><ln>",
	Example: "[00042148][INFO][CELL]: AT TX ( 9): AT+COPS=2",
	Origin:  OriginBoot, // the stamp is milliseconds of uptime
	Sniff: func(head []byte) int {
		n := 0
		captureHeadLines(head, func(line []byte) bool {
			if _, _, _, ok := mbedTraffic(stripANSI(line)); ok {
				n++
			}
			return n < 2
		})
		return []int{0, 90, 98}[n]
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &mbedParser{opt: opt})
	},
}

// mbedTraffic finds "AT TX (nn): " or "AT RX (nn): " after a "]: " trace
// prefix and returns the direction, the byte count and where the bytes
// start.
func mbedTraffic(line []byte) (dir Dir, count, start int, ok bool) {
	k := bytes.Index(line, []byte("]: AT "))
	if k < 0 || k+10 > len(line) {
		return 0, 0, 0, false
	}
	b := line[k+6:]
	switch {
	case startsWith(b, "TX ("):
		dir = DirToModule
	case startsWith(b, "RX ("):
		dir = DirFromModule
	default:
		return 0, 0, 0, false
	}
	e := bytes.Index(b, []byte("): "))
	if e < 0 {
		// "AT RX ( 0): " may lose its trailing space to the trace.
		if e = bytes.Index(b, []byte("):")); e < 0 || e+2 != len(bytes.TrimRight(b, " \r")) {
			return 0, 0, 0, false
		}
	}
	n := bytes.TrimSpace(b[4:e])
	count, ok = digits(n, len(n))
	if !ok || len(n) == 0 || len(n) > 6 {
		return 0, 0, 0, false
	}
	return dir, count, min(k+6+e+3, len(line)), true
}

// mbedUnescape decodes <cr>, <ln> and <XX>.
func mbedUnescape(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '<' && i+3 < len(b) && b[i+3] == '>' {
			switch {
			case startsWith(b[i:], "<cr>"):
				dst = append(dst, '\r')
				i += 3
				continue
			case startsWith(b[i:], "<ln>"):
				dst = append(dst, '\n')
				i += 3
				continue
			case isHex(b[i+1]) && isHex(b[i+2]):
				dst = append(dst, unhex(b[i+1])<<4|unhex(b[i+2]))
				i += 3
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// mbedStamp reads a leading "[00042148]" as milliseconds since boot.
func mbedStamp(line []byte, opt Options) Stamp {
	if len(line) < 3 || line[0] != '[' {
		return Stamp{}
	}
	e := bytes.IndexByte(line, ']')
	if e < 2 || e > 21 {
		return Stamp{}
	}
	ms, ok := digits(line[1:e], e-1)
	if !ok {
		return Stamp{}
	}
	return offsetStamp(time.Duration(ms)*time.Millisecond, opt)
}

type mbedParser struct {
	opt Options
}

func (p *mbedParser) parse(l *Line, out *chunkQueue) {
	text := stripANSI(l.Text())
	if blank(text) {
		return
	}
	st := mbedStamp(text, p.opt)
	dir, count, start, ok := mbedTraffic(text)
	if l.Cont || !ok {
		out.add(l.Note(st))
		return
	}
	data := mbedUnescape(nil, bytes.TrimRight(text[start:], "\r"))
	if len(data) > 0 {
		at := start
		if len(text) != len(l.Text()) {
			at = 0
		}
		out.add(decoded(*l, at, data, dir, st))
	}
	if len(data) != count {
		out.add(noteAt(*l, start, st, "mbed: the trace shows %d of the %d bytes it counts", len(data), count))
	}
}

func (p *mbedParser) flush(*chunkQueue) {}
