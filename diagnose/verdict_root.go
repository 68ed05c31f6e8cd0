package diagnose

import (
	"slices"

	"atscope/dialect"
)

// failing is a client's failing stretch: the failed ops its session ends
// with, from the first to the last, and the one that explains the rest.
type failing struct {
	root, end *dialect.Op
	stretch   []*dialect.Op // its ops, root and end among them
	cause     Finding       // the finding that explains root (zero: none)
	explained bool
}

// failingStretch finds client c's failing stretch: back from its last
// failed op over failed ops and cleanup steps (a close, a disconnect), up
// to the last op that worked. Its root is the first op an error finding
// explains (later failures are its consequences: a close failing after
// it, an "identifier occupied" after a refused password), moved to the
// link loss that abandoned it; without one, the first link loss, else the
// first failure that is not cleanup. ok is false when the client never failed.
func (r *run) failingStretch(c int, fs []Finding) (failing, bool) {
	end := r.endingFailure(c)
	if end == nil {
		return failing{}, false
	}
	ops := r.byClient[c]
	last := -1
	for i, op := range ops {
		if op == end {
			last = i
		}
	}
	if last < 0 { // a representative of the client's gap
		ops, last = []*dialect.Op{end}, 0
	}
	first, okBefore := last, r.factsOf(end).okBefore
	for first > 0 && (isFailure(ops[first-1]) || isCleanup(ops[first-1])) && firstSeq(ops[first-1]) > okBefore &&
		r.failingThroughGap(c, ops[first-1], ops[first], okBefore) {
		first--
	}
	stretch := ops[first : last+1]
	st := failing{root: end, end: end, stretch: stretch}
	st.cause, st.explained = explaining(fs, end)
	if i, f, ok := firstExplainedError(stretch, fs); ok {
		st.root, st.cause, st.explained = stretch[i], f, true
		// an op the link loss abandoned: the loss is the failure
		for _, op := range stretch[i+1:] {
			if g, ok := explaining(fs, op); ok && op.Kind == dialect.OpLink && sameFinding(f, g) {
				st.root = op
				break
			}
		}
		return st, true
	}
	// no error finding: the first link loss (ops left waiting on a lost
	// link are its consequences), else the first failure but cleanup
	i := slices.IndexFunc(stretch, linkLost)
	if i < 0 {
		i = slices.IndexFunc(stretch, func(op *dialect.Op) bool { return isFailure(op) && !isCleanup(op) })
	}
	if i >= 0 {
		st.root = stretch[i]
		st.cause, st.explained = explaining(fs, st.root)
	}
	return st, true
}

// firstExplainedError is the index of the stretch's first failed op an
// error-severity finding explains, with that finding.
func firstExplainedError(stretch []*dialect.Op, fs []Finding) (int, Finding, bool) {
	for i, op := range stretch {
		if !isFailure(op) {
			continue
		}
		if f, ok := explaining(fs, op); ok && f.Severity == Error {
			return i, f, true
		}
	}
	return 0, Finding{}, false
}

// connectFailed reports whether a connect or open of the stretch failed.
func (st failing) connectFailed() bool {
	for _, op := range st.stretch {
		if isFailure(op) && (op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect) {
			return true
		}
	}
	return false
}

func isFailure(op *dialect.Op) bool {
	return op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout
}

// isCleanup: closing a session, which fails in turn after the real failure.
func isCleanup(op *dialect.Op) bool {
	return op.Kind == dialect.OpClose || op.Kind == dialect.OpDisconnect
}

func sameFinding(a, b Finding) bool {
	return a.Rule == b.Rule && a.Title == b.Title && firstLine(a) == firstLine(b)
}

// pendingOpen is the client's first open or connect the log shows no
// result of, when the client never connected; nil otherwise.
func (r *run) pendingOpen(c int) *dialect.Op {
	if g := r.gapOf(c); g != nil && g.byKind[kindStatus{dialect.OpConnect, dialect.StatusOK}] > 0 {
		return nil // it connected in the ops the engine did not keep
	}
	var pending *dialect.Op
	for _, op := range r.byClient[c] {
		if connected(op) {
			return nil
		}
		if pending == nil && (op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect) &&
			(op.Status == dialect.StatusPending || op.Status == dialect.StatusUnknown) {
			pending = op
		}
	}
	return pending
}

// failingThroughGap reports whether a failing stretch may run on from b
// back to a, the op kept before it: yes unless client c's gap lies between
// them and holds an op that worked or one older than okBefore.
func (r *run) failingThroughGap(c int, a, b *dialect.Op, okBefore int) bool {
	g := r.gapOf(c)
	if g == nil || g.maxSeq < firstSeq(a) || g.minSeq > firstSeq(b) {
		return true
	}
	if g.allFailing && g.minSeq > okBefore {
		return true
	}
	return g.lastWorkedBefore(firstSeq(b)) < firstSeq(a)
}

// lastWorkedBefore is the first event of the last dropped op before event
// limit that would end a failing stretch (neither a failure nor a
// cleanup), -1 when there is none, or limit when one may lie just before
// it (the first and last dropped op of its kind lie on both sides).
func (g *gap) lastWorkedBefore(limit int) int {
	last := -1
	for k, rep := range g.reps {
		probe := &dialect.Op{Kind: k.kind, Status: k.status}
		if isFailure(probe) || isCleanup(probe) {
			continue
		}
		switch {
		case firstSeq(rep[1]) < limit:
			last = max(last, firstSeq(rep[1]))
		case firstSeq(rep[0]) < limit:
			return limit
		}
	}
	return last
}
