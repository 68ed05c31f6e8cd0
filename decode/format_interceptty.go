package decode

import (
	"bytes"
	"io"
)

// intercepttyFormat reads the output of interceptty, which puts a pty in
// front of the modem's tty and prints every byte that passes, one per line:
//
//	interceptty -T -o capture.log /dev/ttyUSB2 /tmp/modem
//
//	[10:23 45.123456]< 0x41 (A)
//	                 < 0x54 (T)
//	[10:23 45.131022]> 	0x0d ([CR])
//
// "<" is data from the application to the device (host to module), ">" data
// from the device. -T stamps the first byte of each read as [HH:MM SS.usec]
// (the fork's strftime("%H:%M %S")) and blanks the stamp of the others.
// "-f hex" drops the character in parentheses, "-f char" the hex; "-e EOL"
// packs the bytes up to each EOL byte on one line, as "41(A):54(T)". The
// original interceptty prints control bytes without a character
// ("0x0d"), the fork names them ("[CR]").
var intercepttyFormat = Format{
	Name:    "interceptty",
	Doc:     "interceptty byte dumps: < 0x41 (A) application to device, > device to application; -T stamps",
	Example: "[10:23 45.123456]< 0x41 (A)",
	Sniff: func(head []byte) int {
		return sniffShare(head, 60, 3, func(line []byte) bool {
			_, _, _, ok := intercepttyLine(line, Options{})
			return ok
		})
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &intercepttyParser{opt: opt})
	},
}

// intercepttyStampWidth is the width of "[HH:MM SS.uuuuuu]", which the bytes
// after the first of a read get as blanks.
const intercepttyStampWidth = 17

// intercepttyLine parses one line: an optional stamp, the direction mark and
// the bytes. hasStamp is false for a line without a time of its own.
func intercepttyLine(line []byte, opt Options) (dir Dir, data []byte, st Stamp, ok bool) {
	i := 0
	switch {
	case len(line) > intercepttyStampWidth && line[0] == '[':
		c, ok := intercepttyStamp(line[1:])
		if !ok {
			return 0, nil, Stamp{}, false
		}
		st = stampOf(c, opt)
		i = intercepttyStampWidth
	case len(line) > intercepttyStampWidth && blank(line[:intercepttyStampWidth]):
		i = intercepttyStampWidth
	}
	if i+2 > len(line) || line[i+1] != ' ' {
		return 0, nil, Stamp{}, false
	}
	switch line[i] {
	case '<':
		dir = DirToModule
	case '>':
		dir = DirFromModule
	default:
		return 0, nil, Stamp{}, false
	}
	i += 2
	if i < len(line) && line[i] == '\t' {
		i++
	}
	if data, ok = intercepttyBytes(line[i:]); !ok {
		return 0, nil, Stamp{}, false
	}
	return dir, data, st, true
}

// intercepttyStamp parses "HH:MM SS.uuuuuu]".
func intercepttyStamp(b []byte) (clock, bool) {
	if len(b) < 16 || b[2] != ':' || b[5] != ' ' || b[8] != '.' || b[15] != ']' {
		return clock{}, false
	}
	h, ok1 := digits(b, 2)
	m, ok2 := digits(b[3:], 2)
	s, ok3 := digits(b[6:], 2)
	us, ok4 := digits(b[9:], 6)
	if !ok1 || !ok2 || !ok3 || !ok4 || h > 23 || m > 59 || s > 60 {
		return clock{}, false
	}
	return clock{h: h, m: m, s: s, ns: us * 1000}, true
}

// intercepttyBytes decodes what follows the mark: "0x41 (A)", "0x0d", the
// packed "41(A):0d([CR])" of -e, or a character alone (-f char: " A",
// " [CR]", " ' '").
func intercepttyBytes(b []byte) ([]byte, bool) {
	b = bytes.TrimRight(b, " ")
	if len(b) >= 4 && b[0] == '0' && b[1] == 'x' && isHex(b[2]) && isHex(b[3]) {
		v := unhex(b[2])<<4 | unhex(b[3])
		rest := b[4:]
		if len(rest) == 0 {
			return []byte{v}, true
		}
		if len(rest) > 3 && rest[0] == ' ' && rest[1] == '(' && rest[len(rest)-1] == ')' {
			return []byte{v}, true
		}
		return nil, false
	}
	if len(b) >= 2 && isHex(b[0]) && isHex(b[1]) {
		return intercepttyPacked(b)
	}
	if len(b) >= 2 && b[0] == ' ' {
		if c, n, ok := intercepttyChar(b[1:]); ok && n == len(b)-1 {
			return []byte{c}, true
		}
	}
	return nil, false
}

// intercepttyPacked decodes the -e form: hex bytes, each with its character
// in parentheses or without, separated by ':'.
func intercepttyPacked(b []byte) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(b); {
		if i+1 >= len(b) || !isHex(b[i]) || !isHex(b[i+1]) {
			return nil, false
		}
		out = append(out, unhex(b[i])<<4|unhex(b[i+1]))
		i += 2
		if i < len(b) && b[i] == '(' {
			_, n, ok := intercepttyChar(b[i+1:])
			if !ok || i+1+n >= len(b) || b[i+1+n] != ')' {
				return nil, false
			}
			i += n + 2
		}
		if i < len(b) {
			if b[i] != ':' {
				return nil, false
			}
			i++
		}
	}
	return out, len(out) > 0
}

// intercepttyChar reads one character as interceptty prints it: "[CR]",
// "' '" for a space, or the byte itself. It returns the byte and the length.
func intercepttyChar(b []byte) (byte, int, bool) {
	switch {
	case len(b) == 0:
		return 0, 0, false
	case b[0] == '[':
		if k := bytes.IndexByte(b, ']'); k > 1 {
			if c, ok := controlByte(b[1:k]); ok {
				return c, k + 1, true
			}
		}
	case startsWith(b, "' '"):
		return ' ', 3, true
	}
	return b[0], 1, true
}

type intercepttyParser struct {
	opt Options
	st  Stamp
}

func (p *intercepttyParser) parse(l *Line, out *chunkQueue) {
	text := lineText(*l)
	if l.Cont || blank(text) {
		if !blank(text) {
			out.add(l.Note(Stamp{}))
		}
		return
	}
	dir, data, st, ok := intercepttyLine(text, p.opt)
	if !ok {
		out.add(l.Note(Stamp{}))
		return
	}
	if !st.Time.IsZero() {
		p.st = st
	}
	out.add(decoded(*l, 0, data, swapDir(dir, p.opt), p.st))
}

func (p *intercepttyParser) flush(*chunkQueue) {}
