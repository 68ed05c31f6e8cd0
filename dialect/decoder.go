package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
)

// detectWindow is how many events a Decoder holds while it decides which
// dialect a log speaks; detectSure is the evidence that decides at once.
const (
	detectWindow = 4096
	detectSure   = 50
)

// Decoder runs the right dialect machine over one log's events. With
// --dialect auto it holds the first events (at most detectWindow) until the
// evidence names a dialect, then replays them, so memory stays bounded.
type Decoder struct {
	file    string
	auto    bool
	dialect *Dialect
	machine Machine
	context *contextTracker
	held    []decode.Event
	scores  map[string]int
}

// NewDecoder returns a decoder for the log file with --dialect name.
func NewDecoder(file, name string) (*Decoder, error) {
	d := &Decoder{file: file, scores: map[string]int{}, context: newContextTracker(file)}
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
	return d.dialect, float64(d.scores[d.dialect.Name]) / float64(total)
}

// Feed passes one event on, in order.
func (d *Decoder) Feed(ev decode.Event, emit func(*Op)) {
	if d.auto {
		for _, dl := range dialects {
			if s := dl.Evidence(&ev); s > 0 {
				d.scores[dl.Name] += s
			}
		}
	}
	if d.machine == nil {
		d.held = append(d.held, ev)
		if best, score := d.best(); score >= detectSure || len(d.held) >= detectWindow {
			if best != nil {
				d.use(best)
			}
			d.replay(emit)
		}
		return
	}
	d.feed(&ev, emit)
}

func (d *Decoder) feed(ev *decode.Event, emit func(*Op)) {
	d.context.feed(ev, emit)
	if d.machine != nil {
		d.machine.Feed(ev, emit)
	}
}

// replay feeds the held events once the dialect is chosen (or known to be
// none of ours).
func (d *Decoder) replay(emit func(*Op)) {
	held := d.held
	d.held = nil
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
	d.machine.Close(emit)
}

// best is the dialect with the most evidence; ties go to none.
func (d *Decoder) best() (*Dialect, int) {
	var best *Dialect
	top, tie := 0, false
	for _, dl := range All() {
		switch s := d.scores[dl.Name]; {
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
