package decode

// A log pasted into notes or a ticket is often indented as a block: every
// line, payload lines included, starts with the same blanks, which the
// module never sent. Inside a counted payload the declared length decides
// whether a line's leading blanks are the block's indent or payload.

// noteIndent keeps, from a blank run of n bytes at the front of buf, how
// many blanks the line after it is indented by.
func (t *Tokenizer) noteIndent(n int) {
	for k := n - 1; k >= 0; k-- {
		if c := t.buf[k]; c == '\n' || c == '\r' {
			t.indent = n - 1 - k
			return
		}
	}
	t.indent += n
}

// takeIndent returns the indent of the line about to be lexed, and forgets
// it.
func (t *Tokenizer) takeIndent() int {
	n := t.indent
	t.indent = 0
	return n
}

// dedented reads the counted payload of d at the front of buf with up to
// d.indent blanks left out at the start of each of its lines, the block's
// indent. It reports whether that reading holds: its N bytes end at a line
// end where the N bytes as they are do not. end is where the payload ends
// in buf, text the payload. ok is false when more input is needed.
func (t *Tokenizer) dedented(d *dataMode) (end int, text string, holds, ok bool) {
	limit := t.boundary(0)
	if d.frame.N+1 >= limit && !t.eof && limit == len(t.buf) {
		return 0, "", false, false // the bytes as they are decide first
	}
	if t.endsLine(d.frame.N, limit) {
		return 0, "", false, true
	}
	var b []byte
	start := d.lineStart
	p := 0
	for len(b) < d.frame.N {
		if p >= limit {
			if limit == len(t.buf) && !t.eof {
				return 0, "", false, false
			}
			return 0, "", false, true
		}
		if start {
			for k := 0; k < d.indent && p < limit && (t.buf[p] == ' ' || t.buf[p] == '\t'); k++ {
				p++
			}
			start = false
			continue
		}
		b = append(b, t.buf[p])
		start = t.buf[p] == '\n'
		p++
	}
	if p >= limit && limit == len(t.buf) && !t.eof {
		return 0, "", false, false
	}
	if !t.endsLine(p, limit) {
		return 0, "", false, true
	}
	return p, string(b), true, true
}

// endsLine reports whether a payload that ends at i is followed by a line
// end (not the LF of a CR LF it cut), a change of direction or the end of
// input.
func (t *Tokenizer) endsLine(i, limit int) bool {
	if i >= limit {
		return true
	}
	return t.buf[i] == '\r' || t.buf[i] == '\n' && (i == 0 || t.buf[i-1] != '\r')
}
