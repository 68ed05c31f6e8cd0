package redact

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"

	"atscope/decode"
)

// maxSegment bounds how much serial text without a line end is held at
// once; a longer line is handled in pieces.
const maxSegment = 1 << 20

// Copy writes the log src to dst with every learned secret replaced and
// every other byte as it was. The secrets are looked for in the serial
// bytes the format reader decodes from src (so a secret that a log tool
// split over two stamped lines is whole again), then the bytes that hold
// them are rewritten where the file has them: in place for text logs, as
// the same hex notation for captures that write each byte as a number
// (logic-analyzer CSVs, hex dumps). A gzip log is written decompressed; a
// UTF-16 log is read as decode reads it and written back in UTF-16 (one
// with a damaged code unit gets no copy).
//
// Placeholders are fitted to the length of the secret they replace
// ("<p1>*****", "<p1>", "***": see placeholder), so that the lengths a log declares
// (payload counts, AT+MQTTLONGPASSWORD=0,<n>) stay true and the copy
// decodes as the original does. src is read twice at once, decoded and as
// it is, each as far as the other needs: memory is bounded by the longest
// line.
func (r *Redactor) Copy(dst io.Writer, src io.ReaderAt, file, format string, opt decode.Options) (n int64, err error) {
	raw, enc, err := decode.DecompressText(io.NewSectionReader(src, 0, math.MaxInt64), file)
	if err != nil {
		return 0, err
	}
	if enc.Found {
		if err := checkUTF16(src, file); err != nil {
			return 0, err
		}
		u := &utf16Writer{w: dst, enc: enc}
		dst = u
		defer func() {
			if err == nil && !u.started {
				_, err = u.Write(nil) // a log of its byte order mark alone
			}
			n = u.n
		}()
	}
	l := &locator{r: r, chunks: map[int32][]byte{}, w: serial{chunks: map[int32][]byte{}}}
	if r == nil || len(r.secrets) == 0 {
		l.mark = math.MaxInt64
	} else if l.cr, _, err = decode.Open(io.NewSectionReader(src, 0, math.MaxInt64), file, format, opt); err != nil {
		return 0, err
	}
	return l.write(dst, raw, file)
}

// patch is one byte to change.
type patch struct {
	off   int64 // the byte's offset in the file, or its chunk's
	chunk int32 // -1 for a byte the file holds as it is; else its chunk's number
	k     int32 // the byte's index in its chunk
	b     byte  // what it becomes
}

// locator decodes the log as far as the writer needs and finds the bytes
// to change.
type locator struct {
	r       *Redactor
	cr      decode.ChunkReader
	w       serial
	id      int32
	pending []patch // found and not yet written, in file order, from head on
	head    int
	chunks  map[int32][]byte // the serial bytes of each chunk a pending patch rewrites
	mark    int64            // every patch below this file offset is found
}

// until decodes and searches until every patch below off is found.
func (l *locator) until(off int64, file string) error {
	for l.mark < off {
		if !l.cr.Next() {
			if err := l.cr.Err(); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			l.search(len(l.w.text), len(l.w.text))
			l.mark = math.MaxInt64
			return nil
		}
		c := l.cr.Chunk()
		if c.Note && !c.Verbatim {
			continue // a reader's own words, not in the file
		}
		l.id++
		l.w.add(c, l.id)
		l.searchLines()
		l.w.compact()
		if len(l.w.text) > 0 {
			l.mark = l.w.origin(0).off
		} else {
			l.mark = c.Pos.Offset // the next chunk may share its line
		}
	}
	return nil
}

// searchLines searches each line of the window that has the next line
// after it (a secret may run over one line end).
func (l *locator) searchLines() {
	w := &l.w
	for {
		first, second := lineEnd(w.text, w.start), -1
		if first > 0 {
			second = lineEnd(w.text, first)
		}
		if second < 0 && len(w.text)-w.start < 2*maxSegment {
			return
		}
		if first < 0 || first-w.start > maxSegment {
			first, second = w.start+maxSegment, len(w.text)
		}
		if second < 0 {
			second = len(w.text)
		}
		l.search(first, second)
	}
}

// lineEnd is the index after the first '\n' at or after from, or -1.
func lineEnd(b []byte, from int) int {
	if i := bytes.IndexByte(b[from:], '\n'); i >= 0 {
		return from + i + 1
	}
	return -1
}

// search finds the secrets that start in the window before n, looking
// as far as upto, and records their bytes.
func (l *locator) search(n, upto int) {
	w := &l.w
	base := w.start
	// Only what starts before n is replaced now. When that is a line, no
	// argument runs past its end: a secret after it is the next search's.
	starts := upto - base
	if n > base && w.text[n-1] == '\n' {
		starts = n - base
	}
	if !holds(l.r.allNow(), w.text[base:upto], starts, true) {
		w.start = n // nothing to replace: no copy of the window
		return
	}
	text := string(w.text[base:upto])
	for _, e := range l.r.edits(text, true, true, nil) {
		if e.start+base >= n {
			break
		}
		if e.start+base < w.covered {
			continue
		}
		for i := e.start; i < e.end; i++ {
			if e.repl[i-e.start] == text[i] {
				continue
			}
			o := w.origin(base + i)
			l.pending = append(l.pending, patch{off: o.off, chunk: o.chunk, k: o.k, b: e.repl[i-e.start]})
			if o.chunk >= 0 {
				l.chunks[o.chunk] = w.chunks[o.chunk]
			}
		}
		w.covered = max(w.covered, base+e.end)
	}
	w.start = n
}

// write copies raw to dst, line by line, with the patches applied.
func (l *locator) write(dst io.Writer, raw io.Reader, file string) (int64, error) {
	lines := newSegments(raw)
	var written, off int64
	line := 1
	for {
		seg, err := lines.next()
		if len(seg) > 0 {
			end := off + int64(len(seg))
			if uerr := l.until(end, file); uerr != nil {
				return written, uerr
			}
			if perr := l.apply(seg, off, end); perr != nil {
				return written, fmt.Errorf("%s:%d: %w", file, line, perr)
			}
			n, werr := dst.Write(seg)
			written += int64(n)
			if werr != nil {
				return written, werr
			}
			off = end
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
	if left := len(l.pending) - l.head; left > 0 {
		return written, fmt.Errorf("%s: %d bytes to replace lie past the end of the file", file, left)
	}
	return written, nil
}

// apply changes seg, which holds the file's bytes from off to end, by the
// pending patches below end.
func (l *locator) apply(seg []byte, off, end int64) error {
	n := l.head
	for n < len(l.pending) && l.pending[n].off < end {
		n++
	}
	group := l.pending[l.head:n]
	sort.SliceStable(group, func(i, j int) bool { return group[i].off < group[j].off })
	for i := 0; i < len(group); {
		g := group[i]
		if g.off < off {
			return fmt.Errorf("a secret's byte at offset %d lies before its line", g.off)
		}
		if g.chunk < 0 {
			seg[g.off-off] = g.b
			i++
			continue
		}
		j := i
		changes := map[int32]byte{}
		for j < len(group) && group[j].chunk == g.chunk {
			changes[group[j].k] = group[j].b
			j++
		}
		if err := rewriteChunk(seg, int(g.off-off), l.chunks[g.chunk], changes); err != nil {
			return err
		}
		delete(l.chunks, g.chunk)
		i = j
	}
	l.head = n
	if l.head > len(l.pending)/2 {
		l.pending = append(l.pending[:0], l.pending[l.head:]...)
		l.head = 0
	}
	return nil
}
