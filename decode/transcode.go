package decode

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// A layer that makes an input readable before its format is sniffed, as
// gunzip does: positions then count the bytes after the layer (UTF-8 text),
// not the file's.

// utf16Order says that the input is UTF-16 (Windows tools save "Unicode"
// text so): by its byte order mark (bom), or, without one, by ASCII text
// whose every other byte is 0.
func utf16Order(br *bufio.Reader) (bigEndian, bom, ok bool) {
	head, _ := br.Peek(utf16Probe)
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return false, true, true
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return true, true, true
	case len(head) < 16:
		return false, false, false
	}
	le, be := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		switch a, b := head[i], head[i+1]; {
		case b == 0 && isTextByte(a):
			le++
		case a == 0 && isTextByte(b):
			be++
		}
	}
	pairs := len(head) / 2
	switch {
	case le*10 >= pairs*9:
		return false, false, true
	case be*10 >= pairs*9:
		return true, false, true
	}
	return false, false, false
}

// utf16Probe is how much of an input without a byte order mark is looked at
// to tell UTF-16 text.
const utf16Probe = 512

// isTextByte reports a byte of ASCII log text: printable, tab, CR or LF.
func isTextByte(c byte) bool { return c >= ' ' && c < 0x7f || c == '\t' || c == '\r' || c == '\n' }

// fromUTF16 reads a UTF-16 input, its byte order mark dropped, as UTF-8.
func fromUTF16(br *bufio.Reader, bigEndian, bom bool) *bufio.Reader {
	if bom {
		br.Discard(2)
	}
	return bufio.NewReaderSize(&utf16Reader{r: br, big: bigEndian}, SniffSize)
}

// utf16Reader turns UTF-16 code units into UTF-8; an unpaired surrogate or
// a last odd byte becomes U+FFFD, as a damaged byte would show.
type utf16Reader struct {
	r    *bufio.Reader
	big  bool
	high rune   // a high surrogate waiting for its low half
	out  []byte // UTF-8 not yet returned
	err  error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 && u.err == nil {
		u.decode()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	if len(u.out) == 0 && u.err != nil {
		return n, u.err
	}
	return n, nil
}

// decode turns the next code unit into UTF-8.
func (u *utf16Reader) decode() {
	var pair [2]byte
	n, err := io.ReadFull(u.r, pair[:])
	if err != nil {
		if n > 0 || u.high != 0 {
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
		}
		u.err = err
		if err == io.ErrUnexpectedEOF {
			u.err = io.EOF
		}
		return
	}
	c := rune(pair[0]) | rune(pair[1])<<8
	if u.big {
		c = rune(pair[1]) | rune(pair[0])<<8
	}
	switch {
	case u.high != 0:
		r := utf16.DecodeRune(u.high, c)
		u.high = 0
		if r == utf8.RuneError && !utf16.IsSurrogate(c) {
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
			u.out = utf8.AppendRune(u.out, c)
			return
		}
		u.out = utf8.AppendRune(u.out, r)
	case c >= 0xd800 && c < 0xdc00:
		u.high = c
	default:
		u.out = utf8.AppendRune(u.out, c) // a lone low surrogate is RuneError
	}
}
