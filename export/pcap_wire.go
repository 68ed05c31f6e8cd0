package export

import (
	"fmt"

	"atscope/dialect"
	"atscope/mqttstream"
)

// Socket-level dialects log the bytes themselves: their ops carry a Wire,
// whose segments go into the stream as they were logged (each event's bytes
// one TCP segment, split at the MSS), never re-encoded. A gap where the log
// lost bytes is a jump of the sender's sequence numbers by the lost count
// (by one when the count is unknown), with a comment: Wireshark then says
// "previous segment not captured" there, which is the truth.

// unknownGap is the sequence jump shown for a gap of unknown length.
const unknownGap = 1

// The comments of the logged bytes' segments end with wireMark; the first
// segment after a gap says gapMark.
const (
	wireMark = ", as logged]"
	gapMark  = "the previous segment was not captured, deliberately"
)

// wire writes the logged bytes op brought to cn's stream, once per op.
// It reports whether op is a socket-level op (its bytes are what goes on
// the wire, whatever its kind).
func (lx *logExport) wire(cn *connExport, op *dialect.Op) bool {
	if op == nil || op.Wire == nil {
		return false
	}
	if cn.wired[op] {
		return true
	}
	if cn.wired == nil {
		cn.wired = map[*dialect.Op]bool{}
	}
	cn.wired[op] = true
	file := op.File
	if file == "" {
		file = lx.file
	}
	oc := lx.comment(op)
	for _, ws := range op.Wire.Segments {
		from, whose := broker, "broker's"
		if ws.ToBroker {
			from, whose = device, "device's"
		}
		if len(ws.Data) == 0 {
			lx.gap(cn, from, ws, file, whose)
			continue
		}
		c := fmt.Sprintf("%s [line %d: bytes %d-%d of the %s stream"+wireMark, oc, ws.Line, ws.Offset, ws.Offset+int64(len(ws.Data))-1, whose)
		c += cn.gapNote[from]
		sg := &segment{at: lx.clk.at(ws.Seq, ws.Time), seq: ws.Seq, from: from, ack: ackAuto, payload: ws.Data, skip: cn.gap[from], comment: c}
		cn.gap[from], cn.gapNote[from] = 0, ""
		lx.emit(cn, sg)
		lx.stats.WireBytes += len(ws.Data)
		lx.count(cn, from, ws)
	}
	return true
}

// count counts the MQTT messages of the bytes written, as the summary and
// Wireshark count them, decoding each side's stream as it goes.
func (lx *logExport) count(cn *connExport, from side, ws dialect.WireSegment) {
	s := cn.mq[from]
	if s == nil {
		dir := mqttstream.FromBroker
		if from == device {
			dir = mqttstream.ToBroker
		}
		s = mqttstream.NewStream(dir)
		cn.mq[from] = s
	}
	if len(ws.Data) == 0 {
		s.Lost(ws.Lost)
	} else {
		s.Write(ws.Data)
	}
	for _, p := range s.Packets() {
		if p.Complete {
			lx.stats.Messages[p.Kind.String()]++
		}
	}
}

// gap keeps a loss of the stream from for its next data segment.
func (lx *logExport) gap(cn *connExport, from side, ws dialect.WireSegment, file, whose string) {
	n, what := ws.Lost, fmt.Sprintf("%d bytes", ws.Lost)
	if n < 0 {
		n, what = unknownGap, fmt.Sprintf("an unknown number of bytes (the sequence jumps by %d to show the gap)", unknownGap)
	}
	cn.gap[from] += uint32(n)
	lx.count(cn, from, ws)
	cn.gapNote[from] += fmt.Sprintf(" [the log lost %s of the %s stream at offset %d (%s:%d): "+gapMark+"]", what, whose, ws.Offset, file, ws.Line)
}

// opaqueSocket says the socket's bytes are not MQTT (TLS, HTTP, unknown):
// they are written as logged, where Wireshark does not take them for MQTT.
func opaqueSocket(opened *dialect.Op) bool {
	return opened.Wire != nil && opened.HasNote(dialect.NoteOpaque)
}

// opaquePort is the port of a socket whose bytes are not MQTT: the logged
// one, so that Wireshark dissects TLS on 8883 and HTTP on 80 as such.
func opaquePort(logged int) (uint16, string) {
	if logged <= 0 || logged > 65535 {
		return 0, " [port not logged; the socket's bytes are not MQTT: port 0]"
	}
	return uint16(logged), fmt.Sprintf(" [the socket's bytes are not MQTT (see the open's note): written as logged, on the logged port %d]", logged)
}
