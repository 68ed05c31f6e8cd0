package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
)

// damagedAck takes a URC whose name is one deleted byte away from an
// acknowledgement URC ("+QMTPB" for "+QMTPUB", a byte the log dropped) as
// that acknowledgement, but only when an op of its kind with the same
// client and msgID is pending: the damaged line is its result.
func (q *quectelMachine) damagedAck(ev *decode.Event, idx int, args []string, emit func(*Op)) {
	id := intArg(args, 1, -1)
	if len(args) < 3 || id < 0 {
		return
	}
	for _, name := range []string{"+QMTPUB", "+QMTPUBEX", "+QMTSUB", "+QMTUNS"} {
		if !oneDeleted(name, ev.Name) {
			continue
		}
		op := q.findByMsgID(quectelAcks[name], idx, id)
		if op == nil {
			continue
		}
		op.noteAs(NoteMalformed, fmt.Sprintf("result line damaged (%s for %s)", ev.Name, name))
		fixed := *ev
		fixed.Name = name
		q.ackResult(&fixed, idx, args, emit)
		return
	}
}

// oneDeleted reports whether damaged is name with one byte deleted.
func oneDeleted(name, damaged string) bool {
	if len(damaged) != len(name)-1 {
		return false
	}
	for i := range damaged {
		if damaged[i] != name[i] {
			return damaged[i:] == name[i+1:]
		}
	}
	return true
}

// overrun reports a payload that runs past its declared length across a
// line break that comes before that length: the lines after the break are
// no part of it (a receive cut off mid-payload, then damaged bytes). It
// returns the payload up to the break.
func overrun(payload string, declared int) (string, bool) {
	if declared < 0 || len(payload) <= declared {
		return payload, false
	}
	i := strings.IndexAny(payload, "\r\n")
	if i < 0 || i >= declared {
		return payload, false
	}
	cut := payload[:i]
	if strings.HasPrefix(payload, `"`) && !strings.HasSuffix(payload, `"`) {
		cut = cut[1:] // the opening quote of a payload whose end is lost
	}
	return strings.TrimSuffix(cut, `"`), true
}
