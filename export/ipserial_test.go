package export

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// transport is a TCP or UDP layer that needs the IP header for its checksum.
type transport interface {
	gopacket.SerializableLayer
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

// serializeIP is the reference the capture's serialiser is held to: an
// IPv4 or IPv6 packet as gopacket's layers make it.
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

// gopacketTCP is appendTCPPacket as gopacket makes it.
func gopacketTCP(t testing.TB, s *tcpSegment) []byte {
	t.Helper()
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(s.src.Port()), DstPort: layers.TCPPort(s.dst.Port()),
		Seq: s.seq, Ack: s.ack, SYN: s.syn, FIN: s.fin, ACK: s.acks, PSH: len(s.payload) > 0, Window: tcpWindow,
	}
	if s.syn {
		tcp.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{tcpMSS >> 8, tcpMSS & 0xFF}}}
	}
	data, err := serializeIP(s.src.Addr(), s.dst.Addr(), s.ipID, layers.IPProtocolTCP, tcp, gopacket.Payload(s.payload))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func checkTCPPacket(t testing.TB, s *tcpSegment) {
	t.Helper()
	prefix := []byte("kept")
	got := appendTCPPacket(bytes.Clone(prefix), s)
	if want := gopacketTCP(t, s); !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Errorf("appendTCPPacket(%+v)\n got % x\nwant % x", s, got[len(prefix):], want)
	}
}

func TestTCPPacketMatchesGopacket(t *testing.T) {
	v4a, v4b := netip.MustParseAddrPort("192.0.2.10:40001"), netip.MustParseAddrPort("198.51.100.7:1883")
	v6a, v6b := netip.MustParseAddrPort("[2001:db8::10]:40001"), netip.MustParseAddrPort("[2001:db8:1::7]:8883")
	for _, ends := range [][2]netip.AddrPort{{v4a, v4b}, {v4b, v4a}, {v6a, v6b}, {v6b, v6a}} {
		for _, payload := range [][]byte{nil, {0x30}, []byte("\x30\x0b\x00\x03t/1hello"), bytes.Repeat([]byte{0xff}, tcpMSS)} {
			for _, flags := range []tcpSegment{{syn: true}, {syn: true, acks: true, ack: 1}, {acks: true, ack: 0xfffffffe}, {fin: true, acks: true}, {}} {
				s := flags
				s.src, s.dst, s.ipID, s.seq, s.payload = ends[0], ends[1], 0xbeef, 0x80000001, payload
				checkTCPPacket(t, &s)
			}
		}
	}
}

// checkUDPPacket holds appendUDPPacket to gopacket's bytes.
func checkUDPPacket(t testing.TB, src, dst netip.AddrPort, id uint16, payload []byte) {
	t.Helper()
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	want, err := serializeIP(src.Addr(), dst.Addr(), id, layers.IPProtocolUDP, udp, gopacket.Payload(payload))
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte("kept")
	got := appendUDPPacket(bytes.Clone(prefix), src, dst, id, payload)
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Errorf("appendUDPPacket(%v, %v, %#x, %q)\n got % x\nwant % x", src, dst, id, payload, got[len(prefix):], want)
	}
}

func TestUDPPacketMatchesGopacket(t *testing.T) {
	v4a, v4b := netip.MustParseAddrPort("192.0.2.10:40001"), netip.MustParseAddrPort("192.0.2.53:53")
	v6a, v6b := netip.MustParseAddrPort("[2001:db8::10]:40001"), netip.MustParseAddrPort("[2001:db8::53]:53")
	for _, ends := range [][2]netip.AddrPort{{v4a, v4b}, {v4b, v4a}, {v6a, v6b}, {v6b, v6a}} {
		for _, payload := range [][]byte{nil, {0x12}, []byte("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0xff}, 513)} {
			checkUDPPacket(t, ends[0], ends[1], 0x1234, payload)
		}
	}
	// A datagram whose checksum sums to 0 is sent as 0xFFFF, as gopacket does.
	for id := range 2048 {
		checkUDPPacket(t, v4a, v4b, uint16(id), []byte{byte(id), byte(id >> 8)})
	}
}

// FuzzTCPPacket holds appendTCPPacket to gopacket's bytes.
func FuzzTCPPacket(f *testing.F) {
	f.Add([]byte{192, 0, 2, 1}, []byte{198, 51, 100, 2}, uint16(40000), uint16(1883), uint16(1), uint32(1000), uint32(2000), uint8(0x1f), []byte("payload"))
	f.Add([]byte("2001:db8::1 v6!!"), []byte("2001:db8::2 v6!!"), uint16(1), uint16(8883), uint16(0), uint32(0), uint32(0xffffffff), uint8(2), []byte{})
	f.Fuzz(func(t *testing.T, src, dst []byte, srcPort, dstPort, id uint16, seq, ack uint32, flags uint8, payload []byte) {
		if len(payload) > tcpMSS {
			payload = payload[:tcpMSS]
		}
		a, b := fuzzAddr(src, len(dst) >= 16), fuzzAddr(dst, len(dst) >= 16)
		checkTCPPacket(t, &tcpSegment{src: netip.AddrPortFrom(a, srcPort), dst: netip.AddrPortFrom(b, dstPort), ipID: id,
			seq: seq, ack: ack, syn: flags&1 != 0, fin: flags&2 != 0, acks: flags&4 != 0, payload: payload})
	})
}

// fuzzAddr makes an IPv6 address of the first 16 bytes of b, or an IPv4
// one of the first 4.
func fuzzAddr(b []byte, v6 bool) netip.Addr {
	var a [16]byte
	copy(a[:], b)
	if v6 {
		return netip.AddrFrom16(a)
	}
	return netip.AddrFrom4([4]byte(a[:4]))
}
