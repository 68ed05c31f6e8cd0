package diagnose

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"atscope/dialect"
	"atscope/timeline"
)

// The ops that rules read at the end of a log (see routine) are kept per
// client within a budget, so that memory does not grow with the number of
// connections or failures: each client keeps its first keepHead ops (where
// a story usually starts) and its latest ops; when they exceed the budget,
// the ops in between are dropped into the client's gap, which counts them
// and keeps, for the look-ups (recoveredAfter, connectBefore, ...), the
// first and the last op of each kind and outcome. Findings about a client
// with a gap say so (the partial rule). Logs under the budget are diagnosed
// in full, exactly as before.

// Default budget: ops kept for the whole log, and the first ops each
// client always keeps.
const (
	defaultKeepOps  = 2048
	defaultKeepHead = 256
	// minKeepTail is the fewest latest ops a client keeps, however many
	// clients share the budget.
	minKeepTail = 64
)

// opStore is the kept ops, per client, in the order they came.
type opStore struct {
	keepOps, keepHead, minTail int
	clients                    map[int]*clientOps
	total                      int
	classes                    int // failure classes noted, of every client (see classify)
}

// clientOps are a client's kept ops: ops[:head] are its first ones, the
// rest its latest; gap is what was dropped in between.
type clientOps struct {
	ops     []*dialect.Op
	head    int
	dialect string // the latest dialect of the client's ops, kept or not
	gap     *gap
	// lossBack is the client's latest link loss that dropMiddle kept and
	// the first successful connect after it, kept with it: a reconnect
	// known to be the first, whatever the gap holds
	lossBack [2]*dialect.Op
	// classes are the failure classes of the client's ops, classesOf how
	// many of each sort (see classify)
	classes   map[failureClass]bool
	classesOf map[string]int
}

// gap is what a client's dropped ops were.
type gap struct {
	ops                 int
	firstLine, lastLine int
	minSeq, maxSeq      int
	// lifeMin and lifeMax are the first events of the first and last
	// dropped op that opened or ended a connection (lifeMax -1: none)
	lifeMin, lifeMax int
	byKind           map[kindStatus]int
	// reps are the first and last dropped op of each kind and outcome.
	reps map[kindStatus][2]*dialect.Op
	// allFailing says every dropped op was a failure or a clean-up (a
	// failing stretch may run through the gap).
	allFailing bool
	// unacked counts the dropped publishes never acknowledged (see
	// pubackRule), unackedAbandoned those of them a link loss abandoned.
	unacked, unackedAbandoned int
	// retries are the retransmissions the dropped ops reported, retried
	// how many ops reported them (see retransmissionRule)
	retries, retried int
	// folds count the dropped ops that the counting rules would have
	// counted, by rule and what groups them (see fold).
	folds map[string]int
	// unclassed counts the dropped ops of failure classes past the bounds,
	// which no finding explains (see classify).
	unclassed int
}

type kindStatus struct {
	kind   dialect.OpKind
	status dialect.Status
}

// keepAtMost sets the engine's budget (before the first op): ops kept in
// all, first ops per client, fewest latest ops per client. Tests make it
// tiny to drive the gaps through small logs.
func (e *Engine) keepAtMost(ops, head, tail int) {
	e.r.store.keepOps, e.r.store.keepHead, e.r.store.minTail = ops, head, tail
}

func newOpStore() opStore {
	return opStore{keepOps: defaultKeepOps, keepHead: defaultKeepHead, minTail: minKeepTail, clients: map[int]*clientOps{}}
}

func (s *opStore) client(c int) *clientOps {
	co := s.clients[c]
	if co == nil {
		co = &clientOps{}
		s.clients[c] = co
	}
	return co
}

// headLimit is how many first ops a client keeps: fewer when many clients
// share the budget.
func (s *opStore) headLimit() int {
	return min(s.keepHead, max(1, s.keepOps/(4*max(1, len(s.clients)))))
}

// keepTail is how many latest ops each client keeps at least after a drop.
func (s *opStore) keepTail() int {
	return max(s.minTail, s.keepOps/max(1, len(s.clients))-s.headLimit())
}

// keep adds a kept op, and drops the middle of its client's ops when they
// are over the budget.
func (r *run) keep(op *dialect.Op, f *opFacts) {
	detach(op)
	r.asm.Note(op)
	r.facts[op] = f
	if op.Status == dialect.StatusFailed && op.Abandoned {
		r.abandoned[[2]int{op.Client, op.AbandonedLine}]++
	}
	co := r.store.client(op.Client)
	r.classify(co, op, f)
	co.ops = append(co.ops, op)
	r.store.total++
	if len(co.ops) <= r.store.headLimit() && co.gap == nil {
		co.head = len(co.ops)
	}
	if tail := r.store.keepTail(); len(co.ops)-co.head > 2*tail && r.store.total > r.store.keepOps {
		r.dropMiddle(co, tail)
	}
}

// detach gives a kept op strings of its own: the tokenizer cuts an
// event's strings from a batch of the log, which a kept op would otherwise
// hold in memory to the end (a few KB per op). The values are the same.
func detach(op *dialect.Op) {
	for _, s := range []*string{&op.Name, &op.Code, &op.Reason, &op.Topic, &op.Payload, &op.Host, &op.ClientID, &op.Username, &op.Password} {
		*s = strings.Clone(*s)
	}
	for i := range op.Topics {
		op.Topics[i] = strings.Clone(op.Topics[i])
	}
	for i := range op.Notes {
		op.Notes[i].Text = strings.Clone(op.Notes[i].Text)
	}
	if op.Will != nil {
		op.Will.Topic, op.Will.Message = strings.Clone(op.Will.Topic), strings.Clone(op.Will.Message)
	}
}

// dropMiddle drops a client's ops between its first ones and its latest
// tail: traffic anywhere there, and the ops that open and end connections
// only as whole connections (from an attempt made while the client was
// down to the next such attempt), so that the connections of the ops kept
// stay as the log shows them. Ops a rule watches and module-wide losses
// stay, and so does the connection around them.
func (r *run) dropMiddle(co *clientOps, tail int) {
	end := len(co.ops) - tail
	// the client's latest link loss stays too: a session that ends with a
	// loss and then only failed attempts is told from that loss
	// and so does the reconnect after it, which the verdict names
	var lastLoss, backAfter *dialect.Op
	if i := lastIndexFunc(co.ops[:end], linkLost); i >= 0 {
		lastLoss = co.ops[i]
		if j := slices.IndexFunc(co.ops[i:], connected); j >= 0 {
			backAfter = co.ops[i+j]
		}
	}
	co.lossBack = [2]*dialect.Op{lastLoss, backAfter}
	stays := func(op *dialect.Op) bool {
		return timeline.EndsLinks(op) || r.factsOf(op).firstOfClass || op == lastLoss || op == backAfter ||
			slices.ContainsFunc(op.Seqs, func(s int) bool { return r.watched[s] })
	}
	whole := make([]bool, end) // the op is in a connection that may go whole
	starts := episodeStarts(co.ops[:end+1])
	start := -1
	for i := co.head; i <= end; i++ {
		if !starts[i] {
			continue
		}
		if start >= 0 && !slices.ContainsFunc(co.ops[start:i], stays) {
			for j := start; j < i; j++ {
				whole[j] = true
			}
		}
		start = i
	}
	kept := co.ops[:co.head]
	for i := co.head; i < end; i++ {
		if op := co.ops[i]; stays(op) || lifecycle(op) && !whole[i] {
			kept = append(kept, op)
		} else {
			r.drop(co, op)
		}
	}
	kept = append(kept, co.ops[end:]...)
	clear(co.ops[len(kept):])
	co.ops = kept
}

// lastIndexFunc is the index of the last op match accepts, or -1.
func lastIndexFunc(ops []*dialect.Op, match func(*dialect.Op) bool) int {
	for i := len(ops) - 1; i >= 0; i-- {
		if match(ops[i]) {
			return i
		}
	}
	return -1
}

// lifecycle reports an op that opens or ends a client's connection.
func lifecycle(op *dialect.Op) bool {
	switch op.Kind {
	case dialect.OpOpen, dialect.OpConnect, dialect.OpDisconnect, dialect.OpClose, dialect.OpLink:
		return true
	}
	return false
}

// episodeStarts marks the ops that are an open or connect attempt made
// while the client was down: its first op, or one after a link loss, a
// close or a disconnect, or after a failed open or connect that left it
// with no network link and no session (dialects that open and connect in
// one step).
func episodeStarts(ops []*dialect.Op) []bool {
	out := make([]bool, len(ops)+1)
	down, linkUp, connected := true, false, false
	for i, op := range ops {
		out[i] = (op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect) && down
		switch {
		case linkLost(op) || isCleanup(op):
			down, linkUp, connected = true, false, false
		case op.Kind == dialect.OpOpen:
			linkUp = op.Status == dialect.StatusOK
			down = !linkUp && !connected
		case op.Kind == dialect.OpConnect:
			connected = connected || op.Status == dialect.StatusOK
			down = !linkUp && !connected
		}
	}
	return out
}

func (r *run) drop(co *clientOps, op *dialect.Op) {
	r.store.total--
	g := co.gap
	if g == nil {
		g = &gap{minSeq: firstSeq(op), maxSeq: firstSeq(op), firstLine: firstLineOf(op), lastLine: lastLineOf(op),
			byKind: map[kindStatus]int{}, reps: map[kindStatus][2]*dialect.Op{}, allFailing: true, lifeMin: firstSeq(op), lifeMax: -1}
		co.gap = g
	}
	g.ops++
	g.minSeq, g.maxSeq = min(g.minSeq, firstSeq(op)), max(g.maxSeq, firstSeq(op))
	g.firstLine, g.lastLine = min(g.firstLine, firstLineOf(op)), max(g.lastLine, lastLineOf(op))
	g.allFailing = g.allFailing && (isFailure(op) || isCleanup(op))
	if lifecycle(op) {
		g.lifeMin, g.lifeMax = min(g.lifeMin, firstSeq(op)), max(g.lifeMax, firstSeq(op))
	}
	k := kindStatus{op.Kind, op.Status}
	g.byKind[k]++
	if r.factsOf(op).unclassed {
		g.unclassed++
	}
	r.fold(g, op)
	if op.Retries > 0 && carriesPacketID(op) {
		g.retries, g.retried = g.retries+op.Retries, g.retried+1
	}
	if unacked(op) {
		g.unacked++
		if op.Abandoned {
			g.unackedAbandoned++
		}
	}
	if op.Kind == dialect.OpLink {
		delete(r.abandoned, [2]int{op.Client, firstLineOf(op)})
	}
	rep, old := g.reps[k], op
	switch {
	case rep[0] == nil:
		rep, old = [2]*dialect.Op{op, op}, nil
	case firstSeq(op) < firstSeq(rep[0]):
		rep[0], old = op, rep[0]
	case firstSeq(op) > firstSeq(rep[1]):
		rep[1], old = op, rep[1]
	}
	g.reps[k] = rep
	if old != nil && old != rep[0] && old != rep[1] {
		delete(r.facts, old) // what the engine noted of it goes with it
	}
}

// reps are the representatives of a client's gap, by first event.
func (g *gap) repOps() []*dialect.Op {
	if g == nil {
		return nil
	}
	var out []*dialect.Op
	for _, rep := range g.reps {
		out = append(out, rep[0])
		if rep[1] != rep[0] {
			out = append(out, rep[1])
		}
	}
	sort.Slice(out, func(i, j int) bool { return firstSeq(out[i]) < firstSeq(out[j]) })
	return out
}

// gapOf is client c's gap, or nil when it kept every op.
func (r *run) gapOf(c int) *gap {
	if co := r.store.clients[c]; co != nil {
		return co.gap
	}
	return nil
}

// gapBetween reports whether ops of client c that the engine dropped may
// lie between events a and b.
func (r *run) gapBetween(c, a, b int) bool {
	g := r.gapOf(c)
	return g != nil && g.minSeq < b && g.maxSeq > a
}

// connectionsGapBetween reports whether ops of client c that opened or
// ended a connection and that the engine dropped may lie between events a
// and b: only then may its connections there differ from the log's.
func (r *run) connectionsGapBetween(c, a, b int) bool {
	g := r.gapOf(c)
	return g != nil && g.lifeMax >= 0 && g.lifeMin < b && g.lifeMax > a
}

// anyGapBetween reports whether an op of any client that the engine
// dropped, of a kind and outcome that holds accepts, may lie between
// events a and b: the first and last dropped op of the kind tell.
func (r *run) anyGapBetween(a, b int, holds func(kindStatus) bool) bool {
	for _, co := range r.store.clients {
		if co.gap == nil {
			continue
		}
		for k, rep := range co.gap.reps {
			if holds(k) && firstSeq(rep[0]) < b && firstSeq(rep[1]) > a {
				return true
			}
		}
	}
	return false
}

// connectedAfter is the line of the first successful connect of any
// client after event seq, kept or a representative of a gap (0: none).
func (r *run) connectedAfter(seq int) int {
	var first *dialect.Op
	for _, ops := range append([][]*dialect.Op{r.ops}, slices.Collect(maps.Values(r.reps))...) {
		for _, op := range ops {
			if connected(op) && firstSeq(op) > seq {
				if first == nil || firstSeq(op) < firstSeq(first) {
					first = op
				}
				break
			}
		}
	}
	if first == nil {
		return 0
	}
	return firstLineOf(first)
}

// What the counting rules fold of a dropped op, to say how many times a
// failure happened in all.
const (
	foldTimeout   = "timeout"
	foldFailed    = "failed"
	foldDeviation = "deviation"
)

// fold counts a dropped op for the counting rules that would count it:
// the timeout rule by kind and command, the failure rules by command,
// code and reason, the deviation rule by command and deviations.
func (r *run) fold(g *gap, op *dialect.Op) {
	if g.folds == nil {
		g.folds = map[string]int{}
	}
	if timedOut(op) {
		g.folds[foldKey(foldTimeout, op.Kind, r.command(op))]++
	}
	if op.Status == dialect.StatusFailed && !op.Abandoned {
		g.folds[foldKey(foldFailed, r.command(op), op.Code, op.Reason)]++
	}
	if devs := deviations(op); len(devs) > 0 {
		g.folds[foldKey(foldDeviation, r.command(op), strings.Join(devs, "|"))]++
	}
}

func foldKey(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "%v\x00", p)
	}
	return b.String()
}

// counted is how many dropped ops a counting rule would have counted
// under the key of parts (0 without a gap).
func (g *gap) counted(parts ...any) int {
	if g == nil {
		return 0
	}
	return g.folds[foldKey(parts...)]
}

// gapSays is what a finding about a client with a gap adds, so that its
// counts are not read as the whole log's.
func gapSays(c int, g *gap) string {
	return fmt.Sprintf(" (The log is long: %s of %s between lines %d and %d were only counted, not kept: the lines here and the operations named leave them out, the counts of failures include them; see the %s finding.)",
		plural(g.ops, "operation", "operations"), clientName(c), g.firstLine, g.lastLine, idPartial)
}

// idPartial: a client with ops the engine did not keep.
const idPartial = "diagnosed-in-part"

// partialRule says, per client with a gap, what the findings leave out.
type partialRule struct{ base }

func (partialRule) finish(r *run) {
	clients := slices.Sorted(maps.Keys(r.store.clients))
	for _, c := range clients {
		g := r.store.clients[c].gap
		if g == nil {
			continue
		}
		keys := slices.SortedFunc(maps.Keys(g.byKind), func(a, b kindStatus) int {
			return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.status, b.status))
		})
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%d %s (%s)", g.byKind[k], k.kind, k.status))
		}
		r.add(Finding{Rule: idPartial, Severity: Info, Client: c,
			Title: fmt.Sprintf("%s: %s between lines %d and %d were counted, not diagnosed", clientName(c), plural(g.ops, "operation", "operations"), g.firstLine, g.lastLine),
			Explanation: fmt.Sprintf("The log is too long to keep every operation that failed, or opened or ended a connection: atscope keeps the first and the latest ones of each client (%d in all), and the first of each kind of failure, and counts those in between: %s. The other findings of %s leave them out of their lines and of the operations they name; their counts of failures, and what they say about recovery, take them into account.%s",
				r.store.keepOps, strings.Join(parts, ", "), clientName(c), unclassedSays(g)),
			Lines:  []int{g.firstLine, g.lastLine},
			Advice: fmt.Sprintf("To diagnose that stretch in full, cut the log around it (--lines %d-%d, or --since and --until).", g.firstLine, g.lastLine)})
	}
}
