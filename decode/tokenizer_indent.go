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

// dedented reads a counted payload of n bytes that starts at from in buf,
// with up to indent blanks left out at the start of each of its lines (the
// first too when lineStart): the block's indent. It reports whether that
// reading holds: its n bytes end at a line end where the n bytes as they
// are do not. end is where the payload ends in buf, text the payload. ok is
// false when more input is needed.
func (t *Tokenizer) dedented(from, n, indent int, lineStart bool) (end int, text string, holds, ok bool) {
	limit := t.boundary(from)
	more := limit == len(t.buf) && !t.eof // bytes up to limit may follow
	if from+n >= limit && more {
		return 0, "", false, false // the bytes as they are decide first
	}
	if t.endsLine(from+n, limit) {
		return 0, "", false, true
	}
	var b []byte
	p := from
	for len(b) < n {
		if p >= limit {
			return 0, "", false, !more
		}
		if lineStart {
			for k := 0; k < indent && p < limit && (t.buf[p] == ' ' || t.buf[p] == '\t'); k++ {
				p++
			}
			lineStart = false
			continue
		}
		b = append(b, t.buf[p])
		lineStart = t.buf[p] == '\n'
		p++
	}
	if p >= limit && more {
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
