package dialect

import "time"

// Wire is what the log shows of a socket's byte streams that an op of a
// socket-level dialect brings: the segments logged since the socket's
// previous op, in log order. Every op of such a dialect has one (perhaps
// with no segments), which tells exporters that its bytes, not its fields,
// are what went on the wire.
type Wire struct {
	Segments []WireSegment
}

// WireSegment is the bytes one event carried on a socket stream, or a gap
// where the log lost bytes.
type WireSegment struct {
	ToBroker bool   // the device's stream; false: the broker's
	Offset   int64  // stream offset of the first byte (or of the gap)
	Data     []byte // the bytes as logged; empty for a gap
	// Lost is the length of a gap: the bytes the log did not keep, -1 when
	// their count is unknown; zero for data.
	Lost int
	// Seq, Line and Time are the event that carried the bytes (or showed
	// the loss); Time is zero when the log has none.
	Seq, Line int
	Time      time.Time
}

// wireOf hands the segments pending for link to op (every op of the
// socket machine gets a Wire).
func (m *sockMachine) wireOf(op *Op) {
	if op.Wire != nil {
		return
	}
	op.Wire = &Wire{}
	if op.Client == ModuleClient {
		return
	}
	if segs := m.wire[op.Client]; len(segs) > 0 {
		op.Wire.Segments = segs
		delete(m.wire, op.Client)
	}
}

// recordWire keeps the bytes (or the gap) a write put on dir's stream of
// link until the socket's next op takes them.
func (m *sockMachine) recordWire(link int, toBroker bool, off int64, data []byte, lost int, evs []evRef) {
	sg := WireSegment{ToBroker: toBroker, Offset: off, Lost: lost}
	if len(data) > 0 {
		sg.Data = append([]byte(nil), data...)
	}
	if n := len(evs); n > 0 {
		ref := evs[n-1]
		sg.Seq, sg.Line, sg.Time = ref.seq, ref.line, ref.ev.Time
	}
	m.wire[link] = append(m.wire[link], sg)
}

// withWire is emit giving each op its Wire first. The wrapper is made
// once per machine (a closure per event would allocate on every Feed).
func (m *sockMachine) withWire(emit func(*Op)) func(*Op) {
	m.out = emit
	if m.wired == nil {
		m.wired = m.emitWired
	}
	return m.wired
}

func (m *sockMachine) emitWired(op *Op) {
	m.wireOf(op)
	m.out(op)
}
