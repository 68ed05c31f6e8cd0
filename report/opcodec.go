package report

import (
	"encoding/binary"
	"errors"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// The text timeline spills each op in the short form below and renders
// only the ops it shows (an excerpt shows a few hundred of millions):
// what timeline.OpLine reads of an op, and nothing else.

// appendLineOp appends what timeline.OpLine shows of op.
func appendLineOp(b []byte, op *dialect.Op) []byte {
	flags := uint64(0)
	for i, set := range []bool{op.Timed, op.TLS, op.Retain, len(op.Seqs) >= 2, len(op.Lines) > 0} {
		if set {
			flags |= 1 << i
		}
	}
	b = binary.AppendUvarint(b, flags)
	b = binary.AppendUvarint(b, uint64(op.Kind))
	b = binary.AppendUvarint(b, uint64(op.Status))
	for _, t := range []time.Time{op.Start, op.End, op.Sent} {
		b = appendTime(b, t)
	}
	if len(op.Lines) > 0 {
		b = binary.AppendVarint(b, int64(op.Lines[0]))
	}
	payload, payloadLen := op.Payload, op.PayloadLen
	if len(payload) > 4*previewLimit {
		// What a line shows of a payload is its first runes and its
		// length: the rest need not be spilled (Trim keeps the same).
		short := dialect.Op{Payload: payload, PayloadLen: payloadLen}
		timeline.Trim(&short)
		payload, payloadLen = short.Payload, short.PayloadLen
	}
	for _, n := range []int{op.Port, op.KeepAlive, op.MsgID, op.QoS, payloadLen, op.Retries} {
		b = binary.AppendVarint(b, int64(n))
	}
	for _, s := range []string{op.Name, op.Code, op.Reason, op.Host, op.ClientID, op.Username, op.Topic, payload} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(op.Topics)))
	for _, s := range op.Topics {
		b = appendString(b, s)
	}
	for _, list := range [][]int{op.Requested, op.Granted} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, n := range list {
			b = binary.AppendVarint(b, int64(n))
		}
	}
	b = binary.AppendUvarint(b, uint64(len(op.Notes)))
	for _, n := range op.Notes {
		b = appendString(b, n.Text)
	}
	return b
}

// previewLimit is a bound on the runes a timeline line shows of a payload
// (timeline's preview is 40): a payload of at most 4 bytes a rune of it
// is spilled whole.
const previewLimit = 64

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendTime appends t as its instant and zone offset, which is all a
// line's clock and a latency need; the zero time as a single 0.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	_, offset := t.Zone()
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(offset))
}

// errShortOp is a spilled op cut short: the spill is damaged.
var errShortOp = errors.New("a spilled operation is cut short")

// opReader reads back an op appendLineOp wrote.
type opReader struct {
	b   []byte
	err error
}

func (r *opReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errShortOp, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *opReader) varint() int {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errShortOp, nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// count reads the length of a list, which cannot be longer than what is
// left to read.
func (r *opReader) count() uint64 {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = errShortOp, nil
		return 0
	}
	return n
}

func (r *opReader) string() string {
	n := r.uvarint()
	if uint64(len(r.b)) < n {
		r.err, r.b = errShortOp, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *opReader) time() time.Time {
	if len(r.b) == 0 || r.b[0] == 0 {
		r.b = r.b[min(1, len(r.b)):]
		return time.Time{}
	}
	r.b = r.b[1:]
	sec, nsec, offset := r.varint(), r.uvarint(), r.varint()
	return time.Unix(int64(sec), int64(nsec)).In(time.FixedZone("", offset))
}

// lineOp reads back an op from b, which appendLineOp wrote.
func lineOp(b []byte) (*dialect.Op, error) {
	r := &opReader{b: b}
	flags := r.uvarint()
	op := &dialect.Op{Kind: dialect.OpKind(r.uvarint()), Status: dialect.Status(r.uvarint())}
	op.Timed, op.TLS, op.Retain = flags&1 != 0, flags&2 != 0, flags&4 != 0
	if flags&8 != 0 {
		op.Seqs = []int{0, 0} // what Latency asks: a request and its result
	}
	op.Start, op.End, op.Sent = r.time(), r.time(), r.time()
	if flags&16 != 0 {
		op.Lines = []int{r.varint()}
	}
	for _, n := range []*int{&op.Port, &op.KeepAlive, &op.MsgID, &op.QoS, &op.PayloadLen, &op.Retries} {
		*n = r.varint()
	}
	for _, s := range []*string{&op.Name, &op.Code, &op.Reason, &op.Host, &op.ClientID, &op.Username, &op.Topic, &op.Payload} {
		*s = r.string()
	}
	for range r.count() {
		op.Topics = append(op.Topics, r.string())
	}
	for _, list := range []*[]int{&op.Requested, &op.Granted} {
		for range r.count() {
			*list = append(*list, r.varint())
		}
	}
	for range r.count() {
		op.Notes = append(op.Notes, dialect.Note{Text: r.string()})
	}
	return op, r.err
}
