package export

import (
	"fmt"
	"math"
	"time"

	"atscope/dialect"
)

// maxRetransmissions caps the DUP copies of one PUBLISH, whatever count a
// damaged log reports.
const maxRetransmissions = 16

func (lx *logExport) skip(reason string) { lx.stats.Skipped[reason]++ }

// reasonOutside says why an op outside every connection has no packet.
func (lx *logExport) reasonOutside(op *dialect.Op) string {
	switch {
	case op.Kind == dialect.OpSetup:
		return skipSetup
	case op.Kind == dialect.OpLink:
		return skipLink
	case op.Status == dialect.StatusFailed:
		return skipFailed
	case op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect && op.Status != dialect.StatusOK:
		return skipNoResult
	}
	return skipNoConn
}

func firstSeq(op *dialect.Op) int {
	if op == nil || len(op.Seqs) == 0 {
		return math.MaxInt
	}
	return op.Seqs[0]
}

func lastSeq(op *dialect.Op) int {
	if len(op.Seqs) == 0 {
		return math.MaxInt
	}
	return op.Seqs[len(op.Seqs)-1]
}

// An op inside a connection becomes packets by the flow of its kind, a row
// of opFlows. A failed op puts nothing on the wire (the module refused it)
// unless the row's wired says the failure is the broker's answer; an op
// whose row needs a topic and has none puts nothing either. Each write
// puts what the log shows of the exchange.
type opFlow struct {
	wired    func(op *dialect.Op) bool // a failure that still puts packets on the wire
	hasTopic func(op *dialect.Op) bool // nil: no topic needed
	write    func(lx *logExport, cn *connExport, x opContext)
}

// opContext is an op with what every flow needs: its times, log events and
// the comment of its packets.
type opContext struct {
	op         *dialect.Op
	req, rep   time.Time // request and result
	s0, s1     int       // first and last log event
	c          string    // comment
	ok, failed bool
}

func always(*dialect.Op) bool { return true }

func hasTopic(op *dialect.Op) bool { return op.Topic != "" }

func hasFilters(op *dialect.Op) bool { return len(topicFilters(op)) > 0 }

// skipping is the write of ops that put nothing on the wire, for why.
func skipping(why string) func(*logExport, *connExport, opContext) {
	return func(lx *logExport, _ *connExport, _ opContext) { lx.skip(why) }
}

var opFlows = map[dialect.OpKind]opFlow{
	dialect.OpConnect:     {wired: refusedConnect, write: connectFlow},
	dialect.OpSubscribe:   {wired: refusedSubscribe, hasTopic: hasFilters, write: subscribeFlow},
	dialect.OpUnsubscribe: {hasTopic: hasFilters, write: unsubscribeFlow},
	dialect.OpPublish:     {hasTopic: hasTopic, write: publishFlow},
	dialect.OpReceive:     {hasTopic: hasTopic, write: receiveFlow},
	dialect.OpDisconnect:  {write: disconnectFlow},
	dialect.OpLink:        {wired: always, write: linkFlow},
	dialect.OpSetup:       {wired: always, write: skipping(skipSetup)},
	dialect.OpOpen:        {write: skipping(skipNoResult)},              // an open inside a connection did not start one
	dialect.OpClose:       {wired: always, write: skipping(skipNoConn)}, // a close always ends its connection; this one did not
}

// op writes the MQTT packets of one op inside a connection: a disconnect
// that ended it, and every op but the open that began it.
func (lx *logExport) op(cn *connExport, op *dialect.Op) {
	if lx.wire(cn, op) {
		return
	}
	flow, ok := opFlows[op.Kind]
	switch {
	case !ok:
		return
	case op.Status == dialect.StatusFailed && (flow.wired == nil || !flow.wired(op)):
		lx.skip(skipFailed)
		return
	case flow.hasTopic != nil && !flow.hasTopic(op):
		lx.skip(skipNoTopic)
		return
	}
	flow.write(lx, cn, opContext{
		op: op, req: lx.clk.request(op), rep: lx.clk.reply(op), s0: firstSeq(op), s1: lastSeq(op), c: lx.comment(op),
		ok: op.Status == dialect.StatusOK, failed: op.Status == dialect.StatusFailed,
	})
}

// refusedSubscribe is a subscribe the broker refused: every grant is 0x80.
func refusedSubscribe(op *dialect.Op) bool {
	rejected := len(op.Granted) > 0
	for _, g := range op.Granted {
		rejected = rejected && g == int(mqttSubackFailure)
	}
	return rejected
}

// connectFlow: CONNECT, and the CONNACK when the broker's answer is logged.
func connectFlow(lx *logExport, cn *connExport, x opContext) {
	code, answered := connackCode(x.op)
	pk, note := connectPacket(x.op)
	cn.st.level = pk.level
	if !lx.send(cn, device, x.req, x.s0, &pk.mqttPacket, x.c+note) {
		return
	}
	if answered {
		if pk.level == mqttLevel5 {
			code = v5ConnackCode(code)
		}
		lx.send(cn, broker, x.rep, x.s1, &mqttPacket{Type: mqttConnack, Code: code}, x.c)
	}
}

// subscribeFlow: SUBSCRIBE, and the SUBACK when the outcome is logged (a
// failure whose every grant is 0x80 is the broker's answer).
func subscribeFlow(lx *logExport, cn *connExport, x opContext) {
	op := x.op
	filters := topicFilters(op)
	id, note := cn.st.ids.id(op.MsgID)
	requested := make([]byte, len(filters))
	for i := range filters {
		requested[i] = qosByte(at(op.Requested, i, op.QoS))
	}
	if !lx.send(cn, device, x.req, x.s0, &mqttPacket{Type: mqttSubscribe, ID: id, Filters: filters, Codes: requested}, x.c+note) {
		return
	}
	if x.ok || x.failed {
		lx.send(cn, broker, x.rep, x.s1, &mqttPacket{Type: mqttSuback, ID: id, Codes: grantedCodes(op, requested)}, x.c+note)
	}
}

// topicFilters are the filters of a subscribe or unsubscribe: its list, or
// its one topic.
func topicFilters(op *dialect.Op) []string {
	if len(op.Topics) == 0 && op.Topic != "" {
		return []string{op.Topic}
	}
	return op.Topics
}

// grantedCodes are the SUBACK's return codes: as logged, 0x80 for a grant
// no MQTT code says, and as asked when no grant is logged.
func grantedCodes(op *dialect.Op, requested []byte) []byte {
	granted := make([]byte, len(requested))
	for i := range requested {
		switch g := at(op.Granted, i, -1); {
		case g >= 0 && g <= 2 || g == int(mqttSubackFailure):
			granted[i] = byte(g)
		case g >= 0:
			granted[i] = mqttSubackFailure
		default:
			granted[i] = requested[i]
		}
	}
	return granted
}

// unsubscribeFlow: UNSUBSCRIBE, and the UNSUBACK when it succeeded.
func unsubscribeFlow(lx *logExport, cn *connExport, x opContext) {
	op := x.op
	filters := topicFilters(op)
	id, note := cn.st.ids.id(op.MsgID)
	if !lx.send(cn, device, x.req, x.s0, &mqttPacket{Type: mqttUnsubscribe, ID: id, Filters: filters}, x.c+note) {
		return
	}
	if x.ok {
		lx.send(cn, broker, x.rep, x.s1, &mqttPacket{Type: mqttUnsuback, ID: id, Codes: make([]byte, len(filters))}, x.c+note)
	}
}

// publishFlow: PUBLISH when the payload was sent, its DUP copies, and the
// acknowledgement flow when the log shows it succeeded.
func publishFlow(lx *logExport, cn *connExport, x opContext) {
	op := x.op
	qos := qosByte(op.QoS)
	pk := &mqttPacket{Type: mqttPublish, Topic: op.Topic, QoS: qos, Retain: op.Retain, Payload: []byte(op.Payload)}
	note := ""
	if qos > 0 {
		pk.ID, note = cn.st.ids.id(op.MsgID)
	}
	sent := lx.clk.sent(op)
	if !lx.send(cn, device, sent, x.s0, pk, x.c+note) {
		return
	}
	if n := min(op.Retries, maxRetransmissions); qos > 0 && n > 0 {
		// The module reports retransmissions but not when each was
		// sent: spread them evenly up to the result, as modules retry
		// on a fixed packet timeout.
		for k := 1; k <= n; k++ {
			at := sent.Add(x.rep.Sub(sent) * time.Duration(k) / time.Duration(n+1))
			dup := *pk
			dup.Dup = true
			lx.send(cn, device, at, x.s0, &dup, fmt.Sprintf("%s [retransmission %d of %d; time interpolated]", x.c+note, k, op.Retries))
		}
	}
	if x.ok {
		lx.acknowledge(cn, device, qos, pk.ID, x.rep, x.s1, x.c+note)
	}
}

// receiveFlow: PUBLISH from the broker, and the device's acknowledgement
// flow.
func receiveFlow(lx *logExport, cn *connExport, x opContext) {
	op := x.op
	qos, note := byte(0), ""
	switch {
	case op.QoS >= 0:
		qos = qosByte(op.QoS)
	case op.MsgID > 0:
		qos, note = 1, " [QoS 1 inferred from the packet id]"
	}
	pk := &mqttPacket{Type: mqttPublish, Topic: op.Topic, QoS: qos, Retain: op.Retain, Payload: []byte(op.Payload)}
	if qos > 0 {
		var idNote string
		pk.ID, idNote = cn.st.ids.id(op.MsgID)
		note += idNote
	}
	if !lx.send(cn, broker, x.rep, x.s1, pk, x.c+note) {
		return
	}
	lx.acknowledge(cn, broker, qos, pk.ID, x.rep, x.s1, x.c+note)
}

// disconnectFlow: DISCONNECT, unless the module refused it.
func disconnectFlow(lx *logExport, cn *connExport, x opContext) {
	lx.send(cn, device, x.req, x.s0, &mqttPacket{Type: mqttDisconnect}, x.c)
}

// linkFlow: a keep-alive the module reports is PINGREQ, and PINGRESP if
// answered; other link states put nothing on the wire.
func linkFlow(lx *logExport, cn *connExport, x opContext) {
	if !isPing(x.op) {
		lx.skip(skipLink)
		return
	}
	lx.send(cn, device, x.rep, x.s1, &mqttPacket{Type: mqttPingreq}, x.c)
	if x.ok {
		lx.send(cn, broker, x.rep, x.s1, &mqttPacket{Type: mqttPingresp}, x.c)
	}
}

// acknowledge writes the acknowledgement flow of a PUBLISH sent by from
// [§4.3.2, §4.3.3].
func (lx *logExport) acknowledge(cn *connExport, from side, qos byte, id uint16, at time.Time, seq int, c string) {
	switch qos {
	case 1:
		lx.send(cn, from.other(), at, seq, &mqttPacket{Type: mqttPuback, ID: id}, c)
	case 2:
		lx.send(cn, from.other(), at, seq, &mqttPacket{Type: mqttPubrec, ID: id}, c)
		lx.send(cn, from, at, seq, &mqttPacket{Type: mqttPubrel, ID: id}, c)
		lx.send(cn, from.other(), at, seq, &mqttPacket{Type: mqttPubcomp, ID: id}, c)
	}
}
