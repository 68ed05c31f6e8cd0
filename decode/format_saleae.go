package decode

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// saleaeFormat reads the CSV that Saleae Logic exports from an Async Serial
// analyzer, one row per byte. Logic 1.x writes one analyzer, so one line
// and one direction, per file:
//
//	Time [s],Value,Parity Error,Framing Error
//	0.042980320000000,0x41,,
//	0.043264800000000,0x00,,Error
//
// Logic 2's data table puts every analyzer in one file, told apart by the
// name column:
//
//	name,type,start_time,duration,data
//	"TX","data",1.0234568,8.68e-05,"A"
//
// Values come as the analyzer's display radix had them: hex (0x41, the
// exact one), ASCII ('A', A, \r, COMMA, ' '), "A (0x41)", binary or decimal.
// The direction of a Logic 2 analyzer comes from Options TxChannel and
// RxChannel, else from its name ("TX", "MCU TX", "modem" ...), else from
// order: the first analyzer seen is host to module. A Logic 1 file's
// direction comes the same way from the file's name ("uart_rx.csv"); when
// the name says nothing it is left to the tokenizer. Times are seconds from
// the capture's start (or trigger), placed after Options Start. A byte with
// a parity or framing error is kept, and a note right after it names the
// error; so is a row short of the header's columns, kept as text.
var saleaeFormat = Format{
	Name:    "saleae",
	Doc:     "Saleae Logic 1.x and Logic 2 Async Serial CSV exports, one row per byte; times from --start",
	Example: "Time [s],Value,Parity Error,Framing Error",
	Sniff:   sniffSaleae,
	Origin:  OriginCapture, // its ISO 8601 times (Logic 2) carry a date
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &saleaeParser{opt: opt, file: file, chans: channelDirs{opt: opt}})
	},
}

// saleaeColumns says where the fields of a row are; -1 for none.
type saleaeColumns struct {
	time, value, name, typ int
	errs                   []int
	errNames               []string
	n                      int // number of columns in the header
}

// saleaeHeader recognises an analyzer export's header: a time column and a
// value column at least. known is true for the exact headers Logic writes.
func saleaeHeader(line []byte) (cols saleaeColumns, known, ok bool) {
	fields := csvFields(line)
	cols = saleaeColumns{time: -1, value: -1, name: -1, typ: -1, n: len(fields)}
	for i, f := range fields {
		h := strings.ToLower(strings.TrimSpace(f))
		switch {
		case cols.time < 0 && (strings.HasPrefix(h, "time") || strings.HasPrefix(h, "start")):
			cols.time = i
		case cols.value < 0 && (h == "value" || h == "data" || strings.HasPrefix(h, "decoded")):
			cols.value = i
		case cols.name < 0 && (h == "name" || strings.HasPrefix(h, "analyzer")):
			cols.name = i
		case h == "type":
			cols.typ = i
		case strings.Contains(h, "error"):
			cols.errs = append(cols.errs, i)
			cols.errNames = append(cols.errNames, strings.TrimSpace(f))
		}
	}
	if cols.time < 0 || cols.value < 0 || len(fields) > 64 {
		return saleaeColumns{}, false, false
	}
	l := strings.ToLower(string(line))
	known = strings.HasPrefix(l, "time [s],value,") || strings.HasPrefix(l, "name,type,start_time,") ||
		strings.HasPrefix(l, "time [s],analyzer name,")
	return cols, known, true
}

// sniffSaleae looks for the header among the first lines (a line or two
// of comment may come before it).
func sniffSaleae(head []byte) int {
	score, n := 0, 0
	captureHeadLines(head, func(line []byte) bool {
		if _, known, ok := saleaeHeader(line); ok {
			score = 90
			if known {
				score = 100
			}
			return false
		}
		n++
		return n < 3
	})
	return score
}

// csvFields splits a CSV line into fields, unquoting "..." with "" inside.
// A quote that does not close before a comma or the line end is taken as
// a character: Logic 1 writes the byte '"' as it is.
func csvFields(line []byte) []string {
	var fields []string
	for _, f := range appendCSVFields(nil, line) {
		fields = append(fields, string(f))
	}
	return fields
}

// appendCSVFields appends the fields of line to dst, as slices of line
// where no unquoting is needed.
func appendCSVFields(dst [][]byte, line []byte) [][]byte {
	for i := 0; ; {
		if f, next, ok := csvQuoted(line, i); ok {
			dst = append(dst, f)
			if next >= len(line) {
				return dst
			}
			i = next + 1
			continue
		}
		k := bytes.IndexByte(line[i:], ',')
		if k < 0 {
			return append(dst, line[i:])
		}
		dst = append(dst, line[i:i+k])
		i += k + 1
	}
}

// csvQuoted reads a quoted field at i and returns it and the index of the
// comma after it (or the line's length).
func csvQuoted(line []byte, i int) ([]byte, int, bool) {
	if i >= len(line) || line[i] != '"' {
		return nil, 0, false
	}
	var f []byte // set when a doubled quote makes a copy necessary
	for j := i + 1; j < len(line); j++ {
		if line[j] != '"' {
			if f != nil {
				f = append(f, line[j])
			}
			continue
		}
		if j+1 < len(line) && line[j+1] == '"' {
			if f == nil {
				f = append([]byte(nil), line[i+1:j]...)
			}
			f = append(f, '"')
			j++
			continue
		}
		if j+1 == len(line) || line[j+1] == ',' {
			if f == nil {
				f = line[i+1 : j]
			}
			return f, j + 1, true
		}
		return nil, 0, false
	}
	return nil, 0, false
}

// analyzerValue reads a byte as an analyzer shows it in any display radix.
func analyzerValue(s string) (byte, bool) {
	if s == " " {
		return ' ', true
	}
	t := strings.TrimSpace(s)
	if i := strings.LastIndex(t, "(0x"); i > 0 && strings.HasSuffix(t, ")") {
		t = t[i+1 : len(t)-1] // "A (0x41)": the hex is exact
	}
	switch {
	case t == "":
		return 0, false
	case len(t) > 2 && (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')):
		return hexValue(t[2:])
	case len(t) > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B') && len(t) <= 10 && isBits([]byte(t[2:])):
		var v byte
		for _, c := range []byte(t[2:]) {
			v = v<<1 | (c - '0')
		}
		return v, true
	case len(t) >= 3 && t[0] == '\'' && t[len(t)-1] == '\'':
		inner := t[1 : len(t)-1]
		if len(inner) > 1 && len(inner) <= 3 && isDigits(inner) {
			return decValue(inner)
		}
		if inner == "" {
			return 0, false
		}
		t = inner
	}
	switch t {
	case "COMMA":
		return ',', true
	case "SPACE":
		return ' ', true
	}
	if len(t) == 2 && t[0] == '\\' {
		switch t[1] {
		case 'r':
			return '\r', true
		case 'n':
			return '\n', true
		case 't':
			return '\t', true
		case '0':
			return 0, true
		case '\\', '\'', '"':
			return t[1], true
		}
	}
	if len(t) == 4 && t[0] == '\\' && (t[1] == 'x' || t[1] == 'X') {
		return hexValue(t[2:])
	}
	if len(t) == 1 {
		return t[0], true
	}
	if len(t) <= 3 && isDigits(t) {
		return decValue(t)
	}
	if r, n := utf8.DecodeRuneInString(t); n == len(t) && r != utf8.RuneError && r < 256 {
		return byte(r), true // a Latin-1 character
	}
	return 0, false
}

func hexValue(s string) (byte, bool) {
	if len(s) == 0 || len(s) > 2 || !isHexRun([]byte(s)) {
		return 0, false
	}
	v := byte(0)
	for _, c := range []byte(s) {
		v = v<<4 | unhex(c)
	}
	return v, true
}

func decValue(s string) (byte, bool) {
	v, ok := digits([]byte(s), len(s))
	if !ok || v > 255 {
		return 0, false
	}
	return byte(v), true
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if !isDigit(c) {
			return false
		}
	}
	return s != ""
}

type saleaeParser struct {
	opt     Options
	file    string
	fileDir Dir // the direction of a file without a name column
	chans   channelDirs
	cols    saleaeColumns
	header  bool
	before  int // lines before the header
	lastPos Pos // of the last of them
	fields  [][]byte
}

func (p *saleaeParser) parse(l *Line, out *chunkQueue) {
	text := lineText(*l)
	if blank(text) {
		return
	}
	if l.Cont {
		out.add(l.Note(Stamp{}))
		return
	}
	if !p.header {
		p.header = p.findHeader(*l, text, out)
		return
	}
	p.fields = appendCSVFields(p.fields[:0], text)
	fields, c := p.fields, p.cols
	if len(fields) <= max(c.time, c.value, c.name, c.typ) {
		out.add(l.Note(Stamp{}))
		out.add(noteAt(*l, 0, Stamp{}, "saleae: the row has %d of the header's %d columns (a cut or edited export?): kept as text", len(fields), c.n))
		return
	}
	st, ok := p.stamp(string(bytes.TrimSpace(fields[c.time])))
	if !ok {
		out.add(l.Note(Stamp{}))
		return
	}
	if c.typ >= 0 && !bytes.EqualFold(bytes.TrimSpace(fields[c.typ]), []byte("data")) {
		out.add(l.Note(st)) // a frame that is not a byte
		return
	}
	v, ok := analyzerValue(string(fields[c.value]))
	if !ok {
		out.add(l.Note(st))
		return
	}
	dir := p.fileDir
	if c.name >= 0 {
		dir = p.chans.dir(string(bytes.TrimSpace(fields[c.name])))
	}
	out.add(decoded(*l, 0, []byte{v}, dir, st))
	for k, i := range c.errs {
		if i >= len(fields) {
			continue
		}
		e := string(bytes.TrimSpace(fields[i]))
		if e == "" {
			continue
		}
		what := c.errNames[k]
		if !strings.EqualFold(e, "error") && !strings.EqualFold(e, "true") && e != "1" {
			what = e + " " + strings.ToLower(what) // Logic 2: "framing" in an "error" column
		}
		out.add(noteAt(*l, 0, st, "saleae: %s on byte 0x%02X (the byte is kept)", strings.ToLower(what), v))
	}
}

// saleaeHeaderLines is how many lines may come before the header.
const saleaeHeaderLines = 16

// findHeader looks for the header among the first lines and reports
// whether line l is it. Past them it stops looking, and says so once: a
// file without the header (--input-format saleae on another CSV, or a
// header with columns missing) is kept as text.
func (p *saleaeParser) findHeader(l Line, text []byte, out *chunkQueue) bool {
	p.before++
	if p.before <= saleaeHeaderLines {
		if cols, _, ok := saleaeHeader(text); ok {
			p.cols, p.fileDir = cols, fileChannelDir(p.file, p.opt)
			return true
		}
	}
	out.add(l.Note(Stamp{}))
	p.lastPos = l.Pos
	if p.before == saleaeHeaderLines {
		out.add(p.noHeader())
	}
	return false
}

// noHeader is the note that the header was not found, on the last line
// looked at.
func (p *saleaeParser) noHeader() Chunk {
	return Chunk{Pos: p.lastPos, Note: true, Data: []byte("saleae: no header with a time and a value column " +
		"(Time [s],Value or name,type,start_time,duration,data): the file is kept as text")}
}

// stamp reads a row's time: seconds from the capture's start, or an
// ISO 8601 time when Logic 2 exported absolute times.
func (p *saleaeParser) stamp(s string) (Stamp, bool) {
	if d, ok := parseSeconds(s); ok {
		return offsetStamp(d, p.opt), true
	}
	if t, n, ok := parseDateTime([]byte(s)); ok && n == len(s) {
		return Stamp{Time: t, HasDate: true}, true
	}
	return Stamp{}, false
}

func (p *saleaeParser) flush(out *chunkQueue) {
	if !p.header && p.before > 0 && p.before < saleaeHeaderLines {
		out.add(p.noHeader()) // a short file: findHeader did not get to say it
	}
}
