package decode

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// gzipMagic starts every gzip stream [RFC 1952 §2.3.1].
var gzipMagic = []byte{0x1f, 0x8b}

// isGzip reports whether the input starts like a gzip stream.
func isGzip(br *bufio.Reader) bool {
	head, _ := br.Peek(len(gzipMagic))
	return bytes.Equal(head, gzipMagic)
}

// gunzip decompresses a gzip input (a .gz log, or gzip on standard input)
// as it is read. Positions then count the uncompressed bytes: line and
// offset are those of the log inside.
func gunzip(br *bufio.Reader) (*bufio.Reader, error) {
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gzip header: %w", err)
	}
	return bufio.NewReaderSize(&gzipReader{zr: zr}, SniffSize), nil
}

// gzipReader counts what it decompresses, so that a damaged or cut stream
// is reported where in the log it stops; the bytes before that are read.
type gzipReader struct {
	zr          *gzip.Reader
	n, newlines int64
}

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	g.n += int64(n)
	g.newlines += int64(bytes.Count(p[:n], []byte{'\n'}))
	if err != nil && err != io.EOF {
		what := "the gzip data is damaged"
		if errors.Is(err, io.ErrUnexpectedEOF) {
			what = "the gzip file is cut short"
		}
		err = fmt.Errorf("line %d (byte %d uncompressed): %s: %w", g.newlines+1, g.n, what, err)
	}
	return n, err
}

// Decompress returns the bytes of the log that r holds, as Open reads them:
// decompressed when r is a gzip stream, UTF-16 as UTF-8, unchanged
// otherwise. It is for reading a log's lines back (the lines a finding
// quotes, a redacted copy), which must be those the positions count.
func Decompress(r io.Reader, file string) (io.Reader, error) {
	text, _, err := DecompressText(r, file)
	return text, err
}

// UTF16 says how a log held its text in UTF-16: Found, its byte order and
// whether it starts with a byte order mark.
type UTF16 struct{ Found, BigEndian, BOM bool }

// DecompressText is Decompress, also saying whether the log was UTF-16, for
// a consumer that writes the text back as the log had it (a redacted copy).
func DecompressText(r io.Reader, file string) (io.Reader, UTF16, error) {
	br := bufio.NewReaderSize(r, SniffSize)
	if isGzip(br) {
		var err error
		if br, err = gunzip(br); err != nil {
			return nil, UTF16{}, fmt.Errorf("%s: %w", file, err)
		}
	}
	if big, bom, ok := utf16Order(br); ok {
		return fromUTF16(br, big, bom), UTF16{Found: true, BigEndian: big, BOM: bom}, nil
	}
	return br, UTF16{}, nil
}
