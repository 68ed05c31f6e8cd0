package decode

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// batchBytes is how many bytes the tokenizer reads ahead before it makes
// events of them, when chunks are short (a line each): one text copy then
// serves a batch of lines.
const batchBytes = 4 << 10

// Tokenizer splits the chunks of one input into Events:
//
//	tok := NewTokenizer(chunks, hooks)
//	for tok.Next() { ev := tok.Event() }
//	if err := tok.Err(); err != nil { ... }
//
// It holds only the bytes of the line or payload it is deciding about, and
// a few KiB read ahead.
// Line ends and blank lines belong to the event before them, so that events
// tile the input.
type Tokenizer struct {
	src    ChunkReader
	lender chunkLender // src, when it lends its chunks
	copied Chunk       // the latest chunk of a src that does not
	hooks  Hooks
	names  URCNamer // hooks, when they know their URC names

	buf  []byte // bytes not yet in an event
	segs []seg  // where buf's bytes came from, front first
	// store and segStore are the arrays of buf and segs from their start,
	// reused once those are empty, so that lines allocate nothing.
	store     []byte
	segStore  []seg
	turnStore []int64
	// base is how many bytes were consumed before buf[0]; turns lists the
	// absolute offsets where the direction changes within buf, so that
	// finding the end of a direction run does not walk every segment.
	base  int64
	turns []int64
	eof   bool
	// text is a copy of buf's bytes from absolute offset textBase, of which
	// events' strings are substrings: one allocation for many lines.
	text     string
	textBase int64

	data    *dataMode // non-nil while reading a payload: &payload
	tail    int       // payloadEnd's resume point for a URC's inline payload
	pending *command  // the command awaiting its final result
	silent  *command  // a command whose payload follows its OK without a prompt
	typed   bool      // the rest of the line is the host's, after an over-long payload
	indent  int       // blanks since the last line end: the next line's indent
	last    *command  // the latest command, answered or not: &latest
	// latest and payload hold what last and data point to, so that neither a
	// command nor a payload costs an allocation. One of each is enough:
	// pending and silent are always nil or last.
	latest  command
	payload dataMode
	// asked is the event shown to the hooks: a pointer to a local would
	// move every line's event to the heap.
	asked    Event
	lastBare bareAnswer

	clock rollover

	// queue is, during AppendEvents, the slice it appends to; while holding,
	// its last event is the newest, which takes the blank bytes after it.
	// It is held in place, so that events are not copied once more, and
	// kept in kept between calls.
	queue   []Event
	holding bool
	kept    Event
	// ready[qhead:] are the events NextInto is still to return.
	ready  []Event
	qhead  int
	cur    Event
	seq    int
	stats  Stats
	byKind [len(kindNames)]int
	raws   slab // Raw bytes of events
	err    error
}

// seg describes a run of buf's bytes that came from one chunk.
type seg struct {
	n        int
	pos      Pos // position of the run's first byte
	last     int // the line of its last byte
	time     time.Time
	verbatim bool
	dir      Dir
	tsrc     TimeSource
}

// command is what the tokenizer remembers of a command to classify what
// follows it.
type command struct {
	ev       Event
	echoed   bool
	answered bool
	prompted bool
	asked    bool    // frame is known
	frame    Framing // how its payload ends, once asked
	// badLength: the declared length, in frame.Bad, is no byte count, and
	// frame says to read up to the module's answer.
	badLength bool
}

// dataMode is a payload being read.
type dataMode struct {
	frame       Framing
	term        string // a URC name whose line ends the payload early ("+QMTPUB")
	afterPrompt bool
	indent      int  // blanks before the line that announced it: the block's indent
	lineStart   bool // it starts at the start of a line
	dir         Dir  // direction of the payload's first byte, once seen
	scanned     int  // payloadEnd's resume point
}

// Stats counts what a tokenizer has seen.
type Stats struct {
	Lines    int          // source lines read
	Events   int          // events emitted
	ByKind   map[Kind]int // events per kind
	Problems int          // events that carry a Problem
	// Unrecognised counts text events that are neither blank nor notes:
	// serial text that nothing understood.
	Unrecognised int
}

// NewTokenizer returns a tokenizer over src. hooks may be nil.
func NewTokenizer(src ChunkReader, hooks Hooks) *Tokenizer {
	names, _ := hooks.(URCNamer)
	lender, _ := src.(chunkLender)
	return &Tokenizer{src: src, lender: lender, hooks: hooks, names: names}
}

// Event returns the event found by the last call to Next.
func (t *Tokenizer) Event() Event { return t.cur }

// Err returns the first read error, if any.
func (t *Tokenizer) Err() error { return t.err }

// Stats returns the counts so far.
func (t *Tokenizer) Stats() Stats {
	st := t.stats
	st.ByKind = map[Kind]int{}
	for k, n := range t.byKind {
		if n > 0 {
			st.ByKind[Kind(k)] = n
		}
	}
	return st
}

// Next advances to the next event and reports whether there is one.
func (t *Tokenizer) Next() bool { return t.NextInto(&t.cur) }

// NextInto is Next that stores the event in *ev rather than for Event.
func (t *Tokenizer) NextInto(ev *Event) bool {
	if t.qhead == len(t.ready) {
		t.ready, t.qhead = t.AppendEvents(t.ready[:0]), 0
		if len(t.ready) == 0 {
			return false
		}
	}
	*ev = t.ready[t.qhead]
	t.qhead++
	return true
}

// AppendEvents appends the next events to dst, at least one unless the
// input is done, and returns the extended slice. The events are made in
// place in dst: a consumer that collects events gets them without a copy.
func (t *Tokenizer) AppendEvents(dst []Event) []Event {
	from := len(dst)
	t.queue = dst
	if t.holding {
		t.queue = append(t.queue, t.kept)
	}
	for len(t.queue)-boolInt(t.holding) == from && !t.eof {
		t.fill()
		for t.step() {
		}
		if t.eof {
			t.release()
		}
	}
	out := t.queue
	if t.holding {
		t.kept = out[len(out)-1]
		out[len(out)-1] = Event{} // dst must not keep a second copy
		out = out[:len(out)-1]
	}
	t.queue = nil
	return out
}

// held is the held event; only while holding.
func (t *Tokenizer) held() *Event { return &t.queue[len(t.queue)-1] }

// fill feeds at least one chunk, and more until buf holds batchBytes. A
// note is fed last, once the bytes before it are events: it is emitted at
// once.
func (t *Tokenizer) fill() {
	for first := true; first || len(t.buf) < batchBytes; first = false {
		if !t.src.Next() {
			t.err = t.src.Err()
			t.eof = true
			return
		}
		var c *Chunk
		if t.lender != nil { // borrowed: see chunk_lend.go
			c = t.lender.lentChunk()
		} else {
			c = t.copiedChunk()
		}
		if c.Note {
			for t.step() {
			}
			t.feed(c)
			return
		}
		t.feed(c)
	}
}

// feed appends a chunk's bytes, or emits a note as text at once.
func (t *Tokenizer) feed(c *Chunk) {
	if len(c.Data) == 0 {
		return
	}
	last := lastLine(c)
	t.stats.Lines = max(t.stats.Lines, last)
	if c.TimeSrc == TimeLog {
		c.Time = t.clock.adjust(c.Time)
	}
	if c.Note {
		t.hold(&Event{Kind: KindText, Note: true, Pos: c.Pos, EndLine: last, Time: c.Time, TimeSrc: c.TimeSrc,
			Text: string(bytes.TrimSpace(c.Data)), Raw: t.raws.copy(c.Data)})
		return
	}
	if n := len(t.segs); n > 0 && t.segs[n-1].dir != c.Dir {
		t.turns, t.turnStore = pushReusing(t.turns, t.turnStore, t.base+int64(len(t.buf)))
	}
	t.buf, t.store = appendReusing(t.buf, t.store, c.Data...)
	// The seg is made in place, field by field: a seg literal is built
	// aside and copied, and pushReusing would copy it twice more.
	segs, grow := roomFor(t.segs, t.segStore, 1)
	if grow {
		segs = append(segs, seg{})
		t.segStore = segs
	} else {
		segs = segs[:len(segs)+1]
	}
	t.segs = segs
	sg := &segs[len(segs)-1]
	sg.n, sg.pos, sg.last, sg.verbatim, sg.dir, sg.time, sg.tsrc = len(c.Data), c.Pos, last, c.Verbatim, c.Dir, c.Time, c.TimeSrc
}

// step makes one event, or one step towards it, from the front of buf. It
// reports whether it made progress.
func (t *Tokenizer) step() bool {
	if len(t.buf) == 0 {
		return false
	}
	if t.data != nil {
		return t.lexData()
	}
	return t.lexLine()
}

// lexLine reads a blank run, a prompt or one line.
func (t *Tokenizer) lexLine() bool {
	if n := t.blankRun(0); n > 0 {
		t.noteIndent(n)
		t.takeBlank(n)
		return true
	}
	if t.buf[0] == '>' && t.promptAllowed() {
		return t.lexPrompt()
	}
	ce, le, ok := t.lineAt(0)
	if !ok {
		return false
	}
	indent := t.takeIndent()
	line := t.str(0, ce) // the event's text is part of it
	if cut := splitMerged(line); cut > 0 && !t.isBare(strings.TrimSpace(line)) {
		ce, le, line = cut, cut, line[:cut]
	}
	var ev Event
	t.classify(&ev, trimLine(line), t.segs[0].dir)
	if t.typed {
		t.hostTyped(&ev)
	}
	if cut := t.gluedCut(&ev, line); cut > 0 {
		ce, le, line = cut, cut, line[:cut]
		t.classify(&ev, trimLine(line), t.segs[0].dir)
	}
	end := le
	switch {
	case ev.Kind == KindEcho && t.pending != nil && !equalFoldASCII(ev.Text, t.pending.ev.Text) && le > ce:
		// A tool split a long echo over two lines: rejoin it.
		ce2, le2, ok := t.lineAt(le)
		if !ok {
			return false
		}
		if joined := ev.Text + t.trimmed(le, ce2); equalFoldASCII(joined, t.pending.ev.Text) {
			t.classify(&ev, joined, t.segs[0].dir)
			end = le2
		} else if ev.DirInferred {
			ev.Kind, ev.Dir = KindCommand, DirToModule // not an echo after all
		}
	case (ev.Kind == KindURC || ev.Kind == KindResponse) && t.hooks != nil:
		t.asked = ev
		inline, follow := t.hooks.Tail(&t.asked)
		if inline < 0 && -inline <= maxPayload {
			if end, ok = t.countedEvent(&ev, line, -inline); !ok {
				return false
			}
		}
		if inline > 0 && inline <= maxPayload {
			if end, ok = t.inlineTail(&ev, ce, inline, indent); !ok {
				return false
			}
		}
		if follow > 0 && follow <= maxPayload {
			t.startData(dataMode{frame: Framing{Kind: FrameCount, N: follow}, indent: indent, lineStart: end > ce})
		}
	}
	fresh := t.commit(&ev)
	t.emit(&ev, end)
	if fresh {
		t.checkLength()
	}
	t.silentData(&ev)
	return true
}

// inlineTail makes ev, a line whose content ends at ce, take the inline
// payload bytes it claims beyond its end, and returns where the event ends.
// In a block indented by indent blanks the declared length decides whether
// the payload's lines start with them. ok is false when more input is
// needed.
func (t *Tokenizer) inlineTail(ev *Event, ce, inline, indent int) (end int, ok bool) {
	if indent > 0 {
		pe, text, holds, ok := t.dedented(ce, inline, indent, false)
		if !ok {
			return 0, false
		}
		if holds {
			_, le, ok := t.lineAt(pe)
			if !ok {
				return 0, false
			}
			ev.Text = t.trimmed(0, ce) + text
			ev.Args = argsAfterName(ev.Text)
			return le, true
		}
	}
	pe, pte, problem, ok := t.payloadEnd(ce, Framing{Kind: FrameCount, N: inline}, ev.Name, &t.tail)
	if !ok {
		return 0, false
	}
	end = pe
	if problem == "" && t.turnAt(pe) {
		pte = pe // the other direction's bytes follow: no part of the line
	} else if problem == "" && (t.buf[pe-1] == '\n' || t.buf[pe-1] == '\r') {
		// The count ends with a line end: the line after it is not
		// part of the payload.
		pte = pe - t.lineEndBefore(pe)
	} else if problem == "" {
		ce2, le2, ok := t.lineAt(pe)
		if !ok {
			return 0, false
		}
		pte, end = ce2, le2
	}
	ev.Problem = problem
	if problem != "" {
		ev.Length, ev.Have, ev.Declared = LengthShort, int32(pte-ce), int32(inline)
	}
	ev.Text = t.trimmed(0, pte)
	ev.Args = argsAfterName(ev.Text)
	return end, true
}

// countedEvent makes ev, a line whose header says the event is size bytes
// from its name on, take those bytes, line ends inside included, and
// returns where it ends: the rest of the line is a new event. A count that
// runs past a change of direction or the end of input is short. ok is
// false when more input is needed.
func (t *Tokenizer) countedEvent(ev *Event, line string, size int) (end int, ok bool) {
	lead := max(strings.Index(line, ev.Name), 0) // NULs or a colour code before the name
	pe, pte, problem, ok := t.payloadEnd(0, Framing{Kind: FrameCount, N: lead + size}, ev.Name, &t.tail)
	if !ok {
		return 0, false
	}
	if problem != "" {
		// The payload's counts are told from the header's end, its
		// first ':' after the name.
		head := lead + len(ev.Name)
		head += strings.IndexByte(line[min(head, len(line)):], ':') + 1
		ev.Length, ev.Have, ev.Declared = LengthShort, int32(max(pte-head, 0)), int32(max(lead+size-head, 0))
		ev.Problem = fmt.Sprintf("payload is %d bytes, length says %d", ev.Have, ev.Declared)
	}
	ev.Text = t.str(lead, pte) // untrimmed: the payload's last bytes may be blanks or NULs
	ev.Args = argsAfterName(ev.Text)
	return pe, true
}

// turnAt reports whether the direction changes at buf[i], a byte already
// read.
func (t *Tokenizer) turnAt(i int) bool {
	return i > 0 && i < len(t.buf) && t.boundary(i-1) == i
}

// hostTyped makes ev, the rest of a line after a payload longer than its
// declared length, what it is: bytes the host typed, which the module reads
// as a command.
func (t *Tokenizer) hostTyped(ev *Event) {
	t.typed = false
	if ev.Dir == DirUnknown || ev.Dir == DirFromModule && ev.DirInferred {
		*ev = Event{Text: ev.Text, Dir: DirToModule, DirInferred: true}
	}
}

// checkLength notes on the held event, a command just remembered, a
// declared payload length that is no byte count.
func (t *Tokenizer) checkLength() {
	f := t.commandFraming(t.last)
	if !t.last.badLength {
		return
	}
	h := t.held()
	h.Problem = "length " + f.Bad + " is no byte count: the payload is read up to the module's answer"
	h.Length = LengthInvalid
}

// silentData enters data mode after the OK of a command whose payload
// follows without a prompt.
func (t *Tokenizer) silentData(ev *Event) {
	switch {
	case ev.IsCommand():
		t.silent = nil
		if t.last != nil && t.framingOf(ev).Silent {
			t.silent = t.last
		}
	case ev.Kind == KindResult && t.silent != nil:
		if ev.Name == "OK" {
			c := t.silent
			c.prompted = true
			t.startData(dataMode{frame: t.commandFraming(c), term: c.ev.Name, afterPrompt: true})
		}
		t.silent = nil
	}
}

// startData enters data mode for the payload d.
func (t *Tokenizer) startData(d dataMode) {
	t.payload = d
	t.data = &t.payload
}

// lexPrompt reads "> " or ">" and enters data mode.
func (t *Tokenizer) lexPrompt() bool {
	n := 1
	if len(t.buf) > 1 && t.boundary(0) > 1 {
		if t.buf[1] == ' ' {
			n = 2
		}
	} else if !t.eof && t.boundary(0) == len(t.buf) {
		return false // the byte after '>' decides whether a space belongs to it
	}
	c := t.last
	c.prompted = true
	ev := Event{Kind: KindPrompt, Dir: DirFromModule, DirInferred: t.segs[0].dir == DirUnknown, Text: ">"}
	if !ev.DirInferred {
		ev.Dir = t.segs[0].dir
	}
	t.emit(&ev, n)
	t.startData(dataMode{frame: t.commandFraming(c), term: c.ev.Name, afterPrompt: true, indent: t.takeIndent()})
	return true
}
