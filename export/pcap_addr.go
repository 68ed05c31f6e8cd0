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
	devPort := uint16(49152 + h%16384)
	for i := 0; i < 16384 && p.devPorts[netip.AddrPortFrom(dev, devPort)]; i++ {
		devPort = uint16(49152 + (uint64(devPort)-49152+1)%16384)
	}
	p.devPorts[netip.AddrPortFrom(dev, devPort)] = true
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
