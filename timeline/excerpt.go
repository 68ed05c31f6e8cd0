package timeline

import (
	"slices"

	"atscope/dialect"
)

// An Excerpt picks, from ops (or records of them) streamed in log order, what a reader of a
// long log needs of its timeline: the first ops, the ops around each
// problem, and the last ops, with how many were left out between them.
// It keeps only those and a ring of the last few ops, so a log of
// millions of ops costs the same memory as a short one; past MaxProblems
// problems it only counts them.
//
//	ex := timeline.NewExcerpt(timeline.ExcerptOptions{}, timeline.ProblemLines(findingLines))
//	for each op in log order { ex.Add(op) }
//	parts := ex.Finish()
type Excerpt[T any] struct {
	opt     ExcerptOptions
	problem func(T) bool
	recent  []numbered[T] // ring of the last max(Around, Tail) ops
	n       int           // ops added
	last    int           // number of the last op kept, -1 before any
	after   int           // ops still to keep after the last problem
	res     ExcerptResult[T]
	copy    func(T) T // what is kept of an op (WithCopy)
}

// ExcerptOptions size an excerpt; zero values take the defaults.
type ExcerptOptions struct {
	Head        int // first ops kept (default 10)
	Tail        int // last ops kept (default 10)
	Around      int // ops kept before and after each problem (default 3)
	MaxProblems int // problems whose surroundings are kept (default 50)
}

// ExcerptResult is the excerpt: runs of consecutive ops, each with the
// number of ops left out before it.
type ExcerptResult[T any] struct {
	Parts []ExcerptPart[T]
	// SkippedAfter is the number of ops after the last part left out
	// (0 when the tail was kept).
	SkippedAfter int
	// Total is the number of ops added; Problems the number of problems
	// seen, Shown those whose surroundings are in Parts.
	Total, Problems, Shown int
}

// ExcerptPart is a run of consecutive ops of the log.
type ExcerptPart[T any] struct {
	Skipped int // ops left out between the previous part (or the start) and this one
	Ops     []T
}

// Complete says nothing was left out: the excerpt is the whole timeline.
func (r *ExcerptResult[T]) Complete() bool {
	return r.SkippedAfter == 0 && (len(r.Parts) <= 1) && (len(r.Parts) == 0 || r.Parts[0].Skipped == 0)
}

type numbered[T any] struct {
	n  int
	op T
}

// NewExcerpt starts an excerpt whose problems are the ops problem says
// are (for ops, ProblemOp or ProblemLines).
func NewExcerpt[T any](opt ExcerptOptions, problem func(T) bool) *Excerpt[T] {
	opt = opt.withDefaults()
	return &Excerpt[T]{opt: opt, problem: problem, recent: make([]numbered[T], 0, max(opt.Around, opt.Tail)), last: -1}
}

// WithCopy makes the excerpt keep copy(op) of each op it keeps rather
// than op: ops of a long log are kept the whole log long, and a copy can
// let go of what the op shares with the rest of the log. It returns e.
func (e *Excerpt[T]) WithCopy(copy func(T) T) *Excerpt[T] {
	e.copy = copy
	return e
}

// withDefaults fills the sizes left at zero.
func (opt ExcerptOptions) withDefaults() ExcerptOptions {
	opt.Head = defaultIfZero(opt.Head, 10)
	opt.Tail = defaultIfZero(opt.Tail, 10)
	opt.Around = defaultIfZero(opt.Around, 3)
	opt.MaxProblems = defaultIfZero(opt.MaxProblems, 50)
	return opt
}

// Bound is the most ops an excerpt with these options keeps: the head,
// the tail and MaxProblems surroundings.
func (opt ExcerptOptions) Bound() int {
	opt = opt.withDefaults()
	return opt.Head + opt.Tail + opt.MaxProblems*(2*opt.Around+1)
}

func defaultIfZero(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// ProblemOp says an op did not end well: failed, timed out, abandoned or
// without an outcome.
func ProblemOp(op *dialect.Op) bool { return op.Status != dialect.StatusOK || op.Abandoned }

// ProblemLines makes a problem test from the lines findings point at
// (diagnose's line lists): an op is a problem when one of its lines is
// one of them. lines is sorted here.
func ProblemLines(lines []int) func(*dialect.Op) bool {
	lines = slices.Clone(lines)
	slices.Sort(lines)
	return func(op *dialect.Op) bool { return AnyLineIn(lines, op.Lines) }
}

// AnyLineIn reports whether one of lines is in sorted, a sorted list of
// lines (a finding's).
func AnyLineIn(sorted, lines []int) bool {
	for _, l := range lines {
		if _, found := slices.BinarySearch(sorted, l); found {
			return true
		}
	}
	return false
}

// Add takes the next op in log order.
func (e *Excerpt[T]) Add(op T) {
	i := e.n
	e.n++
	isProblem := e.problem(op)
	if isProblem {
		e.res.Problems++
	}
	switch {
	case isProblem && e.res.Shown < e.opt.MaxProblems:
		e.res.Shown++
		for _, r := range e.ringInOrder() {
			if r.n > e.last && r.n >= i-e.opt.Around {
				e.keep(r.n, r.op)
			}
		}
		e.keep(i, op)
		e.after = e.opt.Around
	case i < e.opt.Head:
		e.keep(i, op)
	case e.after > 0:
		e.after--
		e.keep(i, op)
	}
	e.remember(i, op)
}

// keep puts op number i at the end of the excerpt.
func (e *Excerpt[T]) keep(i int, op T) {
	if e.copy != nil {
		op = e.copy(op)
	}
	parts := e.res.Parts
	if n := len(parts); n > 0 && i == e.last+1 {
		parts[n-1].Ops = append(parts[n-1].Ops, op)
	} else {
		e.res.Parts = append(parts, ExcerptPart[T]{Skipped: i - e.last - 1, Ops: []T{op}})
	}
	e.last = i
}

// remember puts op number i in the ring of recent ops.
func (e *Excerpt[T]) remember(i int, op T) {
	if c := cap(e.recent); len(e.recent) < c {
		e.recent = append(e.recent, numbered[T]{i, op})
	} else if c > 0 {
		e.recent[i%c] = numbered[T]{i, op}
	}
}

// ringInOrder is the ring of recent ops, oldest first.
func (e *Excerpt[T]) ringInOrder() []numbered[T] {
	out := slices.Clone(e.recent)
	slices.SortFunc(out, func(a, b numbered[T]) int { return a.n - b.n })
	return out
}

// Finish keeps the last ops and returns the excerpt.
func (e *Excerpt[T]) Finish() ExcerptResult[T] {
	for _, r := range e.ringInOrder() {
		if r.n > e.last && r.n >= e.n-e.opt.Tail {
			e.keep(r.n, r.op)
		}
	}
	e.res.Total = e.n
	e.res.SkippedAfter = e.n - 1 - e.last
	return e.res
}
