package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"atscope/analyze"
	"atscope/internal/loggen"
	"atscope/timeline"
)

// TestLongLogExcerpt: on a generated log with thousands of ops per
// client and many findings, the text report shows an excerpt of each
// client's timeline, says what it left out and how to get the rest, and
// writes every op with --full; what the report holds of the ops stays
// within its bounds (the spills past spillAt go to files).
func TestLongLogExcerpt(t *testing.T) {
	defer func(n int) { spillAt = n }(spillAt)
	spillAt = 4 << 10
	for _, shape := range []string{"steady", "findings"} {
		t.Run(shape, func(t *testing.T) {
			log := loggen.Bytes(loggen.Options{Size: 2 << 20, Seed: 3, Shape: shape})
			src := analyze.FromReader("big.log", bytes.NewReader(log))
			r, _, err := Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, RunOptions{Text: &timeline.Style{}})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			checkBounds(t, r)
			var ex, full bytes.Buffer
			if err := r.WriteTimeline(&ex, false, "big.log"); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteTimeline(&full, true, "big.log"); err != nil {
				t.Fatal(err)
			}
			checkExcerpt(t, r, ex.String(), full.String())
		})
	}
}

// checkBounds: the ops the report keeps are bounded however long the log.
func checkBounds(t *testing.T, r *Report) {
	t.Helper()
	c := r.ops
	long := 0
	for _, s := range r.summaries {
		if s.Ops > FullTimeline {
			long++
		}
		if len(s.Problems) > MaxProblems || len(s.pickedUp) > maxPickedUp {
			t.Errorf("%s: %d problems, %d picked-up connections kept", s.Title(), len(s.Problems), len(s.pickedUp))
		}
		if sp := c.text.spills[s.Client]; sp.mem.Len() > spillAt {
			t.Errorf("%s: %d bytes of timeline in memory", s.Title(), sp.mem.Len())
		}
	}
	if long == 0 {
		t.Fatalf("no client has more than %d ops: the log does not test the excerpt", FullTimeline)
	}
	for i, seq := range r.sequences {
		drawn := 0
		for _, m := range seq.Messages {
			if m.OpStart {
				drawn++
			}
		}
		if drawn > diagramExcerpt.Bound() || drawn+seq.MoreOps != r.summaries[i].Ops {
			t.Errorf("%s: %d ops drawn, %d left out of %d", seq.Title, drawn, seq.MoreOps, r.summaries[i].Ops)
		}
	}
	if len(c.table) > maxTimelineRows {
		t.Errorf("%d ops kept for the HTML timeline", len(c.table))
	}
	for k, s := range c.points {
		if len(s.points) > maxPoints {
			t.Errorf("%v: %d points", k, len(s.points))
		}
	}
}

// checkExcerpt: the excerpt of each long client is at most its bound, with
// markers that count what they leave out; --full writes every op.
func checkExcerpt(t *testing.T, r *Report, ex, full string) {
	t.Helper()
	if !strings.HasPrefix(ex, "(an excerpt for clients with more than 500 operations:") ||
		!strings.Contains(strings.SplitN(ex, "\n", 2)[0], "atscope report --full big.log, or atscope timeline big.log") {
		t.Errorf("the excerpt does not start by saying what it is and how to get everything:\n%.300s", ex)
	}
	if strings.Contains(full, "left out") || strings.Contains(full, "an excerpt") {
		t.Error("--full leaves something out")
	}
	exClients, fullClients := opLinesByClient(ex), opLinesByClient(full)
	for i, s := range r.summaries {
		shown, skipped := exClients[i].ops, exClients[i].skipped
		if fullClients[i].ops != s.Ops {
			t.Errorf("%s: --full shows %d ops of %d", s.Title(), fullClients[i].ops, s.Ops)
		}
		if s.Ops <= FullTimeline {
			if shown != s.Ops || skipped != 0 {
				t.Errorf("%s: %d of %d ops shown, %d left out", s.Title(), shown, s.Ops, skipped)
			}
			continue
		}
		if shown > excerptSize.Bound() || shown+skipped != s.Ops || skipped == 0 {
			t.Errorf("%s: %d ops shown (at most %d) and %d left out of %d", s.Title(), shown, excerptSize.Bound(), skipped, s.Ops)
		}
	}
	t.Logf("excerpt %d lines, --full %d lines", strings.Count(ex, "\n"), strings.Count(full, "\n"))
}

// clientLines counts, in a written timeline, a client's op lines and the
// ops its markers say were left out.
type clientLines struct{ ops, skipped int }

func opLinesByClient(text string) []clientLines {
	var out []clientLines
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "(an excerpt"):
		case !strings.HasPrefix(line, " "):
			out = append(out, clientLines{})
		case strings.HasPrefix(line, "  … "):
			var n int
			if _, err := fmt.Sscan(strings.TrimPrefix(line, "  … "), &n); err == nil {
				out[len(out)-1].skipped += n
			}
		case strings.HasPrefix(line, "  ("):
			// how a connection shows up, or the problems past the excerpt's
		default:
			out[len(out)-1].ops++
		}
	}
	return out
}
