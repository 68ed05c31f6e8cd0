package export

import (
	"container/heap"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atscope/dialect"
	"atscope/timeline"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// This file writes the MQTT sessions of AT logs as a capture Wireshark
// opens: the packets the module and its broker exchanged, rebuilt from the
// ops, over one TCP stream per connection, with every packet pointing back
// at the log lines that show it.
//
// The link type is raw IP (LINKTYPE_RAW): a cellular module's data link is
// IP-level (PPP, LTE bearers, a USB network interface), and a log says
// nothing of layer 2, so Ethernet headers would be invented addresses.
//
// What is written, and when:
//   - open (or, for dialects without one, connect): a DNS query and answer
//     when the host is a name, then SYN at the request, SYN-ACK and ACK at
//     the result.
//   - connect: CONNECT at the request, CONNACK at the result (the logged
//     return code; none when the module failed before the broker answered).
//   - subscribe, unsubscribe: SUBSCRIBE/UNSUBSCRIBE, then SUBACK/UNSUBACK
//     when the log shows the outcome.
//   - publish: PUBLISH when the payload was sent, DUP copies for the
//     retransmissions the module reports, then PUBACK (QoS 1) or
//     PUBREC/PUBREL/PUBCOMP (QoS 2) when the log shows it acknowledged.
//   - receive: PUBLISH from the broker, and the device's PUBACK (QoS 1) or
//     PUBREC/PUBREL/PUBCOMP (QoS 2).
//   - disconnect: DISCONNECT.
//   - close (or a disconnect that no close follows): FIN from the device at
//     the request, FIN from the broker at the result.
//   - a link loss of the client: FIN from the broker, answered by the
//     module's FIN. A module-wide loss (reset, power down, PDP deactivation):
//     FIN from the broker, unanswered. (Wireshark flags an RST as a warning,
//     and the log rarely says which it was, so FIN it is.)
//   - a keep-alive the module reports: PINGREQ, and PINGRESP if it was answered.
//
// Failed ops put nothing on the wire (the module refused the command), except
// a CONNACK refusal or a SUBACK of 0x80s, which are the broker's answers.
// Each data segment is acknowledged by the peer at once, or by the peer's
// next segment when that follows at the same time.

// PcapOptions configures a Pcap writer.
type PcapOptions struct {
	// Tool names the program and its version in the section header:
	// "atscope 0.1.0".
	Tool string
	// Sources are the logs being exported, named in the section header.
	Sources []string
	// Classic writes plain pcap for old tools: no section header, no
	// comments, no direction flags, one interface.
	Classic bool
}

// PcapStats counts what a Pcap writer wrote and what it left out.
type PcapStats struct {
	Packets     int
	Connections int            // TCP streams
	Messages    map[string]int // MQTT messages by type: "CONNECT", "PUBLISH"
	Skipped     map[string]int // ops of MQTT clients that put no packet on the wire, by reason
}

func (s *PcapStats) add(o PcapStats) {
	s.Packets += o.Packets
	s.Connections += o.Connections
	for k, v := range o.Messages {
		s.Messages[k] += v
	}
	for k, v := range o.Skipped {
		s.Skipped[k] += v
	}
}

func newPcapStats() PcapStats {
	return PcapStats{Messages: map[string]int{}, Skipped: map[string]int{}}
}

// Reasons an op puts no packet on the wire, as the summary lists them.
const (
	skipFailed   = "failed at the module"
	skipNoConn   = "outside a connection"
	skipNoResult = "no result and no connection"
	skipLink     = "link or module state"
	skipSetup    = "service setup step"
	skipNoTopic  = "no topic in the log"
	skipAfterFIN = "after its side closed the stream"
)

// Pcap writes sessions as pcapng (or classic pcap). Call WriteLog once per
// log, then Flush. The same input always gives the same bytes: addresses,
// ports, sequence numbers and synthetic times are derived from the input.
//
//	p, err := export.NewPcap(f, export.PcapOptions{Tool: "atscope 0.1.0", Sources: paths})
//	for each log: err = p.WriteLog(file, sessions)
//	err = p.Flush()
type Pcap struct {
	w       io.Writer
	opt     PcapOptions
	ng      *pcapgo.NgWriter
	classic *pcapgo.Writer
	stats   PcapStats
	packet  []byte // the packet being written, its buffer reused

	used     map[netip.Addr]bool     // addresses given out
	hosts    map[string]netip.Addr   // host names to their synthetic address
	devPorts map[netip.AddrPort]bool // device endpoints given out
	devAddrs map[string]netip.Addr   // per file, client and address family
	dnsIDs   map[uint16]bool         // DNS transaction ids given out
	conns    map[string]int          // connections per file and client, for port derivation
}

// Addresses: the module in 192.0.2.0/24 (TEST-NET-1), a DNS resolver at
// 192.0.2.53, brokers named by host in 198.51.100.0/24 (TEST-NET-2) or
// 203.0.113.0/24 (TEST-NET-3) [RFC 5737]; IPv6 in 2001:db8::/32 [RFC 3849].
var (
	resolverAddr = netip.AddrFrom4([4]byte{192, 0, 2, 53})
	brokerNets   = [2][3]byte{{198, 51, 100}, {203, 0, 113}}
)

const (
	mqttPort     = 1883 // IANA "mqtt"; Wireshark dissects MQTT here
	mqttTLSPort  = 8883 // IANA "secure-mqtt"
	tcpMSS       = 1460
	tcpWindow    = 65535
	dnsTTL       = 300
	syntheticDay = 2000 // the year of synthetic and rebased times

	// maxRetransmissions caps the DUP copies of one PUBLISH, whatever
	// count a damaged log reports.
	maxRetransmissions = 16
)

// syntheticBase is where a log without times starts.
var syntheticBase = time.Date(syntheticDay, 1, 1, 0, 0, 0, 0, time.UTC)

// NewPcap returns a writer of a capture to w. A pcapng section header is
// written with the first log (or by Flush, if there is none).
func NewPcap(w io.Writer, opt PcapOptions) (*Pcap, error) {
	p := &Pcap{
		w: w, opt: opt, stats: newPcapStats(),
		used: map[netip.Addr]bool{resolverAddr: true}, hosts: map[string]netip.Addr{},
		devPorts: map[netip.AddrPort]bool{}, devAddrs: map[string]netip.Addr{},
		dnsIDs: map[uint16]bool{}, conns: map[string]int{},
	}
	if opt.Classic {
		p.classic = pcapgo.NewWriter(w)
		if err := p.classic.WriteFileHeader(262144, layers.LinkTypeRaw); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sectionComment is the comment of the pcapng section header: the tool, the
// logs, and how times and addresses were made.
func (p *Pcap) sectionComment() string {
	tool := p.opt.Tool
	if tool == "" {
		tool = "atscope"
	}
	srcs := strings.Join(p.opt.Sources, ", ")
	if srcs == "" {
		srcs = "(none)"
	}
	return fmt.Sprintf("MQTT over TCP synthesized by %s from AT logs: %s. "+
		"Each packet's comment cites the log lines (file:line) that show it. "+
		"Packets are at the logged times; a log without times is laid out from %s at 1 s per AT event, "+
		"and a log with times of day only is dated %s (each interface, one per log, says which applies). "+
		"The module's addresses and ports are synthetic (192.0.2.0/24), and so is the address of a broker the log names by host "+
		"(198.51.100.0/24 or 203.0.113.0/24, after a DNS answer from 192.0.2.53); brokers' ports are as logged. "+
		"TLS connections are shown as the plain MQTT inside them, on port 1883.",
		tool, srcs, syntheticBase.Format(time.RFC3339), syntheticBase.Format(time.DateOnly))
}

// addInterface starts the pcapng file with its section header and the
// first interface, or adds one; it returns the interface's index.
func (p *Pcap) addInterface(iface pcapgo.NgInterface) (int, error) {
	if p.ng != nil {
		return p.ng.AddInterface(iface)
	}
	// The section header carries no hardware or OS: the same input must
	// give the same bytes on every machine.
	opt := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: p.opt.Tool, Comment: p.sectionComment()}}
	ng, err := pcapgo.NewNgWriterInterface(p.w, iface, opt)
	if err != nil {
		return 0, err
	}
	p.ng = ng
	return 0, nil
}

// Flush writes out what is buffered; with no log written, the file is a
// section header and an interface without packets.
func (p *Pcap) Flush() error {
	if p.classic != nil {
		return nil // pcapgo.Writer does not buffer
	}
	if p.ng == nil {
		if _, err := p.addInterface(pcapgo.NgInterface{Name: "atscope", LinkType: layers.LinkTypeRaw, TimestampResolution: 9}); err != nil {
			return err
		}
	}
	return p.ng.Flush()
}

// Stats is what was written so far, over every log.
func (p *Pcap) Stats() PcapStats { return p.stats }

// side is one end of a stream.
type side uint8

const (
	device side = iota // the module: the capture is taken here
	broker
)

func (s side) other() side { return 1 - s }

// stream is one TCP connection between the module and its broker.
type stream struct {
	dev, srv netip.AddrPort
	isn      [2]uint32
	next     [2]uint32 // next sequence number per side
	synced   [2]bool   // the side's SYN has been sent
	ipID     [2]uint16
	level    byte // MQTT protocol level, from the CONNECT
	ids      *idAlloc
	done     [2]bool // the side has sent its FIN
	pend     segHeap // its packets not yet written
}

// ackPolicy says how the peer acknowledges a segment.
type ackPolicy uint8

const (
	ackAuto   ackPolicy = iota // a pure ACK, unless the peer's next segment follows at once
	ackAlways                  // a pure ACK (the handshake's third packet)
	ackNone                    // no ACK: a SYN (the SYN-ACK answers it), or the FIN of a module that is gone
)

// segment is one packet to write, before TCP numbering. DNS datagrams have
// no stream.
type segment struct {
	at      time.Time
	seq     int // the log event the packet stands for, to order packets of equal time
	client  int // then the client, connection and order of making
	conn    int
	gen     int
	gi, si  int  // indexes in the log's heap and the stream's
	written bool // numbered and written: no longer to clamp
	st      *stream
	from    side
	syn     bool
	fin     bool
	ack     ackPolicy
	payload []byte
	mqtt    byte // the MQTT packet type in payload, if any
	dns     *dnsDatagram
	comment string
}

type dnsDatagram struct {
	src, dst netip.AddrPort
	msg      *layers.DNS
}

// frame is a serialized packet.
type frame struct {
	at      time.Time
	data    []byte
	inbound bool
	comment string
}

// iface is the pcapng interface of this log: named after the file, its
// description saying where the times come from.
func (lx *logExport) iface() pcapgo.NgInterface {
	return pcapgo.NgInterface{
		Name:                lx.file,
		Description:         "AT log " + lx.file + ": " + lx.clk.describe(),
		LinkType:            layers.LinkTypeRaw,
		TimestampResolution: 9,
	}
}

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

// tkey orders packets: by time, then by log event.
type tkey struct {
	at  time.Time
	seq int
}

func (k tkey) before(o tkey) bool {
	if !k.at.Equal(o.at) {
		return k.at.Before(o.at)
	}
	return k.seq < o.seq
}

// A connection's packets are kept between its handshake and its first FIN,
// for logs whose times or order disagree (a command typed before the open's
// result, a result logged after the link went down): emit moves a packet
// made after the handshake up to it, clampToFIN moves the packets that
// would follow the FIN back to it.

// clampToFIN moves the connection's packets not yet written that would go
// after its first FIN (one of fins, just made) back to the FIN.
func (lx *logExport) clampToFIN(cn *connExport, fins []*segment) {
	var hi tkey
	for i, sg := range fins {
		if k := (tkey{sg.at, sg.seq}); i == 0 || k.before(hi) {
			hi = k
		}
	}
	for _, sg := range cn.segs {
		if !sg.written && !sg.fin && hi.before(tkey{sg.at, sg.seq}) {
			sg.at, sg.seq = hi.at, hi.seq
			heap.Fix(&lx.segs, sg.gi)
			heap.Fix(&sg.st.pend, sg.si)
		}
	}
}

// newStream gives a connection its addresses, ports and sequence numbers.
func (lx *logExport) newStream(cn *connExport, host string, port int, tls bool) *stream {
	p := lx.p
	key := lx.file + "\x00" + strconv.Itoa(cn.cx.client)
	srv, literal := literalAddr(host)
	if literal {
		p.used[srv] = true
	} else {
		srv = p.hostAddr(host)
	}
	family := key + "\x00v4"
	if srv.Is6() {
		family = key + "\x00v6"
	}
	dev, ok := p.devAddrs[family]
	if !ok {
		dev = p.deviceAddr(key, srv.Is6())
		p.devAddrs[family] = dev
	}
	n := p.conns[key]
	p.conns[key]++
	h := hash64(key, strconv.Itoa(n))
	devPort := uint16(49152 + h%16384)
	for i := 0; i < 16384 && p.devPorts[netip.AddrPortFrom(dev, devPort)]; i++ {
		devPort = uint16(49152 + (uint64(devPort)-49152+1)%16384)
	}
	p.devPorts[netip.AddrPortFrom(dev, devPort)] = true
	if tls || port == mqttTLSPort || port <= 0 || port > 65535 {
		port = mqttPort
	}
	st := &stream{
		dev: netip.AddrPortFrom(dev, devPort), srv: netip.AddrPortFrom(srv, uint16(port)),
		isn:   [2]uint32{uint32(h >> 32), uint32(hash64(key, strconv.Itoa(n), "broker"))},
		ipID:  [2]uint16{uint16(h >> 16), uint16(h >> 48)},
		level: mqttLevel311,
		ids:   cn.ids,
		pend:  segHeap{stream: true},
	}
	st.next = st.isn
	return st
}

// literalAddr parses a host that is an IP address.
func literalAddr(host string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// hostAddr is the synthetic address of a broker named by host: the same
// name always gets the same address.
func (p *Pcap) hostAddr(host string) netip.Addr {
	name := strings.ToLower(host)
	if a, ok := p.hosts[name]; ok {
		return a
	}
	h := hash64("broker", name)
	var a netip.Addr
	for i := uint64(0); i < 508; i++ {
		k := (h + i) % 508
		n := brokerNets[k/254]
		a = netip.AddrFrom4([4]byte{n[0], n[1], n[2], byte(1 + k%254)})
		if !p.used[a] {
			break
		}
	}
	p.used[a] = true
	p.hosts[name] = a
	return a
}

// deviceAddr is the module's address for one file and client.
func (p *Pcap) deviceAddr(key string, v6 bool) netip.Addr {
	h := hash64("device", key)
	var a netip.Addr
	for i := uint64(0); i < 240; i++ {
		if v6 {
			a = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 14: byte((h + i) >> 8), 15: byte(h + i)})
		} else {
			a = netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + (h+i)%240)})
		}
		if !p.used[a] {
			break
		}
	}
	p.used[a] = true
	return a
}

// validDNSName reports whether host can be asked of DNS: labels of 1 to 63
// letters, digits, hyphens or underscores, 253 bytes in all [RFC 1035 §2.3.4].
func validDNSName(host string) bool {
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// dns adds the query and answer that name the broker.
func (lx *logExport) dns(cn *connExport, host string, at time.Time, seq int, c string) {
	p, st := lx.p, cn.st
	if !st.srv.Addr().Is4() {
		return // a host name is given an IPv4 address; never the case
	}
	id := uint16(hash64("dns", lx.file, st.dev.String()))
	for i := 0; i < 65536 && p.dnsIDs[id]; i++ {
		id++
	}
	p.dnsIDs[id] = true
	name := []byte(strings.TrimSuffix(host, "."))
	q := layers.DNSQuestion{Name: name, Type: layers.DNSTypeA, Class: layers.DNSClassIN}
	src := netip.AddrPortFrom(st.dev.Addr(), st.dev.Port())
	dst := netip.AddrPortFrom(resolverAddr, 53)
	query := &layers.DNS{ID: id, RD: true, OpCode: layers.DNSOpCodeQuery, Questions: []layers.DNSQuestion{q}}
	answer := &layers.DNS{
		ID: id, QR: true, RD: true, RA: true, OpCode: layers.DNSOpCodeQuery, ResponseCode: layers.DNSResponseCodeNoErr,
		Questions: []layers.DNSQuestion{q},
		Answers: []layers.DNSResourceRecord{{
			Name: name, Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: dnsTTL, IP: st.srv.Addr().AsSlice(),
		}},
	}
	note := " [DNS: the log names the host; its address is synthetic]"
	lx.emit(cn, &segment{at: at, seq: seq, from: device, dns: &dnsDatagram{src: src, dst: dst, msg: query}, comment: c + note})
	lx.emit(cn, &segment{at: at, seq: seq, from: broker, dns: &dnsDatagram{src: dst, dst: src, msg: answer}, comment: c + note})
}

// emit queues a packet of a connection, splitting payloads longer than the
// MSS. A packet made after the handshake goes no earlier than its answer.
func (lx *logExport) emit(cn *connExport, sg *segment) {
	for len(sg.payload) > tcpMSS {
		part := *sg
		part.payload = sg.payload[:tcpMSS]
		lx.push(cn, &part)
		sg.payload = sg.payload[tcpMSS:]
		sg.mqtt = 0 // counted once, with the first part
	}
	lx.push(cn, sg)
}

func (lx *logExport) push(cn *connExport, sg *segment) {
	sg.client, sg.conn, sg.gen = cn.cx.client, cn.index, cn.gen
	cn.gen++
	if sg.dns == nil {
		sg.st = cn.st
	}
	if cn.shaken {
		if (tkey{sg.at, sg.seq}).before(cn.lo) {
			sg.at, sg.seq = cn.lo.at, cn.lo.seq
		}
		if len(cn.segs) == cap(cn.segs) { // drop the written ones before growing
			cn.segs = slices.DeleteFunc(cn.segs, func(sg *segment) bool { return sg.written })
		}
		cn.segs = append(cn.segs, sg)
	}
	heap.Push(&lx.segs, sg)
	if sg.st != nil {
		heap.Push(&sg.st.pend, sg)
	}
}

// send queues an MQTT packet; an encoding error skips the op.
func (lx *logExport) send(cn *connExport, from side, at time.Time, seq int, pk *mqttPacket, comment string) bool {
	b, err := pk.encode(cn.st.level)
	if err != nil {
		lx.skip("not encodable: " + err.Error())
		return false
	}
	lx.emit(cn, &segment{at: at, seq: seq, from: from, ack: ackAuto, payload: b, mqtt: pk.Type, comment: comment})
	return true
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

// commentText makes a comment valid pcapng option text: UTF-8, at most
// 65535 bytes.
func commentText(c string) string {
	if !utf8.ValidString(c) {
		c = strings.ToValidUTF8(c, "\uFFFD")
	}
	if len(c) > 65535 {
		cut := 65535 - len("…")
		for cut > 0 && !utf8.RuneStart(c[cut]) {
			cut--
		}
		c = c[:cut] + "…"
	}
	return c
}

// appendSegment appends the next TCP segment from side from as a packet,
// and advances the stream.
func (st *stream) appendSegment(b []byte, from side, syn, fin bool, payload []byte) []byte {
	src, dst := st.dev, st.srv
	if from == broker {
		src, dst = dst, src
	}
	seg := tcpSegment{src: src, dst: dst, ipID: st.ipID[from], seq: st.next[from], syn: syn, fin: fin, payload: payload}
	if st.synced[from.other()] {
		seg.acks, seg.ack = true, st.next[from.other()]
	}
	b = appendTCPPacket(b, &seg)
	st.ipID[from]++
	st.next[from] += uint32(len(payload))
	if syn {
		st.next[from]++
		st.synced[from] = true
	}
	if fin {
		st.next[from]++
		st.done[from] = true
	}
	return b
}

// transport is a TCP or UDP layer that needs the IP header for its checksum.
type transport interface {
	gopacket.SerializableLayer
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

// serializeIP builds an IPv4 or IPv6 packet with valid lengths and checksums
// (DNS datagrams; TCP segments are made by appendTCPPacket).
func serializeIP(src, dst netip.Addr, id uint16, proto layers.IPProtocol, l4 transport, payload gopacket.Payload) ([]byte, error) {
	var ip gopacket.SerializableLayer
	if src.Is4() {
		v4 := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Id: id, Protocol: proto,
			SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
		if err := l4.SetNetworkLayerForChecksum(v4); err != nil {
			return nil, err
		}
		ip = v4
	} else {
		v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
		if err := l4.SetNetworkLayerForChecksum(v6); err != nil {
			return nil, err
		}
		ip = v6
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ip, l4, payload); err != nil {
		return nil, err
	}
	return append([]byte(nil), buf.Bytes()...), nil
}

func dnsFrame(sg *segment) (frame, error) {
	d := sg.dns
	udp := &layers.UDP{SrcPort: layers.UDPPort(d.src.Port()), DstPort: layers.UDPPort(d.dst.Port())}
	buf := gopacket.NewSerializeBuffer()
	if err := d.msg.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		return frame{}, fmt.Errorf("dns: %w", err)
	}
	data, err := serializeIP(d.src.Addr(), d.dst.Addr(), d.msg.ID, layers.IPProtocolUDP, udp, gopacket.Payload(buf.Bytes()))
	if err != nil {
		return frame{}, err
	}
	return frame{at: sg.at, data: data, inbound: sg.from == broker, comment: commentText(sg.comment)}, nil
}

// comment is the provenance of an op's packets: "file:line,line: what".
func (lx *logExport) comment(op *dialect.Op) string {
	file := op.File
	if file == "" {
		file = lx.file
	}
	b := append(lx.scratch[:0], file...)
	b = append(b, ':')
	for i, l := range op.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(l), 10)
	}
	b = append(b, ": "...)
	if op.Client == dialect.ModuleClient {
		b = append(b, "module "...)
	}
	b = append(b, op.Kind.String()...)
	if op.Name != "" {
		b = append(append(b, ' '), op.Name...)
	}
	b = appendEssentialsOrCode(b, op)
	b = append(append(b, ": "...), op.Status.String()...)
	if op.Reason != "" && (op.Status != dialect.StatusOK || op.Kind == dialect.OpLink) {
		b = append(append(append(b, " ("...), op.Reason...), ')')
	}
	if !lx.clk.synthetic && op.Start.IsZero() {
		b = append(b, " [time not logged: placed at the previous logged time]"...)
	}
	lx.scratch = b
	return string(b)
}

// appendEssentialsOrCode appends " " and the op's essentials, or its code
// when it has none to show (links and setup steps name theirs already).
func appendEssentialsOrCode(b []byte, op *dialect.Op) []byte {
	if op.Kind != dialect.OpLink && op.Kind != dialect.OpSetup {
		n := len(b)
		if b = timeline.AppendEssentials(append(b, ' '), op); len(b) > n+1 {
			return b
		}
		b = b[:n]
	}
	if op.Code != "" {
		b = append(append(b, ' '), op.Code...)
	}
	return b
}

// connect is a CONNECT and the protocol level it sets.
type connect struct {
	mqttPacket
	level byte
}

// connectPacket builds the CONNECT of a connect op: what the dialect
// configured, and the defaults of most modules for what it did not
// (MQTT 3.1.1, clean session, keep-alive off when not logged).
func connectPacket(op *dialect.Op) (connect, string) {
	pk := connect{mqttPacket: mqttPacket{Type: mqttConnect, ClientID: op.ClientID, Clean: true}, level: mqttLevel311}
	var notes []string
	switch op.Version {
	case 3:
		pk.level = mqttLevel31
	case 5:
		pk.level = mqttLevel5
	}
	if op.Clean != nil {
		pk.Clean = *op.Clean
	}
	switch {
	case op.KeepAlive > 0xFFFF:
		pk.KeepAlive = 0xFFFF
	case op.KeepAlive >= 0:
		pk.KeepAlive = uint16(op.KeepAlive)
	default:
		notes = append(notes, "keep-alive not logged: 0 written")
	}
	pk.UsernameFlag = op.Username != ""
	pk.PasswordFlag = op.Password != ""
	pk.Username, pk.Password = op.Username, op.Password
	if pk.PasswordFlag && !pk.UsernameFlag && pk.level != mqttLevel5 {
		pk.UsernameFlag = true // [MQTT-3.1.2-22]: a password needs a user name
		notes = append(notes, "password without a user name: empty user name written")
	}
	if w := op.Will; w != nil {
		pk.Will = &mqttWill{Topic: w.Topic, Message: []byte(w.Message), QoS: qosByte(w.QoS), Retain: w.Retain}
	}
	if len(notes) == 0 {
		return pk, ""
	}
	return pk, " [" + strings.Join(notes, "; ") + "]"
}

// connackCode is the CONNACK return code a connect op shows: 0 when it
// succeeded; for a failure, the broker's refusal when the dialect logged
// one. Dialects say it differently: Quectel's +QMTCONN: <idx>,0,<ret_code>
// gives the code "0,<ret_code>"; others put "CONNACK 4" or the refusal's
// words from the specification's table in the reason. refused reports a
// failure that the broker answered, with or without a code it gave.
func connackCode(op *dialect.Op) (code byte, ok, refused bool) {
	switch op.Status {
	case dialect.StatusOK:
		return 0, true, false
	case dialect.StatusFailed:
	default:
		return 0, false, false
	}
	if op.Name == "+QMTCONN" {
		if res, ret, found := strings.Cut(op.Code, ","); found && strings.TrimSpace(res) == "0" {
			if n, err := strconv.Atoi(strings.TrimSpace(ret)); err == nil && n > 0 && n < 256 {
				return byte(n), true, true
			}
		}
	}
	text := op.Reason + " " + op.Code
	i := strings.Index(strings.ToUpper(text), "CONNACK")
	if i < 0 {
		return 0, false, false
	}
	if m := connackNumber.FindStringSubmatch(text[i:]); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n < 256 {
			return byte(n), true, true
		}
	}
	lower := strings.ToLower(op.Reason)
	for n, words := range connackWords {
		if n > 0 && strings.Contains(lower, words) {
			return byte(n), true, true
		}
	}
	return 0, false, true
}

// connackNumber finds the code in "CONNACK 4" or "CONNACK return code 4".
var connackNumber = regexp.MustCompile(`^CONNACK(?: return code)?:? (\d+)\b`)

// connackWords are the meanings of the CONNACK return codes as the
// specification words them [§3.2.2.3, Table 3.1].
var connackWords = [...]string{
	1: "unacceptable protocol version",
	2: "identifier rejected",
	3: "server unavailable",
	4: "bad user name or password",
	5: "not authorized",
}

// v5ConnackCode maps a 3.1.1 return code to the 5.0 reason code of the
// same meaning [v5 §3.2.2.2].
func v5ConnackCode(code byte) byte {
	switch code {
	case 1:
		return 0x84 // unsupported protocol version
	case 2:
		return 0x85 // client identifier not valid
	case 3:
		return 0x88 // server unavailable
	case 4:
		return 0x86 // bad user name or password
	case 5:
		return 0x87 // not authorized
	}
	return code
}

// isPing reports whether a link op is the module's report of a keep-alive
// exchange (Quectel +QMTPING), the only way a log shows PINGREQ.
func isPing(op *dialect.Op) bool {
	return strings.Contains(strings.ToUpper(op.Name), "PING")
}

func qosByte(q int) byte {
	if q < 0 || q > 2 {
		return 0
	}
	return byte(q)
}

func at(v []int, i, def int) int {
	if i < len(v) {
		return v[i]
	}
	return def
}

// idAlloc gives packet identifiers: the logged msgID where it is valid,
// else the next number no logged op of the connection uses (of those placed
// in it so far: note).
type idAlloc struct {
	used map[uint16]bool
	next uint16
}

func newIDAlloc() *idAlloc { return &idAlloc{used: map[uint16]bool{}, next: 1} }

// note records the msgID an op of the connection logs.
func (a *idAlloc) note(op *dialect.Op) {
	if op.MsgID > 0 && op.MsgID <= 0xFFFF {
		a.used[uint16(op.MsgID)] = true
	}
}

func (a *idAlloc) id(logged int) (uint16, string) {
	if logged > 0 && logged <= 0xFFFF {
		return uint16(logged), ""
	}
	for i := 0; i < 0xFFFF && a.used[a.next]; i++ {
		a.next = a.next%0xFFFF + 1
	}
	id := a.next
	a.next = a.next%0xFFFF + 1
	return id, fmt.Sprintf(" [packet id %d derived: the log has none]", id)
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// clock gives packets their times: the logged ones, moved into the range
// pcap can hold, or synthetic ones when the log has none.
type clock struct {
	synthetic bool      // the log has no times: syntheticBase + 1 s per event
	years     int       // years added to dates outside 1970-2200 (times of day only)
	first     time.Time // earliest logged time of the first ops
	from      time.Time // first, rebased
	// known are the logged times of ops' first and last events, for ops
	// without one, in log order; those before the floor of what may still
	// be asked are dropped but the latest.
	known []tpoint
	n     int // points known, for their order
}

// tpoint is a logged time of an op's event. Points of the same event go
// client by client, then as they came, as a look at the whole log orders
// them.
type tpoint struct {
	seq, client, n int
	at             time.Time
}

func (a tpoint) before(b tpoint) bool {
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	if a.client != b.client {
		return a.client < b.client
	}
	return a.n < b.n
}

// newClock makes the clock from a log's first ops (all of a short log):
// whether the log has times, and from its earliest, which year its days
// are shown in. Ops then tell it their times with know, in log order.
func newClock(ops []*dialect.Op) *clock {
	c := &clock{synthetic: true}
	for _, op := range ops {
		for _, t := range []time.Time{op.Start, op.End} {
			if len(op.Seqs) > 0 && !t.IsZero() && (c.synthetic || t.Before(c.first)) {
				c.first, c.synthetic = t, false
			}
		}
	}
	if c.synthetic {
		return c
	}
	if y := c.first.Year(); y < 1970 || y > 2200 {
		c.years = syntheticDay - y
	}
	c.from = c.rebase(c.first)
	return c
}

// know adds the logged times of op's first and last events.
func (c *clock) know(op *dialect.Op) {
	if c.synthetic || len(op.Seqs) == 0 {
		return
	}
	for _, p := range []tpoint{{seq: op.Seqs[0], at: op.Start}, {seq: op.Seqs[len(op.Seqs)-1], at: op.End}} {
		if p.at.IsZero() {
			continue
		}
		p.client, p.n = op.Client, c.n
		c.n++
		i := sort.Search(len(c.known), func(i int) bool { return p.before(c.known[i]) })
		c.known = slices.Insert(c.known, i, p)
	}
}

// prune drops the points before event floor but the latest of them: no op
// still to come asks for an earlier time.
func (c *clock) prune(floor int) {
	i := sort.Search(len(c.known), func(i int) bool { return c.known[i].seq >= floor })
	if i > 1 {
		c.known = slices.Delete(c.known, 0, i-1)
	}
}

func (c *clock) rebase(t time.Time) time.Time {
	if c.years != 0 {
		t = t.AddDate(c.years, 0, 0)
	}
	return t
}

// at is the time of event seq, logged as t (zero when not logged), within
// the years a pcapng timestamp can hold.
func (c *clock) at(seq int, t time.Time) time.Time {
	return bound(c.raw(seq, t))
}

func bound(t time.Time) time.Time {
	switch {
	case t.Before(minTime):
		return minTime
	case t.After(maxTime):
		return maxTime
	}
	return t
}

// minTime and maxTime bound packet times: pcapng counts nanoseconds since
// 1970 in 64 bits, which end in 2262; a damaged log can hold any year.
var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (c *clock) raw(seq int, t time.Time) time.Time {
	if c.synthetic {
		if seq == math.MaxInt {
			seq = 0
		}
		return syntheticBase.Add(time.Duration(seq) * time.Second)
	}
	if !t.IsZero() {
		return c.rebase(t)
	}
	i := sort.Search(len(c.known), func(i int) bool { return c.known[i].seq > seq }) // the latest at or before seq
	switch {
	case len(c.known) == 0:
		return c.from // no op with a time has come yet
	case i == 0:
		return c.rebase(c.known[0].at)
	}
	return c.rebase(c.known[i-1].at)
}

// request is when an op's request went out.
func (c *clock) request(op *dialect.Op) time.Time { return c.at(firstSeq(op), op.Start) }

// reply is when an op's result came, never before its request.
func (c *clock) reply(op *dialect.Op) time.Time {
	r := c.at(lastSeq(op), op.End)
	if q := c.request(op); r.Before(q) {
		return q
	}
	return r
}

// sent is when a publish's payload was complete: the payload after a
// prompt may come long after the command.
func (c *clock) sent(op *dialect.Op) time.Time {
	q := c.request(op)
	if c.synthetic || op.Sent.IsZero() {
		return q
	}
	if s := bound(c.rebase(op.Sent)); !s.Before(q) {
		return s
	}
	return q
}

// describe says where the times of the log's packets come from.
func (c *clock) describe() string {
	switch {
	case c.synthetic:
		return fmt.Sprintf("the log has no times: packets are placed at %s plus 1 s per AT event", syntheticBase.Format(time.RFC3339))
	case c.years != 0:
		return fmt.Sprintf("the log has times of day only (or a clock that was never set): its first day is shown as %s", c.from.Format(time.DateOnly))
	}
	return "times as logged"
}
