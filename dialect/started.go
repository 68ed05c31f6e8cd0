package dialect

import (
	"container/heap"
	"math"
	"time"
)

// startLog keeps the ops a machine has begun (given their first event) and
// not yet emitted, oldest first, so that a Decoder can say how far back in
// the log an op may still start. Consumers that need ops in log order
// rather than as they complete (round trips, pcap) hold the later ones
// until then: in a log with times the hold is short, since deadlines time
// out what never completes.
type startLog struct {
	ops []*Op // a heap by first event
	// alarm is when the next op may be due: tracker.tick, which looks at
	// every open op, sets it, and an op brings it nearer when it becomes
	// due at all (its first event times it, or a new deadline). Until it,
	// tick need not look. Zero with alarmSet: no op has a deadline.
	alarm    time.Time
	alarmSet bool
}

// due notes that op, timed, now has a deadline.
func (l *startLog) due(op *Op) {
	if due := op.dueBy(); l.alarmSet && (l.alarm.IsZero() || due.Before(l.alarm)) {
		l.alarm = due
	}
}

// asleep reports whether no op can be due by t.
func (l *startLog) asleep(t time.Time) bool {
	return l != nil && l.alarmSet && (l.alarm.IsZero() || !t.After(l.alarm))
}

// newOp starts an op that reports its first event to l; a nil l keeps no
// record.
func (l *startLog) newOp(file, dialect string, client int, kind OpKind, name string) *Op {
	op := newOp(file, dialect, client, kind, name)
	op.started = l
	return op
}

// begin records op, which has just got its first event.
func (l *startLog) begin(op *Op) {
	if l == nil {
		return
	}
	if op.state.deadline > 0 && op.Timed {
		l.due(op)
	}
	if op.live < 0 {
		heap.Push(l, op)
	}
}

// done forgets op, which is being emitted.
func (l *startLog) done(op *Op) {
	if i := int(op.live); l != nil && i >= 0 && i < len(l.ops) && l.ops[i] == op {
		heap.Remove(l, i)
	}
}

// oldest is the first event of the oldest op begun and not emitted, or
// math.MaxInt.
func (l *startLog) oldest() int {
	if len(l.ops) == 0 {
		return math.MaxInt
	}
	return l.ops[0].Seqs[0]
}

func (l *startLog) Len() int           { return len(l.ops) }
func (l *startLog) Less(i, j int) bool { return l.ops[i].Seqs[0] < l.ops[j].Seqs[0] }
func (l *startLog) Swap(i, j int) {
	l.ops[i], l.ops[j] = l.ops[j], l.ops[i]
	l.ops[i].live, l.ops[j].live = int32(i), int32(j)
}
func (l *startLog) Push(x any) {
	op := x.(*Op)
	op.live = int32(len(l.ops))
	l.ops = append(l.ops, op)
}
func (l *startLog) Pop() any {
	op := l.ops[len(l.ops)-1]
	l.ops[len(l.ops)-1] = nil
	l.ops = l.ops[:len(l.ops)-1]
	op.live = -1
	return op
}

// tracked is a machine that can make its ops report to a startLog: every
// machine that embeds tracker.
type tracked interface{ track(l *startLog) }

func (t *tracker) track(l *startLog) { t.log = l }

// Oldest is the first event of the oldest op the decoder has begun and not
// yet emitted (or of the oldest event it holds while it detects the
// dialect); math.MaxInt when there is none. Every op emitted later starts
// at or after it, unless a machine gives an op events from before it (a
// SIMCom publish takes the topic and payload loaded just before it).
func (d *Decoder) Oldest() int {
	if len(d.held) > 0 {
		return d.held[0].Seq
	}
	return d.started.oldest()
}

// emitOp is the emit function the machines get: it forgets the op in the
// start log and passes it to the caller's emit.
func (d *Decoder) emitOp(op *Op) {
	d.started.done(op)
	op.checkDuration()
	d.out(op)
}
