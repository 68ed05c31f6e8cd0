package export

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The capture's addresses, ports and DNS: what the log names is kept (a
// broker's IP address), what it does not is synthetic and derived from the
// input, so that the same log always gives the same capture.

// Addresses: the module in 192.0.2.0/24 (TEST-NET-1), a DNS resolver at
// 192.0.2.53, brokers named by host in 198.51.100.0/24 (TEST-NET-2) or
// 203.0.113.0/24 (TEST-NET-3) [RFC 5737]; IPv6 in 2001:db8::/32 [RFC 3849].
var (
	resolverAddr = netip.AddrFrom4([4]byte{192, 0, 2, 53})
	brokerNets   = [2][3]byte{{198, 51, 100}, {203, 0, 113}}
)

const (
	mqttPort    = 1883 // IANA "mqtt"; Wireshark dissects MQTT here
	mqttTLSPort = 8883 // IANA "secure-mqtt"
	dnsTTL      = 300
)

// dnsDatagram is a DNS query or answer that names a broker.
type dnsDatagram struct {
	src, dst netip.AddrPort
	msg      *layers.DNS
}

// newStream gives a connection its addresses, ports and sequence numbers;
// mqtt says the stream is MQTT for Wireshark to dissect (its port then
// counts among OtherPorts).
func (lx *logExport) newStream(cn *connExport, host string, port uint16, mqtt bool) *stream {
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
	ports := p.devPorts[dev]
	if ports == nil {
		ports = newIDPool(dynamicPorts)
		p.devPorts[dev] = ports
	}
	devPort := uint16(dynamicPortBase + ports.take(int(h%dynamicPorts)))
	if port != mqttPort && mqtt {
		p.otherPorts[port] = true
	}
	st := &stream{
		dev: netip.AddrPortFrom(dev, devPort), srv: netip.AddrPortFrom(srv, port),
		isn:   [2]uint32{uint32(h >> 32), uint32(hash64(key, strconv.Itoa(n), "broker"))},
		ipID:  [2]uint16{uint16(h >> 16), uint16(h >> 48)},
		level: mqttLevel311,
		ids:   cn.ids,
		pend:  segHeap{stream: true},
	}
	st.next = st.isn
	return st
}

// releaseStream frees the device port of a stream that ended, for a later
// connection of the same address to reuse, as TCP does.
func (p *Pcap) releaseStream(st *stream) {
	if st == nil {
		return
	}
	if ports := p.devPorts[st.dev.Addr()]; ports != nil {
		ports.free(int(st.dev.Port()) - dynamicPortBase)
	}
}

// The dynamic ports [RFC 6335 §6], from which device ports are given.
const (
	dynamicPortBase = 49152
	dynamicPorts    = 16384
)

// idPool gives out the numbers 0..size-1 (ports, DNS ids) in amortised
// constant time. A number never given out is preferred: the wanted one, or
// the next one up (cyclically) never given out, so that the first
// connections keep the numbers they always had. Once every number has been
// given out, the least recently freed comes next: the longest gap keeps
// Wireshark from taking a new stream for an old one's retransmission.
type idPool struct {
	given  []bool  // ever given out
	next   []int32 // a number at or above i (cyclically) perhaps never given out, or -1
	unused int     // numbers never given out
	inUse  []bool
	freed  []int // the numbers freed, oldest first; may hold numbers given out again
	head   int   // freed[head:] is the queue
}

func newIDPool(size int) *idPool {
	pl := &idPool{given: make([]bool, size), next: make([]int32, size), unused: size, inUse: make([]bool, size)}
	for i := range pl.next {
		pl.next[i] = int32(i)
	}
	return pl
}

// take gives out a number, want if it was never given out.
func (pl *idPool) take(want int) int {
	n := pl.pick(want)
	pl.inUse[n] = true
	return n
}

func (pl *idPool) pick(want int) int {
	if pl.unused > 0 {
		n := pl.neverGiven(want)
		pl.given[n] = true
		pl.next[n] = int32((n + 1) % len(pl.given))
		pl.unused--
		return n
	}
	for pl.head < len(pl.freed) {
		n := pl.freed[pl.head]
		pl.head++
		if pl.head > len(pl.freed)/2 && pl.head > 64 { // keep the queue's memory bounded
			pl.freed, pl.head = append(pl.freed[:0], pl.freed[pl.head:]...), 0
		}
		if !pl.inUse[n] {
			return n
		}
	}
	return want // every number is in use: share the wanted one
}

// neverGiven is the first number at or above want (cyclically) never given
// out, following and shortening the next pointers (path compression).
func (pl *idPool) neverGiven(want int) int {
	n := want
	for pl.given[n] {
		n = int(pl.next[n])
	}
	for want != n && pl.given[want] { // compress the path walked
		up := int(pl.next[want])
		pl.next[want] = int32(n)
		want = up
	}
	return n
}

// free returns a number given out, to be given again after the numbers
// freed before it.
func (pl *idPool) free(n int) {
	if n < 0 || n >= len(pl.inUse) || !pl.inUse[n] {
		return
	}
	pl.inUse[n] = false
	pl.freed = append(pl.freed, n)
}

// brokerPort is the port a stream goes to, with the note its handshake
// carries when that is not the logged one. Wireshark dissects MQTT on 1883
// only, so every stream goes there unless the logged ports are kept (a port
// not logged is 1883 either way). A TLS connection is shown as the plain
// MQTT inside it.
func brokerPort(logged int, tls, keep bool) (uint16, string) {
	switch {
	case logged <= 0 || logged > 65535:
		return mqttPort, fmt.Sprintf(" [port not logged: %d assumed]", mqttPort)
	case keep && tls:
		return uint16(logged), fmt.Sprintf(" [logged port %d with TLS: shown as the plain MQTT inside]", logged)
	case keep && logged == mqttTLSPort:
		return uint16(logged), fmt.Sprintf(" [logged port %d (MQTT over TLS): shown as plain MQTT]", logged)
	case keep || logged == mqttPort && !tls:
		return uint16(logged), ""
	case tls:
		return mqttPort, fmt.Sprintf(" [logged port %d with TLS: shown as the plain MQTT inside, on port %d]", logged, mqttPort)
	case logged == mqttTLSPort:
		return mqttPort, fmt.Sprintf(" [logged port %d (MQTT over TLS): shown as plain MQTT on port %d]", logged, mqttPort)
	}
	return mqttPort, fmt.Sprintf(" [logged port %d: shown on port %d, where Wireshark dissects MQTT]", logged, mqttPort)
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
	id := uint16(p.dnsIDs.take(int(hash64("dns", lx.file, st.dev.String()) % 65536)))
	p.dnsIDs.free(int(id)) // the answer ends the transaction
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

// dnsFrame serializes a DNS datagram: the message by gopacket's DNS layer,
// the UDP and IP headers by the capture's one IP serialiser.
func (lx *logExport) dnsFrame(sg *segment) (frame, error) {
	d, p := sg.dns, lx.p
	if p.dnsBuf == nil {
		p.dnsBuf = gopacket.NewSerializeBuffer()
	}
	if err := p.dnsBuf.Clear(); err != nil {
		return frame{}, err
	}
	if err := d.msg.SerializeTo(p.dnsBuf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		return frame{}, fmt.Errorf("dns: %w", err)
	}
	p.packet = appendUDPPacket(p.packet[:0], d.src, d.dst, d.msg.ID, p.dnsBuf.Bytes())
	return frame{at: sg.at, data: p.packet, inbound: sg.from == broker, comment: commentText(sg.comment)}, nil
}
