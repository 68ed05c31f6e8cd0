package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// ringSize is how many recent events the engine remembers, in short form,
// to see the events of an op when the dialect completes it. The dialect
// decoder holds up to 4096 events while it detects the dialect, so ops can
// arrive that late.
const ringSize = 8192

// maxText bounds the text kept per remembered event.
const maxText = 512

// evInfo is what the engine keeps of an event.
type evInfo struct {
	Seq, Line, EndLine int
	Kind               decode.Kind
	Dir                decode.Dir
	Name, Args, Text   string
	Problem            string
	Time               time.Time
	Timed              bool
	Form               decode.Form
}

func infoOf(ev *decode.Event) evInfo {
	e := ringInfo(ev)
	e.Args, e.Text = strings.Clone(e.Args), strings.Clone(e.Text) // do not keep a large payload alive
	return e
}

// ringInfo is infoOf for the ring, without copies for the events of
// ordinary size: the ring lets go of them within 8192 events, and
// detached copies what outlives it. A long event's strings are cut from
// a string of its own length (a 100 MB line), which the ring must not
// hold: those are copied, clipped.
func ringInfo(ev *decode.Event) evInfo {
	e := evInfo{
		Seq: ev.Seq, Line: ev.Pos.Line, EndLine: max(ev.EndLine, ev.Pos.Line), Kind: ev.Kind, Dir: ev.Dir,
		Name: ev.Name, Args: ev.Args[:min(len(ev.Args), maxText)], Text: ev.Text[:min(len(ev.Text), maxText)], Problem: ev.Problem,
		Time: ev.Time, Timed: ev.TimeSrc == decode.TimeLog, Form: ev.Form,
	}
	if len(ev.Text) > maxText || len(ev.Args) > maxText || len(ev.Raw) > maxText {
		e = e.detached()
	}
	return e
}

// detached is e with strings of its own, for what the engine keeps past
// the ring: see detach.
func (e evInfo) detached() evInfo {
	e.Name, e.Args, e.Text, e.Problem = strings.Clone(e.Name), strings.Clone(e.Args), strings.Clone(e.Text), strings.Clone(e.Problem)
	return e
}

// opFacts is what the engine noted about an op when it arrived.
type opFacts struct {
	result  evInfo // the event that gave the outcome (Seq -1 when not seen)
	command evInfo // the op's first command or echo (Seq -1 when none)
	// okBefore is the first seq of the client's latest routine op that
	// went well and started before this op, when this op came (-1: none):
	// routine ops are not kept, so it bounds a failing stretch
	okBefore int
	// firstOfClass says the op is the first of its failure class for its
	// client, which stays kept; unclassed that its class is past the
	// bounds (see classify)
	firstOfClass, unclassed bool
}

// run is one log's shared state: what every rule may ask about.
type run struct {
	file  string
	asm   *timeline.Assembler
	ring  [ringSize]evInfo
	last  evInfo // the latest event
	seen  bool
	facts map[*dialect.Op]*opFacts
	// lastOK is, per client, the first seq of its latest routine op
	lastOK map[int]int
	net    netTracker
	// store is the ops kept for the end, per client, within a budget
	store opStore
	// dialects is the latest dialect of each client's ops, kept or not
	dialects map[int]string
	// counts are what Understanding reports.
	counts understandingCounts

	// Routine ops (see routine) are not kept, so that memory does not grow
	// with the log: recent holds the latest for a rule that asks for the op
	// of an event it watches just after the op came; watched are those
	// events. firstClient is the first op of a client, kept or not.
	recent      [recentSize]*keptOp
	nRecent     int
	watched     map[int]bool
	firstClient *dialect.Op

	// Filled by prepare, for finish.
	sessions []*timeline.Session
	ops      []*dialect.Op        // every op of the log, by first event
	claimed  map[*dialect.Op]bool // ops a rule has explained
	bySeq    map[int]*dialect.Op  // the op that holds each event
	byClient map[int][]*dialect.Op
	// reps are, per client, the representatives of its gap (see gap),
	// by first event: what look-ups across the gap find
	reps map[int][]*dialect.Op
	// abandoned counts, per client and line of a link loss, the ops the
	// loss abandoned.
	abandoned map[[2]int]int
	explained map[int]bool // events (not ops) a rule has explained
	findings  []Finding
}

func newRun(file string) *run {
	r := &run{file: file, asm: timeline.NewAssembler(), facts: map[*dialect.Op]*opFacts{}, lastOK: map[int]int{}, claimed: map[*dialect.Op]bool{},
		explained: map[int]bool{}, watched: map[int]bool{}, store: newOpStore(), dialects: map[int]string{},
		abandoned: map[[2]int]int{}}
	r.net.init()
	for i := range r.ring {
		r.ring[i].Seq = -1
	}
	return r
}

func (r *run) see(ev *decode.Event) {
	info := ringInfo(ev)
	r.ring[ev.Seq%ringSize] = info
	r.last, r.seen = info, true
	r.net.see(ev)
	r.counts.see(ev)
}

// event returns the remembered event seq, if it is still remembered.
func (r *run) event(seq int) (evInfo, bool) {
	if seq < 0 {
		return evInfo{}, false
	}
	e := r.ring[seq%ringSize]
	return e, e.Seq == seq
}

func (r *run) addOp(op *dialect.Op) {
	f := r.factsFromRing(op)
	if op.Dialect != "" {
		r.dialects[op.Client] = op.Dialect
	}
	if op.Client != dialect.ModuleClient && (r.firstClient == nil || firstSeq(op) < firstSeq(r.firstClient) ||
		firstSeq(op) == firstSeq(r.firstClient) && op.Client < r.firstClient.Client) {
		r.firstClient = op
	}
	f.okBefore = -1
	if ok, seen := r.lastOK[op.Client]; seen && ok < firstSeq(op) {
		f.okBefore = ok
	}
	if routine(op) {
		r.lastOK[op.Client] = max(r.lastOK[op.Client], firstSeq(op))
	}
	if routine(op) && !slices.ContainsFunc(op.Seqs, func(s int) bool { return r.watched[s] }) {
		r.asm.Note(op)
		r.recent[r.nRecent%recentSize] = &keptOp{op, f}
		r.nRecent++
		return
	}
	r.keep(op, f)
}

// recentSize is how many routine ops a run remembers after they came.
const recentSize = 256

// keptOp is an op with what the engine noted about it.
type keptOp struct {
	op    *dialect.Op
	facts *opFacts
}

// watch says that a rule will ask at the end for the op that holds event
// seq: it is kept even if routine.
func (r *run) watch(seq int) {
	if seq < 0 || r.watched[seq] {
		return
	}
	r.watched[seq] = true
	for i, k := range r.recent {
		if k != nil && slices.Contains(k.op.Seqs, seq) {
			r.keep(k.op, k.facts)
			r.recent[i] = nil
		}
	}
}

// routine reports an op that no rule looks at once the log has ended, of
// those that went well without remarks or retransmissions: traffic
// (publish, receive, subscribe, unsubscribe) without deviations, sizes over
// the module's limits or rejected topics, and the module's state reports
// (signal, registration) that end no link. The rules that follow traffic
// see it as it comes, in log order (ordered).
func routine(op *dialect.Op) bool {
	if op.Status != dialect.StatusOK || len(op.Notes) > 0 || op.Retries > 0 {
		return false
	}
	switch op.Kind {
	case dialect.OpPublish, dialect.OpReceive, dialect.OpSubscribe, dialect.OpUnsubscribe:
		return len(deviations(op)) == 0 && len(overLimits(op)) == 0 && !slices.Contains(op.Granted, 128)
	case dialect.OpLink:
		return op.Client == dialect.ModuleClient && !timeline.EndsLinks(op)
	}
	return false
}

// factsFromRing notes what the remembered events say of op: its command
// and the event that gave its outcome.
func (r *run) factsFromRing(op *dialect.Op) *opFacts {
	f := &opFacts{result: evInfo{Seq: -1}, command: evInfo{Seq: -1}, okBefore: -1}
	for _, s := range op.Seqs {
		e, ok := r.event(s)
		if !ok {
			continue
		}
		if f.command.Seq < 0 && (e.Kind == decode.KindCommand || e.Kind == decode.KindEcho) {
			f.command = e.detached()
		}
	}
	// The outcome is the last module line of the op, when the op ended with
	// one; ops that timed out or were abandoned end without one.
	if op.Status == dialect.StatusFailed || op.Status == dialect.StatusOK {
		for i := len(op.Seqs) - 1; i >= 0; i-- {
			e, ok := r.event(op.Seqs[i])
			if !ok {
				break
			}
			if e.Kind == decode.KindResult || e.Kind == decode.KindURC || e.Kind == decode.KindResponse && e.Name != "" {
				if dialect.SuccessResult(e.Name) && op.Status == dialect.StatusFailed {
					continue
				}
				f.result = e.detached()
				break
			}
		}
	}
	return f
}

// factsOf returns what the engine noted about op (an empty record for ops
// it was not fed).
func (r *run) factsOf(op *dialect.Op) *opFacts {
	if f, ok := r.facts[op]; ok {
		return f
	}
	return &opFacts{result: evInfo{Seq: -1}, command: evInfo{Seq: -1}, okBefore: -1}
}

// prepare assembles the sessions and the ordered op list for finish.
func (r *run) prepare() {
	for _, co := range r.store.clients {
		for _, op := range co.ops {
			r.asm.Add(op)
		}
	}
	r.sessions = r.asm.Sessions()
	r.reps = map[int][]*dialect.Op{}
	for _, s := range r.sessions {
		r.ops = append(r.ops, s.Ops...)
		if d := r.dialects[s.Client]; d != "" {
			s.Dialect = d // the latest op's, as when every op was added
		}
		if g := r.gapOf(s.Client); g != nil {
			r.reps[s.Client] = g.repOps()
		}
	}
	sort.SliceStable(r.ops, func(i, j int) bool { return firstSeq(r.ops[i]) < firstSeq(r.ops[j]) })
	r.bySeq, r.byClient = map[int]*dialect.Op{}, map[int][]*dialect.Op{}
	for _, op := range r.ops {
		for _, s := range op.Seqs {
			if _, ok := r.bySeq[s]; !ok {
				r.bySeq[s] = op
			}
		}
		r.byClient[op.Client] = append(r.byClient[op.Client], op)
	}
}

// after returns the first op of op's client after op that match accepts,
// among the kept ops and the representatives of the client's gap.
func (r *run) after(op *dialect.Op, match func(*dialect.Op) bool) *dialect.Op {
	var found *dialect.Op
	for _, ops := range [][]*dialect.Op{r.byClient[op.Client], r.reps[op.Client]} {
		i := sort.Search(len(ops), func(i int) bool { return firstSeq(ops[i]) > firstSeq(op) })
		for ; i < len(ops); i++ {
			if match(ops[i]) {
				if found == nil || firstSeq(ops[i]) < firstSeq(found) {
					found = ops[i]
				}
				break
			}
		}
	}
	return found
}

// before returns the last op of op's client before op that match accepts,
// among the kept ops and the representatives of the client's gap.
func (r *run) before(op *dialect.Op, match func(*dialect.Op) bool) *dialect.Op {
	var found *dialect.Op
	for _, ops := range [][]*dialect.Op{r.byClient[op.Client], r.reps[op.Client]} {
		i := sort.Search(len(ops), func(i int) bool { return firstSeq(ops[i]) >= firstSeq(op) })
		for i--; i >= 0; i-- {
			if match(ops[i]) {
				if found == nil || firstSeq(ops[i]) > firstSeq(found) {
					found = ops[i]
				}
				break
			}
		}
	}
	return found
}

func connected(o *dialect.Op) bool {
	return o.Kind == dialect.OpConnect && o.Status == dialect.StatusOK
}

func linkLost(o *dialect.Op) bool {
	return o.Kind == dialect.OpLink && o.Status == dialect.StatusFailed
}

// recoveredAfter is the first successful connect of op's client after op
// that the engine kept. exact is false when the client's gap holds
// dropped connects on both sides of op: an earlier reconnect than back
// may then have been dropped, and its line is not known.
func (r *run) recoveredAfter(op *dialect.Op) (back *dialect.Op, exact bool) {
	back = r.after(op, connected)
	if co := r.store.clients[op.Client]; co != nil && back != nil && co.lossBack == [2]*dialect.Op{op, back} {
		return back, true // kept together: no reconnect was dropped between them
	}
	return back, back == nil || !r.droppedMatchBetween(op, back, connected)
}

// recovered reports whether op's client connected again after op.
func (r *run) recovered(op *dialect.Op) bool {
	back, _ := r.recoveredAfter(op)
	return back != nil
}

// droppedMatchBetween reports whether the gap of op's client may hold an
// op that match accepts between op and found: the first and last dropped
// op of that kind and outcome lie on both sides of op.
func (r *run) droppedMatchBetween(op, found *dialect.Op, match func(*dialect.Op) bool) bool {
	g := r.gapOf(op.Client)
	if g == nil {
		return false
	}
	for _, rep := range g.reps {
		if match(rep[0]) && firstSeq(rep[0]) < firstSeq(op) && firstSeq(op) < firstSeq(rep[1]) &&
			firstSeq(op) < firstSeq(found) {
			return true
		}
	}
	return false
}

// againAt says where the client connected again: "at line N", or, when an
// earlier reconnect may have been dropped, "by line N".
func againAt(back *dialect.Op, exact bool) string {
	if exact {
		return fmt.Sprintf("at line %d", firstLineOf(back))
	}
	return fmt.Sprintf("by line %d (an earlier reconnect may lie among the operations only counted, see %s)", firstLineOf(back), idPartial)
}

// connectBefore is the last successful connect of op's client before op.
func (r *run) connectBefore(op *dialect.Op) *dialect.Op { return r.before(op, connected) }

// connectedBefore reports whether the log shows a successful connect of
// op's client before op.
func (r *run) connectedBefore(op *dialect.Op) bool { return r.connectBefore(op) != nil }

// linkLossAfter is the client's next link loss after op, if any.
func (r *run) linkLossAfter(op *dialect.Op) *dialect.Op { return r.after(op, linkLost) }

// abandonedAfter counts the ops a link loss abandoned.
func (r *run) abandonedAfter(loss *dialect.Op) int {
	return r.abandoned[[2]int{loss.Client, firstLineOf(loss)}]
}

// opOfSeq is the op that holds event seq, or nil.
func opOfSeq(r *run, seq int) *dialect.Op { return r.bySeq[seq] }

// clientOfLine is the client of the op that holds event seq, or the module.
func clientOfLine(r *run, seq int) int {
	if op := r.bySeq[seq]; op != nil {
		return op.Client
	}
	return dialect.ModuleClient
}

// laterSuccess says how a later successful open or connect of the client
// differed from a failed one: another host, port or credentials are often
// the fix.
func (r *run) laterSuccess(op *dialect.Op) string {
	if op.Kind != dialect.OpOpen && op.Kind != dialect.OpConnect {
		return ""
	}
	worked := func(o *dialect.Op) bool { return o.Kind == op.Kind && o.Status == dialect.StatusOK }
	o := r.after(op, worked)
	if o == nil || r.droppedMatchBetween(op, o, worked) {
		return "" // the first that worked may be among the dropped ops
	}
	switch {
	case o.Host != op.Host && o.Host != "" && op.Host != "":
		return fmt.Sprintf(" The %s that worked (line %d) went to %s instead of %s.", o.Kind, firstLineOf(o), o.Host, op.Host)
	case o.Port != op.Port && o.Port > 0 && op.Port > 0:
		return fmt.Sprintf(" The %s that worked (line %d) used port %d instead of %d.", o.Kind, firstLineOf(o), o.Port, op.Port)
	case o.Username != op.Username:
		return fmt.Sprintf(" The %s that worked (line %d) used another user name.", o.Kind, firstLineOf(o))
	case o.Password != op.Password:
		return fmt.Sprintf(" The %s that worked (line %d) used another password.", o.Kind, firstLineOf(o))
	case o.ClientID != op.ClientID:
		return fmt.Sprintf(" The %s that worked (line %d) used another client ID.", o.Kind, firstLineOf(o))
	}
	return ""
}

// claim marks ops as explained by a finding, so that the catch-all rules
// leave them alone.
func (r *run) claim(ops ...*dialect.Op) {
	for _, op := range ops {
		if op != nil {
			r.claimed[op] = true
		}
	}
}

// explainEvent marks events as explained, for the rules about commands
// that are not ops.
func (r *run) explainEvent(seqs ...int) {
	for _, s := range seqs {
		r.explained[s] = true
	}
}

// claimSeq claims every op that holds one of the events seqs.
func (r *run) claimSeq(seqs ...int) {
	r.explainEvent(seqs...)
	for _, s := range seqs {
		if op := r.bySeq[s]; op != nil {
			r.claimed[op] = true
		}
	}
}

// session returns the session of client c, or nil.
func (r *run) session(c int) *timeline.Session {
	for _, s := range r.sessions {
		if s.Client == c {
			return s
		}
	}
	return nil
}

// clientSessions are the sessions of MQTT clients (not the module).
func (r *run) clientSessions() []*timeline.Session {
	var out []*timeline.Session
	for _, s := range r.sessions {
		if s.Client != dialect.ModuleClient {
			out = append(out, s)
		}
	}
	return out
}

func firstSeq(op *dialect.Op) int {
	if len(op.Seqs) == 0 {
		return 1 << 30
	}
	return op.Seqs[0]
}

func lastSeq(op *dialect.Op) int {
	if len(op.Seqs) == 0 {
		return 1 << 30
	}
	return op.Seqs[len(op.Seqs)-1]
}

// command names an op for a title: "AT+QMTOPEN" when the log has its
// command, else the line that showed it ("+QMTSTAT", "CLOSED").
func (r *run) command(op *dialect.Op) string {
	if op.Wire != nil {
		// Socket-level MQTT: the AT command only carried the packet.
		return "MQTT " + op.Kind.String()
	}
	if f := r.factsOf(op); f.command.Seq >= 0 && f.command.Name != "" {
		return "AT" + f.command.Name
	}
	if op.Name == "" {
		return op.Kind.String()
	}
	return op.Name
}

// ints reads the integers of a comma-separated code ("0,4", "-1"); ok is
// false when a field is not one.
func ints(code string) ([]int, bool) {
	var out []int
	for _, f := range strings.Split(code, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.Trim(strings.TrimSpace(f), `"`)))
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, len(out) > 0
}

// lastInt is the last integer of a code, or def.
func lastInt(code string, def int) int {
	if n, ok := ints(code); ok {
		return n[len(n)-1]
	}
	return def
}

// span says how long after a before b was, or "" without times.
func span(a, b time.Time) string {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return ""
	}
	return timeline.HumanDuration(b.Sub(a))
}

// plural says "1 time", "3 times".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// lineList renders lines for prose: "line 12", "lines 12, 15 and 20",
// "lines 12, 15, ... (9 in all)".
func lineList(lines []int) string { return lineListOf(lines, len(lines)) }

// lineListOf renders total lines of which first are the first ones (all
// of them when there are 5 or fewer).
func lineListOf(first []int, total int) string {
	switch {
	case total == 0 || len(first) == 0:
		return "no line"
	case total == 1:
		return fmt.Sprintf("line %d", first[0])
	}
	var s []string
	for _, l := range first[:min(len(first), 4)] {
		s = append(s, strconv.Itoa(l))
	}
	if total > 5 || len(first) < total {
		return fmt.Sprintf("lines %s, ... (%d in all)", strings.Join(s, ", "), total)
	}
	for _, l := range first[len(s):] {
		s = append(s, strconv.Itoa(l))
	}
	return "lines " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// opStart is the time an op started, when logged.
func opStart(op *dialect.Op) time.Time {
	if op.Start.IsZero() {
		return op.End
	}
	return op.Start
}

// opEnd is the time an op ended, when logged.
func opEnd(op *dialect.Op) time.Time {
	if op.End.IsZero() {
		return op.Start
	}
	return op.End
}

// firstLineOf is an op's first line, or 0.
func firstLineOf(op *dialect.Op) int {
	if len(op.Lines) == 0 {
		return 0
	}
	return op.Lines[0]
}

// lastLineOf is an op's last line, or 0.
func lastLineOf(op *dialect.Op) int {
	if len(op.Lines) == 0 {
		return 0
	}
	return op.Lines[len(op.Lines)-1]
}

// clientName is "client 0" or "the module".
func clientName(c int) string {
	if c == dialect.ModuleClient {
		return "the module"
	}
	return fmt.Sprintf("client %d", c)
}

// vendorCode is the op's vendor result code (the last number of its
// code), or def.
func vendorCode(op *dialect.Op, def int) int {
	if n, ok := op.VendorCode(); ok {
		return n
	}
	return def
}
