package export

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"
)

// This file is a strict MQTT decoder for the tests: it reads back what the
// encoder writes and refuses anything the specification forbids (reserved
// bits, malformed lengths, strings that are not well-formed UTF-8, missing
// identifiers, bytes left over), so that a round trip through it checks
// the encoder against the specification and not only against itself. It
// reads the property lists of 5.0 without interpreting them.

// errMQTTShort says the bytes end before the packet does; a stream reader
// waits for more.
var errMQTTShort = errors.New("packet cut short")

// mqttDecoder reads one packet's body.
type mqttDecoder struct {
	b     []byte
	level byte
	err   error
}

func (d *mqttDecoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, a...)
	}
}

func (d *mqttDecoder) byte() byte {
	if len(d.b) < 1 {
		d.fail("%w", errMQTTShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *mqttDecoder) uint16() uint16 { return uint16(d.byte())<<8 | uint16(d.byte()) }

func (d *mqttDecoder) binary() []byte {
	n := int(d.uint16())
	if len(d.b) < n {
		d.fail("%w", errMQTTShort)
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// string reads a UTF-8 Encoded String [§1.5.3].
func (d *mqttDecoder) string() string {
	s := string(d.binary())
	if !utf8.ValidString(s) {
		d.fail("string %q is not well-formed UTF-8 [MQTT-1.5.3-1]", s)
	}
	for _, r := range s {
		if r == 0 {
			d.fail("string %q holds U+0000 [MQTT-1.5.3-2]", s)
		}
	}
	return s
}

// properties skips a 5.0 property list [v5 §2.2.2].
func (d *mqttDecoder) properties() {
	if d.level != mqttLevel5 {
		return
	}
	n, used, err := readVarInt(d.b)
	if err != nil {
		d.fail("property length: %w", err)
		return
	}
	if len(d.b) < used+n {
		d.fail("%w", errMQTTShort)
		return
	}
	d.b = d.b[used+n:]
}

func (d *mqttDecoder) id() uint16 {
	id := d.uint16()
	if id == 0 && d.err == nil {
		d.fail("packet identifier 0 [MQTT-2.3.1-1]")
	}
	return id
}

// readVarInt reads a Remaining Length or Variable Byte Integer [§2.2.3,
// v5 §1.5.5], which must take the fewest bytes [MQTT-1.5.5-1].
func readVarInt(b []byte) (n, used int, err error) {
	mul := 1
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			return 0, 0, errMQTTShort
		}
		n += int(b[i]&0x7F) * mul
		mul *= 128
		if b[i]&0x80 == 0 {
			if i > 0 && b[i] == 0 {
				return 0, 0, fmt.Errorf("variable byte integer % x is not in its shortest form", b[:i+1])
			}
			return n, i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("variable byte integer % x is longer than four bytes", b[:4])
}

// decodeMQTT reads the packet at the start of b, written for protocol
// level, and returns it and its length. It returns errMQTTShort when b
// ends inside the packet.
func decodeMQTT(b []byte, level byte) (mqttPacket, int, error) {
	if len(b) < 2 {
		return mqttPacket{}, 0, errMQTTShort
	}
	n, used, err := readVarInt(b[1:])
	if err != nil {
		return mqttPacket{}, 0, err
	}
	size := 1 + used + n
	if len(b) < size {
		return mqttPacket{}, 0, errMQTTShort
	}
	pk := mqttPacket{Type: b[0] >> 4}
	d := &mqttDecoder{b: b[1+used : size], level: level}
	d.header(&pk, b[0]&0x0F)
	d.body(&pk)
	if d.err == nil && len(d.b) > 0 {
		d.fail("% x left over after the packet", d.b)
	}
	if d.err != nil {
		if errors.Is(d.err, errMQTTShort) {
			d.err = fmt.Errorf("remaining length %d is too short for the packet", n) // b holds it all
		}
		return pk, size, fmt.Errorf("%s: %w", mqttPacketNames[pk.Type], d.err)
	}
	return pk, size, nil
}

// header checks the fixed header's flags [§2.2.2, Table 2.2].
func (d *mqttDecoder) header(pk *mqttPacket, flags byte) {
	switch pk.Type {
	case mqttPublish:
		pk.Dup, pk.QoS, pk.Retain = flags&0b1000 != 0, flags>>1&3, flags&1 != 0
		if pk.QoS == 3 {
			d.fail("QoS 3 [MQTT-3.3.1-4]")
		}
		if pk.Dup && pk.QoS == 0 {
			d.fail("DUP set on QoS 0 [MQTT-3.3.1-2]")
		}
	case mqttPubrel, mqttSubscribe, mqttUnsubscribe:
		if flags != 0b0010 {
			d.fail("fixed header flags %04b, want 0010 [MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1]", flags)
		}
	default:
		if _, ok := mqttPacketNames[pk.Type]; !ok {
			d.fail("reserved packet type %d [§2.2.1]", pk.Type)
		}
		if flags != 0 {
			d.fail("fixed header flags %04b, want 0000 [MQTT-2.2.2-1]", flags)
		}
	}
}

func (d *mqttDecoder) body(pk *mqttPacket) {
	if d.err != nil {
		return
	}
	switch pk.Type {
	case mqttConnect:
		d.connect(pk)
	case mqttConnack:
		d.connack(pk)
	case mqttPublish:
		d.publish(pk)
	case mqttPuback, mqttPubrec, mqttPubrel, mqttPubcomp:
		pk.ID = d.id()
	case mqttSubscribe:
		d.subscribe(pk)
	case mqttSuback:
		d.suback(pk)
	case mqttUnsubscribe:
		d.unsubscribe(pk)
	case mqttUnsuback:
		pk.ID = d.id()
		if d.level == mqttLevel5 {
			d.properties()
			pk.Codes, d.b = d.b, nil
		}
	}
}

// connect reads CONNECT [§3.1].
func (d *mqttDecoder) connect(pk *mqttPacket) {
	name, level := d.string(), d.byte()
	want := map[byte]string{mqttLevel31: "MQIsdp", mqttLevel311: "MQTT", mqttLevel5: "MQTT"}[d.level]
	if name != want || level != d.level {
		d.fail("protocol %q level %d, want %q level %d [MQTT-3.1.2-1, MQTT-3.1.2-2]", name, level, want, d.level)
	}
	flags := d.byte()
	if flags&1 != 0 {
		d.fail("reserved connect flag set [MQTT-3.1.2-3]")
	}
	pk.Clean = flags&0b10 != 0
	will, willQoS, willRetain := flags&0b100 != 0, flags>>3&3, flags&0b10_0000 != 0
	switch {
	case willQoS == 3:
		d.fail("will QoS 3 [MQTT-3.1.2-14]")
	case !will && (willQoS != 0 || willRetain):
		d.fail("will QoS or retain without a will [MQTT-3.1.2-13, MQTT-3.1.2-15]")
	}
	pk.UsernameFlag, pk.PasswordFlag = flags&0x80 != 0, flags&0x40 != 0
	if pk.PasswordFlag && !pk.UsernameFlag && d.level != mqttLevel5 {
		d.fail("password without a user name [MQTT-3.1.2-22]")
	}
	pk.KeepAlive = d.uint16()
	d.properties()
	pk.ClientID = d.string()
	if will {
		d.properties()
		pk.Will = &mqttWill{Topic: d.string(), QoS: willQoS, Retain: willRetain}
		pk.Will.Message = d.binary()
	}
	if pk.UsernameFlag {
		pk.Username = d.string()
	}
	if pk.PasswordFlag {
		pk.Password = string(d.binary())
	}
}

// connack reads CONNACK [§3.2].
func (d *mqttDecoder) connack(pk *mqttPacket) {
	ack := d.byte()
	if ack&^1 != 0 {
		d.fail("reserved acknowledge flags %08b [§3.2.2.1]", ack)
	}
	pk.SessionPresent, pk.Code = ack == 1, d.byte()
	if pk.SessionPresent && pk.Code != 0 {
		d.fail("session present with a refusal [MQTT-3.2.2-4]")
	}
	d.properties()
}

// publish reads PUBLISH [§3.3]; the flags are read already.
func (d *mqttDecoder) publish(pk *mqttPacket) {
	pk.Topic = d.string()
	switch {
	case pk.Topic == "":
		d.fail("empty topic name [MQTT-4.7.3-1]")
	case hasWildcard(pk.Topic):
		d.fail("wildcard in topic name %q [MQTT-3.3.2-2]", pk.Topic)
	}
	if pk.QoS > 0 {
		pk.ID = d.id()
	}
	d.properties()
	pk.Payload, d.b = d.b, nil
}

// subscribe reads SUBSCRIBE [§3.8].
func (d *mqttDecoder) subscribe(pk *mqttPacket) {
	pk.ID = d.id()
	d.properties()
	for d.err == nil && len(d.b) > 0 {
		f, opts := d.string(), d.byte()
		if f == "" {
			d.fail("empty topic filter [MQTT-4.7.3-1]")
		}
		reserved := byte(0b1111_1100) // [MQTT-3.8.3-4]
		if d.level == mqttLevel5 {
			reserved = 0b1100_0000 // [v5 §3.8.3.1]
		}
		if opts&reserved != 0 || opts&3 == 3 {
			d.fail("subscription options %08b [MQTT-3.8.3-4]", opts)
		}
		pk.Filters, pk.Codes = append(pk.Filters, f), append(pk.Codes, opts&3)
	}
	if len(pk.Filters) == 0 {
		d.fail("no topic filter [MQTT-3.8.3-3]")
	}
}

// suback reads SUBACK [§3.9].
func (d *mqttDecoder) suback(pk *mqttPacket) {
	pk.ID = d.id()
	d.properties()
	pk.Codes, d.b = d.b, nil
	for _, c := range pk.Codes {
		if c > 2 && c != mqttSubackFailure && d.level != mqttLevel5 {
			d.fail("return code 0x%02x [§3.9.3]", c)
		}
	}
}

// unsubscribe reads UNSUBSCRIBE [§3.10].
func (d *mqttDecoder) unsubscribe(pk *mqttPacket) {
	pk.ID = d.id()
	d.properties()
	for d.err == nil && len(d.b) > 0 {
		f := d.string()
		if f == "" {
			d.fail("empty topic filter [MQTT-4.7.3-1]")
		}
		pk.Filters = append(pk.Filters, f)
	}
	if len(pk.Filters) == 0 {
		d.fail("no topic filter [MQTT-3.10.3-2]")
	}
}

// checkMQTTStreams reads each direction of every TCP stream of a capture
// back with the strict decoder: the segments must carry whole, valid MQTT
// packets of the protocol level the stream's CONNECT names.
func checkMQTTStreams(t testing.TB, pkts []*pkt) {
	t.Helper()
	type way struct{ src, dst netip.AddrPort }
	pending := map[way][]byte{}
	levels := map[way]byte{} // both ways of a stream, once its CONNECT is seen
	for _, p := range pkts {
		if p.udp || len(p.payload) == 0 || strings.Contains(p.comment, wireMark) {
			continue // the logged bytes of a socket: as the log has them, MQTT or not (TestPcapWireBytes)
		}
		w := way{p.src, p.dst}
		b := append(pending[w], p.payload...)
		for len(b) > 0 {
			pk, n, err := decodeStreamPacket(b, levels[w])
			if errors.Is(err, errMQTTShort) {
				break
			}
			if err != nil {
				t.Errorf("packet %d: % x: %v", p.n, b[:min(len(b), 64)], err)
				b = nil
				break
			}
			if pk.Type == mqttConnect {
				levels[w], levels[way{p.dst, p.src}] = pk.level, pk.level
			}
			b = b[n:]
		}
		pending[w] = b
	}
	for w, b := range pending {
		if len(b) > 0 {
			t.Errorf("%v to %v: the stream ends inside a packet: % x", w.src, w.dst, b[:min(len(b), 64)])
		}
	}
}

// streamPacket is a packet read from a stream, with the level it was read at.
type streamPacket struct {
	mqttPacket
	level byte
}

// decodeStreamPacket reads the packet at the start of b at level, or, for
// a CONNECT, at the level it names itself.
func decodeStreamPacket(b []byte, level byte) (streamPacket, int, error) {
	levels := []byte{level}
	if level == 0 {
		levels = []byte{mqttLevel311} // no CONNECT seen: the export's default
	}
	if b[0]>>4 == mqttConnect {
		levels = []byte{mqttLevel311, mqttLevel31, mqttLevel5}
	}
	var err error
	for _, l := range levels {
		var pk mqttPacket
		var n int
		if pk, n, err = decodeMQTT(b, l); err == nil || errors.Is(err, errMQTTShort) {
			return streamPacket{pk, l}, n, err
		}
	}
	return streamPacket{}, 0, err
}

// TestPcapSamplesDecode reads every sample's export back with the strict
// decoder.
func TestPcapSamplesDecode(t *testing.T) {
	for _, base := range samples(t) {
		name, sessions := sampleSessions(t, base)
		data, _ := export(t, false, name, sessions)
		_, pkts := readCapture(t, data)
		checkMQTTStreams(t, pkts)
	}
}
