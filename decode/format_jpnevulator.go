package decode

import (
	"bytes"
	"io"
)

// jpnevulatorFormat reads the read mode of jpnevulator, which dumps what it
// reads from one or more ttys in hex:
//
//	jpnevulator --ascii --timing-print --tty /dev/ttyUSB0:host --tty /dev/ttyUSB1:modem --read
//
//	2024-05-14 10:23:45.123456: host
//	41 54 2B 51 4D 54 44 49 53 43 3D 30 0D          AT+QMTDISC=0.
//	2024-05-14 10:23:45.131022: modem
//	0D 0A 4F 4B 0D 0A                               ..OK..
//
// Sniffing a link takes two ttys, one on each line (or --pass between
// them), and jpnevulator names the tty before its bytes when it reads
// several. The tty whose bytes come first is taken as the host side (it
// usually sends the first AT) unless its name says otherwise ("modem",
// "rx") or Options TxChannel and RxChannel name the ttys. With one tty the
// direction is left unknown. The BUGS section of jpnevulator(1) warns that
// bytes read at nearly the same time from two ttys may be printed out of
// order. --timing-print stamps each run of bytes with microseconds;
// --byte-count puts an offset column ("0000001A\t") before the bytes;
// --base=2 prints bits.
var jpnevulatorFormat = Format{
	Name:    "jpnevulator",
	Doc:     "jpnevulator --read hex dumps; with two ttys the first one seen is the host side",
	Example: "2024-05-14 10:23:45.123456: /dev/ttyUSB0",
	Sniff:   sniffJpnevulator,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &jpnevulatorParser{opt: opt, chans: channelDirs{opt: opt}})
	},
}

// jpnevulatorHeader parses "2006-05-30 13:23:49.461075:" and the tty name
// that may follow.
func jpnevulatorHeader(line []byte) (st Stamp, name []byte, ok bool) {
	t, n, ok := parseDateTime(line)
	if !ok || n != 26 || n >= len(line) || line[n] != ':' {
		return Stamp{}, nil, false
	}
	return Stamp{Time: t, HasDate: true}, bytes.TrimSpace(line[n+1:]), true
}

// jpnevulatorRow decodes a row of bytes: an optional byte-count column,
// bytes in hex ("0D") or bits ("00001101") separated by spaces, then
// padding and a tab before the optional ASCII column.
func jpnevulatorRow(line []byte) ([]byte, bool) {
	if len(line) > 9 && line[8] == '\t' && isHexRun(line[:8]) {
		line = line[9:]
	}
	if k := bytes.IndexByte(line, '\t'); k >= 0 {
		line = line[:k]
	}
	var out []byte
	for len(line) > 0 {
		k := bytes.IndexByte(line, ' ')
		tok := line
		if k >= 0 {
			tok, line = line[:k], line[k+1:]
		} else {
			line = nil
		}
		switch {
		case len(tok) == 0:
			line = nil // padding before an ASCII column whose tab became spaces
		case len(tok) == 2 && isHex(tok[0]) && isHex(tok[1]):
			out = append(out, unhex(tok[0])<<4|unhex(tok[1]))
		case len(tok) <= 8 && isBits(tok):
			var v byte
			for _, c := range tok {
				v = v<<1 | (c - '0')
			}
			out = append(out, v)
		default:
			return nil, false
		}
	}
	return out, len(out) > 0
}

func isHexRun(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func isBits(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '1' {
			return false
		}
	}
	return len(b) > 0
}

// sniffJpnevulator wants timing headers and rows of hex. Rows alone (no
// --timing-print) could be any hex dump, so they score low.
func sniffJpnevulator(head []byte) int {
	headers, rows, total := 0, 0, 0
	captureHeadLines(head, func(line []byte) bool {
		total++
		if _, _, ok := jpnevulatorHeader(line); ok {
			headers++
		} else if _, ok := jpnevulatorRow(line); ok {
			rows++
		}
		return true
	})
	switch {
	case headers == 0 || rows == 0:
		if rows >= 4 && rows*10 >= total*9 {
			return 40
		}
		return 0
	case (headers+rows)*10 < total*8:
		return 0
	}
	return 90 + 10*(headers+rows)/total
}

type jpnevulatorParser struct {
	opt   Options
	chans channelDirs
	st    Stamp
	dir   Dir
}

func (p *jpnevulatorParser) parse(l *Line, out *chunkQueue) {
	text := lineText(*l)
	if blank(text) {
		return
	}
	if l.Cont {
		out.add(l.Note(p.st))
		return
	}
	if st, name, ok := jpnevulatorHeader(text); ok {
		p.st = st
		if len(name) > 0 {
			p.dir = p.chans.dir(string(name))
		}
		return
	}
	if data, ok := jpnevulatorRow(text); ok {
		out.add(decoded(*l, 0, data, p.dir, p.st))
		return
	}
	// Without --timing-print a tty's name stands alone on a line.
	if name := bytes.TrimSpace(text); bytes.IndexAny(name, " \t") < 0 && len(name) < 128 && (bytes.HasPrefix(name, []byte("/dev/")) || p.known(name)) {
		p.dir = p.chans.dir(string(name))
		return
	}
	out.add(l.Note(p.st))
}

// known reports whether name is a tty seen before.
func (p *jpnevulatorParser) known(name []byte) bool {
	for _, n := range p.chans.names {
		if n == string(name) {
			return true
		}
	}
	return false
}

func (p *jpnevulatorParser) flush(*chunkQueue) {}
