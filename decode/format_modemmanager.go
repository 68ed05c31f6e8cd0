package decode

import (
	"bytes"
	"io"
	"time"
)

// modemManagerFormat reads ModemManager debug logs (ModemManager --debug,
// or journalctl after mmcli -G debug), which quote every AT read and write
// of the AT ports:
//
//	Oct 27 12:53:05 laptop modem-manager[4580]: <debug> [mm-at-serial-port.c:298] debug_log(): (ttyACM0): --> 'AT+CREG?<CR>'
//	ModemManager[1025]: <debug> [1574763430.733302] (ttyUSB1): --> 'AT+CCLK?<CR>'
//	<dbg> [1640639307.703945] [modem0/ttyUSB1/at] <-- '<CR><LF>OK<CR><LF>'
//
// "-->" is host to module, "<--" module to host. Inside the quotes CR and LF
// are <CR> and <LF> and other unprintable bytes \NNN in decimal; the rest is
// the bytes themselves, so a read split over two log lines just continues.
// The time is the [seconds.micros] stamp when there is one, else the
// syslog or journal time at the start of the line. A quote that a mail
// client wrapped onto the next line is joined. Lines that are not AT
// traffic become notes.
var modemManagerFormat = Format{
	Name:    "modemmanager",
	Doc:     "ModemManager debug logs: (ttyUSB2): --> 'AT+CSQ<CR>' and [modem0/ttyUSB2/at] <-- '<CR><LF>OK<CR><LF>'",
	Example: "<dbg> [1640639307.703945] [modem0/ttyUSB2/at] <-- '<CR><LF>OK<CR><LF>'",
	Sniff: func(head []byte) int {
		n := 0
		captureHeadLines(head, func(line []byte) bool {
			if _, _, ok := mmTraffic(line); ok && mmTagged(line) {
				n++
			}
			return n < 2
		})
		return []int{0, 90, 98}[n]
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &mmParser{opt: opt})
	},
}

// mmTraffic finds the quoted bytes of a traffic line: the arrow after a port
// tag ("(ttyUSB1): " or "[modem0/ttyUSB1/at] "), then a quote. start is
// where the bytes start.
func mmTraffic(line []byte) (dir Dir, start int, ok bool) {
	best := -1
	for _, arrow := range [...]struct {
		s string
		d Dir
	}{{"--> '", DirToModule}, {"<-- '", DirFromModule}} {
		for from := 0; from < len(line); {
			k := bytes.Index(line[from:], []byte(arrow.s))
			if k < 0 {
				break
			}
			k += from
			if before := line[:k]; bytes.HasSuffix(before, []byte("] ")) || bytes.HasSuffix(before, []byte("): ")) {
				if best < 0 || k < best {
					best, dir = k, arrow.d
				}
				break
			}
			from = k + 1
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return dir, best + len("--> '"), true
}

// mmTagged reports whether line carries ModemManager's level tag or name.
func mmTagged(line []byte) bool {
	for _, tag := range []string{"<debug>", "<dbg>", "<info>", "ModemManager[", "modem-manager["} {
		if bytes.Contains(line, []byte(tag)) {
			return true
		}
	}
	return false
}

// mmUnescape decodes the quoted text: <CR>, <LF> and \NNN.
func mmUnescape(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '<' && startsWith(b[i:], "<CR>"):
			dst = append(dst, '\r')
			i += 3
			continue
		case c == '<' && startsWith(b[i:], "<LF>"):
			dst = append(dst, '\n')
			i += 3
			continue
		case c == '\\' && i+1 < len(b) && isDigit(b[i+1]):
			v, k := 0, i+1
			for k < len(b) && k <= i+3 && isDigit(b[k]) {
				v = v*10 + int(b[k]-'0')
				k++
			}
			if v < 256 {
				dst = append(dst, byte(v))
				i = k - 1
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// mmStamp finds a line's time: "[1339849572.154128]", else a syslog
// ("Oct 27 12:53:05") or ISO 8601 time at the start of the line.
func mmStamp(line []byte, opt Options) Stamp {
	for i := 0; i+18 <= len(line); i++ {
		if line[i] != '[' {
			continue
		}
		sec, ok1 := digits(line[i+1:], 10)
		if ok1 && line[i+11] == '.' {
			k := i + 12
			us := 0
			for k < len(line) && isDigit(line[k]) && k < i+18 {
				us = us*10 + int(line[k]-'0')
				k++
			}
			for n := k - (i + 12); n < 6; n++ {
				us *= 10
			}
			if k < len(line) && line[k] == ']' {
				return Stamp{Time: time.Unix(int64(sec), int64(us)*1000).UTC(), HasDate: true}
			}
		}
	}
	if t, _, ok := parseDateTime(line); ok {
		return Stamp{Time: t, HasDate: true}
	}
	if len(line) >= 15 && line[3] == ' ' {
		if mon := monthOf(line[:3]); mon != 0 {
			dayField := bytes.TrimLeft(line[4:6], " ")
			day, ok := digits(dayField, len(dayField))
			if c, n, okc := parseClock(line[7:]); ok && okc && line[6] == ' ' && n >= 8 {
				y, hasDate := 0, false
				if !opt.Date.IsZero() {
					y, hasDate = opt.Date.Year(), true
				}
				return Stamp{Time: time.Date(y, mon, day, c.h, c.m, c.s, c.ns, time.UTC), HasDate: hasDate}
			}
		}
	}
	return Stamp{}
}

type mmParser struct {
	opt  Options
	open bool // a quote is not closed yet: the next line continues it
	dir  Dir
	st   Stamp
}

func (p *mmParser) parse(l *Line, out *chunkQueue) {
	text := l.Text() // a byte order mark is no port tag: it stays in the note
	if blank(text) {
		return
	}
	if l.Cont && !p.open {
		out.add(l.Note(Stamp{}))
		return
	}
	if p.open && !mmTagged(text) {
		p.quoted(*l, text, 0, out)
		return
	}
	p.open = false
	dir, start, ok := mmTraffic(text)
	st := mmStamp(text, p.opt)
	if !ok {
		out.add(l.Note(st))
		return
	}
	p.dir, p.st = dir, st
	p.quoted(*l, text, start, out)
}

// quoted reads quoted bytes from text[start:] up to the closing quote, the
// last one on the line.
func (p *mmParser) quoted(l Line, text []byte, start int, out *chunkQueue) {
	body := bytes.TrimRight(text[start:], " \t\r")
	var after []byte
	p.open = true
	if k := bytes.LastIndexByte(body, '\''); k >= 0 {
		body, after, p.open = body[:k], body[k+1:], false
	}
	if data := mmUnescape(nil, body); len(data) > 0 {
		out.add(decoded(l, start, data, p.dir, p.st))
	}
	if len(after) > 0 {
		c := verbatimPiece(l, start+len(body)+1, start+len(body)+1+len(after), DirUnknown, p.st)
		c.Note = true
		out.add(c)
	}
}

func (p *mmParser) flush(*chunkQueue) {}
