package redact

import (
	"bytes"
	"math"
	"sort"

	"atscope/decode"
)

// serial is the window of decoded serial bytes being searched, with where
// each comes from: one run per chunk rather than one origin per byte
// (those were a tenth of the copy's work).
type serial struct {
	text    []byte
	runs    []run // in text order: the first may begin before text
	chunks  map[int32][]byte
	start   int // text before it was searched already
	covered int // text before it was rewritten already
}

// origin is where a serial byte comes from.
type origin struct {
	off   int64 // the byte's offset in the file, or its chunk's
	chunk int32 // -1 for a byte the file holds as it is
	k     int32 // the byte's index in its chunk
}

// run is where the bytes of one chunk in the window come from: from text
// index at on, the bytes of the file from off (chunk -1), or those of the
// chunk numbered chunk, which starts at off in the file.
type run struct {
	at    int // may be negative once the bytes before the window's start are dropped
	off   int64
	chunk int32
}

func (w *serial) add(c decode.Chunk, id int32) {
	if len(c.Data) == 0 {
		return
	}
	r := run{at: len(w.text), off: c.Pos.Offset, chunk: -1}
	if !c.Verbatim {
		r.chunk = id
		w.chunks[id] = bytes.Clone(c.Data)
	}
	w.runs = append(w.runs, r)
	w.text = append(w.text, c.Data...)
}

// origin is where text[i] comes from.
func (w *serial) origin(i int) origin {
	j := sort.Search(len(w.runs), func(j int) bool { return w.runs[j].at > i }) - 1
	r := w.runs[j]
	if r.chunk < 0 {
		return origin{off: r.off + int64(i-r.at), chunk: -1}
	}
	return origin{off: r.off, chunk: r.chunk, k: int32(i - r.at)}
}

// compact drops the bytes searched already.
func (w *serial) compact() {
	n := w.start
	w.text = append(w.text[:0], w.text[n:]...)
	first := len(w.runs) // the run that holds the new text[0]
	if len(w.text) > 0 {
		first = sort.Search(len(w.runs), func(j int) bool { return w.runs[j].at > n }) - 1
	}
	w.runs = append(w.runs[:0], w.runs[first:]...)
	for i := range w.runs {
		w.runs[i].at -= n
	}
	w.covered = max(0, w.covered-n)
	w.start = 0
	low := w.lowestChunk()
	for id := range w.chunks {
		if id < low {
			delete(w.chunks, id)
		}
	}
}

// lowestChunk is the lowest chunk number still in the window.
func (w *serial) lowestChunk() int32 {
	for _, r := range w.runs {
		if r.chunk >= 0 {
			return r.chunk
		}
	}
	return math.MaxInt32
}
