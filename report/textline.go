package report

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"atscope/dialect"
	"atscope/timeline"
)

// FullTimeline is how many ops a client may have for the text report to
// show its whole timeline; past it, the report shows an excerpt
// (timeline.Excerpt) unless asked for all (--full).
const FullTimeline = 500

// excerptSize is what an excerpt of a client's timeline keeps.
var excerptSize = timeline.ExcerptOptions{Head: 10, Tail: 10, Around: 3, MaxProblems: 50}

// textTimeline is each client's timeline as the text report writes it,
// one record per op in a spill (memory stays flat however long the log):
// written back whole, or as an excerpt around the problems once the
// findings are known.
type textTimeline struct {
	style  timeline.Style
	spills map[int]*spill
	buf    []byte // the op being spilled
}

func newTextTimeline(st timeline.Style) *textTimeline {
	return &textTimeline{style: st, spills: map[int]*spill{}}
}

// add spills op's line, and the line before it when it is where its
// connection conn shows up by traffic alone (timeline.UpLine).
func (t *textTimeline) add(op *dialect.Op, conn *timeline.Connection) {
	s := t.spills[op.Client]
	if s == nil {
		s = &spill{}
		t.spills[op.Client] = s
	}
	t.buf = appendLineOp(t.buf[:0], op)
	s.put(record{failed: failedOrTimedOut(op), lines: op.Lines, up: timeline.UpLine(conn, op, t.style), op: t.buf})
}

// discard removes the spills' temporary files.
func (t *textTimeline) discard() {
	for _, s := range t.spills {
		s.discard()
	}
}

// shown is a record as a timeline shows it, whether it is a problem
// decided as it is read back.
type shown struct {
	problem bool
	up      string
	op      []byte // appendLineOp's
}

// WriteTimeline writes the text timeline of each client the report
// shows, as timeline.Render does: whole when the client has at most
// FullTimeline ops or full is set, else an excerpt (its first and last
// ops, and those around each failure and each line a finding rests on)
// with how many ops each gap leaves out. file is the log as a command
// line names it. The report must come from Run with RunOptions.Text.
func (r *Report) WriteTimeline(w io.Writer, full bool, file string) error {
	t := r.text
	if t == nil {
		return errors.New("the report was built without its text timeline")
	}
	excerpted := false
	for _, s := range r.summaries {
		excerpted = excerpted || !full && s.Ops > FullTimeline
	}
	if excerpted {
		fmt.Fprintf(w, "(an excerpt for clients with more than %d operations: their first and last %d, and %d before and after each failure and each line a finding rests on; every operation: atscope report --full %s, or atscope timeline %s)\n",
			FullTimeline, excerptSize.Head, excerptSize.Around, file, file)
	}
	problemLines := r.findingLines()
	for i, s := range r.summaries {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := timeline.Render(w, s.heading(), t.style); err != nil {
			return err
		}
		sp := t.spills[s.Client]
		if sp == nil {
			continue
		}
		var err error
		if full || s.Ops <= FullTimeline {
			err = sp.each(func(rec record) error { return writeShown(w, shown{up: rec.up, op: rec.op}, t.style) })
		} else {
			err = writeExcerpt(w, sp, problemLines, s.Client, file, t.style)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeExcerpt writes the excerpt of one client's spilled timeline.
func writeExcerpt(w io.Writer, sp *spill, problemLines []int, client int, file string, st timeline.Style) error {
	ex := timeline.NewExcerpt(excerptSize, func(s shown) bool { return s.problem })
	err := sp.each(func(rec record) error {
		ex.Add(shown{problem: rec.failed || timeline.AnyLineIn(problemLines, rec.lines), up: rec.up, op: rec.op})
		return nil
	})
	if err != nil {
		return err
	}
	res := ex.Finish()
	for _, p := range res.Parts {
		if p.Skipped > 0 {
			fmt.Fprintf(w, "  … %s left out …\n", countOf(p.Skipped, "operation", "operations"))
		}
		for _, s := range p.Ops {
			if err := writeShown(w, s, st); err != nil {
				return err
			}
		}
	}
	if res.SkippedAfter > 0 {
		fmt.Fprintf(w, "  … %s left out\n", countOf(res.SkippedAfter, "operation", "operations"))
	}
	if more := res.Problems - res.Shown; more > 0 {
		fmt.Fprintf(w, "  (%d more operations that failed or that a finding rests on, past the first %d, not shown: atscope timeline --client %d %s)\n", more, res.Shown, client, file)
	}
	return nil
}

func writeShown(w io.Writer, s shown, st timeline.Style) error {
	if s.up != "" {
		if _, err := io.WriteString(w, "  "+s.up+"\n"); err != nil {
			return err
		}
	}
	op, err := lineOp(s.op)
	if err != nil {
		return fmt.Errorf("reading the spilled timeline back: %w", err)
	}
	_, err = io.WriteString(w, "  "+timeline.OpLine(op, st)+"\n")
	return err
}

// findingLines are the lines the report's findings rest on, sorted.
func (r *Report) findingLines() []int {
	var out []int
	for _, f := range r.Findings {
		out = append(out, f.Lines...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
