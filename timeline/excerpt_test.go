package timeline

import (
	"fmt"
	"strings"
	"testing"

	"atscope/dialect"
)

// excerptOps are n receives on lines 1..n, those listed failed.
func excerptOps(n int, failed ...int) []*dialect.Op {
	ops := make([]*dialect.Op, n)
	for i := range ops {
		ops[i] = &dialect.Op{Kind: dialect.OpReceive, Status: dialect.StatusOK, Lines: []int{i + 1}}
	}
	for _, f := range failed {
		ops[f-1].Status = dialect.StatusFailed
	}
	return ops
}

// describe writes an excerpt as "skip:first-last" per part, then the ops
// left out after it.
func describe(r ExcerptResult[*dialect.Op]) string {
	var b strings.Builder
	for _, p := range r.Parts {
		fmt.Fprintf(&b, "%d:%d-%d ", p.Skipped, p.Ops[0].Lines[0], p.Ops[len(p.Ops)-1].Lines[0])
	}
	fmt.Fprintf(&b, "+%d (%d problems, %d shown)", r.SkippedAfter, r.Problems, r.Shown)
	return b.String()
}

func TestExcerpt(t *testing.T) {
	small := ExcerptOptions{Head: 2, Tail: 2, Around: 1, MaxProblems: 2}
	for _, tc := range []struct {
		name    string
		opt     ExcerptOptions
		ops     []*dialect.Op
		problem func(*dialect.Op) bool
		want    string
	}{
		{"empty", small, nil, nil, "+0 (0 problems, 0 shown)"},
		{"short log whole", small, excerptOps(4), nil, "0:1-4 +0 (0 problems, 0 shown)"},
		{"head and tail", small, excerptOps(10), nil, "0:1-2 6:9-10 +0 (0 problems, 0 shown)"},
		{"around a problem", small, excerptOps(20, 10), nil, "0:1-2 6:9-11 7:19-20 +0 (1 problems, 1 shown)"},
		{"problems side by side merge", small, excerptOps(20, 10, 12), nil, "0:1-2 6:9-13 5:19-20 +0 (2 problems, 2 shown)"},
		{"problem in the head", small, excerptOps(20, 2), nil, "0:1-3 15:19-20 +0 (1 problems, 1 shown)"},
		{"problem in the tail", small, excerptOps(20, 20), nil, "0:1-2 16:19-20 +0 (1 problems, 1 shown)"},
		{"past MaxProblems only counted", small, excerptOps(40, 10, 20, 30), nil, "0:1-2 6:9-11 7:19-21 17:39-40 +0 (3 problems, 2 shown)"},
		{"problems by finding lines", small, excerptOps(20), ProblemLines([]int{15, 7}), "0:1-2 3:6-8 5:14-16 2:19-20 +0 (2 problems, 2 shown)"},
		{"defaults", ExcerptOptions{}, excerptOps(1000, 500), nil, "0:1-10 486:497-503 487:991-1000 +0 (1 problems, 1 shown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problem := tc.problem
			if problem == nil {
				problem = ProblemOp
			}
			ex := NewExcerpt(tc.opt, problem)
			for _, op := range tc.ops {
				ex.Add(op)
			}
			r := ex.Finish()
			if got := describe(r); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			kept := 0
			for _, p := range r.Parts {
				kept += p.Skipped + len(p.Ops)
			}
			if kept+r.SkippedAfter != r.Total || r.Total != len(tc.ops) {
				t.Errorf("%d kept or skipped of %d ops (%d added)", kept+r.SkippedAfter, len(tc.ops), r.Total)
			}
		})
	}
}

// TestExcerptComplete: a log shorter than the head and tail is whole.
func TestExcerptComplete(t *testing.T) {
	for n, want := range map[int]bool{0: true, 5: true, 20: true, 21: false} {
		ex := NewExcerpt(ExcerptOptions{}, ProblemOp)
		for _, op := range excerptOps(n) {
			ex.Add(op)
		}
		if r := ex.Finish(); r.Complete() != want {
			t.Errorf("%d ops: complete %v, want %v", n, r.Complete(), want)
		}
	}
}

// TestExcerptBounded: however many problems, the excerpt keeps at most
// the head, the tail and MaxProblems surroundings.
func TestExcerptBounded(t *testing.T) {
	var failed []int
	for l := 3; l <= 100000; l += 3 {
		failed = append(failed, l)
	}
	ex := NewExcerpt(ExcerptOptions{}, ProblemOp)
	for _, op := range excerptOps(100000, failed...) {
		ex.Add(op)
	}
	r := ex.Finish()
	kept := 0
	for _, p := range r.Parts {
		kept += len(p.Ops)
	}
	if bound := (ExcerptOptions{}).Bound(); kept > bound || r.Problems != len(failed) || r.Shown != 50 {
		t.Errorf("%d ops kept (at most %d), %d problems, %d shown", kept, bound, r.Problems, r.Shown)
	}
}
