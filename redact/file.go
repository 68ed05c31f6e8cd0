package redact

import (
	"bufio"
	"bytes"
	"io"
	"strings"
)

// maxSegment bounds how much of one line Copy holds; a longer line is
// handled in pieces.
const maxSegment = 1 << 20

// Copy writes src to dst with every learned secret replaced and every other
// byte as it was. Placeholders are fitted to the length of the secret they
// replace ("<password-1>***", "<p1>", "****"), so that the lengths a log
// declares (payload counts, AT+MQTTLONGPASSWORD=0,<n>) stay true and the
// copy decodes as the original does. A secret that a log tool split over
// two lines (a long echo stamped twice) is replaced in both pieces. Memory
// is bounded by the longest line.
func (r *Redactor) Copy(dst io.Writer, src io.Reader) (int64, error) {
	br := bufio.NewReaderSize(src, 64<<10)
	var written int64
	var prev []byte // the previous segment, held for a secret split across the line end
	line := 1
	prevLine := 0
	write := func(b []byte) error {
		n, err := dst.Write(b)
		written += int64(n)
		return err
	}
	for {
		seg, err := readSegment(br)
		if len(seg) > 0 {
			cur := r.redactLine(seg, line)
			if prev != nil {
				prev, cur = r.joinSplit(prev, cur)
				if werr := write(prev); werr != nil {
					return written, werr
				}
			}
			prev, prevLine = cur, line
			if seg[len(seg)-1] == '\n' {
				line++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return written, err
		}
	}
	_ = prevLine
	if prev != nil {
		if err := write(prev); err != nil {
			return written, err
		}
	}
	return written, nil
}

// readSegment reads one line with its "\n", or maxSegment bytes of a longer one.
func readSegment(br *bufio.Reader) ([]byte, error) {
	var seg []byte
	for {
		part, err := br.ReadSlice('\n')
		seg = append(seg, part...)
		if err == bufio.ErrBufferFull && len(seg) < maxSegment {
			continue
		}
		if err == bufio.ErrBufferFull {
			return seg, nil
		}
		return seg, err
	}
}

// redactLine replaces the secrets of one segment of line.
func (r *Redactor) redactLine(seg []byte, line int) []byte {
	if r == nil || len(r.secrets) == 0 {
		return seg
	}
	s := string(seg)
	out := r.inPlaceAt(r.replace(s, true), line, line, true)
	if out == s {
		return seg
	}
	return []byte(out)
}

// joinSplit finds a secret whose head ends prev (before its line end) and
// whose tail starts within the first bytes of cur's text, and replaces both
// pieces with the matching pieces of its fitted placeholder.
func (r *Redactor) joinSplit(prev, cur []byte) ([]byte, []byte) {
	body := bytes.TrimRight(prev, "\r\n")
	for _, s := range r.secrets {
		v := s.Value
		if s.scope != anywhere || len(v) < 8 {
			continue
		}
		for k := len(v) - 3; k >= 3; k-- {
			if !bytes.HasSuffix(body, []byte(v[:k])) {
				continue
			}
			window := cur[:min(len(cur), 100+len(v))]
			j := bytes.Index(window, []byte(v[k:]))
			if j < 0 {
				continue
			}
			end := j + len(v) - k
			if end < len(cur) && isWord(cur[end]) {
				continue
			}
			ph := placeholder(s.Placeholder, len(v), true)
			head := append([]byte{}, prev[:len(body)-k]...)
			head = append(head, ph[:k]...)
			head = append(head, prev[len(body):]...)
			tail := append([]byte{}, cur[:j]...)
			tail = append(tail, ph[k:]...)
			tail = append(tail, cur[end:]...)
			return head, tail
		}
	}
	return prev, cur
}

// containsAlone reports whether v occurs in text not touching a letter,
// digit or '_'.
func containsAlone(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(v)
		if (at == 0 || !isWord(text[at-1])) && (end == len(text) || !isWord(text[end])) {
			return true
		}
		i = at + 1
	}
}

// Leaks lists the learned secrets that text still holds: a check after
// redaction.
func (r *Redactor) Leaks(text string) []Secret {
	if r == nil {
		return nil
	}
	var out []Secret
	for _, s := range r.secrets {
		if s.scope == inPlace {
			continue
		}
		if s.scope == anywhere && strings.Contains(text, s.Value) || s.scope == alone && containsAlone(text, s.Value) {
			out = append(out, s.Secret)
		}
	}
	return out
}
