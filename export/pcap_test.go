package export

import (
	"bytes"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

var update = flag.Bool("update", false, "rewrite the golden captures in testdata/pcap")

// testTool is the tool name the tests write into section headers, so that
// golden files do not change with the version.
const testTool = "atscope test"

// sampleSessions decodes ../samples/<base> the way the command line does,
// naming it samples/<base> so comments do not depend on the test's
// directory.
func sampleSessions(t testing.TB, base string) (string, []*timeline.Session) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "samples", base))
	if err != nil {
		t.Fatal(err)
	}
	name := "samples/" + base
	return name, decodeSessions(t, name, data)
}

// decodeSessions runs a log through the pipeline to its sessions.
func decodeSessions(t testing.TB, name string, data []byte) []*timeline.Session {
	t.Helper()
	hooks, err := dialect.HooksFor("auto")
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := decode.Open(bytes.NewReader(data), name, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := dialect.NewDecoder(name, "auto")
	if err != nil {
		t.Fatal(err)
	}
	asm := timeline.NewAssembler()
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, asm.Add)
	}
	dec.Close(asm.Add)
	return asm.Sessions()
}

// samples lists the sample logs.
func samples(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "samples", "*.log"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return paths
}

// export writes logs (name and sessions, in pairs) as one capture.
func export(t testing.TB, classic bool, logs ...any) ([]byte, PcapStats) {
	t.Helper()
	data, p := exportWith(t, PcapOptions{Classic: classic}, logs...)
	return data, p.Stats()
}

// exportWith is export with options (the tool and sources are the
// tests'); it returns the writer for what it tells after the capture.
func exportWith(t testing.TB, opt PcapOptions, logs ...any) ([]byte, *Pcap) {
	t.Helper()
	var names []string
	for i := 0; i < len(logs); i += 2 {
		names = append(names, logs[i].(string))
	}
	var buf bytes.Buffer
	opt.Tool, opt.Sources = testTool, names
	p, err := NewPcap(&buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(logs); i += 2 {
		if _, err := p.WriteLog(logs[i].(string), logs[i+1].([]*timeline.Session)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), p
}

// pkt is a packet read back from a capture.
type pkt struct {
	n                 int
	at                time.Time
	iface             int
	src, dst          netip.AddrPort
	udp               bool
	syn, ack, fin     bool
	rst               bool
	seq, ackn         uint32
	payload           []byte
	comment           string
	inbound, outbound bool
	dns               *layers.DNS
}

func (p *pkt) flags() string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{p.syn, "SYN"}, {p.fin, "FIN"}, {p.rst, "RST"}, {p.ack, "ACK"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, ",")
}

// readCapture reads a pcapng file back with gopacket and decodes each packet.
func readCapture(t testing.TB, data []byte) (*pcapgo.NgReader, []*pkt) {
	t.Helper()
	r, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var out []*pkt
	for {
		raw, ci, opts, err := r.ReadPacketDataWithOptions()
		if err != nil {
			break
		}
		p := &pkt{n: len(out) + 1, at: ci.Timestamp, iface: ci.InterfaceIndex}
		if len(opts.Comments) > 0 {
			p.comment = opts.Comments[0]
		}
		if opts.Flags != nil {
			p.inbound = opts.Flags.Direction == pcapgo.NgEpbFlagDirectionInbound
			p.outbound = opts.Flags.Direction == pcapgo.NgEpbFlagDirectionOutbound
		}
		decodePkt(t, p, raw)
		out = append(out, p)
	}
	return r, out
}

func decodePkt(t testing.TB, p *pkt, raw []byte) {
	t.Helper()
	first := layers.LayerTypeIPv4
	if len(raw) > 0 && raw[0]>>4 == 6 {
		first = layers.LayerTypeIPv6
	}
	gp := gopacket.NewPacket(raw, first, gopacket.Default)
	if el := gp.ErrorLayer(); el != nil {
		t.Fatalf("packet %d does not decode: %v", p.n, el.Error())
	}
	var src, dst netip.Addr
	switch ip := gp.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
	default:
		t.Fatalf("packet %d: no IP layer", p.n)
	}
	if tcp, ok := gp.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
		p.src, p.dst = netip.AddrPortFrom(src, uint16(tcp.SrcPort)), netip.AddrPortFrom(dst, uint16(tcp.DstPort))
		p.syn, p.ack, p.fin, p.rst, p.seq, p.ackn = tcp.SYN, tcp.ACK, tcp.FIN, tcp.RST, tcp.Seq, tcp.Ack
		p.payload = tcp.Payload
		return
	}
	if udp, ok := gp.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
		p.udp = true
		p.src, p.dst = netip.AddrPortFrom(src, uint16(udp.SrcPort)), netip.AddrPortFrom(dst, uint16(udp.DstPort))
		p.dns, _ = gp.Layer(layers.LayerTypeDNS).(*layers.DNS)
		return
	}
	t.Fatalf("packet %d: neither TCP nor UDP", p.n)
}

// tcpKey names a stream by its device end (the side that sent the SYN).
type tcpKey struct{ dev, srv netip.AddrPort }

// tcpCheck holds what a stream has done so far.
type tcpCheck struct {
	next   [2]uint32 // next sequence number per side (0 device, 1 broker)
	synced [2]bool
	fin    [2]bool
	acked  [2]uint32 // highest ACK sent by each side
	msgs   [2]*mqttReader
}

// pickedUpNote is what the first packet of a stream without handshake says.
const pickedUpNote = "its stream is picked up mid-way, without handshake"

// checkTCP verifies the TCP arithmetic of every stream: a handshake first
// (or a first packet saying the stream is picked up mid-way),
// each segment's sequence number the sender's next, each ACK the peer's
// next (everything seen so far is acknowledged), nothing after a FIN, and
// at the end every data byte acknowledged.
func checkTCP(t testing.TB, pkts []*pkt) map[tcpKey]*tcpCheck {
	t.Helper()
	streams := map[tcpKey]*tcpCheck{}
	for _, p := range pkts {
		if p.udp {
			continue
		}
		key, from := tcpKey{p.src, p.dst}, 0
		st := streams[key]
		if st == nil {
			if st = streams[tcpKey{p.dst, p.src}]; st != nil {
				key, from = tcpKey{p.dst, p.src}, 1
			}
		}
		switch {
		case st == nil && !p.syn && p.ack && strings.Contains(p.comment, pickedUpNote):
			// Up when the log starts: both SYNs came before.
			if p.inbound {
				key, from = tcpKey{p.dst, p.src}, 1
			}
			st = &tcpCheck{msgs: [2]*mqttReader{{}, {}}, synced: [2]bool{true, true}}
			streams[key] = st
			st.next[from], st.next[1-from] = p.seq, p.ackn
			// and all data before them was acknowledged: the peer's
			// acknowledgement of this side is p.seq until it sends one.
			st.acked[1-from] = p.seq
		case st == nil && (!p.syn || p.ack):
			t.Errorf("packet %d: stream %v starts without a SYN", p.n, key)
			continue
		case st == nil:
			st = &tcpCheck{msgs: [2]*mqttReader{{}, {}}}
			streams[key] = st
			st.next[0] = p.seq
		}
		if st.fin[from] && (len(p.payload) > 0 || p.fin || p.syn) {
			t.Errorf("packet %d: data, SYN or FIN after the side's FIN", p.n)
		}
		if from == 1 && p.syn && !st.synced[1] {
			st.next[1] = p.seq
		}
		switch {
		case p.seq != st.next[from] && strings.Contains(p.comment, gapMark) && len(p.payload) > 0 && p.seq-st.next[from] < 1<<31:
			st.next[from] = p.seq // the bytes the log lost: a deliberate jump
		case p.seq != st.next[from]:
			t.Errorf("packet %d: seq %d, want %d", p.n, p.seq, st.next[from])
		}
		if p.ack != st.synced[1-from] {
			t.Errorf("packet %d: ACK flag %v before/after the peer's SYN", p.n, p.ack)
		}
		if p.ack {
			if p.ackn != st.next[1-from] {
				t.Errorf("packet %d: ack %d, want %d (all of the peer's data)", p.n, p.ackn, st.next[1-from])
			}
			st.acked[from] = p.ackn
		}
		if p.syn && p.outbound == (from == 1) {
			t.Errorf("packet %d: direction flag does not match the side", p.n)
		}
		st.next[from] += uint32(len(p.payload))
		if p.syn {
			st.next[from]++
			st.synced[from] = true
		}
		if p.fin {
			st.next[from]++
			st.fin[from] = true
		}
	}
	for key, st := range streams {
		for side := 0; side < 2; side++ {
			sent, acked := st.next[side], st.acked[1-side]
			if st.fin[side] && side == 1 && acked+1 == sent {
				continue // a module that went away does not acknowledge the broker's FIN
			}
			if st.synced[1-side] && acked != sent {
				t.Errorf("stream %v: side %d sent up to %d, peer acknowledged %d", key, side, sent, acked)
			}
		}
	}
	return streams
}

// mqttReader splits one direction of a stream into MQTT messages.
type mqttReader struct{ buf []byte }

// mqttMsg is a message as read back: its type and a few fields.
type mqttMsg struct {
	typ   byte
	flags byte
	id    uint16
	topic string
	body  []byte
}

func (m mqttMsg) String() string {
	s := mqttPacketNames[m.typ]
	switch m.typ {
	case mqttPublish:
		s += fmt.Sprintf(" qos%d", m.flags>>1&3)
		if m.flags&8 != 0 {
			s += " dup"
		}
		if m.flags&1 != 0 {
			s += " retain"
		}
		if m.id != 0 {
			s += fmt.Sprintf(" id=%d", m.id)
		}
		s += fmt.Sprintf(" %q", m.topic)
	case mqttConnack:
		s += fmt.Sprintf(" rc=%d", m.body[1])
	case mqttPuback, mqttPubrec, mqttPubrel, mqttPubcomp, mqttSubscribe, mqttSuback, mqttUnsubscribe, mqttUnsuback:
		s += fmt.Sprintf(" id=%d", m.id)
		if m.typ == mqttSuback {
			s += fmt.Sprintf(" % x", m.body[2:])
		}
	case mqttConnect:
		s += fmt.Sprintf(" level=%d", m.body[6+int(m.body[1])-4])
	}
	return s
}

// feed adds segment bytes and returns the messages they complete.
func (r *mqttReader) feed(b []byte) []mqttMsg {
	r.buf = append(r.buf, b...)
	var out []mqttMsg
	for len(r.buf) >= 2 {
		n, mul, i := 0, 1, 1
		for ; i < len(r.buf) && i <= 4; i++ {
			n += int(r.buf[i]&0x7F) * mul
			mul *= 128
			if r.buf[i]&0x80 == 0 {
				break
			}
		}
		if i >= len(r.buf) || len(r.buf) < i+1+n {
			return out
		}
		m := mqttMsg{typ: r.buf[0] >> 4, flags: r.buf[0] & 0xF, body: r.buf[i+1 : i+1+n]}
		switch m.typ {
		case mqttPublish:
			tl := int(m.body[0])<<8 | int(m.body[1])
			m.topic = string(m.body[2 : 2+tl])
			if m.flags>>1&3 > 0 {
				m.id = uint16(m.body[2+tl])<<8 | uint16(m.body[3+tl])
			}
		case mqttPuback, mqttPubrec, mqttPubrel, mqttPubcomp, mqttSubscribe, mqttSuback, mqttUnsubscribe, mqttUnsuback:
			m.id = uint16(m.body[0])<<8 | uint16(m.body[1])
		}
		out = append(out, m)
		r.buf = r.buf[i+1+n:]
	}
	return out
}

// flow renders packets compactly: "→ SYN", "← CONNACK rc=0", "→ ACK".
// Arrows are from the module's point of view. Pure ACKs are left out
// unless acks is set.
func flow(pkts []*pkt, acks bool) []string {
	var out []string
	readers := map[netip.AddrPort]*mqttReader{}
	for _, p := range pkts {
		arrow := "→"
		if p.inbound {
			arrow = "←"
		}
		switch {
		case p.dns != nil && !p.dns.QR:
			out = append(out, fmt.Sprintf("%s DNS A? %s", arrow, p.dns.Questions[0].Name))
		case p.dns != nil:
			out = append(out, fmt.Sprintf("%s DNS %s A %s", arrow, p.dns.Answers[0].Name, p.dns.Answers[0].IP))
		case len(p.payload) > 0:
			r := readers[p.src]
			if r == nil {
				r = &mqttReader{}
				readers[p.src] = r
			}
			msgs := r.feed(p.payload)
			if len(msgs) == 0 {
				out = append(out, arrow+" (segment)")
			}
			for _, m := range msgs {
				out = append(out, arrow+" "+m.String())
			}
		case p.syn || p.fin || p.rst || acks:
			out = append(out, arrow+" "+p.flags())
		}
	}
	return out
}

// dump is the text twin of a capture, for review: the section header and
// interfaces, then one line per packet with its comment.
func dump(t testing.TB, data []byte) string {
	t.Helper()
	r, pkts := readCapture(t, data)
	var b strings.Builder
	si := r.SectionInfo()
	fmt.Fprintf(&b, "application: %s\ncomment: %s\n", si.Application, si.Comment)
	for i := 0; i < r.NInterfaces(); i++ {
		in, _ := r.Interface(i)
		fmt.Fprintf(&b, "interface %d: %s, link type %s: %s\n", i, in.Name, in.LinkType, in.Description)
	}
	isn := map[netip.AddrPort]uint32{}
	readers := map[netip.AddrPort]*mqttReader{}
	for _, p := range pkts {
		dir := "out"
		if p.inbound {
			dir = "in "
		}
		fmt.Fprintf(&b, "%4d %s %s %s %s > %s", p.n, p.at.UTC().Format("2006-01-02T15:04:05.000000Z"), dir,
			map[bool]string{true: "UDP", false: "TCP"}[p.udp], p.src, p.dst)
		switch {
		case p.dns != nil && !p.dns.QR:
			fmt.Fprintf(&b, " DNS id=%#04x A? %s", p.dns.ID, p.dns.Questions[0].Name)
		case p.dns != nil:
			fmt.Fprintf(&b, " DNS id=%#04x %s A %s", p.dns.ID, p.dns.Answers[0].Name, p.dns.Answers[0].IP)
		default:
			if p.syn {
				isn[p.src] = p.seq
			}
			fmt.Fprintf(&b, " [%s] seq=%d", p.flags(), p.seq-isn[p.src])
			if p.ack {
				fmt.Fprintf(&b, " ack=%d", p.ackn-isn[p.dst])
			}
			fmt.Fprintf(&b, " len=%d", len(p.payload))
			if len(p.payload) > 0 {
				rd := readers[p.src]
				if rd == nil {
					rd = &mqttReader{}
					readers[p.src] = rd
				}
				for _, m := range rd.feed(p.payload) {
					fmt.Fprintf(&b, " | %s", m)
				}
			}
		}
		fmt.Fprintf(&b, "\n     # %s\n", p.comment)
	}
	return b.String()
}

// Constructed ops -----------------------------------------------------

var t0 = time.Date(2024, 5, 30, 9, 0, 0, 0, time.UTC)

// mk makes an op of client at events seq (and seq+1, its result) with the
// "not logged" markers of dialect.newOp, timed at t0 + seq seconds, the
// result 100 ms later.
func mk(client, seq int, kind dialect.OpKind, name string, st dialect.Status) *dialect.Op {
	return &dialect.Op{
		File: "t.log", Dialect: "test", Client: client, Kind: kind, Name: name, Status: st,
		QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1,
		Seqs: []int{seq, seq + 1}, Lines: []int{seq, seq + 1},
		Start: t0.Add(time.Duration(seq) * time.Second), End: t0.Add(time.Duration(seq)*time.Second + 100*time.Millisecond), Timed: true,
	}
}

func sessionsOf(ops ...*dialect.Op) []*timeline.Session {
	asm := timeline.NewAssembler()
	for _, op := range ops {
		asm.Add(op)
	}
	return asm.Sessions()
}

func with(op *dialect.Op, f func(*dialect.Op)) *dialect.Op { f(op); return op }

// quectelLike is a session with a network open and close, every MQTT
// packet type, and ops whose outcome the log does not show.
func quectelLike() []*dialect.Op {
	ok := dialect.StatusOK
	return []*dialect.Op{
		with(mk(0, 10, dialect.OpOpen, "+QMTOPEN", ok), func(o *dialect.Op) {
			o.Host, o.Port = "mqtt.example.com", 1883
			o.End = o.Start.Add(700 * time.Millisecond)
		}),
		with(mk(0, 20, dialect.OpConnect, "+QMTCONN", ok), func(o *dialect.Op) {
			o.ClientID, o.Username, o.Password, o.KeepAlive, o.Version, o.Code = "dev1", "u", "p", 60, 4, "0,0"
		}),
		with(mk(0, 30, dialect.OpSubscribe, "+QMTSUB", ok), func(o *dialect.Op) {
			o.Topics, o.Topic, o.Requested, o.MsgID = []string{"a/#", "b"}, "a/#", []int{1, 2}, 1
		}),
		with(mk(0, 40, dialect.OpPublish, "+QMTPUB", ok), func(o *dialect.Op) {
			o.Topic, o.QoS, o.MsgID, o.Payload = "a/x", 1, 2, "hello"
			o.Sent = o.Start.Add(50 * time.Millisecond)
		}),
		with(mk(0, 50, dialect.OpPublish, "+QMTPUB", ok), func(o *dialect.Op) {
			o.Topic, o.QoS, o.MsgID, o.Payload = "a/y", 2, 3, "two"
		}),
		with(mk(0, 60, dialect.OpReceive, "+QMTRECV", ok), func(o *dialect.Op) {
			o.Topic, o.MsgID, o.Payload, o.Seqs, o.Lines, o.End = "a/x", 0, "r0", []int{60}, []int{60}, o.Start
		}),
		with(mk(0, 70, dialect.OpReceive, "+QMTRECV", ok), func(o *dialect.Op) {
			o.Topic, o.MsgID, o.Payload, o.Seqs, o.Lines, o.End = "b", 5, "r1", []int{70}, []int{70}, o.Start
		}),
		with(mk(0, 80, dialect.OpPublish, "+QMTPUB", dialect.StatusUnknown), func(o *dialect.Op) {
			o.Topic, o.QoS, o.MsgID, o.Payload, o.End = "a/z", 1, 4, "lost", time.Time{}
		}),
		with(mk(0, 90, dialect.OpPublish, "+QMTPUB", dialect.StatusFailed), func(o *dialect.Op) {
			o.Topic, o.QoS, o.MsgID, o.Code = "a/z", 1, 5, "ERROR"
		}),
		with(mk(0, 100, dialect.OpUnsubscribe, "+QMTUNS", ok), func(o *dialect.Op) {
			o.Topics, o.Topic, o.MsgID = []string{"a/#"}, "a/#", 6
		}),
		mk(0, 110, dialect.OpDisconnect, "+QMTDISC", ok),
		mk(0, 120, dialect.OpClose, "+QMTCLOSE", ok),
	}
}

func TestPcapFlowOpenToClose(t *testing.T) {
	data, stats := export(t, false, "t.log", sessionsOf(quectelLike()...))
	_, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	want := []string{
		"→ DNS A? mqtt.example.com",
		"← DNS mqtt.example.com A " + pkts[1].dns.Answers[0].IP.String(),
		"→ SYN", "← SYN,ACK",
		"→ CONNECT level=4", "← CONNACK rc=0",
		"→ SUBSCRIBE id=1", "← SUBACK id=1 01 02",
		`→ PUBLISH qos1 id=2 "a/x"`, "← PUBACK id=2",
		`→ PUBLISH qos2 id=3 "a/y"`, "← PUBREC id=3", "→ PUBREL id=3", "← PUBCOMP id=3",
		`← PUBLISH qos0 "a/x"`,
		`← PUBLISH qos1 id=5 "b"`, "→ PUBACK id=5",
		`→ PUBLISH qos1 id=4 "a/z"`, // unknown outcome: no PUBACK; the failed one: nothing
		"→ UNSUBSCRIBE id=6", "← UNSUBACK id=6",
		"→ DISCONNECT",
		"→ FIN,ACK", "← FIN,ACK", // at the close that follows the disconnect
	}
	if got := flow(pkts, false); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flow:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if stats.Skipped[skipFailed] != 1 || stats.Connections != 1 {
		t.Errorf("stats %+v: want 1 connection, 1 failed op", stats)
	}
	if n := stats.Messages["PUBLISH"]; n != 5 {
		t.Errorf("%d PUBLISH counted, want 5", n)
	}

	// Times: SYN at the open's request, SYN-ACK at its result, the
	// PUBLISH when the payload was sent, the PUBACK at the result.
	at := func(i int) time.Time { return pkts[i].at }
	ops := quectelLike()
	for _, c := range []struct {
		i    int
		want time.Time
	}{
		{2, ops[0].Start}, {3, ops[0].End}, {4, ops[0].End},
		{5, ops[1].Start}, {7, ops[1].End},
	} {
		if !at(c.i).Equal(c.want) {
			t.Errorf("packet %d at %v, want %v", c.i+1, at(c.i), c.want)
		}
	}
	for _, p := range pkts {
		if len(p.payload) > 0 && bytes.Contains(p.payload, []byte("hello")) {
			if !p.at.Equal(ops[3].Sent) {
				t.Errorf("PUBLISH at %v, want the payload's time %v", p.at, ops[3].Sent)
			}
			if !strings.HasPrefix(p.comment, "t.log:40,41: publish +QMTPUB \"a/x\" qos1 id=2") {
				t.Errorf("PUBLISH comment %q", p.comment)
			}
		}
	}
}

func TestPcapSeqAckNumbers(t *testing.T) {
	data, _ := export(t, false, "t.log", sessionsOf(quectelLike()...))
	_, pkts := readCapture(t, data)
	// Packets 3-9: SYN, SYN-ACK, ACK, CONNECT, ACK, CONNACK, ACK.
	syn, synack, ack, conn, ack2, connack, ack3 := pkts[2], pkts[3], pkts[4], pkts[5], pkts[6], pkts[7], pkts[8]
	d, b := syn.seq, synack.seq
	n := uint32(len(conn.payload))
	for _, c := range []struct {
		name     string
		p        *pkt
		seq, ack uint32
	}{
		{"SYN-ACK", synack, b, d + 1},
		{"ACK", ack, d + 1, b + 1},
		{"CONNECT", conn, d + 1, b + 1},
		{"ACK of CONNECT", ack2, b + 1, d + 1 + n},
		{"CONNACK", connack, b + 1, d + 1 + n},
		{"ACK of CONNACK", ack3, d + 1 + n, b + 1 + 4},
	} {
		if c.p.seq != c.seq || c.p.ackn != c.ack {
			t.Errorf("%s: seq=%d ack=%d, want seq=%d ack=%d", c.name, c.p.seq, c.p.ackn, c.seq, c.ack)
		}
	}
	if !synack.ack || syn.ack {
		t.Error("the SYN carries ACK or the SYN-ACK does not")
	}
	// The close: FIN from the device, its ACK, FIN from the broker, the last ACK.
	last := pkts[len(pkts)-4:]
	if !last[0].fin || last[0].inbound || last[1].fin || !last[2].fin || !last[2].inbound || last[3].fin {
		t.Fatalf("close is not FIN, ACK, FIN, ACK: %v", flow(last, true))
	}
	if last[1].ackn != last[0].seq+1 || last[3].ackn != last[2].seq+1 || last[2].ackn != last[0].seq+1 {
		t.Errorf("FINs not acknowledged by seq+1: %d %d %d", last[1].ackn, last[3].ackn, last[2].ackn)
	}
}

func TestPcapConnectOnlyTLSAndLinkLoss(t *testing.T) {
	ok := dialect.StatusOK
	ops := []*dialect.Op{
		with(mk(0, 10, dialect.OpConnect, "+CMQTTCONNECT", ok), func(o *dialect.Op) {
			o.Host, o.Port, o.TLS, o.ClientID, o.Version = "203.0.113.9", 8883, true, "c", 5
		}),
		with(mk(0, 20, dialect.OpPublish, "+CMQTTPUB", ok), func(o *dialect.Op) {
			o.Topic, o.QoS, o.Payload = "t", 0, "x"
		}),
		with(mk(0, 30, dialect.OpLink, "+CMQTTCONNLOST", dialect.StatusFailed), func(o *dialect.Op) {
			o.Seqs, o.Lines, o.End = []int{30}, []int{30}, o.Start
		}),
	}
	data, _ := export(t, false, "t.log", sessionsOf(ops...))
	_, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	want := []string{"→ SYN", "← SYN,ACK", "→ CONNECT level=5", "← CONNACK rc=0", `→ PUBLISH qos0 "t"`,
		"← FIN,ACK", "→ FIN,ACK"}
	if got := flow(pkts, false); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flow:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := flow(pkts[len(pkts)-3:], true); strings.Join(got, " ") != "← FIN,ACK → FIN,ACK ← ACK" {
		t.Errorf("link loss close: %v", got)
	}
	syn := pkts[0]
	if syn.dst != netip.MustParseAddrPort("203.0.113.9:1883") {
		t.Errorf("broker %v, want the logged IP on port 1883", syn.dst)
	}
	if !strings.Contains(syn.comment, "logged port 8883 with TLS") {
		t.Errorf("SYN comment does not give the logged port: %q", syn.comment)
	}
	// The handshake and the CONNECT are at the connect's request.
	for _, p := range pkts[:4] {
		if !p.at.Equal(ops[0].Start) {
			t.Errorf("packet %d at %v, want the connect's start %v", p.n, p.at, ops[0].Start)
		}
	}
}

func TestPcapModuleLoss(t *testing.T) {
	ok := dialect.StatusOK
	rdy := with(mk(dialect.ModuleClient, 30, dialect.OpLink, "RDY", ok), func(o *dialect.Op) { o.Seqs, o.Lines = []int{30}, []int{30} })
	ops := []*dialect.Op{
		with(mk(0, 10, dialect.OpOpen, "+QMTOPEN", ok), func(o *dialect.Op) { o.Host, o.Port = "198.51.100.7", 1883 }),
		mk(0, 20, dialect.OpConnect, "+QMTCONN", ok),
		rdy,
		with(mk(0, 40, dialect.OpPublish, "+QMTPUB", dialect.StatusFailed), func(o *dialect.Op) { o.Topic = "t" }),
	}
	data, stats := export(t, false, "t.log", sessionsOf(ops...))
	_, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	got := flow(pkts, true)
	if tail := strings.Join(got[len(got)-2:], " "); tail != "→ ACK ← FIN,ACK" {
		t.Errorf("module loss should end with the broker's unanswered FIN: %v", got)
	}
	if !strings.Contains(pkts[len(pkts)-1].comment, "module link RDY") || !pkts[len(pkts)-1].at.Equal(rdy.Start) {
		t.Errorf("FIN comment %q at %v", pkts[len(pkts)-1].comment, pkts[len(pkts)-1].at)
	}
	if stats.Skipped[skipFailed] != 1 {
		t.Errorf("skipped %v", stats.Skipped)
	}
}

func TestPcapRefusalPingAndSkips(t *testing.T) {
	ok := dialect.StatusOK
	ops := []*dialect.Op{
		with(mk(0, 10, dialect.OpOpen, "+QMTOPEN", ok), func(o *dialect.Op) { o.Host, o.Port = "b.example.net", 1883 }),
		with(mk(0, 20, dialect.OpConnect, "+QMTCONN", dialect.StatusFailed), func(o *dialect.Op) {
			o.Code, o.Reason, o.HasConnack, o.Connack = "0,4", "refused: bad user name or password", true, 4
		}),
		with(mk(0, 30, dialect.OpConnect, "+QMTCONN", dialect.StatusFailed), func(o *dialect.Op) {
			o.Code, o.Reason = "2", "failed to send the packet"
		}),
		mk(0, 40, dialect.OpConnect, "+QMTCONN", ok),
		with(mk(0, 50, dialect.OpLink, "+QMTPING", ok), func(o *dialect.Op) { o.Code, o.Dialect = "0", "quectel" }),
		with(mk(0, 60, dialect.OpReceive, "+QMTRECV", dialect.StatusPending), func(o *dialect.Op) {}),
		with(mk(0, 70, dialect.OpSetup, "+CMQTTACCQ", ok), func(o *dialect.Op) {}),
		with(mk(0, 80, dialect.OpSubscribe, "+QMTSUB", dialect.StatusFailed), func(o *dialect.Op) {
			o.Topics, o.MsgID, o.Granted = []string{"x"}, 9, []int{128}
		}),
	}
	data, stats := export(t, false, "t.log", sessionsOf(ops...))
	_, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	want := []string{"→ DNS A? b.example.net", "← DNS b.example.net A " + pkts[1].dns.Answers[0].IP.String(),
		"→ SYN", "← SYN,ACK",
		"→ CONNECT level=4", "← CONNACK rc=4",
		"→ CONNECT level=4", "← CONNACK rc=0",
		"→ PINGREQ", "← PINGRESP",
		"→ SUBSCRIBE id=9", "← SUBACK id=9 80",
	}
	if got := flow(pkts, false); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flow:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantSkip := map[string]int{skipFailed: 1, skipNoTopic: 1, skipSetup: 1}
	if fmt.Sprint(stats.Skipped) != fmt.Sprint(wantSkip) {
		t.Errorf("skipped %v, want %v", stats.Skipped, wantSkip)
	}
	if a := pkts[1].dns.Answers[0].IP; !(a[0] == 198 && a[1] == 51 && a[2] == 100 || a[0] == 203 && a[1] == 0 && a[2] == 113) {
		t.Errorf("broker address %v is not in a documentation range", a)
	}
}

func TestPcapSyntheticTimesAndDerivedIDs(t *testing.T) {
	ok := dialect.StatusOK
	ops := []*dialect.Op{
		with(mk(0, 3, dialect.OpOpen, "+MIPSTART", ok), func(o *dialect.Op) { o.Host, o.Port = "h.example.com", 1883 }),
		mk(0, 6, dialect.OpConnect, "+MCONNECT", ok),
		with(mk(0, 9, dialect.OpSubscribe, "+MSUB", ok), func(o *dialect.Op) { o.Topics = []string{"s"}; o.Requested = []int{1} }),
		with(mk(0, 12, dialect.OpPublish, "+MPUB", ok), func(o *dialect.Op) { o.Topic, o.QoS = "p", 1 }),
	}
	for _, op := range ops {
		op.Start, op.End, op.Timed = time.Time{}, time.Time{}, false
	}
	data, _ := export(t, false, "t.log", sessionsOf(ops...))
	r, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	if want := syntheticBase.Add(3 * time.Second); !pkts[0].at.Equal(want) {
		t.Errorf("first packet at %v, want %v", pkts[0].at, want)
	}
	for _, p := range pkts {
		if p.at.Before(syntheticBase) || p.at.After(syntheticBase.Add(14*time.Second)) {
			t.Errorf("packet %d at %v: not a synthetic time", p.n, p.at)
		}
	}
	got := strings.Join(flow(pkts, false), "\n")
	for _, w := range []string{"→ SUBSCRIBE id=1", "← SUBACK id=1 01", `→ PUBLISH qos1 id=2 "p"`, "← PUBACK id=2"} {
		if !strings.Contains(got, w) {
			t.Errorf("flow lacks %q:\n%s", w, got)
		}
	}
	if in, _ := r.Interface(0); !strings.Contains(in.Description, "no times") {
		t.Errorf("interface description %q does not say the times are synthetic", in.Description)
	}
	if c := r.SectionInfo().Comment; !strings.Contains(c, "2000-01-01T00:00:00Z at 1 s per AT event") || !strings.Contains(c, "t.log") {
		t.Errorf("section comment %q", c)
	}
}

func TestPcapTimeOfDayOnly(t *testing.T) {
	op := mk(0, 1, dialect.OpConnect, "+SMCONN", dialect.StatusOK)
	op.Host = "10.0.0.1"
	op.Start = time.Date(0, 1, 1, 14, 17, 35, 487e6, time.UTC)
	op.End = op.Start.Add(time.Second)
	data, _ := export(t, false, "t.log", sessionsOf(op))
	r, pkts := readCapture(t, data)
	if want := time.Date(2000, 1, 1, 14, 17, 35, 487e6, time.UTC); !pkts[0].at.Equal(want) {
		t.Errorf("first packet at %v, want %v", pkts[0].at, want)
	}
	if in, _ := r.Interface(0); !strings.Contains(in.Description, "times of day only") {
		t.Errorf("interface description %q", in.Description)
	}
}

func TestPcapLargePayloadAndIPv6(t *testing.T) {
	ok := dialect.StatusOK
	big := strings.Repeat("0123456789", 500)
	ops := []*dialect.Op{
		with(mk(0, 10, dialect.OpConnect, "#XMQTTCON", ok), func(o *dialect.Op) { o.Host, o.Port = "2001:db8::1883", 1883 }),
		with(mk(0, 20, dialect.OpReceive, "#XMQTTMSG", ok), func(o *dialect.Op) { o.Topic, o.Payload, o.QoS, o.MsgID = "big", big, 2, 77 }),
	}
	data, stats := export(t, false, "t.log", sessionsOf(ops...))
	_, pkts := readCapture(t, data)
	checkTCP(t, pkts)
	if !pkts[0].dst.Addr().Is6() || !pkts[0].src.Addr().Is6() {
		t.Errorf("an IPv6 broker needs an IPv6 stream: %v > %v", pkts[0].src, pkts[0].dst)
	}
	segs := 0
	for _, p := range pkts {
		if len(p.payload) > tcpMSS {
			t.Errorf("packet %d carries %d bytes, more than the MSS", p.n, len(p.payload))
		}
		if p.inbound && len(p.payload) > 100 {
			segs++
		}
	}
	if segs != 4 {
		t.Errorf("a 5000-byte PUBLISH went in %d segments, want 4", segs)
	}
	got := strings.Join(flow(pkts, false), " | ")
	if !strings.Contains(got, `← PUBLISH qos2 id=77 "big" | → PUBREC id=77 | ← PUBREL id=77 | → PUBCOMP id=77`) {
		t.Errorf("QoS 2 receive flow: %s", got)
	}
	if stats.Messages["PUBLISH"] != 1 {
		t.Errorf("a split PUBLISH counted %d times", stats.Messages["PUBLISH"])
	}
}

// TestPcapSamples checks every sample's export without tshark: TCP
// arithmetic, comments, direction flags, times, determinism.
func TestPcapSamples(t *testing.T) {
	for _, base := range samples(t) {
		t.Run(base, func(t *testing.T) {
			name, sessions := sampleSessions(t, base)
			data, stats := export(t, false, name, sessions)
			again, _ := export(t, false, name, sessions)
			if !bytes.Equal(data, again) {
				t.Error("two exports of the same log differ")
			}
			_, pkts := readCapture(t, data)
			if len(pkts) != stats.Packets {
				t.Errorf("%d packets read back, %d reported", len(pkts), stats.Packets)
			}
			checkTCP(t, pkts)
			for _, p := range pkts {
				if !strings.HasPrefix(p.comment, name+":") {
					t.Errorf("packet %d comment %q does not cite %s", p.n, p.comment, name)
				}
				if p.inbound == p.outbound {
					t.Errorf("packet %d has no direction", p.n)
				}
				if y := p.at.Year(); y < 1970 || y > 2200 {
					t.Errorf("packet %d at %v", p.n, p.at)
				}
			}
		})
	}
}

func TestPcapClassic(t *testing.T) {
	name, sessions := sampleSessions(t, "ec25-multiclient.log")
	ng, _ := export(t, false, name, sessions)
	classic, stats := export(t, true, name, sessions)
	r, err := pcapgo.NewReader(bytes.NewReader(classic))
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeRaw {
		t.Errorf("link type %v, want raw IP", r.LinkType())
	}
	_, want := readCapture(t, ng)
	n := 0
	for ; ; n++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if n < len(want) && !ci.Timestamp.Equal(want[n].at.Truncate(time.Microsecond)) {
			t.Errorf("packet %d at %v, want %v", n+1, ci.Timestamp, want[n].at)
		}
		p := &pkt{n: n + 1}
		decodePkt(t, p, data)
	}
	if n != stats.Packets || n != len(want) {
		t.Errorf("classic has %d packets, pcapng %d", n, len(want))
	}
	if bytes.Contains(classic, []byte("ec25-multiclient.log:")) {
		t.Error("classic pcap carries comments")
	}
}

func TestPcapSeveralLogsAndEmpty(t *testing.T) {
	n1, s1 := sampleSessions(t, "ec25-multiclient.log")
	n2, s2 := sampleSessions(t, "ec20-manual-flow.log")
	data, stats := export(t, false, n1, s1, n2, s2)
	r, pkts := readCapture(t, data)
	if r.NInterfaces() != 2 {
		t.Fatalf("%d interfaces, want one per log", r.NInterfaces())
	}
	for i, n := range []string{n1, n2} {
		if in, _ := r.Interface(i); in.Name != n {
			t.Errorf("interface %d is %q, want %q", i, in.Name, n)
		}
	}
	for _, p := range pkts {
		want := n1
		if p.iface == 1 {
			want = n2
		}
		if !strings.HasPrefix(p.comment, want+":") {
			t.Errorf("packet %d on interface %d cites %q", p.n, p.iface, p.comment)
		}
	}
	checkTCP(t, pkts)
	if stats.Packets != len(pkts) {
		t.Errorf("stats say %d packets, file has %d", stats.Packets, len(pkts))
	}

	// No log at all still gives a valid file: a header and an interface.
	empty, _ := export(t, false)
	if r, pkts := readCapture(t, empty); len(pkts) != 0 || r.NInterfaces() != 1 {
		t.Errorf("empty export: %d packets, %d interfaces", len(pkts), r.NInterfaces())
	}
}

// TestPcapGolden compares the export of two samples with the golden
// captures and their text twins in testdata/pcap (go test -update
// rewrites them).
func TestPcapGolden(t *testing.T) {
	for _, base := range []string{"ec25-multiclient.log", "ec20-manual-flow.log"} {
		t.Run(base, func(t *testing.T) {
			name, sessions := sampleSessions(t, base)
			data, _ := export(t, false, name, sessions)
			text := dump(t, data)
			stem := filepath.Join("testdata", "pcap", strings.TrimSuffix(base, ".log"))
			if *update {
				if err := os.MkdirAll(filepath.Dir(stem), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(stem+".pcapng", data, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(stem+".txt", []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantText, err := os.ReadFile(stem + ".txt")
			if err != nil {
				t.Fatalf("%v (run go test ./export -run TestPcapGolden -update)", err)
			}
			if text != string(wantText) {
				t.Errorf("text twin differs from %s.txt (go test -update rewrites it):\n%s", stem, firstDiff(text, string(wantText)))
			}
			want, err := os.ReadFile(stem + ".pcapng")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("capture differs from %s.pcapng", stem)
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, a, b)
		}
	}
	return ""
}

// FuzzPcap runs any bytes through the whole pipeline as a log and checks
// that the export never fails or panics and keeps its TCP arithmetic.
func FuzzPcap(f *testing.F) {
	for _, base := range []string{"ec25-multiclient.log", "ec20-manual-flow.log", "bg96-damaged.log", "sim800-pubsubclient-arduino.log"} {
		data, err := os.ReadFile(filepath.Join("..", "samples", base))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, path := range []string{filepath.Join("testdata", "excerpt", "quectel-mid-session.log"), filepath.Join("testdata", "wire", "gap.log")} {
		if seed, err := os.ReadFile(path); err == nil {
			f.Add(seed)
		}
	}
	f.Add([]byte("AT+QMTOPEN=0,\"h\",1883\r\nOK\r\n+QMTOPEN: 0,0\r\nAT+QMTCONN=0,\"c\"\r\nOK\r\n+QMTCONN: 0,0,0\r\n+QMTSTAT: 0,1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sessions, ok := fuzzSessions(data)
		if !ok {
			t.Skip("decode or dialect panicked: their own fuzz targets cover that")
		}
		out, _ := export(t, false, "f.log", sessions)
		_, pkts := readCapture(t, out)
		checkTCP(t, pkts)
		checkMQTTStreams(t, pkts)
	})
}

// fuzzSessions decodes data as a log; ok is false when a layer below
// export panicked.
func fuzzSessions(data []byte) (sessions []*timeline.Session, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	hooks, _ := dialect.HooksFor("auto")
	cr, _, err := decode.Open(bytes.NewReader(data), "f.log", "auto", decode.Options{})
	if err != nil {
		return nil, true
	}
	dec, err := dialect.NewDecoder("f.log", "auto")
	if err != nil {
		return nil, true
	}
	asm := timeline.NewAssembler()
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, asm.Add)
	}
	dec.Close(asm.Add)
	return asm.Sessions(), true
}
