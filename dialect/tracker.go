package dialect

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"atscope/decode"
)

// tracker is the bookkeeping every vendor machine shares: the command that
// awaits its final result, the ops that await their result URC, deadlines,
// and what is left when the log ends. The shape it implements is the one
// most MQTT AT commands have: a command, its echo, a final result code, and
// (for asynchronous ones) a later URC with the real outcome.
type tracker struct {
	file, dialect string
	cmd           *pendingCmd
	open          []*Op
	log           *startLog // where ops report their start (Decoder.Oldest)
	auto          *Op       // the module's own reconnection in progress (reconnect.go)
	// held is a timed-out op of the pending command, not yet emitted: the
	// module may still answer it late (lateResult). At most one, so memory
	// stays bounded; the next command, a grace period or the end emits it.
	held *Op
	// cmds is where cmd lives. A new command takes the slot cmd does not
	// point to, so the command before it stays as it was for a machine
	// that keeps it (espMachine.prev), and commands cost no allocation.
	cmds [2]pendingCmd
}

// pendingCmd is the latest command until its final result code.
type pendingCmd struct {
	ev     decode.Event
	op     *Op // the op the command starts, or nil
	echoed bool
	final  bool
}

// opState is a machine's private bookkeeping about an op.
type opState struct {
	deadline time.Duration // how long the result may take; 0 for no limit (setDeadline)
	// delay is how long after Start the module started on the op: a
	// prompted op's deadline runs from its first event after the prompt
	// (its payload), since a person may type the payload long after the
	// prompt.
	delay    time.Duration
	followed int32 // commands that followed it; int32 to share a word with the flags
	async    bool  // a result URC is due after the final result code
	answered bool  // the module said anything about it
	later    bool  // another command followed before any answer
	prompted bool  // the module prompted for a payload
	awaiting bool  // prompted, and nothing after the prompt yet: no deadline runs
	cut      bool  // an elision followed it: its result may be cut from the log
	// short is how many payload bytes the module still waits for after a
	// payload shorter than its declared length (decode.LengthShort): the
	// host lines that follow are payload to it, not commands (swallow).
	short     int32
	swallowed bool // the module took a command line as payload (swallow)
}

// setDeadline gives the op a new deadline, counted from its Start (or from
// its payload, see opState.from).
func (op *Op) setDeadline(d time.Duration) {
	op.state.deadline = d
	if d > 0 && op.Timed && op.started != nil {
		op.started.due(op)
	}
}

// dueBy is when a timed op's deadline passes. tick asks only once the
// log's alarm is past, so working it out each time costs little.
func (op *Op) dueBy() time.Time {
	after := op.state.delay + op.state.deadline
	if after < op.state.delay { // a delay of centuries (a clock jump) must not wrap
		after = math.MaxInt64
	}
	return op.Start.Add(after)
}

// answersQuery reports whether ev is a line answering a read ("AT+QMTCONN?")
// or test ("AT+QMTOPEN=?") command: a listing of states or of what the
// command takes, "+QMTOPEN: (0-5),\"host_name\",(1-65536)", never the
// outcome of an operation. The Decoder keeps such lines from every machine,
// so that no dialect parses them as results; the network context still
// reads them (AT+QIACT? lists addresses), and a machine whose values come
// from such read-outs reads them as a queryReader. The final OK or ERROR
// still reaches the machine: it ends the pending command.
func answersQuery(ev *decode.Event) bool {
	return ev.Kind == decode.KindResponse && ev.AnswersQuery()
}

// queryReader is a machine that learns values (the stored device, a
// profile) from answers to read commands; it makes no op of them.
type queryReader interface{ queryAnswer(ev *decode.Event) }

func newTracker(file, dialect string) tracker { return tracker{file: file, dialect: dialect} }

// op starts an op of this log and dialect.
func (t *tracker) op(client int, kind OpKind, name string) *Op {
	return t.log.newOp(t.file, t.dialect, client, kind, name)
}

// command registers a command or echo event. It reports true when ev is only
// the echo of the pending command, which it adds to that command's op.
func (t *tracker) command(ev *decode.Event) bool {
	if t.swallow(ev) {
		return true
	}
	if c := t.cmd; ev.Kind == decode.KindEcho && c != nil && !c.echoed && !c.final && sameCommand(ev.Text, c.ev.Text) {
		c.echoed = true
		if c.op != nil {
			c.op.add(ev)
		}
		return true
	}
	for _, op := range t.open {
		op.resume(ev) // a new command: the payload phase is over, with or without a payload
		op.state.followed++
		if !op.state.answered {
			op.state.later = true
		}
	}
	next := &t.cmds[0]
	if t.cmd == next {
		next = &t.cmds[1]
	}
	*next = pendingCmd{ev: *ev}
	t.cmd = next
	return false
}

// swallow adds a command line to the pending op when the module is still
// counting that op's payload (opState.short): the module takes the line as
// payload bytes, so it starts no op, and the module's next answer is the
// pending op's result.
func (t *tracker) swallow(ev *decode.Event) bool {
	c := t.cmd
	if ev.Kind != decode.KindCommand || c == nil || c.final || c.op == nil || c.op.state.short <= 0 {
		return false
	}
	c.op.add(ev)
	c.op.noteAs(NoteRemark, fmt.Sprintf("%s (line %d) became part of the payload, not a command", ev.Text, ev.Pos.Line))
	c.op.state.swallowed = true
	c.op.state.short -= int32(len(ev.Text)) + 2 // the line and its CR LF
	return true
}

// sameCommand reports whether two command lines are the same but for case;
// an echo is most often byte for byte the command.
func sameCommand(a, b string) bool { return a == b || strings.EqualFold(a, b) }

// begin makes op the op of the pending command and tracks it until its
// result. async says a result URC follows the final result code.
func (t *tracker) begin(op *Op, async bool, deadline time.Duration) *Op {
	op.state.async = async
	op.setDeadline(deadline)
	if t.cmd != nil {
		op.add(&t.cmd.ev)
		t.cmd.op = op
	}
	t.open = append(t.open, op)
	return op
}

// attach adds an event (a prompt, a payload, a response line) to the
// pending command's op.
func (t *tracker) attach(ev *decode.Event) *Op {
	if t.cmd == nil || t.cmd.op == nil {
		return nil
	}
	op := t.cmd.op
	op.add(ev)
	op.state.answered = op.state.answered || ev.Dir != decode.DirToModule
	if ev.Kind == decode.KindPrompt {
		op.state.prompted = true
		op.awaitPayload()
	} else {
		op.resume(ev)
	}
	if ev.Kind == decode.KindData && ev.Dir == decode.DirToModule && ev.Length == decode.LengthShort {
		// The module waits for the rest of the payload: no deadline runs
		// until its answer (result resumes it).
		op.state.short = ev.Declared - ev.Have
		op.awaitPayload()
	}
	return op
}

// awaitPayload stops op's deadline until its payload (resume): a person
// may type it long after the prompt, or in data mode after the OK.
func (op *Op) awaitPayload() { op.state.awaiting = true }

// resume starts a prompted op's deadline at the first event after its
// prompt: the payload, or the result when the log does not show the
// payload. The module starts on the op then; the time a person took to
// type the payload is no part of it (issue 14 point 6).
func (op *Op) resume(ev *decode.Event) {
	if !op.state.awaiting {
		return
	}
	op.state.awaiting = false
	if ev.TimeSrc == decode.TimeLog && op.Timed {
		if d := ev.Time.Sub(op.Start); d > 0 {
			op.state.delay = d
		}
		op.setDeadline(op.state.deadline)
	}
}

// result handles a final result code. An error fails the pending command's
// op; OK completes a synchronous op and leaves an asynchronous one waiting
// for its URC. It returns the op, if any.
func (t *tracker) result(ev *decode.Event, emit func(*Op)) *Op {
	t.lateResult(ev)
	c := t.cmd
	if c == nil || c.final {
		return nil
	}
	c.final = true
	op := c.op
	if op == nil || op.Status != StatusPending || !slices.Contains(t.open, op) {
		return nil
	}
	op.state.answered = true
	op.resume(ev)
	if ev.Name != "OK" {
		code, reason := resultReason(ev.Name, ev.Args)
		if op.state.swallowed {
			reason = "the payload was short of its declared length; the module took the next command as payload bytes, then gave up"
		}
		t.complete(op, ev, StatusFailed, code, reason, emit)
		return op
	}
	op.gotFinal = true
	if op.state.prompted && op.state.async && ev.TimeSrc == decode.TimeLog {
		// The OK after a payload is when the module took it and sent the
		// packet; a person typing the payload makes earlier times useless.
		op.Sent = ev.Time
	}
	if !op.state.async {
		t.complete(op, ev, StatusOK, "", "", emit)
		return op
	}
	op.add(ev)
	return op
}

// find returns the oldest open op that match accepts.
func (t *tracker) find(match func(*Op) bool) *Op {
	for _, op := range t.open {
		if match(op) {
			return op
		}
	}
	return nil
}

// findByMsgID returns the open op of kind, client and msgID that a result
// URC answers: the oldest, since QoS 0 publishes may all use msgID 0 and
// the module answers in order, unless lines were cut after it (an
// elision) and a newer op has the same msgID. Then the newer one takes the
// result: the module answers the command it just got, and the older one's
// result was among the cut lines (it ends unknown with the log).
func (t *tracker) findByMsgID(kind OpKind, client, msgID int) *Op {
	var found *Op
	for _, op := range t.open {
		if op.Kind == kind && op.Client == client && op.MsgID == msgID {
			found = op
			if !op.state.cut {
				break
			}
		}
	}
	return found
}

// note marks the open ops a person's elision ("....") follows: their
// result may be among the lines cut (findByMsgID).
func (t *tracker) note(ev *decode.Event) {
	if !ev.Note || !decode.IsElision(ev.Text) {
		return
	}
	for _, op := range t.open {
		op.state.cut = true
	}
}

// complete gives op its outcome, stops tracking it and emits it.
func (t *tracker) complete(op *Op, ev *decode.Event, st Status, code, reason string, emit func(*Op)) {
	op.finish(ev, st, code, reason)
	if i := slices.Index(t.open, op); i >= 0 {
		t.open = slices.Delete(t.open, i, i+1)
	}
	emit(op)
}

// single emits an op that one event shows whole (a receive, a link change).
func (t *tracker) single(op *Op, ev *decode.Event, st Status, code, reason string, emit func(*Op)) {
	op.finish(ev, st, code, reason)
	emit(op)
}

// tick times out open ops whose deadline has passed by the time of ev. It
// runs at every event, and looks at the open ops only once the log's alarm
// is past.
func (t *tracker) tick(ev *decode.Event, emit func(*Op)) {
	t.releaseHeld(ev, emit)
	if ev.TimeSrc != decode.TimeLog || t.log.asleep(ev.Time) {
		return
	}
	var next time.Time
	for i := 0; i < len(t.open); {
		op := t.open[i]
		if d := op.state.deadline; d > 0 && op.Timed && !op.state.awaiting {
			// After(Start+d) is Sub(Start) > d without Sub's overflow checks.
			due := op.dueBy()
			// A clock that jumps by more than a day says nothing of how long
			// the module took: the op stays open (checkDuration notes the jump).
			if ev.Time.After(due) && PlausibleDuration(ev.Time.Sub(due)) {
				t.timeOut(op, emit)
				continue
			}
			if next.IsZero() || due.Before(next) {
				next = due
			}
		}
		i++
	}
	if t.log != nil {
		t.log.alarm, t.log.alarmSet = next, true
	}
}

// abandon fails every open op that match accepts: a link loss ends them.
func (t *tracker) abandon(match func(*Op) bool, why string, ev *decode.Event, emit func(*Op)) {
	for i := 0; i < len(t.open); {
		if op := t.open[i]; match(op) {
			op.Abandoned, op.AbandonedBy, op.AbandonedLine = true, int32(ev.Seq), ev.Pos.Line
			t.complete(op, nil, StatusFailed, "", why, emit)
			continue
		}
		i++
	}
}

// supersede times out an open op that a new attempt replaces ("QMTOPEN
// again before the first one answered").
func (t *tracker) supersede(match func(*Op) bool, ev *decode.Event, emit func(*Op)) {
	for i := 0; i < len(t.open); {
		if op := t.open[i]; match(op) {
			st, why := StatusTimeout, fmt.Sprintf("no result before the next attempt (line %d)", ev.Pos.Line)
			if !op.state.answered {
				st, why = StatusUnknown, "the log shows no answer"
			}
			t.complete(op, nil, st, "", why, emit)
			continue
		}
		i++
	}
}

// close ends the log. What is still open is pending when the log simply
// ends; unknown when the module never answered and the host went on
// regardless, or when an untimed log goes on for several commands without
// showing the result (lines cut from it, or a log of one direction).
func (t *tracker) close(emit func(*Op)) {
	if h := t.held; h != nil {
		t.held = nil
		emit(h)
	}
	for _, op := range t.open {
		finishAtEnd(op)
		emit(op)
	}
	t.open = nil
}

// finishAtEnd ends an op still open when the log ends (see close).
func finishAtEnd(op *Op) {
	switch {
	case op.state.cut && !op.Timed:
		op.finish(nil, StatusUnknown, "", "no result in the log: lines were cut after it (an elision), its result may be among them")
	case !op.state.answered && op.state.later:
		op.finish(nil, StatusUnknown, "", "the log shows no answer")
	case !op.Timed && op.state.followed >= 2:
		op.finish(nil, StatusUnknown, "", fmt.Sprintf("no result in the log, though %d commands follow", op.state.followed))
	default:
		op.finish(nil, StatusPending, "", "the log ends before the result")
	}
}
