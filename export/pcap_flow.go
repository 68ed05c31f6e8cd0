package export

import (
	"atscope/dialect"
	"fmt"
	"math"
	"time"
)

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

// open gives a connection its stream and makes its handshake: at the
// open's request and result, or all at the request of a connect that opens
// the network itself; a DNS query and answer first when the broker is
// named by host.
func (lx *logExport) open(cn *connExport) {
	opened := cn.c.Opened
	host, port, tls := opened.Host, opened.Port, opened.TLS
	for _, op := range []*dialect.Op{cn.c.Connected, opened} {
		if op != nil && op.Host != "" && host == "" {
			host, port = op.Host, op.Port
		}
		if op != nil && op.TLS {
			tls = true
		}
	}
	cn.st = lx.newStream(cn, host, port, tls)
	lx.stats.Connections++

	t0, t1 := lx.clk.request(opened), lx.clk.reply(opened)
	if opened.Kind != dialect.OpOpen {
		t1 = t0
	}
	c := lx.comment(opened)
	var portNote string
	switch {
	case tls:
		portNote = fmt.Sprintf(" [logged port %d with TLS: shown as the plain MQTT inside, on port %d]", port, mqttPort)
	case port == mqttTLSPort:
		portNote = fmt.Sprintf(" [logged port %d (MQTT over TLS): shown as plain MQTT on port %d]", port, mqttPort)
	case port <= 0 || port > 65535:
		portNote = fmt.Sprintf(" [port not logged: %d assumed]", mqttPort)
	}
	if _, ok := literalAddr(host); !ok && validDNSName(host) {
		lx.dns(cn, host, t0, firstSeq(opened), c)
	}
	lx.emit(cn, &segment{at: t0, seq: firstSeq(opened), from: device, syn: true, ack: ackNone, comment: c + portNote})
	lx.emit(cn, &segment{at: t1, seq: lastSeq(opened), from: broker, syn: true, ack: ackAlways, comment: c + portNote})
	cn.lo, cn.shaken = tkey{t1, lastSeq(opened)}, true
}

// op writes the MQTT packets of one op inside a connection: a disconnect
// that ended it, and every op but the open that began it.
func (lx *logExport) op(cn *connExport, op *dialect.Op) {
	st := cn.st
	req, rep := lx.clk.request(op), lx.clk.reply(op)
	s0, s1 := firstSeq(op), lastSeq(op)
	c := lx.comment(op)
	ok := op.Status == dialect.StatusOK
	failed := op.Status == dialect.StatusFailed
	switch op.Kind {
	case dialect.OpConnect:
		code, answered, refused := connackCode(op)
		if failed && !refused {
			lx.skip(skipFailed)
			return
		}
		pk, note := connectPacket(op)
		st.level = pk.level
		if !lx.send(cn, device, req, s0, &pk.mqttPacket, c+note) {
			return
		}
		if answered {
			if pk.level == mqttLevel5 {
				code = v5ConnackCode(code)
			}
			lx.send(cn, broker, rep, s1, &mqttPacket{Type: mqttConnack, Code: code}, c)
		}

	case dialect.OpSubscribe:
		rejected := len(op.Granted) > 0
		for _, g := range op.Granted {
			rejected = rejected && g == int(mqttSubackFailure)
		}
		if failed && !rejected {
			lx.skip(skipFailed)
			return
		}
		if len(op.Topics) == 0 && op.Topic == "" {
			lx.skip(skipNoTopic)
			return
		}
		filters := op.Topics
		if len(filters) == 0 {
			filters = []string{op.Topic}
		}
		id, note := st.ids.id(op.MsgID)
		requested := make([]byte, len(filters))
		for i := range filters {
			requested[i] = qosByte(at(op.Requested, i, op.QoS))
		}
		if !lx.send(cn, device, req, s0, &mqttPacket{Type: mqttSubscribe, ID: id, Filters: filters, Codes: requested}, c+note) {
			return
		}
		if ok || failed {
			granted := make([]byte, len(filters))
			for i := range filters {
				switch g := at(op.Granted, i, -1); {
				case g >= 0 && g <= 2 || g == int(mqttSubackFailure):
					granted[i] = byte(g)
				case g >= 0:
					granted[i] = mqttSubackFailure
				default:
					granted[i] = requested[i] // no granted list logged: granted as asked
				}
			}
			lx.send(cn, broker, rep, s1, &mqttPacket{Type: mqttSuback, ID: id, Codes: granted}, c+note)
		}

	case dialect.OpUnsubscribe:
		if failed {
			lx.skip(skipFailed)
			return
		}
		filters := op.Topics
		if len(filters) == 0 && op.Topic != "" {
			filters = []string{op.Topic}
		}
		if len(filters) == 0 {
			lx.skip(skipNoTopic)
			return
		}
		id, note := st.ids.id(op.MsgID)
		if !lx.send(cn, device, req, s0, &mqttPacket{Type: mqttUnsubscribe, ID: id, Filters: filters}, c+note) {
			return
		}
		if ok {
			lx.send(cn, broker, rep, s1, &mqttPacket{Type: mqttUnsuback, ID: id, Codes: make([]byte, len(filters))}, c+note)
		}

	case dialect.OpPublish:
		if failed {
			lx.skip(skipFailed)
			return
		}
		if op.Topic == "" {
			lx.skip(skipNoTopic)
			return
		}
		qos := qosByte(op.QoS)
		pk := &mqttPacket{Type: mqttPublish, Topic: op.Topic, QoS: qos, Retain: op.Retain, Payload: []byte(op.Payload)}
		note := ""
		if qos > 0 {
			pk.ID, note = st.ids.id(op.MsgID)
		}
		sent := lx.clk.sent(op)
		if !lx.send(cn, device, sent, s0, pk, c+note) {
			return
		}
		if n := min(op.Retries, maxRetransmissions); qos > 0 && n > 0 {
			// The module reports retransmissions but not when each
			// was sent: spread them evenly up to the result, as
			// modules retry on a fixed packet timeout.
			for k := 1; k <= n; k++ {
				at := sent.Add(rep.Sub(sent) * time.Duration(k) / time.Duration(n+1))
				dup := *pk
				dup.Dup = true
				lx.send(cn, device, at, s0, &dup, fmt.Sprintf("%s [retransmission %d of %d; time interpolated]", c+note, k, op.Retries))
			}
		}
		if ok {
			lx.acknowledge(cn, device, qos, pk.ID, rep, s1, c+note)
		}

	case dialect.OpReceive:
		if failed {
			lx.skip(skipFailed)
			return
		}
		if op.Topic == "" {
			lx.skip(skipNoTopic)
			return
		}
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
			pk.ID, idNote = st.ids.id(op.MsgID)
			note += idNote
		}
		if !lx.send(cn, broker, rep, s1, pk, c+note) {
			return
		}
		lx.acknowledge(cn, broker, qos, pk.ID, rep, s1, c+note)

	case dialect.OpDisconnect:
		if failed {
			lx.skip(skipFailed)
			return
		}
		lx.send(cn, device, req, s0, &mqttPacket{Type: mqttDisconnect}, c)

	case dialect.OpLink:
		if isPing(op) {
			lx.send(cn, device, rep, s1, &mqttPacket{Type: mqttPingreq}, c)
			if ok {
				lx.send(cn, broker, rep, s1, &mqttPacket{Type: mqttPingresp}, c)
			}
			return
		}
		lx.skip(skipLink)

	case dialect.OpSetup:
		lx.skip(skipSetup)

	case dialect.OpOpen:
		if failed {
			lx.skip(skipFailed)
		} else {
			lx.skip(skipNoResult)
		}

	case dialect.OpClose:
		lx.skip(skipNoConn) // a close always ends its connection; this one did not
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

// close writes how a connection ended, and keeps its packets from going
// after its first FIN.
func (lx *logExport) close(cn *connExport) {
	end, by := cn.ended.Ended, cn.closer
	if end == nil {
		return // up at the end of the log, or replaced without a close
	}
	c := lx.comment(by)
	req, rep := lx.clk.request(by), lx.clk.reply(by)
	s0, s1 := firstSeq(by), lastSeq(by)
	var fins []*segment
	fin := func(at time.Time, seq int, from side, ack ackPolicy) {
		sg := &segment{at: at, seq: seq, from: from, fin: true, ack: ack, comment: c}
		lx.emit(cn, sg)
		fins = append(fins, sg)
	}
	switch {
	case by.Kind == dialect.OpClose || by.Kind == dialect.OpDisconnect:
		if by.Status == dialect.StatusFailed {
			if by.Kind == dialect.OpClose {
				lx.skip(skipFailed)
			}
			return
		}
		fin(req, s0, device, ackAuto)
		if by.Status == dialect.StatusOK {
			fin(rep, s1, broker, ackAuto)
		}
	case end.Client == cn.cx.client:
		// The client's link went down: the broker closed, and the
		// module answered. A failed keep-alive shows its PINGREQ.
		if isPing(end) {
			lx.send(cn, device, req, s0, &mqttPacket{Type: mqttPingreq}, c)
		}
		fin(req, s0, broker, ackAuto)
		fin(req, s0, device, ackAuto)
	default:
		// The whole module went away (reset, power down, PDP loss):
		// the broker's FIN goes unanswered.
		fin(req, s0, broker, ackNone)
	}
	lx.clampToFIN(cn, fins)
}
