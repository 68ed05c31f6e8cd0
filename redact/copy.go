package redact

import (
	"bytes"
	"fmt"
	"io"
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
// (logic-analyzer CSVs, hex dumps). A gzip log is written decompressed.
//
// Placeholders are fitted to the length of the secret they replace
// ("<password-1>***", "<p1>", "****"), so that the lengths a log declares
// (payload counts, AT+MQTTLONGPASSWORD=0,<n>) stay true and the copy
// decodes as the original does. Memory is bounded by the longest line and
// the number of secret bytes found.
func (r *Redactor) Copy(dst io.Writer, src io.ReadSeeker, file, format string, opt decode.Options) (int64, error) {
	var p patches
	if r != nil && len(r.secrets) > 0 {
		var err error
		if p, err = r.locate(src, file, format, opt); err != nil {
			return 0, err
		}
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	raw, err := decompressed(src)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", file, err)
	}
	return p.write(dst, raw, file)
}

// patch is one byte to change.
type patch struct {
	off   int64 // the byte's offset in the file, or its chunk's
	chunk int32 // -1 for a byte the file holds as it is; else its chunk's number
	k     int32 // the byte's index in its chunk
	b     byte  // what it becomes
}

type patches struct {
	list   []patch
	chunks map[int32][]byte // the serial bytes of each chunk a patch rewrites
}

// origin is where a serial byte comes from.
type origin struct {
	off   int64
	chunk int32
	k     int32
}

// serial is the window of decoded serial bytes being searched.
type serial struct {
	text    []byte
	from    []origin
	chunks  map[int32][]byte
	start   int // text before it was searched already
	covered int // text before it was rewritten already
}

// locate decodes src and lists the bytes to change.
func (r *Redactor) locate(src io.Reader, file, format string, opt decode.Options) (patches, error) {
	p := patches{chunks: map[int32][]byte{}}
	cr, _, err := decode.Open(src, file, format, opt)
	if err != nil {
		return p, err
	}
	w := &serial{chunks: map[int32][]byte{}}
	var id int32
	for cr.Next() {
		c := cr.Chunk()
		if c.Note && !c.Verbatim {
			continue // a reader's own words, not in the file
		}
		id++
		w.add(c, id)
		for {
			first, second := lineEnd(w.text, w.start), -1
			if first > 0 {
				second = lineEnd(w.text, first)
			}
			if second < 0 && len(w.text)-w.start < 2*maxSegment {
				break
			}
			if first < 0 || first-w.start > maxSegment {
				first, second = w.start+maxSegment, len(w.text)
			}
			if second < 0 {
				second = len(w.text)
			}
			r.search(w, &p, first, second)
		}
		w.compact()
	}
	if err := cr.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", file, err)
	}
	r.search(w, &p, len(w.text), len(w.text))
	return p, nil
}

// lineEnd is the index after the first '\n' at or after from, or -1.
func lineEnd(b []byte, from int) int {
	if i := bytes.IndexByte(b[from:], '\n'); i >= 0 {
		return from + i + 1
	}
	return -1
}

func (w *serial) add(c decode.Chunk, id int32) {
	for i := range c.Data {
		o := origin{off: c.Pos.Offset + int64(i), chunk: -1}
		if !c.Verbatim {
			o = origin{off: c.Pos.Offset, chunk: id, k: int32(i)}
		}
		w.from = append(w.from, o)
	}
	if !c.Verbatim {
		w.chunks[id] = bytes.Clone(c.Data)
	}
	w.text = append(w.text, c.Data...)
}

// search finds the secrets that start in the window before n, looking
// as far as upto (a secret may run over one line end), and records their
// bytes.
func (r *Redactor) search(w *serial, p *patches, n, upto int) {
	base := w.start
	text := string(w.text[base:upto])
	for _, e := range r.edits(text, true, true, nil) {
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
			o := w.from[base+i]
			p.list = append(p.list, patch{off: o.off, chunk: o.chunk, k: o.k, b: e.repl[i-e.start]})
			if o.chunk >= 0 {
				p.chunks[o.chunk] = w.chunks[o.chunk]
			}
		}
		w.covered = max(w.covered, base+e.end)
	}
	w.start = n
}

// compact drops the bytes searched already.
func (w *serial) compact() {
	n := w.start
	w.text = append(w.text[:0], w.text[n:]...)
	w.from = append(w.from[:0], w.from[n:]...)
	w.covered = max(0, w.covered-n)
	w.start = 0
	low := lowestChunk(w.from)
	for id := range w.chunks {
		if id < low {
			delete(w.chunks, id)
		}
	}
}

// lowestChunk is the lowest chunk number still in the window.
func lowestChunk(from []origin) int32 {
	for _, o := range from {
		if o.chunk >= 0 {
			return o.chunk
		}
	}
	return 1<<31 - 1
}

// write copies raw to dst, line by line, with the patches applied.
func (p patches) write(dst io.Writer, raw io.Reader, file string) (int64, error) {
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].off < p.list[j].off })
	lines := newSegments(raw)
	var written, off int64
	next, line := 0, 1
	for {
		seg, err := lines.next()
		if len(seg) > 0 {
			end := off + int64(len(seg))
			var group []patch
			for next < len(p.list) && p.list[next].off < end {
				group = append(group, p.list[next])
				next++
			}
			if len(group) > 0 {
				if perr := p.apply(seg, off, group); perr != nil {
					return written, fmt.Errorf("%s:%d: %w", file, line, perr)
				}
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
	if next < len(p.list) {
		return written, fmt.Errorf("%s: %d bytes to replace lie past the end of the file", file, len(p.list)-next)
	}
	return written, nil
}

// apply changes seg, which starts at file offset off, as group says.
func (p patches) apply(seg []byte, off int64, group []patch) error {
	for i := 0; i < len(group); {
		g := group[i]
		if g.chunk < 0 {
			if g.off < off {
				return fmt.Errorf("a secret's byte at offset %d lies before its line", g.off)
			}
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
		if err := rewriteChunk(seg, int(max(g.off-off, 0)), p.chunks[g.chunk], changes); err != nil {
			return err
		}
		i = j
	}
	return nil
}
