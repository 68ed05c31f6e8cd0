package export

import (
	"fmt"
	"time"

	"atscope/dialect"
)

// A connection's stream begins with its handshake and ends with FINs.

// open gives a connection its stream and makes its handshake: at the
// open's request and result, or all at the request of a connect that opens
// the network itself; a DNS query and answer first when the broker is
// named by host.
func (lx *logExport) open(cn *connExport) {
	opened := cn.c.Opened
	if cn.pickedUp {
		opened = cn.c.Connected // the stream is picked up there
	}
	host, port, tls := opened.Host, opened.Port, opened.TLS
	for _, op := range []*dialect.Op{cn.c.Connected, opened} {
		if op != nil && op.Host != "" && host == "" {
			host, port = op.Host, op.Port
		}
		if op != nil && op.TLS {
			tls = true
		}
	}
	srvPort, portNote := brokerPort(port, tls, lx.p.opt.KeepPorts)
	opaque := opaqueSocket(opened)
	if opaque {
		srvPort, portNote = opaquePort(port)
	}
	cn.st = lx.newStream(cn, host, srvPort, !opaque)
	lx.stats.Connections++

	t0, t1 := lx.clk.request(opened), lx.clk.reply(opened)
	if opened.Kind != dialect.OpOpen {
		t1 = t0
	}
	if cn.pickedUp {
		cn.st.pickUp()
		cn.lo, cn.shaken = tkey{t0, firstSeq(opened)}, true
		cn.note = " [the connection was up when the log starts: its stream is picked up mid-way, without handshake;" +
			" the broker's address is synthetic]" + portNote
		if cn.after != nil {
			cn.note = fmt.Sprintf(" [the %s at line %d shows no outcome, but the connection was up here: its stream is picked up mid-way, without handshake;"+
				" the broker's address is synthetic]%s", cn.after.Kind, at(cn.after.Lines, 0, 0), portNote)
		}
		lx.wire(cn, opened)
		return
	}
	c := lx.comment(opened)
	if _, ok := literalAddr(host); !ok && validDNSName(host) {
		lx.dns(cn, host, t0, firstSeq(opened), c)
	}
	lx.emit(cn, &segment{at: t0, seq: firstSeq(opened), from: device, syn: true, ack: ackNone, comment: c + portNote})
	lx.emit(cn, &segment{at: t1, seq: lastSeq(opened), from: broker, syn: true, ack: ackAlways, comment: c + portNote})
	cn.lo, cn.shaken = tkey{t1, lastSeq(opened)}, true
	lx.wire(cn, opened)
}

// close writes how a connection ended, and keeps its packets from going
// after its first FIN.
func (lx *logExport) close(cn *connExport) {
	defer lx.p.releaseStream(cn.st)
	end, by := cn.ended.Ended, cn.closer
	if end == nil {
		return // up at the end of the log, or replaced without a close
	}
	socket := lx.wire(cn, by) // the bytes before its end
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
		if isPing(end) && !socket {
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
