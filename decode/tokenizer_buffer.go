package decode

import (
	"bytes"
	"strings"
)

// emit makes an event of buf[:n] (with kind and text already set), fills in
// its position, time and raw bytes, and holds it for the blanks after it.
func (t *Tokenizer) emit(ev *Event, n int) {
	s := &t.segs[0]
	ev.Pos, ev.Time, ev.TimeSrc = s.pos, s.time, s.tsrc
	ev.Raw = t.raws.copy(t.buf[:n])
	ev.EndLine = t.consume(n)
	t.hold(ev)
}

// takeBlank gives n blank bytes to the held event, or to a text event when
// there is none yet.
func (t *Tokenizer) takeBlank(n int) {
	if !t.holding {
		t.emit(&Event{Kind: KindText, Dir: t.segs[0].dir}, n)
		return
	}
	h := t.held()
	h.Raw = t.raws.extend(h.Raw, t.buf[:n])
	h.EndLine = max(h.EndLine, t.consume(n))
}

// hold queues ev as the held event, after releasing the one before it.
func (t *Tokenizer) hold(ev *Event) {
	t.release()
	t.queue = append(t.queue, *ev)
	t.holding = true
}

// release makes the held event ready.
func (t *Tokenizer) release() {
	if t.holding {
		t.count(t.held())
		t.holding = false
	}
}

// count numbers ev and counts it in the stats.
func (t *Tokenizer) count(ev *Event) {
	ev.Seq = t.seq
	t.seq++
	t.stats.Events++
	if int(ev.Kind) < len(t.byKind) {
		t.byKind[ev.Kind]++
	}
	if ev.Problem != "" {
		t.stats.Problems++
	}
	if ev.Kind == KindText && !ev.Note && ev.Text != "" {
		t.stats.Unrecognised++
	}
}

// consume removes n bytes from the front of buf and returns the line of the
// last one.
func (t *Tokenizer) consume(n int) int {
	last := 0
	for k := n; k > 0; { // buf[n-k:n] is still to be taken
		s := &t.segs[0]
		if k < s.n {
			last = s.take(t.buf[n-k : n])
			break
		}
		last, k = s.last, k-s.n // the rest of the chunk
		t.segs = t.segs[1:]
	}
	t.buf = t.buf[n:]
	t.base += int64(n)
	t.tail = 0
	for len(t.turns) > 0 && t.turns[0] <= t.base {
		t.turns = t.turns[1:]
	}
	if len(t.buf) == 0 {
		t.buf, t.segs, t.turns = nil, nil, nil
		if cap(t.store) > maxKeep {
			t.store = nil // let a long-gone large buffer go
		}
	}
	return last
}

// take removes the bytes b from the front of s, which holds more, and
// returns the line of the last one.
func (s *seg) take(b []byte) int {
	s.n -= len(b)
	if !s.verbatim {
		return s.pos.Line
	}
	nl := countLF(b)
	last := s.pos.Line + nl - boolInt(nl > 0 && b[len(b)-1] == '\n')
	s.pos.Line += nl
	s.pos.Offset += int64(len(b))
	return last
}

// boundary returns the index of the first byte after i whose direction
// differs from byte i's, or len(buf).
func (t *Tokenizer) boundary(i int) int {
	for _, at := range t.turns {
		if at > t.base+int64(i) {
			return int(at - t.base)
		}
	}
	return len(t.buf)
}

// lineAt finds the line that starts at i: its content ends at ce, its line
// end ("\r\n", "\n" or a lone "\r") at le. A change of direction ends a line
// too. ok is false when more input is needed.
func (t *Tokenizer) lineAt(i int) (ce, le int, ok bool) {
	limit := t.boundary(i)
	b := t.buf[i:limit]
	k := indexLineEnd(b)
	switch {
	case k < 0 && (limit < len(t.buf) || t.eof):
		return limit, limit, true
	case k < 0 && len(b) > maxLine:
		return i + maxLine, i + maxLine, true
	case k < 0:
		return 0, 0, false
	}
	ce, le = i+k, i+k+1
	if b[k] == '\r' {
		if k+1 == len(b) && limit == len(t.buf) && !t.eof {
			return 0, 0, false // is the next byte '\n'?
		}
		if k+1 < len(b) && b[k+1] == '\n' {
			le++
		}
	}
	return ce, le, true
}

// str returns buf[i:j] as a string. It is a substring of text, copied anew
// with up to batchBytes after it when it does not hold buf[i:j]: buf's bytes
// never change, so the lines after i will find themselves in it.
func (t *Tokenizer) str(i, j int) string {
	from, to := t.base+int64(i), t.base+int64(j)
	if from < t.textBase || to > t.textBase+int64(len(t.text)) {
		t.text, t.textBase = string(t.buf[i:max(j, min(len(t.buf), i+batchBytes))]), from
	}
	return t.text[from-t.textBase : to-t.textBase]
}

// trimmed returns buf[i:j] as a string without the blanks around it.
func (t *Tokenizer) trimmed(i, j int) string { return strings.TrimSpace(t.str(i, j)) }

// lineScan is how far indexLineEnd looks for a LF before it falls back to a
// byte-by-byte search.
const lineScan = 512

// indexLineEnd returns the index of the first CR or LF in b, or -1. Lines
// are short and most end in LF: looking for the LF, then for a CR before it,
// is two vector searches instead of a byte loop. A log with CR line ends
// only makes it look at up to lineScan bytes more per line.
func indexLineEnd(b []byte) int {
	head := b[:min(len(b), lineScan)]
	if k := bytes.IndexByte(head, '\n'); k >= 0 {
		if r := bytes.IndexByte(head[:k], '\r'); r >= 0 {
			return r
		}
		return k
	}
	return bytes.IndexAny(b, "\r\n")
}

// blankRun counts the CR, LF, space and tab bytes at i.
func (t *Tokenizer) blankRun(i int) int {
	n := 0
	for i+n < len(t.buf) {
		switch t.buf[i+n] {
		case '\r', '\n', ' ', '\t':
			n++
			continue
		}
		break
	}
	return n
}

// lineEndBefore counts the CR and LF bytes just before i (at most two).
func (t *Tokenizer) lineEndBefore(i int) int {
	n := 0
	for n < 2 && i-n > 0 && (t.buf[i-n-1] == '\r' || t.buf[i-n-1] == '\n') {
		n++
	}
	return n
}

// lineEndRun counts the CR and LF bytes at i.
func (t *Tokenizer) lineEndRun(i int) int {
	n := 0
	for i+n < len(t.buf) && (t.buf[i+n] == '\r' || t.buf[i+n] == '\n') {
		n++
	}
	return n
}

// lastLine is the line of a chunk's last byte.
func lastLine(c *Chunk) int {
	if !c.Verbatim {
		return c.Pos.Line
	}
	return c.Pos.Line + countLF(c.Data[:len(c.Data)-1])
}

// countLF is bytes.Count of "\n", quicker on the usual bytes that hold
// none (the line before a line end): one vector search, where bytes.Count
// takes three calls to reach its own.
func countLF(b []byte) int {
	if bytes.IndexByte(b, '\n') < 0 {
		return 0
	}
	return bytes.Count(b, []byte{'\n'})
}
