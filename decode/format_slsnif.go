package decode

import (
	"bytes"
	"io"
	"time"
)

// slsnifFormat reads logs of slsnif, the serial line sniffer that puts a pty
// between the host program and the port:
//
//	slsnif -t -l capture.log -s 115200 /dev/ttyUSB2
//
//	Tue May 14 10:23:45.12 2024
//	Host   --> A (065) T (084) <CR> (013)
//	Device --> <CR> (013) <LF> (010) O (079) K (075) <CR> (013) <LF> (010)
//
// "Host" is what the program on the pty wrote (host to module), "Device"
// what the port answered. Each record is one read of up to 32 bytes, every
// byte as its character (control bytes by name) and its decimal value; -x
// prints the value in hex ("A (41)"), -d a hexdump whose further rows start
// with "       --> ". -t puts ctime() with milliseconds spliced in before
// each record; slsnif prints the milliseconds with "%2u" into three
// characters, so ".12" is read as 120 ms and ". 5" as 5 ms. When slsnif
// logs to standard output it colours its lines: the escape sequences are
// dropped.
var slsnifFormat = Format{
	Name:    "slsnif",
	Doc:     "slsnif logs: Host --> host to module, Device --> module to host, each byte as A (065)",
	Example: "Host   --> A (065) T (084) <CR> (013) ",
	Sniff: func(head []byte) int {
		return sniffShare(head, 80, 1, func(line []byte) bool {
			_, _, ok := slsnifPrefix(slsnifClean(line))
			return ok
		})
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &slsnifParser{opt: opt})
	},
}

var (
	slsnifHost   = []byte("Host   --> ")
	slsnifDevice = []byte("Device --> ")
	slsnifMore   = []byte("       --> ")
)

// slsnifPrefix parses the record prefix; more is true for a further row of
// a hexdump record.
func slsnifPrefix(line []byte) (dir Dir, more, ok bool) {
	switch {
	case bytes.HasPrefix(line, slsnifHost):
		return DirToModule, false, true
	case bytes.HasPrefix(line, slsnifDevice):
		return DirFromModule, false, true
	case bytes.HasPrefix(line, slsnifMore):
		return DirUnknown, true, true
	}
	return 0, false, false
}

// slsnifClean drops colour sequences and the NUL that slsnif writes after
// its time stamp.
func slsnifClean(line []byte) []byte {
	line = stripANSI(line)
	if bytes.IndexByte(line, 0) >= 0 {
		line = bytes.ReplaceAll(line, []byte{0}, nil)
	}
	return line
}

// slsnifItems decodes "A (065) <CR> (013) " (or "A (41) " with -x): each
// byte's character, which is one byte or a <NAME>, and its value in
// parentheses, which is what counts.
func slsnifItems(b []byte) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(b); {
		if b[i] == ' ' {
			i++
			continue
		}
		// The character: <NAME> or one byte, then " (".
		j := i + 1
		if b[i] == '<' {
			if k := controlName(b[i:]); k > 0 {
				j = i + k
			}
		}
		if j+1 >= len(b) || b[j] != ' ' || b[j+1] != '(' {
			return nil, false
		}
		k := j + 2
		for k < len(b) && isHex(b[k]) {
			k++
		}
		if k >= len(b) || b[k] != ')' {
			return nil, false
		}
		v, ok := slsnifValue(b[j+2 : k])
		if !ok {
			return nil, false
		}
		out = append(out, v)
		i = k + 1
	}
	return out, len(out) > 0
}

// slsnifValue reads a value: three decimal digits, or two hex ones (-x).
func slsnifValue(b []byte) (byte, bool) {
	switch len(b) {
	case 3:
		if v, ok := digits(b, 3); ok && v < 256 {
			return byte(v), true
		}
	case 2:
		return unhex(b[0])<<4 | unhex(b[1]), true
	}
	return 0, false
}

// slsnifHexdump decodes a row of -d: up to 16 "xx " groups, an extra space
// after every fourth, padding, and the ASCII column from column 52.
func slsnifHexdump(b []byte) ([]byte, bool) {
	if len(b) > 52 {
		b = b[:52]
	}
	var out []byte
	for _, f := range bytes.Fields(b) {
		if len(f) != 2 || !isHex(f[0]) || !isHex(f[1]) {
			break
		}
		out = append(out, unhex(f[0])<<4|unhex(f[1]))
	}
	return out, len(out) > 0
}

// slsnifTime parses ctime() output with slsnif's milliseconds:
// "Tue May 14 10:23:45.12 2024", also without them.
func slsnifTime(b []byte) (time.Time, bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 24 || b[3] != ' ' || b[7] != ' ' {
		return time.Time{}, false
	}
	mon := monthOf(b[4:7])
	if mon == 0 {
		return time.Time{}, false
	}
	dayField := bytes.TrimLeft(b[8:10], " ")
	day, ok := digits(dayField, len(dayField))
	if !ok || b[10] != ' ' {
		return time.Time{}, false
	}
	c, n, ok := parseClock(b[11:19])
	if !ok || n != 8 {
		return time.Time{}, false
	}
	rest := b[19:] // ".12 2024", ". 5 2024", " 2024"
	if len(rest) < 5 || rest[len(rest)-5] != ' ' {
		return time.Time{}, false
	}
	y, ok := digits(rest[len(rest)-4:], 4)
	if !ok {
		return time.Time{}, false
	}
	if frac := rest[:len(rest)-5]; len(frac) > 0 {
		ms := bytes.TrimLeft(frac[1:], " ")
		v, ok := digits(ms, len(ms))
		if frac[0] != '.' || !ok || len(ms) == 0 || len(ms) > 3 {
			return time.Time{}, false
		}
		if len(ms) == 2 && len(frac) == 3 {
			v *= 10 // "%2u" of 123 ms keeps "12"
		}
		c.ns = v * int(time.Millisecond)
	}
	return time.Date(y, mon, day, c.h, c.m, c.s, c.ns, time.UTC), true
}

// monthOf reads an English month abbreviation.
func monthOf(b []byte) time.Month {
	for m := time.January; m <= time.December; m++ {
		if startsWith(b, m.String()[:3]) && len(b) >= 3 {
			return m
		}
	}
	return 0
}

type slsnifParser struct {
	opt Options
	dir Dir
	st  Stamp
}

func (p *slsnifParser) parse(l *Line, out *chunkQueue) {
	text := slsnifClean(lineText(*l))
	if blank(text) {
		return
	}
	if l.Cont {
		out.add(l.Note(p.st))
		return
	}
	if t, ok := slsnifTime(text); ok {
		p.st = Stamp{Time: t, HasDate: true}
		return
	}
	dir, more, ok := slsnifPrefix(text)
	if !ok {
		out.add(l.Note(p.st))
		return
	}
	if !more {
		p.dir = swapDir(dir, p.opt)
	}
	body := text[len(slsnifHost):]
	data, ok := slsnifItems(body)
	if !ok {
		data, ok = slsnifHexdump(body)
	}
	if !ok {
		out.add(l.Note(p.st))
		return
	}
	at := 0
	if len(text) == len(lineText(*l)) {
		at = len(slsnifHost)
	}
	out.add(decoded(*l, at, data, p.dir, p.st))
}

func (p *slsnifParser) flush(*chunkQueue) {}

// controlName returns the length of a "<CR>"-style name at the start of b,
// or 0.
func controlName(b []byte) int {
	k := bytes.IndexByte(b, '>')
	if k < 2 || k > 8 {
		return 0
	}
	if _, ok := controlByte(b[1:k]); !ok {
		return 0
	}
	return k + 1
}
