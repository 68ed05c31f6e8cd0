package decode

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// maxPayload bounds a payload held in memory while its end is sought.
const maxPayload = 256 << 10

// batchBytes is how many bytes the tokenizer reads ahead before it makes
// events of them, when chunks are short (a line each): one text copy then
// serves a batch of lines.
const batchBytes = 4 << 10

// maxKeep bounds the buffer a tokenizer keeps for reuse once it is empty.
const maxKeep = 1 << 20

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
	src   ChunkReader
	hooks Hooks

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
}

// dataMode is a payload being read.
type dataMode struct {
	frame       Framing
	term        string // a URC name whose line ends the payload early ("+QMTPUB")
	afterPrompt bool
	dir         Dir // direction of the payload's first byte, once seen
	scanned     int // payloadEnd's resume point
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
	return &Tokenizer{src: src, hooks: hooks}
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
		c := t.src.Chunk()
		if c.Note {
			for t.step() {
			}
			t.feed(&c)
			return
		}
		t.feed(&c)
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
	t.segs, t.segStore = pushReusing(t.segs, t.segStore, seg{n: len(c.Data), pos: c.Pos, last: last, verbatim: c.Verbatim, dir: c.Dir, time: c.Time, tsrc: c.TimeSrc})
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
	line := t.str(0, ce) // the event's text is part of it
	if cut := splitMerged(line); cut > 0 && !t.isBare(strings.TrimSpace(line)) {
		ce, le, line = cut, cut, line[:cut]
	}
	var ev Event
	t.classify(&ev, trimLine(line), t.segs[0].dir)
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
		if inline > 0 && inline <= maxPayload {
			pe, pte, problem, ok := t.payloadEnd(ce, Framing{Kind: FrameCount, N: inline}, ev.Name, &t.tail)
			if !ok {
				return false
			}
			end = pe
			if problem == "" && (t.buf[pe-1] == '\n' || t.buf[pe-1] == '\r') {
				// The count ends with a line end: the line after it is not
				// part of the payload.
				pte = pe - t.lineEndBefore(pe)
			} else if problem == "" {
				ce2, le2, ok := t.lineAt(pe)
				if !ok {
					return false
				}
				pte, end = ce2, le2
			}
			ev.Problem = problem
			ev.Text = t.trimmed(0, pte)
			ev.Args = argsAfterName(ev.Text)
		}
		if follow > 0 && follow <= maxPayload {
			t.startData(dataMode{frame: Framing{Kind: FrameCount, N: follow}})
		}
	}
	t.commit(&ev)
	t.emit(&ev, end)
	t.silentData(&ev)
	return true
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
	t.startData(dataMode{frame: t.commandFraming(c), term: c.ev.Name, afterPrompt: true})
	return true
}

// lexData reads a payload.
func (t *Tokenizer) lexData() bool {
	d := t.data
	if d.afterPrompt && d.dir == DirUnknown {
		// A line end right after the prompt is the log tool's, not payload.
		if n := t.lineEndRun(0); n > 0 {
			t.takeBlank(n)
			return true
		}
		if t.isTerminatorLine(0, d.term) {
			if _, _, ok := t.lineAt(0); ok || t.eof {
				if t.holding {
					t.held().Problem = "no payload after the prompt"
				}
				t.data = nil
				return true
			}
			return false
		}
	}
	if d.dir == DirUnknown {
		d.dir = t.segs[0].dir
	}
	end, textEnd, problem, ok := t.payloadEnd(0, d.frame, d.term, &d.scanned)
	if !ok {
		return false
	}
	if end == 0 { // a counted payload of length 0: nothing to emit
		t.data = nil
		return true
	}
	ev := Event{Kind: KindData, Dir: t.segs[0].dir, Text: t.str(0, textEnd), Problem: problem}
	if ev.Dir == DirUnknown {
		ev.Dir, ev.DirInferred = DirFromModule, true
		if d.afterPrompt {
			ev.Dir = DirToModule
		}
	}
	if end > textEnd && t.buf[textEnd] == 0x1b {
		ev.Problem = "cancelled with ESC: nothing was sent"
	}
	t.data = nil
	t.emit(&ev, end)
	return true
}

// payloadEnd finds where a payload that starts at from ends: after N bytes,
// at Ctrl-Z or ESC, or early at a line that shows the module has answered
// (a final result, a URC named term, a new command). end includes the
// payload's last line end when it stopped early; textEnd excludes it. ok is
// false when more input is needed to decide.
//
// resume keeps, between calls that wait for more input, where the scan got
// to: the bytes before it are complete lines already judged, so each byte is
// looked at once however slowly the payload arrives.
func (t *Tokenizer) payloadEnd(from int, f Framing, term string, resume *int) (end, textEnd int, problem string, ok bool) {
	counted := f.Kind == FrameCount
	target := from + f.N
	for p := max(from, *resume); ; *resume = p {
		ce, le, ok := t.lineAt(p)
		if !ok {
			if len(t.buf)-from > maxPayload {
				return len(t.buf), len(t.buf), "payload longer than 256 KiB: split", true
			}
			return 0, 0, "", false
		}
		if counted && target <= le {
			return target, target, "", true
		}
		if f.Kind == FrameUntil && f.Until != "" {
			// The terminator may straddle a line end no more than Ctrl-Z can.
			if k := bytes.Index(t.buf[p:ce], []byte(f.Until)); k >= 0 {
				return p + k + len(f.Until), p + k, "", true
			}
		} else if !counted {
			if k := bytes.IndexAny(t.buf[p:ce], "\x1a\x1b"); k >= 0 {
				return p + k + 1, p + k, "", true
			}
			if cut := splitMerged(t.str(p, ce)); cut > 0 {
				return p + cut, p + cut, t.noCtrlZ(f), true
			}
		}
		if le == ce && ce < t.boundary(p) {
			p = le // an over-long line, cut by lineAt
			continue
		}
		if le == ce || le == len(t.buf) && t.eof {
			// The payload meets a change of direction or the end of input.
			return le, ce, t.short(f, ce-from), true
		}
		if !t.terminatorKnown(le) {
			return 0, 0, "", false
		}
		if t.isTerminatorLine(le, term) {
			return le, ce, t.short(f, ce-from), true
		}
		if le-from > maxPayload {
			return le, ce, "payload longer than 256 KiB: split", true
		}
		p = le
	}
}

func (t *Tokenizer) short(f Framing, have int) string {
	if f.Kind == FrameCount {
		return fmt.Sprintf("payload is %d bytes, length says %d", have, f.N)
	}
	return t.noCtrlZ(f)
}

func (t *Tokenizer) noCtrlZ(f Framing) string {
	switch f.Kind {
	case FrameCtrlZ:
		return "no Ctrl-Z in the log before the module answered"
	case FrameUntil:
		return "no " + f.Until + " in the log before the module answered"
	}
	return ""
}

// terminatorKnown reports whether the line at i is complete enough to judge.
func (t *Tokenizer) terminatorKnown(i int) bool {
	_, _, ok := t.lineAt(i)
	return ok || t.eof
}

// isTerminatorLine reports whether the line at i shows that a payload before
// it has ended: a final result code, a URC of the command, or a new command.
func (t *Tokenizer) isTerminatorLine(i int, term string) bool {
	ce, _, _ := t.lineAt(i)
	if ce <= i {
		return false
	}
	text := t.trimmed(i, ce)
	if _, final := t.resultCode(text); final {
		return true
	}
	if term != "" && len(text) > len(term) && equalFoldASCII(text[:len(term)], term) && text[len(term)] == ':' {
		return true
	}
	return isCommandText(text)
}

// promptAllowed reports whether a '>' at the front of buf is a data prompt:
// the latest command takes a payload and has not had its prompt.
func (t *Tokenizer) promptAllowed() bool {
	c := t.last
	if c == nil || c.prompted || t.segs[0].dir == DirToModule {
		return false
	}
	switch t.commandFraming(c).Kind {
	case FrameNone:
		return false
	case FrameUnknown:
		return t.pending == c
	}
	return true
}

// framing asks the hooks about a command event that lives in the
// tokenizer, not on the stack: a command's remembered one, or asked.
func (t *Tokenizer) framing(cmd *Event) Framing {
	if t.hooks == nil {
		return Framing{}
	}
	f := t.hooks.Payload(cmd)
	if f.Kind == FrameCount && f.N < 0 {
		return Framing{} // a length the log got wrong: read up to the answer
	}
	return f
}

// commandFraming is c's framing, asked of the hooks once: parsing a
// command's arguments is the costliest part of a hook.
func (t *Tokenizer) commandFraming(c *command) Framing {
	if !c.asked {
		c.frame, c.asked = t.framing(&c.ev), true
	}
	return c.frame
}

// framingOf is the framing of a command or echo event, from the latest
// command's when the text is the same (an echo).
func (t *Tokenizer) framingOf(ev *Event) Framing {
	if c := t.last; c != nil && c.ev.Text == ev.Text {
		return t.commandFraming(c)
	}
	t.asked = *ev
	return t.framing(&t.asked)
}

// classify makes *ev an event of one line's text.
func (t *Tokenizer) classify(ev *Event, text string, dir Dir) {
	*ev = Event{Text: text, Dir: dir}
	if isCommandText(text) {
		ev.Name, ev.Form, ev.Args = ParseCommand(text)
		switch {
		case dir == DirFromModule:
			ev.Kind = KindEcho
		case dir == DirUnknown && t.echoDue() && equalFoldASCII(text, t.pending.ev.Text):
			ev.Kind, ev.Dir, ev.DirInferred = KindEcho, DirFromModule, true
		case dir == DirUnknown && t.echoDue() && len(text) >= 2 && hasPrefixFold(t.pending.ev.Text, text):
			// Possibly the first half of an echo split over two lines.
			ev.Kind, ev.Dir, ev.DirInferred = KindEcho, DirFromModule, true
		default:
			ev.Kind = KindCommand
			if dir == DirUnknown {
				ev.Dir, ev.DirInferred = DirToModule, true
			}
		}
		return
	}
	if dir == DirToModule {
		return // text the host typed that is not a command: "+++"
	}
	if ev.Kind = t.moduleKind(ev, text); ev.Kind != KindText && dir == DirUnknown {
		ev.Dir, ev.DirInferred = DirFromModule, true
	}
}

// moduleKind is the kind of a line that is not a command, from the module
// or of unknown direction, whose name and arguments it sets in ev: KindText
// when it is none that the module sends.
func (t *Tokenizer) moduleKind(ev *Event, text string) Kind {
	if name, final := t.resultCode(text); final {
		ev.Name, ev.Args = name, argsAfterName(text)
		return KindResult
	}
	if name, ok := prefixedName(text); ok {
		ev.Name, ev.Args = name, argsAfterName(text)
		if t.pending != nil && t.pending.ev.Name == name {
			return KindResponse
		}
		return KindURC
	}
	if name, final, ok := t.bare(text); ok && !final {
		ev.Name = name
		return KindURC
	}
	if name, ok := bareURC(text); ok {
		ev.Name = name
		return KindURC
	}
	if t.pending != nil {
		return KindResponse
	}
	return KindText
}

// isBare reports whether a whole line is one word the vocabulary knows
// ("CONNECT OK"), which splitMerged must not cut.
func (t *Tokenizer) isBare(text string) bool {
	if _, _, ok := t.bare(text); ok {
		return true
	}
	_, ok := bareURC(text)
	return ok
}

// echoDue reports whether the pending command may still be echoed: it has
// no echo and no answer yet, and (when the log has times) it was sent within
// the last two seconds, since a module echoes at once. The same command typed
// again later is a new command.
func (t *Tokenizer) echoDue() bool {
	p := t.pending
	if p == nil || p.echoed || p.answered {
		return false
	}
	s := &t.segs[0]
	return p.ev.TimeSrc != TimeLog || s.tsrc != TimeLog || s.time.Sub(p.ev.Time) <= 2*time.Second
}

// commit updates what the tokenizer remembers after an event.
func (t *Tokenizer) commit(ev *Event) {
	switch ev.Kind {
	case KindCommand:
		t.remember(command{ev: *ev})
	case KindEcho:
		if t.pending != nil && equalFoldASCII(ev.Text, t.pending.ev.Text) {
			t.pending.echoed = true
			return
		}
		// Only the echo shows this command (a log of the module's side).
		t.remember(command{ev: *ev, echoed: true})
	case KindResponse:
		if t.pending != nil {
			t.pending.answered = true
		}
	case KindResult:
		t.pending = nil
	}
}

// remember makes c the latest command, which awaits its final result.
func (t *Tokenizer) remember(c command) {
	t.latest = c
	t.pending, t.last = &t.latest, &t.latest
}

// resultCode recognises final result codes [ITU-T V.250 §5.7.1, 3GPP TS
// 27.007 §9.2], and the vendor ones the hooks know.
func (t *Tokenizer) resultCode(text string) (string, bool) {
	switch text {
	case "OK", "ERROR", "NO CARRIER", "NO DIALTONE", "BUSY", "NO ANSWER":
		return text, true
	}
	if strings.HasPrefix(text, "+CM") {
		for _, p := range []string{"+CME ERROR", "+CMS ERROR"} {
			if len(text) > len(p) && text[:len(p)] == p && text[len(p)] == ':' {
				return p, true
			}
		}
	}
	if name, final, ok := t.bare(text); ok && final {
		return name, true
	}
	return "", false
}

// bareAnswer is what the hooks said of a line's text.
type bareAnswer struct {
	text, name string
	final, ok  bool
	asked      bool // text was asked about
}

// bare is the hooks' Bare, which depends on text alone, remembered for the
// latest text: a line is asked about up to three times (result code, URC,
// terminator of a payload).
func (t *Tokenizer) bare(text string) (name string, final, ok bool) {
	if t.hooks == nil {
		return "", false, false
	}
	if a := &t.lastBare; !a.asked || a.text != text {
		a.name, a.final, a.ok = t.hooks.Bare(text)
		a.text, a.asked = text, true
	}
	return t.lastBare.name, t.lastBare.final, t.lastBare.ok
}

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
	nl := bytes.Count(b, []byte{'\n'})
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

// appendReusing appends vs to s, which its consumer drains from the front:
// when s has no room left, what is left of it moves to the front of store,
// the array s was last allocated in, if they fit there. It returns s and its
// store.
func appendReusing[T any](s, store []T, vs ...T) ([]T, []T) {
	s, grow := roomFor(s, store, len(vs))
	s = append(s, vs...)
	if grow {
		store = s // a new array, starting at s[0]
	}
	return s, store
}

// pushReusing is appendReusing of one value, which it copies in place
// rather than as a slice of one.
func pushReusing[T any](s, store []T, v T) ([]T, []T) {
	s, grow := roomFor(s, store, 1)
	s = append(s, v)
	if grow {
		store = s
	}
	return s, store
}

// roomFor makes room for n more values after s, moving s to the front of
// store when they fit there. grow reports that append must still allocate.
func roomFor[T any](s, store []T, n int) (_ []T, grow bool) {
	if cap(s)-len(s) < n && len(s)+n <= cap(store) {
		s = store[:copy(store[:cap(store)], s)]
	}
	return s, cap(s)-len(s) < n
}

// lastLine is the line of a chunk's last byte.
func lastLine(c *Chunk) int {
	if !c.Verbatim {
		return c.Pos.Line
	}
	return c.Pos.Line + bytes.Count(c.Data[:len(c.Data)-1], []byte{'\n'})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rollover carries time-of-day stamps over midnight: a log that stamps only
// the time of day shows 23:59:59.900 and then 00:00:00.100. When a time goes
// back by more than 12 hours within the same logged day, a day is added to
// it and to every later time.
type rollover struct {
	raw      time.Time // the last time as logged
	adjusted time.Time // raw with shift added
	shift    time.Duration
	seen     bool
}

func (r *rollover) adjust(t time.Time) time.Time {
	if r.seen && t == r.raw {
		return r.adjusted // most chunks repeat the stamp before them
	}
	if r.seen && t.Before(r.raw.Add(-12*time.Hour)) {
		y1, m1, d1 := t.Date()
		y0, m0, d0 := r.raw.Date()
		if y1 == y0 && m1 == m0 && d1 == d0 {
			r.shift += 24 * time.Hour
		}
	}
	r.raw, r.adjusted, r.seen = t, t.Add(r.shift), true
	return r.adjusted
}

// slabSize is the size of the blocks a slab hands out; larger pieces get an
// allocation of their own.
const slabSize = 64 << 10

// slab copies events' Raw bytes into shared blocks, so that an event costs
// no allocation of its own. Blocks are never written again once handed out.
type slab struct {
	block []byte
	last  int // where the latest piece starts in block
}

// copy returns a copy of b.
func (s *slab) copy(b []byte) []byte {
	if len(b) > slabSize/8 {
		return bytes.Clone(b)
	}
	if len(b) > cap(s.block)-len(s.block) {
		s.block = make([]byte, 0, slabSize)
	}
	s.last = len(s.block)
	s.block = append(s.block, b...)
	return s.block[s.last:len(s.block):len(s.block)]
}

// extend returns raw followed by more. When raw is the latest piece and
// more fits after it, the bytes are added in place.
func (s *slab) extend(raw, more []byte) []byte {
	end := len(s.block)
	latest := len(raw) > 0 && end-s.last == len(raw) && &s.block[s.last] == &raw[0]
	if !latest || len(more) > cap(s.block)-end {
		return append(raw, more...)
	}
	s.block = append(s.block, more...)
	return s.block[s.last:len(s.block):len(s.block)]
}
