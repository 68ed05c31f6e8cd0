package dialect

import (
	"fmt"
	"slices"
	"time"

	"atscope/decode"
)

// A module may answer a command after the deadline its manual gives (an
// ESP-AT publish that fails after 20 s where the manual says 15 s). While
// no other command has been sent, the module is still busy with that
// command, so its late final result is the op's result, not an unrelated
// line: the op is held back when it times out, and takes the late result.

// timeOut ends op at its deadline. The op of the pending command, which
// has no final result yet, is held instead of emitted (tracker.held).
func (t *tracker) timeOut(op *Op, emit func(*Op)) {
	if c := t.cmd; c != nil && c.op == op && !c.final && t.held == nil {
		op.finish(nil, StatusTimeout, "", fmt.Sprintf("no result within %s", op.state.deadline))
		if i := slices.Index(t.open, op); i >= 0 {
			t.open = slices.Delete(t.open, i, i+1)
		}
		t.held = op
		return
	}
	t.complete(op, nil, StatusTimeout, "", fmt.Sprintf("no result within %s", op.state.deadline), emit)
}

// releaseHeld emits the held op once it can no longer get a late result:
// another command was sent, or its deadline has passed twice over (the
// grace period, so that follow mode shows it without waiting for the end).
func (t *tracker) releaseHeld(ev *decode.Event, emit func(*Op)) {
	h := t.held
	if h == nil {
		return
	}
	stillPending := t.cmd != nil && t.cmd.op == h && !t.cmd.final
	graceOver := ev.TimeSrc == decode.TimeLog && ev.Time.After(h.dueBy().Add(h.state.deadline))
	if stillPending && !graceOver {
		return
	}
	t.held = nil
	emit(h)
}

// lateResult reopens the held op when ev, a final result code, answers its
// command: the caller then completes it with ev as usual. The op gets a
// NoteLate saying how late the result came.
func (t *tracker) lateResult(ev *decode.Event) {
	h := t.held
	if h == nil || t.cmd == nil || t.cmd.op != h || t.cmd.final {
		return
	}
	t.held = nil
	limit := h.state.deadline
	h.Status, h.Reason = StatusPending, ""
	h.state.deadline = 0 // answered: no deadline runs any more
	t.open = append(t.open, h)
	if ev.TimeSrc != decode.TimeLog {
		return
	}
	took := ev.Time.Sub(h.Start) - h.state.delay
	h.addNote(Note{Kind: NoteLate, Have: int(took.Milliseconds()), Want: int(limit.Milliseconds()),
		Text: fmt.Sprintf("the result came late: after %s, past the %s the manual allows (no other command was sent in between)",
			took.Round(time.Millisecond), limit)})
}
