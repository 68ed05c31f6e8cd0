package mqttstream

import (
	"bytes"
	"io"
	"strings"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// strictReader hands paho a packet body and makes a short read an error:
// paho reads fields with a single Read, which a bytes.Buffer answers with
// fewer bytes and no error, padding a cut field with zeros.
type strictReader struct {
	b        []byte
	pos      int
	failedAt int // body offset of the read that came up short, -1 if none
	got      int // bytes that short read delivered
}

func (r *strictReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.pos:])
	if n < len(p) && r.failedAt < 0 {
		r.failedAt, r.got = r.pos, n
	}
	r.pos += n
	if n < len(p) {
		return n, io.EOF // io.EOF, not ErrUnexpectedEOF: bytes.Buffer.ReadFrom (SUBACK) ends on it
	}
	return n, nil
}

// decodeFrame decodes the packet whose fixed header h starts frame. frame
// holds the whole packet, or only its first bytes when it was cut.
func decodeFrame(dir Dir, frame []byte, h header, start int64) Packet {
	p := Packet{Dir: dir, Kind: h.kind, Start: start, End: start + int64(h.total()), Complete: len(frame) >= h.total()}
	body := frame[h.size:min(len(frame), h.total())]
	seen := h
	seen.remaining = len(body) // a cut PUBLISH's payload is what is here; paho would allocate the claimed length
	r, err := unpackInto(&p, seen, body)
	bodyStart := start + int64(h.size)
	broken := err != nil && !(h.kind == Unsubscribe && r.got == 0 && r.failedAt == len(body))
	switch {
	case !p.Complete:
		p.problem(start+int64(len(frame)), "%s cut: %d of its %d bytes are here", h.kind, len(frame), h.total())
	case (broken || r.pos < len(body)) && h.kind == Connect && repairProtocolName(&p, h, body, bodyStart):
	case broken:
		p.problem(bodyStart+int64(r.failedAt), "%s body ends inside a field: remaining length %d is too short for its fields", h.kind, h.remaining)
	case r.pos < len(body):
		p.problem(bodyStart+int64(r.pos), "%d bytes left over after the %s fields", len(body)-r.pos, h.kind)
	}
	if p.Complete && len(p.Problems) == 0 {
		checkFields(&p)
	}
	return p
}

// unpackInto runs paho's decoder over body and copies its fields into p.
func unpackInto(p *Packet, h header, body []byte) (*strictReader, error) {
	fh := packets.FixedHeader{MessageType: byte(h.kind), Dup: h.flags&0x08 != 0, Qos: (h.flags >> 1) & 3,
		Retain: h.flags&1 != 0, RemainingLength: h.remaining}
	cp, err := packets.NewControlPacketWithHeader(fh)
	r := &strictReader{b: body, failedAt: -1}
	if err != nil { // cannot happen: readHeader admits only types 1 to 14
		return r, err
	}
	err = cp.Unpack(r)
	copyFields(p, cp, r)
	return r, err
}

// copyFields reads paho's packet back into p.
func copyFields(p *Packet, cp packets.ControlPacket, r *strictReader) {
	switch c := cp.(type) {
	case *packets.ConnectPacket:
		p.ProtocolName, p.ProtocolVersion, p.ClientID = c.ProtocolName, c.ProtocolVersion, c.ClientIdentifier
		p.Username, p.HasUsername, p.Password, p.HasPassword = c.Username, c.UsernameFlag, c.Password, c.PasswordFlag
		p.KeepAlive, p.CleanSession = c.Keepalive, c.CleanSession
		if c.WillFlag {
			p.Will = &Will{Topic: c.WillTopic, Message: c.WillMessage, QoS: c.WillQos, Retain: c.WillRetain}
		}
	case *packets.ConnackPacket:
		p.SessionPresent, p.ReturnCode = c.SessionPresent, c.ReturnCode
	case *packets.PublishPacket:
		p.Dup, p.QoS, p.Retain = c.Dup, c.Qos, c.Retain
		p.Topic, p.PacketID, p.Payload = c.TopicName, c.MessageID, c.Payload
		if r.failedAt >= 0 && len(p.Payload) > r.got { // paho sized it by the remaining length
			p.Payload = p.Payload[:r.got]
		}
	case *packets.SubscribePacket:
		p.PacketID = c.MessageID
		for i, t := range c.Topics {
			s := Subscription{Topic: t}
			if i < len(c.Qoss) {
				s.QoS = c.Qoss[i]
			}
			p.Topics = append(p.Topics, s)
		}
	case *packets.UnsubscribePacket:
		p.PacketID = c.MessageID
		for _, t := range c.Topics {
			p.Topics = append(p.Topics, Subscription{Topic: t})
		}
	case *packets.SubackPacket:
		p.PacketID, p.Granted = c.MessageID, c.ReturnCodes
	default:
		p.PacketID = cp.Details().MessageID // acks; zero for the rest
	}
}

// repairProtocolName handles a CONNECT whose protocol-name length is wrong
// for the name it carries ("MQTT" with length 6, as a hand-built packet
// copied from MQIsdp has): if the packet decodes cleanly with the right
// length, that decode stands, with a problem that says what was assumed.
func repairProtocolName(p *Packet, h header, body []byte, bodyStart int64) bool {
	if len(body) < 2 {
		return false
	}
	for _, name := range []string{"MQTT", "MQIsdp"} {
		said := int(body[0])<<8 | int(body[1])
		if said == len(name) || !bytes.HasPrefix(body[2:], []byte(name)) {
			continue
		}
		fixed := append([]byte{0, byte(len(name))}, body[2:]...)
		try := Packet{Dir: p.Dir, Kind: p.Kind, Start: p.Start, End: p.End, Complete: true}
		r, err := unpackInto(&try, h, fixed)
		if err != nil || r.pos != len(fixed) {
			continue
		}
		*p = try
		p.problem(bodyStart, "protocol-name length says %d but the name is %q (%d bytes): decoded as if it said %d", said, name, len(name), len(name))
		return true
	}
	return false
}

var errConnect = map[byte]string{
	packets.ErrRefusedBadUsernameOrPassword: "password flag set without the user name flag [MQTT-3.1.2-22]",
	packets.ErrProtocolViolation:            "not an MQTT 3.1/3.1.1 CONNECT (protocol name or reserved flag) [MQTT-3.1.2-1, MQTT-3.1.2-3]",
	packets.ErrRefusedBadProtocolVersion:    "protocol name and level do not match (MQTT is level 4, MQIsdp level 3)",
	packets.ErrRefusedIDRejected:            "empty client id without clean session [MQTT-3.1.3-7]",
}

// checkFields reports rule breaches in a cleanly decoded packet.
func checkFields(p *Packet) {
	switch p.Kind {
	case Connect:
		c := packets.ConnectPacket{ProtocolName: p.ProtocolName, ProtocolVersion: p.ProtocolVersion, CleanSession: p.CleanSession,
			UsernameFlag: p.HasUsername, PasswordFlag: p.HasPassword, ClientIdentifier: p.ClientID}
		if why, bad := errConnect[c.Validate()]; bad {
			p.problem(p.Start, "CONNECT protocol %q level %d: %s", p.ProtocolName, p.ProtocolVersion, why)
		}
	case Connack:
		if p.ReturnCode > packets.ErrRefusedNotAuthorised {
			p.problem(p.Start, "CONNACK return code %d is not defined in MQTT 3.1.1", p.ReturnCode)
		}
	case Publish:
		if p.QoS > 0 && p.PacketID == 0 {
			p.problem(p.Start, "PUBLISH QoS %d with packet id 0 [MQTT-2.3.1-1]", p.QoS)
		}
		if strings.ContainsAny(p.Topic, "+#") {
			p.problem(p.Start, "PUBLISH topic %q has a wildcard [MQTT-3.3.2-2]", p.Topic)
		}
	case Subscribe, Unsubscribe:
		if len(p.Topics) == 0 {
			p.problem(p.Start, "%s without a topic [MQTT-3.8.3-3]", p.Kind)
		}
	}
}
