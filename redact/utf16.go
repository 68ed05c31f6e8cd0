package redact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"atscope/decode"
)

// utf16Writer writes the UTF-8 text decode read from a UTF-16 log back as
// UTF-16, in the log's byte order and with its byte order mark, so that
// the redacted copy of a UTF-16 log is UTF-16 with its other bytes as they
// were. n counts the bytes written.
type utf16Writer struct {
	w       io.Writer
	enc     decode.UTF16
	started bool
	part    []byte // the start of a character the next Write completes
	buf     []byte
	n       int64
}

func (u *utf16Writer) Write(p []byte) (int, error) {
	u.buf = u.buf[:0]
	if !u.started && u.enc.BOM {
		u.buf = u.unit(u.buf, 0xfeff)
	}
	u.started = true
	data := p
	if len(u.part) > 0 {
		data = append(u.part, p...)
		u.part = nil
	}
	for len(data) > 0 {
		if !utf8.FullRune(data) {
			u.part = append([]byte(nil), data...)
			break
		}
		r, size := utf8.DecodeRune(data)
		for _, c := range utf16.AppendRune(nil, r) {
			u.buf = u.unit(u.buf, uint16(c))
		}
		data = data[size:]
	}
	n, err := u.w.Write(u.buf)
	u.n += int64(n)
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// unit appends one code unit in the log's byte order.
func (u *utf16Writer) unit(b []byte, c uint16) []byte {
	if u.enc.BigEndian {
		return append(b, byte(c>>8), byte(c))
	}
	return append(b, byte(c), byte(c>>8))
}

// errUTF16Damaged says why a UTF-16 log gets no copy.
var errUTF16Damaged = errors.New("the UTF-16 log holds an unpaired surrogate, an odd last byte or U+FFFD, " +
	"which a copy cannot write back as it was: no copy is written (convert the log to UTF-8 and redact that)")

// checkUTF16 refuses, before any byte is written, a UTF-16 log whose text
// does not turn back into the same code units: decode read a damaged code
// unit as U+FFFD.
func checkUTF16(src io.ReaderAt, file string) error {
	text, _, err := decode.DecompressText(io.NewSectionReader(src, 0, math.MaxInt64), file)
	if err != nil {
		return err
	}
	br := bufio.NewReader(text)
	for line := 1; ; {
		r, _, err := br.ReadRune()
		switch {
		case err == io.EOF:
			return nil
		case err != nil:
			return fmt.Errorf("%s:%d: %w", file, line, err)
		case r == utf8.RuneError:
			return fmt.Errorf("%s:%d: %w", file, line, errUTF16Damaged)
		case r == '\n':
			line++
		}
	}
}
