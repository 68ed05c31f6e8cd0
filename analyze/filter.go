package analyze

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
)

// Filter narrows what reaches the sinks and the findings a Log lists. The
// stages still read the whole log: an op keeps the events before the
// window that make it, and a finding its context.
type Filter struct {
	Since, Until Bound
	// FromLine and ToLine bound the lines; 0 leaves a side open.
	FromLine, ToLine int
	// Ops are the op kinds to keep; empty keeps all.
	Ops []dialect.OpKind
}

// Bound is one side of a time window: a time, or an offset from the log's
// first logged time ("+5m"). The zero Bound is open.
type Bound struct {
	At       time.Time
	After    time.Duration
	Relative bool
}

// IsZero reports whether the bound is open.
func (b Bound) IsZero() bool { return b.At.IsZero() && !b.Relative }

// resolve is the bound's time in a log that starts at first: a time of
// day only is taken on the log's first day.
func (b Bound) resolve(first time.Time) time.Time {
	switch {
	case b.Relative:
		return first.Add(b.After)
	case b.At.Year() == 0 && first.Year() != 0:
		y, m, d := first.Date()
		return time.Date(y, m, d, b.At.Hour(), b.At.Minute(), b.At.Second(), b.At.Nanosecond(), first.Location())
	}
	return b.At
}

// ParseBound reads --since/--until: "+5m" (from the log's start), an RFC
// 3339 time, "2006-01-02 15:04:05[.000]", or a time of day "15:04:05[.000]"
// for logs that stamp only that.
func ParseBound(s string) (Bound, error) {
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		d, err := time.ParseDuration(rest)
		if err != nil || d < 0 {
			return Bound{}, fmt.Errorf("%q: want +DURATION such as +5m or +90s", s)
		}
		return Bound{After: d, Relative: true}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Bound{At: t}, nil // a time of day only is of year 0, as such logs are stamped
		}
	}
	return Bound{}, fmt.Errorf("%q: want a time (RFC 3339, \"2024-05-30 09:23:10\" or \"09:23:10\") or +DURATION from the log's start", s)
}

// ParseLines reads --lines: "500-900", "500-" or "-900".
func ParseLines(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(s, "-")
	bad := fmt.Errorf("%q: want A-B, A- or -B (line numbers)", s)
	if !ok || a == "" && b == "" {
		return 0, 0, bad
	}
	if a != "" {
		if from, err = strconv.Atoi(a); err != nil || from < 1 {
			return 0, 0, bad
		}
	}
	if b != "" {
		if to, err = strconv.Atoi(b); err != nil || to < max(from, 1) {
			return 0, 0, bad
		}
	}
	return from, to, nil
}

// ParseOps reads --op: op kinds separated by commas.
func ParseOps(s string) ([]dialect.OpKind, error) {
	var kinds []dialect.OpKind
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(dialect.OpKinds(), func(k dialect.OpKind) bool { return k.String() == name })
		if i < 0 {
			return nil, fmt.Errorf("unknown op %q: want one or more of %s", name, strings.Join(OpNames(), ", "))
		}
		kinds = append(kinds, dialect.OpKinds()[i])
	}
	return kinds, nil
}

// OpNames are the op kinds by name, for --op.
func OpNames() []string {
	var names []string
	for _, k := range dialect.OpKinds() {
		names = append(names, k.String())
	}
	return names
}

// IsZero reports whether the filter keeps everything.
func (f Filter) IsZero() bool {
	return f.Since.IsZero() && f.Until.IsZero() && f.FromLine == 0 && f.ToLine == 0 && len(f.Ops) == 0
}

func (f Filter) timed() bool { return !f.Since.IsZero() || !f.Until.IsZero() }

// window follows which lines of a log the filter keeps, as the log is read.
type window struct {
	f Filter
	l *Log
	// first and last are the first and last line kept (findings that touch
	// them are kept); 0 before any.
	first, last int
	// firstTime and lastTime are the earliest and latest logged times of
	// the events kept (timed: there are some).
	firstTime, lastTime time.Time
	timed               bool
}

// narrows reports whether the filter keeps part of the log's lines (by
// number or time), not only some ops.
func (w *window) narrows() bool { return w.f.FromLine != 0 || w.f.ToLine != 0 || w.f.timed() }

// line reports whether the filter keeps a line logged at t (zero: none).
func (w *window) line(line int, t time.Time) bool {
	if w.f.FromLine > 0 && line < w.f.FromLine || w.f.ToLine > 0 && line > w.f.ToLine {
		return false
	}
	if w.f.timed() {
		if t.IsZero() || !w.l.Timed {
			return false
		}
		if s := w.f.Since; !s.IsZero() && t.Before(s.resolve(w.l.First)) {
			return false
		}
		if u := w.f.Until; !u.IsZero() && t.After(u.resolve(w.l.First)) {
			return false
		}
	}
	return true
}

// event reports whether the filter keeps ev, and notes its line.
func (w *window) event(ev *decode.Event) bool {
	t := ev.Time
	if ev.TimeSrc != decode.TimeLog {
		t = time.Time{}
	}
	if !w.line(ev.Pos.Line, t) {
		return false
	}
	if w.first == 0 {
		w.first = ev.Pos.Line
	}
	w.last = max(w.last, ev.EndLine, ev.Pos.Line)
	if !t.IsZero() {
		widen(&w.firstTime, &w.lastTime, &w.timed, t)
	}
	return true
}

// op reports whether the filter keeps op: its kind, and its first line
// and start in the window.
func (w *window) op(op *dialect.Op) bool {
	if len(w.f.Ops) > 0 && !slices.Contains(w.f.Ops, op.Kind) {
		return false
	}
	if len(op.Lines) == 0 {
		return !w.narrows()
	}
	t := op.Start
	if !op.Timed {
		t = time.Time{}
	}
	return w.line(op.Lines[0], t)
}

// findings keeps the findings that rest on a line kept, or on none.
func (w *window) findings(fs []diagnose.Finding) []diagnose.Finding {
	if !w.narrows() {
		return fs
	}
	var out []diagnose.Finding
	for _, f := range fs {
		if w.first > 0 && slices.ContainsFunc(f.Lines, func(l int) bool { return l >= w.first && l <= w.last }) {
			out = append(out, f)
		}
	}
	return out
}

// verdict is v as a window of lines or time may say it: a verdict is of
// the whole log, and one that dates a failure outside the window would
// answer for lines the user did not ask about.
func (w *window) verdict(v diagnose.Verdict) diagnose.Verdict {
	if !w.narrows() || v.Line == 0 {
		return v
	}
	if w.first > 0 && v.Line >= w.first && v.Line <= w.last {
		return v
	}
	return diagnose.Verdict{Client: v.Client, Outcome: fmt.Sprintf("no verdict in the window (the whole log's dates a failure at line %d)", v.Line)}
}

// warnings say what the filter could not do in this log.
func (w *window) warnings() []string {
	if w.f.timed() && !w.l.Timed {
		return []string{"--since/--until: the log has no timestamps, so nothing is in the window"}
	}
	return nil
}
