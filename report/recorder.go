package report

import (
	"strings"
	"time"

	"atscope/decode"
)

// Recorder keeps what the sequence diagrams and the log section show of a
// log: its first events (bounded: a long log's diagrams are cut anyway)
// and its first lines.
type Recorder struct {
	events     map[int]event
	maxEvents  int
	lines      []string
	totalLines int
}

// event is what a diagram shows of an event.
type event struct {
	Line  int
	Kind  decode.Kind
	Dir   decode.Dir
	Time  time.Time
	Timed bool
	Text  string
}

// Bounds of what a report holds of a log, so that a large log gives a
// report a browser opens: events for the diagrams, log lines shown.
const (
	MaxEvents   = 20000
	MaxLogLines = 5000
	maxText     = 160 // runes of an event's text in a diagram
)

// NewRecorder returns a recorder keeping at most maxEvents events.
func NewRecorder(maxEvents int) *Recorder {
	return &Recorder{events: map[int]event{}, maxEvents: maxEvents}
}

// Event keeps ev if there is room; it fits analyze.Sinks.Event.
func (r *Recorder) Event(ev *decode.Event) error {
	if len(r.events) >= r.maxEvents || ev.Kind == decode.KindText {
		return nil
	}
	text := ev.Text
	if n := []rune(text); len(n) > maxText {
		text = string(n[:maxText]) + "…"
	}
	r.events[ev.Seq] = event{Line: ev.Pos.Line, Kind: ev.Kind, Dir: ev.Dir, Time: ev.Time,
		Timed: ev.TimeSrc == decode.TimeLog, Text: strings.Clone(text)}
	return nil
}

// SetLines gives the log's first lines (already redacted) and how many
// it has in all.
func (r *Recorder) SetLines(lines []string, total int) {
	r.lines, r.totalLines = lines, total
}

// hasLine reports whether the log section shows line n.
func (r *Recorder) hasLine(n int) bool { return r != nil && n >= 1 && n <= len(r.lines) }
