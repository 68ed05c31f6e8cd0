package dialect

import (
	"fmt"
	"slices"
	"strings"

	"atscope/decode"
)

// detectWindow and detectBytes bound what a Decoder holds while it decides
// which dialect a log speaks: so many events, or so many bytes of them (a
// log of one 100 MB line is a few thousand 64 KiB events). detectSure is
// the evidence that decides at once.
const (
	detectWindow = 4096
	detectBytes  = 4 << 20
	detectSure   = 50
)

// Decoder runs the right dialect machine over one log's events. With
// --dialect auto it holds the first events (at most detectWindow, or
// detectBytes) until the evidence names a dialect, then replays them, so
// memory stays bounded.
type Decoder struct {
	file      string
	auto      bool
	dialect   *Dialect
	machine   Machine
	context   *contextTracker
	held      []decode.Event
	heldBytes int
	scores    []int                 // evidence per dialect, in the order of dialects
	byName    map[string][]evidence // evidence per event name, see evidence
	recent    [16]namedEvidence     // a cache in front of byName
	started   startLog              // ops begun and not yet emitted, for Oldest
	out       func(*Op)             // the caller's emit
	emitFn    func(*Op)             // d.emitOp, made once
}

// NewDecoder returns a decoder for the log file with --dialect name.
func NewDecoder(file, name string) (*Decoder, error) {
	d := &Decoder{file: file, scores: make([]int, len(dialects)), context: newContextTracker(file)}
	d.context.log, d.emitFn = &d.started, d.emitOp
	if name == "" || name == "auto" {
		d.auto = true
		return d, nil
	}
	dl, ok := Lookup(name)
	if !ok {
		_, err := HooksFor(name)
		return nil, err
	}
	d.use(dl)
	return d, nil
}

func (d *Decoder) use(dl *Dialect) {
	d.dialect = dl
	d.machine = dl.NewMachine(d.file)
	if m, ok := d.machine.(tracked); ok {
		m.track(&d.started)
	}
}

// Dialect returns the dialect in use (nil while undecided or when nothing
// matched) and how sure the choice is, from 0 to 1: the share of all
// dialect evidence that points at it.
func (d *Decoder) Dialect() (*Dialect, float64) {
	if d.dialect == nil {
		return nil, 0
	}
	if !d.auto {
		return d.dialect, 1
	}
	total := 0
	for _, s := range d.scores {
		total += s
	}
	if total == 0 {
		return d.dialect, 0
	}
	return d.dialect, float64(d.score(d.dialect)) / float64(total)
}

// Feed passes one event on, in order. The decoder and its machines keep
// no pointer to ev after Feed returns, so the caller may reuse it.
func (d *Decoder) Feed(ev *decode.Event, emit func(*Op)) {
	if d.auto {
		for _, e := range d.evidence(ev) {
			d.scores[e.dialect] += e.score
		}
	}
	if d.machine == nil {
		d.held = append(d.held, *ev)
		d.heldBytes += len(ev.Raw) + len(ev.Text) + len(ev.Args)
		if best, score := d.best(); score >= detectSure || len(d.held) >= detectWindow || d.heldBytes >= detectBytes {
			if best != nil {
				d.use(best)
			}
			d.replay(emit)
		}
		return
	}
	d.feed(ev, emit)
}

func (d *Decoder) feed(ev *decode.Event, emit func(*Op)) {
	d.out = emit
	d.context.feed(ev, d.emitFn)
	if d.machine != nil && answersQuery(ev) {
		if r, ok := d.machine.(queryReader); ok {
			r.queryAnswer(ev)
		}
		return
	}
	if d.machine != nil {
		d.machine.Feed(ev, d.emitFn)
	}
}

// replay feeds the held events once the dialect is chosen (or known to be
// none of ours).
func (d *Decoder) replay(emit func(*Op)) {
	held := d.held
	d.held, d.heldBytes = nil, 0
	if d.machine == nil {
		d.machine = nopMachine{}
	}
	for i := range held {
		d.feed(&held[i], emit)
	}
}

// Close ends the log.
func (d *Decoder) Close(emit func(*Op)) {
	if d.machine == nil {
		if best, _ := d.best(); best != nil {
			d.use(best)
		}
		d.replay(emit)
	}
	d.out = emit
	d.machine.Close(d.emitFn)
}

// best is the dialect with the most evidence; ties go to none.
func (d *Decoder) best() (*Dialect, int) {
	var best *Dialect
	top, tie := 0, false
	for _, dl := range All() {
		switch s := d.score(dl); {
		case s > top:
			best, top, tie = dl, s, false
		case s == top && s > 0:
			tie = true
		}
	}
	if tie {
		return nil, top
	}
	return best, top
}

// Describe says in words which dialect a log speaks and how sure that is.
func (d *Decoder) Describe() string {
	dl, sure := d.Dialect()
	switch {
	case dl == nil:
		return "none recognised (no MQTT commands or URCs of a known dialect)"
	case !d.auto:
		return dl.Name + " (chosen with --dialect)"
	}
	return fmt.Sprintf("%s (%.0f%% of the dialect evidence)", dl.Name, 100*sure)
}

// Module is what the log says about the module (answers to ATI, AT+CGMM,
// AT+CGMR, AT+QGMR), or "".
func (d *Decoder) Module() string { return strings.Join(d.context.module, " ") }

type nopMachine struct{}

func (nopMachine) Feed(*decode.Event, func(*Op)) {}
func (nopMachine) Close(func(*Op))               {}

// maxNames bounds the event names whose evidence a Decoder remembers; a
// log of garbage has any number of names.
const maxNames = 1024

type evidence struct {
	dialect int // the index in dialects
	score   int
}

// score is the evidence for dl so far.
func (d *Decoder) score(dl *Dialect) int { return d.scores[slices.Index(dialects, dl)] }

// namedEvidence is the evidence for one event name.
type namedEvidence struct {
	name string
	es   []evidence
	ok   bool // name and es are set
}

// evidence is what every dialect says of ev. Evidence looks at the event's
// name only (TestEvidenceByName), so it is asked once per name. A log
// repeats a few names, so a small cache keyed by length and last byte
// answers most events: comparing two names is cheaper than hashing one.
func (d *Decoder) evidence(ev *decode.Event) []evidence {
	name := ev.Name
	slot := &d.recent[(len(name)*7+int(lastByte(name)))%len(d.recent)]
	if !slot.ok || slot.name != name {
		*slot = namedEvidence{name, d.evidenceByName(ev), true}
	}
	return slot.es
}

// lastByte is the last byte of s, or 0.
func lastByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[len(s)-1]
}

// evidenceByName is evidence without the cache.
func (d *Decoder) evidenceByName(ev *decode.Event) []evidence {
	if es, ok := d.byName[ev.Name]; ok {
		return es
	}
	var es []evidence
	for i, dl := range dialects {
		if s := dl.Evidence(ev); s > 0 {
			es = append(es, evidence{i, s})
		}
	}
	if d.byName == nil {
		d.byName = map[string][]evidence{}
	}
	if len(d.byName) < maxNames {
		d.byName[ev.Name] = es
	}
	return es
}
