package decode

import (
	"bytes"
	"io"
)

// ofonoFormat reads oFono's AT chat debug (OFONO_AT_DEBUG=1 ofonod -n -d),
// in which each modem plugin names its channel:
//
//	ofonod[12922]: Modem: > AT+CFUN=1\r
//	ofonod[12922]: Modem: < \r\nOK\r\n
//
// ">" is host to module, "<" module to host. gatchat escapes CR, LF and TAB
// as \r \n \t, Ctrl-Z as <CtrlZ>, byte 25 as <ESC> (sic) and other
// unprintable bytes as three octal digits (\032); the rest are the bytes
// themselves, so one read may span several log lines and simply continues.
// Logs copied from mail archives carry quoted-printable "=3D" for "=",
// which is decoded. The time is a syslog or ISO 8601 time at the start of
// the line, when there is one. Lines that are not chat traffic become notes.
var ofonoFormat = Format{
	Name:    "ofono",
	Doc:     "oFono OFONO_AT_DEBUG logs: ofonod[pid]: Modem: > AT+CFUN=1\\r and < \\r\\nOK\\r\\n",
	Example: `ofonod[12922]: Modem: > AT+CFUN=1\r`,
	Sniff: func(head []byte) int {
		n := 0
		captureHeadLines(head, func(line []byte) bool {
			if _, _, ok := ofonoTraffic(line); ok && bytes.Contains(line, []byte("ofonod[")) {
				n++
			}
			return n < 2
		})
		return []int{0, 90, 98}[n]
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &ofonoParser{opt: opt})
	},
}

// ofonoTraffic finds "<tag>: > " or "<tag>: < " after the "ofonod[pid]: "
// of a line, or at its start when the line has no syslog prefix, and
// returns where the escaped bytes start.
func ofonoTraffic(line []byte) (dir Dir, start int, ok bool) {
	i := 0
	if k := bytes.Index(line, []byte("ofonod[")); k >= 0 {
		e := bytes.Index(line[k:], []byte("]: "))
		if e < 0 {
			return 0, 0, false
		}
		i = k + e + 3
	}
	rest := line[i:]
	k := bytes.Index(rest, []byte(": "))
	if k <= 0 || k > 24 || k+4 > len(rest) || rest[k+3] != ' ' {
		return 0, 0, false
	}
	for _, c := range rest[:k] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == ' ' || c == '_' || c == '-') {
			return 0, 0, false
		}
	}
	switch rest[k+2] {
	case '>':
		dir = DirToModule
	case '<':
		dir = DirFromModule
	default:
		return 0, 0, false
	}
	return dir, i + k + 4, true
}

// ofonoUnescape decodes gatchat's escapes.
func ofonoUnescape(dst, b []byte) []byte {
	qp := bytes.Contains(b, []byte("=3D"))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			switch b[i+1] {
			case 'r':
				dst = append(dst, '\r')
				i++
				continue
			case 'n':
				dst = append(dst, '\n')
				i++
				continue
			case 't':
				dst = append(dst, '\t')
				i++
				continue
			}
			if i+3 < len(b) && isOctal(b[i+1]) && isOctal(b[i+2]) && isOctal(b[i+3]) {
				dst = append(dst, (b[i+1]-'0')<<6|(b[i+2]-'0')<<3|(b[i+3]-'0'))
				i += 3
				continue
			}
		case c == '<' && startsWith(b[i:], "<CtrlZ>"):
			dst = append(dst, 0x1a)
			i += len("<CtrlZ>") - 1
			continue
		case c == '<' && startsWith(b[i:], "<ESC>"):
			dst = append(dst, 25) // gatchat's name for byte 25
			i += len("<ESC>") - 1
			continue
		case qp && c == '=' && startsWith(b[i:], "=3D"):
			dst = append(dst, '=')
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

type ofonoParser struct {
	opt Options
}

func (p *ofonoParser) parse(l *Line, out *chunkQueue) {
	text := l.Text()
	if blank(text) {
		return
	}
	st := mmStamp(text, p.opt)
	dir, start, ok := ofonoTraffic(text)
	if l.Cont || !ok {
		out.add(l.Note(st))
		return
	}
	if data := ofonoUnescape(nil, text[start:]); len(data) > 0 {
		out.add(decoded(*l, start, data, dir, st))
	}
}

func (p *ofonoParser) flush(*chunkQueue) {}
