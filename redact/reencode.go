package redact

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// segments reads a file line by line, a line longer than maxSegment in
// pieces.
type segments struct {
	br  *bufio.Reader
	buf []byte
}

func newSegments(r io.Reader) *segments {
	return &segments{br: bufio.NewReaderSize(r, 64<<10)}
}

func (s *segments) next() ([]byte, error) {
	s.buf = s.buf[:0]
	for {
		part, err := s.br.ReadSlice('\n')
		s.buf = append(s.buf, part...)
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(s.buf) < maxSegment {
				continue
			}
			return s.buf, nil
		}
		return s.buf, err
	}
}

// rewriteChunk changes, in line, the bytes of a chunk that a format reader
// decoded from line[from:] rather than copied (data[k] becomes changes[k]):
// written as hex numbers ("0x41", "\x41"), as hex pairs ("41 54"), or as
// text among escapes. The notation is found by locating every byte of the
// chunk, in order, in one of them; a line where none fits is an error, as
// nothing is better than a copy that keeps a secret.
func rewriteChunk(line []byte, from int, data []byte, changes map[int32]byte) error {
	for _, prefixes := range [][]string{{"0x", "0X", `\x`}, {""}} {
		if at, ok := hexPlaces(line, from, data, prefixes); ok {
			for k, b := range changes {
				writeHex(line[at[k]:at[k]+2], b)
			}
			return nil
		}
	}
	// Text: each run of changed bytes stands as it is, in order.
	pos := from
	for k := int32(0); k < int32(len(data)); k++ {
		if _, ok := changes[k]; !ok {
			continue
		}
		end := k
		for end < int32(len(data)) {
			if _, ok := changes[end]; !ok {
				break
			}
			end++
		}
		i := bytes.Index(line[pos:], data[k:end])
		if i < 0 {
			return fmt.Errorf("cannot find the secret's bytes %q in the line to rewrite them", data[k:end])
		}
		for j := k; j < end; j++ {
			line[pos+i+int(j-k)] = changes[j]
		}
		pos += i + int(end-k)
		k = end
	}
	return nil
}

// hexPlaces finds each byte of data, in order from line[from], as two hex
// digits after one of prefixes (or standing alone for the empty prefix),
// and returns where each pair of digits is.
func hexPlaces(line []byte, from int, data []byte, prefixes []string) ([]int, bool) {
	at := make([]int, 0, len(data))
	pos := from
	for _, b := range data {
		i, ok := nextHex(line, pos, b, prefixes)
		if !ok {
			return nil, false
		}
		at = append(at, i)
		pos = i + 2
	}
	return at, true
}

func nextHex(line []byte, pos int, b byte, prefixes []string) (int, bool) {
	for i := pos; i+2 <= len(line); i++ {
		v, ok := hexByte(line[i], line[i+1])
		if !ok || v != b || i+2 < len(line) && isHexDigit(line[i+2]) {
			continue
		}
		for _, p := range prefixes {
			if p == "" && (i == 0 || !isHexDigit(line[i-1]) && line[i-1] != 'x' && line[i-1] != 'X') ||
				p != "" && i >= len(p) && string(line[i-len(p):i]) == p {
				return i, true
			}
		}
	}
	return 0, false
}

func isHexDigit(c byte) bool {
	_, ok := unhex(c)
	return ok
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func hexByte(hi, lo byte) (byte, bool) {
	h, ok1 := unhex(hi)
	l, ok2 := unhex(lo)
	return h<<4 | l, ok1 && ok2
}

// writeHex writes b as two hex digits over dst, in dst's letter case.
func writeHex(dst []byte, b byte) {
	digits := "0123456789ABCDEF"
	if dst[0] >= 'a' && dst[0] <= 'f' || dst[1] >= 'a' && dst[1] <= 'f' {
		digits = "0123456789abcdef"
	}
	dst[0], dst[1] = digits[b>>4], digits[b&15]
}
