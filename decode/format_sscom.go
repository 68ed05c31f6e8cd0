package decode

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sscomFormat reads logs of SSCOM, the serial tool most Chinese module
// vendors' application notes use:
//
//	[00:15:17.475]发→◇AT+CWMODE=1
//	□
//	[00:15:17.484]收←◆
//	OK
//
// SSCOM stamps each read or write, not each line: the bytes of a record run
// on over the following lines, which have no prefix, until the next record.
// "□" stands for the CR LF that SSCOM appended to a send ("add CR LF"); it
// sits on a line of its own, or at the end of the send line when the time
// stamps are off ("发→◇AT+QCCID□"). SSCOM saves its log in the system code
// page as often as in UTF-8, so both spellings of the markers are recognised
// and text that is not UTF-8 is decoded as GBK.
var sscomFormat = Format{
	Name:    "sscom",
	Doc:     "SSCOM serial tool logs: [HH:MM:SS.mmm]发→◇ sent, 收←◆ received; UTF-8 or GBK",
	Example: "[00:15:17.475]发→◇AT+CWMODE=1",
	Sniff:   sniffSSCOM,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &sscomParser{opt: opt})
	},
}

// The record markers and the CR LF mark, in UTF-8 and in GBK (code page 936).
var (
	sscomSendUTF8 = []byte("发→◇")
	sscomRecvUTF8 = []byte("收←◆")
	sscomSendGBK  = []byte{0xB7, 0xA2, 0xA1, 0xFA, 0xA1, 0xF3}
	sscomRecvGBK  = []byte{0xCA, 0xD5, 0xA1, 0xFB, 0xA1, 0xF4}
	sscomCRLFMark = []byte("□")
	sscomCRLFGBK  = []byte{0xA1, 0xF5}
	utf8BOM       = []byte{0xEF, 0xBB, 0xBF}
)

// sscomPrefix parses the record prefix at the start of line: an optional
// "[time]" and a direction marker. It returns where the serial bytes start,
// the direction, the time (zero when the stamps are off), whether the marker
// was GBK-encoded, and ok.
func sscomPrefix(line []byte, opt Options) (start int, dir Dir, st Stamp, gbk, ok bool) {
	i := 0
	if len(line) > 0 && line[0] == '[' {
		end := bytes.IndexByte(line, ']')
		if end < 0 {
			return 0, 0, Stamp{}, false, false
		}
		field := line[1:end]
		if c, n, ok := parseClock(field); ok && n == len(field) {
			st = stampOf(c, opt)
		} else if t, n, ok := parseDateTime(field); ok && n == len(field) {
			st = Stamp{Time: t, HasDate: true}
		} else {
			return 0, 0, Stamp{}, false, false
		}
		i = end + 1
	}
	rest := line[i:]
	switch {
	case bytes.HasPrefix(rest, sscomSendUTF8):
		return i + len(sscomSendUTF8), DirToModule, st, false, true
	case bytes.HasPrefix(rest, sscomRecvUTF8):
		return i + len(sscomRecvUTF8), DirFromModule, st, false, true
	case bytes.HasPrefix(rest, sscomSendGBK):
		return i + len(sscomSendGBK), DirToModule, st, true, true
	case bytes.HasPrefix(rest, sscomRecvGBK):
		return i + len(sscomRecvGBK), DirFromModule, st, true, true
	}
	return 0, 0, Stamp{}, false, false
}

// sniffSSCOM scores by the lines that start a record. Continuation lines
// carry no prefix, so any record line is strong evidence: the markers occur
// in no other tool's output.
func sniffSSCOM(head []byte) int {
	return sniffByLines(head, func(line []byte) bool {
		_, _, _, _, ok := sscomPrefix(line, Options{})
		return ok
	})
}

type sscomParser struct {
	opt      Options
	dir      Dir
	st       Stamp
	inRecord bool
	gbk      bool // the last marker was GBK: the file is in code page 936
	dec      *encoding.Decoder

	// held is the newest chunk of a send. It waits for the next line: when
	// that is "□", the held line end was only SSCOM's layout of the CR LF
	// that "□" stands for, and is cut.
	held    Chunk
	heldEnd int // length of held's line end
	holding bool
}

func (p *sscomParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		p.release(out)
		p.data(*l, 0, out)
		return
	}
	text := l.Text()
	skip := 0
	if l.Pos.Offset == 0 && bytes.HasPrefix(text, utf8BOM) {
		skip = len(utf8BOM)
	}
	if start, dir, st, gbk, ok := sscomPrefix(text[skip:], p.opt); ok {
		p.release(out)
		p.dir, p.st, p.gbk, p.inRecord = dir, st, gbk, true
		p.data(*l, skip+start, out)
		return
	}
	if p.inRecord && p.dir == DirToModule && isCRLFMark(text) {
		if p.holding {
			p.held.Data = p.held.Data[:len(p.held.Data)-p.heldEnd]
		}
		p.release(out)
		out.add(p.crlf(l.Pos))
		return
	}
	p.release(out)
	p.data(*l, 0, out)
}

func (p *sscomParser) flush(out *chunkQueue) { p.release(out) }

func (p *sscomParser) release(out *chunkQueue) {
	if p.holding {
		out.add(p.held)
		p.holding = false
	}
}

// data emits the bytes of l from start: serial data of the current record,
// or a note before the first record, since every record has a prefix.
func (p *sscomParser) data(l Line, start int, out *chunkQueue) {
	var c Chunk
	if p.inRecord {
		c = l.Data(start, p.dir, p.st)
	} else {
		c = l.Note(Stamp{})
	}
	body := len(c.Data) - lineEndLen(c.Data)
	if needsGBK(c.Data[:body], p.gbk) {
		c.Data = append(p.decodeGBK(c.Data[:body]), c.Data[body:]...)
		c.Verbatim = false
		body = len(c.Data) - lineEndLen(c.Data)
	}
	if !p.inRecord || p.dir != DirToModule {
		out.add(c)
		return
	}
	if bytes.HasSuffix(c.Data[:body], sscomCRLFMark) {
		// Time stamps off: "发→◇AT+QCCID□". The mark and the line end after
		// it are the CR LF; the mark is at the end of the source line.
		markLen := len(sscomCRLFMark)
		if !c.Verbatim {
			markLen = len(sscomCRLFGBK)
		}
		pos := l.Pos
		pos.Offset += int64(len(l.Text()) - markLen)
		c.Data = c.Data[:body-len(sscomCRLFMark)]
		out.add(c)
		out.add(p.crlf(pos))
		return
	}
	p.held, p.heldEnd, p.holding = c, len(c.Data)-body, true
}

// crlf is the CR LF that "□" at pos stands for.
func (p *sscomParser) crlf(pos Pos) Chunk {
	return Chunk{Data: []byte("\r\n"), Pos: pos, Dir: p.dir, Time: p.st.Time, TimeSrc: p.st.source()}
}

func (p *sscomParser) decodeGBK(b []byte) []byte {
	if p.dec == nil {
		p.dec = simplifiedchinese.GBK.NewDecoder()
	}
	p.dec.Reset()
	// GBK never needs more than 3/2 of its length in UTF-8 unless bytes are
	// invalid; Append grows the buffer for those.
	out, _, err := transform.Append(p.dec, make([]byte, 0, len(b)+len(b)/2+4), b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// needsGBK reports whether b is code page 936 text: a file whose markers are
// GBK has all its text so, and a UTF-8 file's invalid lines are most likely
// pasted from one.
func needsGBK(b []byte, gbkFile bool) bool {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return gbkFile || !utf8.Valid(b[i:])
		}
	}
	return false
}

// isCRLFMark reports whether a line is SSCOM's "□" alone, in either encoding.
func isCRLFMark(text []byte) bool {
	return bytes.Equal(text, sscomCRLFMark) || bytes.Equal(text, sscomCRLFGBK)
}

// lineEndLen is the length of the "\n" or "\r\n" that ends b.
func lineEndLen(b []byte) int {
	n := len(b)
	if n == 0 || b[n-1] != '\n' {
		return 0
	}
	if n > 1 && b[n-2] == '\r' {
		return 2
	}
	return 1
}

// sniffByLines scores head by the share of its non-blank lines that match:
// 0 when none does, else 50 to 100, so that a format whose prefix is found
// at all outranks the raw fallback and the generic formats.
func sniffByLines(head []byte, match func(line []byte) bool) int {
	head = bytes.TrimPrefix(head, utf8BOM)
	hits, total := 0, 0
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		total++
		if match(line) {
			hits++
		}
	}
	if hits == 0 {
		return 0
	}
	return 50 + 50*hits/total
}
