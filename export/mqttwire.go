package export

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file is a small MQTT encoder for the packets a pcap export shows:
// what a module and its broker put on the wire for the operations a log
// records. It follows the OASIS MQTT Version 3.1.1 specification (sections
// and normative statements cited beside the code as §x.y and
// [MQTT-x.y.z-n]), with the differences of IBM's MQTT V3.1 (protocol level
// 3) and of OASIS MQTT Version 5.0 (protocol level 5, cited as "v5 §x.y"),
// for which it writes empty property lists. It only encodes: atscope never
// reads MQTT from the wire.

// MQTT control packet types [§2.2.1].
const (
	mqttConnect     byte = 1
	mqttConnack     byte = 2
	mqttPublish     byte = 3
	mqttPuback      byte = 4
	mqttPubrec      byte = 5
	mqttPubrel      byte = 6
	mqttPubcomp     byte = 7
	mqttSubscribe   byte = 8
	mqttSuback      byte = 9
	mqttUnsubscribe byte = 10
	mqttUnsuback    byte = 11
	mqttPingreq     byte = 12
	mqttPingresp    byte = 13
	mqttDisconnect  byte = 14
)

// mqttPacketNames are the packet type names, as Wireshark shows them.
var mqttPacketNames = map[byte]string{
	mqttConnect: "CONNECT", mqttConnack: "CONNACK", mqttPublish: "PUBLISH", mqttPuback: "PUBACK",
	mqttPubrec: "PUBREC", mqttPubrel: "PUBREL", mqttPubcomp: "PUBCOMP", mqttSubscribe: "SUBSCRIBE",
	mqttSuback: "SUBACK", mqttUnsubscribe: "UNSUBSCRIBE", mqttUnsuback: "UNSUBACK",
	mqttPingreq: "PINGREQ", mqttPingresp: "PINGRESP", mqttDisconnect: "DISCONNECT",
}

// MQTT protocol levels [§3.1.2.2; MQTT V3.1 §3.1; v5 §3.1.2.2].
const (
	mqttLevel31  byte = 3 // MQTT 3.1, protocol name "MQIsdp"
	mqttLevel311 byte = 4 // MQTT 3.1.1
	mqttLevel5   byte = 5 // MQTT 5.0
)

// mqttSubackFailure is the SUBACK return code of a refused subscription
// [§3.9.3]; in 5.0 it is the reason code "unspecified error" [v5 §3.9.3].
const mqttSubackFailure byte = 0x80

// mqttMaxRemaining is the largest Remaining Length four bytes can hold
// [§2.2.3].
const mqttMaxRemaining = 268_435_455

// Errors of the encoder: a log can hold values no MQTT packet can carry.
var (
	errMQTTString    = errors.New("string longer than 65535 bytes")
	errMQTTTooLong   = errors.New("packet longer than the 268435455 bytes Remaining Length allows")
	errMQTTNoTopic   = errors.New("no topic")
	errMQTTWildcard  = errors.New("topic name with a wildcard")
	errMQTTNoFilters = errors.New("no topic filter")
	errMQTTPacketID  = errors.New("packet identifier 0")
	errMQTTQoS       = errors.New("QoS above 2")
	errMQTTType      = errors.New("packet type not encoded")
	errMQTTLevel     = errors.New("protocol level not 3, 4 or 5")
	errMQTTPassword  = errors.New("password without a user name")
)

// mqttWill is the Will Message of a CONNECT [§3.1.2.5-3.1.2.7, §3.1.3.2-3.1.3.3].
type mqttWill struct {
	Topic   string
	Message []byte
	QoS     byte
	Retain  bool
}

// mqttPacket is one MQTT control packet; which fields count depends on
// Type, as in the specification's per-type sections.
type mqttPacket struct {
	Type byte

	// Fixed header flags of PUBLISH [§3.3.1].
	Dup    bool
	QoS    byte
	Retain bool

	// ID is the Packet Identifier [§2.3.1] of PUBLISH (QoS 1 and 2),
	// PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE and
	// UNSUBACK.
	ID uint16

	// CONNECT [§3.1].
	ClientID     string
	Username     string
	Password     string
	UsernameFlag bool
	PasswordFlag bool
	KeepAlive    uint16
	Clean        bool
	Will         *mqttWill

	// CONNACK [§3.2]: Code is the return code (3.1.1) or reason code (5.0).
	SessionPresent bool
	Code           byte

	// SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK [§3.8-3.11]: Filters are
	// the topic filters; Codes are the requested QoS per filter
	// (SUBSCRIBE), the return codes (SUBACK) or, in 5.0 only, the reason
	// codes (UNSUBACK).
	Filters []string
	Codes   []byte

	// PUBLISH [§3.3].
	Topic   string
	Payload []byte
}

// encode returns the packet's bytes for protocol level 3, 4 or 5.
func (pk *mqttPacket) encode(level byte) ([]byte, error) {
	if level < mqttLevel31 || level > mqttLevel5 {
		return nil, fmt.Errorf("%w: %d", errMQTTLevel, level)
	}
	var (
		flags byte
		body  []byte
		err   error
	)
	switch pk.Type {
	case mqttConnect:
		body, err = pk.connectBody(level)
	case mqttConnack:
		body = pk.connackBody(level)
	case mqttPublish:
		flags, body, err = pk.publishBody(level)
	case mqttPuback, mqttPubrec, mqttPubcomp:
		body, err = pk.ackBody()
	case mqttPubrel:
		flags = 0b0010 // [MQTT-3.6.1-1]
		body, err = pk.ackBody()
	case mqttSubscribe:
		flags = 0b0010 // [MQTT-3.8.1-1]
		body, err = pk.subscribeBody(level)
	case mqttSuback:
		body, err = pk.subackBody(level)
	case mqttUnsubscribe:
		flags = 0b0010 // [MQTT-3.10.1-1]
		body, err = pk.unsubscribeBody(level)
	case mqttUnsuback:
		body, err = pk.unsubackBody(level)
	case mqttPingreq, mqttPingresp:
		// No variable header, no payload [§3.12, §3.13].
	case mqttDisconnect:
		// No variable header, no payload [§3.14]; in 5.0 a Remaining
		// Length of 0 means reason code 0x00, normal disconnection
		// [v5 §3.14.2.1].
	default:
		return nil, fmt.Errorf("%w: %d", errMQTTType, pk.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", mqttPacketNames[pk.Type], err)
	}
	if len(body) > mqttMaxRemaining {
		return nil, fmt.Errorf("%s: %w", mqttPacketNames[pk.Type], errMQTTTooLong)
	}
	// Fixed header: type in bits 7-4, flags in bits 3-0 [§2.2.1, §2.2.2],
	// then the Remaining Length [§2.2.3].
	out := make([]byte, 0, 5+len(body))
	out = append(out, pk.Type<<4|flags)
	out = appendVarInt(out, len(body))
	return append(out, body...), nil
}

// connectBody is the variable header and payload of CONNECT [§3.1.2, §3.1.3].
func (pk *mqttPacket) connectBody(level byte) ([]byte, error) {
	var b []byte
	var err error
	name := "MQTT" // [MQTT-3.1.2-1]
	if level == mqttLevel31 {
		name = "MQIsdp" // [MQTT V3.1 §3.1 "Protocol name"]
	}
	b, _ = appendString(b, name)
	b = append(b, level) // [MQTT-3.1.2-2]

	var flags byte // bit 0 is reserved and 0 [MQTT-3.1.2-3]
	if pk.Clean {
		flags |= 1 << 1 // [§3.1.2.4]
	}
	if w := pk.Will; w != nil {
		if w.QoS > 2 {
			return nil, fmt.Errorf("will: %w", errMQTTQoS) // [MQTT-3.1.2-14]
		}
		flags |= 1 << 2     // [MQTT-3.1.2-8]
		flags |= w.QoS << 3 // [MQTT-3.1.2-14]
		if w.Retain {
			flags |= 1 << 5 // [MQTT-3.1.2-17]
		}
	} // without a will, will QoS and retain stay 0 [MQTT-3.1.2-13], [MQTT-3.1.2-15]
	if pk.UsernameFlag {
		flags |= 1 << 7 // [MQTT-3.1.2-19]
	}
	if pk.PasswordFlag {
		if !pk.UsernameFlag && level != mqttLevel5 {
			return nil, errMQTTPassword // [MQTT-3.1.2-22]; 5.0 allows it [v5 §3.1.2.9]
		}
		flags |= 1 << 6 // [MQTT-3.1.2-21]
	}
	b = append(b, flags)
	b = appendUint16(b, pk.KeepAlive) // [§3.1.2.10]
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.1.2.11]
	}

	// Payload, in this order [MQTT-3.1.3-1].
	if b, err = appendString(b, pk.ClientID); err != nil { // [MQTT-3.1.3-3]
		return nil, fmt.Errorf("client identifier: %w", err)
	}
	if w := pk.Will; w != nil {
		if level == mqttLevel5 {
			b = appendVarInt(b, 0) // no will properties [v5 §3.1.3.2]
		}
		if b, err = appendString(b, w.Topic); err != nil { // [MQTT-3.1.3-10]
			return nil, fmt.Errorf("will topic: %w", err)
		}
		if b, err = appendBinary(b, w.Message); err != nil { // [§3.1.3.3]
			return nil, fmt.Errorf("will message: %w", err)
		}
	}
	if pk.UsernameFlag {
		if b, err = appendString(b, pk.Username); err != nil { // [MQTT-3.1.3-11]
			return nil, fmt.Errorf("user name: %w", err)
		}
	}
	if pk.PasswordFlag {
		if b, err = appendBinary(b, []byte(pk.Password)); err != nil { // [§3.1.3.5]
			return nil, fmt.Errorf("password: %w", err)
		}
	}
	return b, nil
}

// connackBody is the variable header of CONNACK [§3.2.2].
func (pk *mqttPacket) connackBody(level byte) []byte {
	var ack byte // bits 7-1 reserved and 0 [§3.2.2.1]
	if pk.SessionPresent && pk.Code == 0 {
		ack = 1 // a refusal has session present 0 [MQTT-3.2.2-4]
	}
	b := []byte{ack, pk.Code} // [§3.2.2.3]; reason code in 5.0 [v5 §3.2.2.2]
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.2.2.3]
	}
	return b
}

// publishBody is the fixed header flags, variable header and payload of
// PUBLISH [§3.3].
func (pk *mqttPacket) publishBody(level byte) (byte, []byte, error) {
	if pk.QoS > 2 {
		return 0, nil, errMQTTQoS // [MQTT-3.3.1-4]
	}
	topic := mqttText(pk.Topic) // checked as written: a topic of NULs is empty
	if topic == "" {
		return 0, nil, errMQTTNoTopic // [MQTT-4.7.3-1]
	}
	if hasWildcard(topic) {
		return 0, nil, errMQTTWildcard // [MQTT-3.3.2-2]
	}
	var flags byte
	if pk.Dup && pk.QoS > 0 {
		flags |= 1 << 3 // DUP is 0 for QoS 0 [MQTT-3.3.1-2]
	}
	flags |= pk.QoS << 1 // [§3.3.1.2]
	if pk.Retain {
		flags |= 1 // [§3.3.1.3]
	}
	b, err := appendString(nil, topic) // [MQTT-3.3.2-1]
	if err != nil {
		return 0, nil, fmt.Errorf("topic: %w", err)
	}
	if pk.QoS > 0 {
		if pk.ID == 0 {
			return 0, nil, errMQTTPacketID // [MQTT-2.3.1-1]
		}
		b = appendUint16(b, pk.ID) // only for QoS 1 and 2 [§3.3.2.2]
	}
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.3.2.3]
	}
	return flags, append(b, pk.Payload...), nil // [§3.3.3]
}

// ackBody is the variable header of PUBACK, PUBREC, PUBREL and PUBCOMP: the
// packet identifier only [§3.4.2, §3.5.2, §3.6.2, §3.7.2]. In 5.0 the
// reason code and properties are left out, which means success
// [v5 §3.4.2.1].
func (pk *mqttPacket) ackBody() ([]byte, error) {
	if pk.ID == 0 {
		return nil, errMQTTPacketID // [MQTT-2.3.1-1]
	}
	return appendUint16(nil, pk.ID), nil
}

// subscribeBody is the variable header and payload of SUBSCRIBE [§3.8.2, §3.8.3].
func (pk *mqttPacket) subscribeBody(level byte) ([]byte, error) {
	if pk.ID == 0 {
		return nil, errMQTTPacketID // [MQTT-2.3.1-1]
	}
	if len(pk.Filters) == 0 {
		return nil, errMQTTNoFilters // [MQTT-3.8.3-3]
	}
	b := appendUint16(nil, pk.ID) // [§3.8.2]
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.8.2.1]
	}
	for i, f := range pk.Filters {
		var err error
		if mqttText(f) == "" {
			return nil, errMQTTNoTopic // [MQTT-4.7.3-1]
		}
		if b, err = appendString(b, f); err != nil { // [MQTT-3.8.3-1]
			return nil, fmt.Errorf("topic filter: %w", err)
		}
		var qos byte
		if i < len(pk.Codes) {
			qos = pk.Codes[i]
		}
		if qos > 2 {
			return nil, errMQTTQoS // [MQTT-3.8.3-4]
		}
		b = append(b, qos) // reserved bits 7-2 are 0 [MQTT-3.8.3-4]; in 5.0 the subscription options with QoS only [v5 §3.8.3.1]
	}
	return b, nil
}

// subackBody is the variable header and payload of SUBACK [§3.9.2, §3.9.3].
func (pk *mqttPacket) subackBody(level byte) ([]byte, error) {
	if pk.ID == 0 {
		return nil, errMQTTPacketID // [MQTT-2.3.1-1]
	}
	b := appendUint16(nil, pk.ID) // [§3.9.2]
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.9.2.1]
	}
	for _, c := range pk.Codes {
		if c > 2 && c != mqttSubackFailure {
			c = mqttSubackFailure // only 0x00-0x02 and 0x80 are allowed [§3.9.3]
		}
		b = append(b, c) // one per filter, in order [MQTT-3.9.3-1]
	}
	return b, nil
}

// unsubscribeBody is the variable header and payload of UNSUBSCRIBE
// [§3.10.2, §3.10.3].
func (pk *mqttPacket) unsubscribeBody(level byte) ([]byte, error) {
	if pk.ID == 0 {
		return nil, errMQTTPacketID // [MQTT-2.3.1-1]
	}
	if len(pk.Filters) == 0 {
		return nil, errMQTTNoFilters // [MQTT-3.10.3-2]
	}
	b := appendUint16(nil, pk.ID) // [§3.10.2]
	if level == mqttLevel5 {
		b = appendVarInt(b, 0) // no properties [v5 §3.10.2.1]
	}
	for _, f := range pk.Filters {
		var err error
		if mqttText(f) == "" {
			return nil, errMQTTNoTopic // [MQTT-4.7.3-1]
		}
		if b, err = appendString(b, f); err != nil { // [MQTT-3.10.3-1]
			return nil, fmt.Errorf("topic filter: %w", err)
		}
	}
	return b, nil
}

// unsubackBody is the variable header of UNSUBACK [§3.11.2]; 5.0 adds
// properties and a reason code per filter [v5 §3.11.2.1, §3.11.3].
func (pk *mqttPacket) unsubackBody(level byte) ([]byte, error) {
	if pk.ID == 0 {
		return nil, errMQTTPacketID // [MQTT-2.3.1-1]
	}
	b := appendUint16(nil, pk.ID)
	if level == mqttLevel5 {
		b = appendVarInt(b, 0)
		b = append(b, pk.Codes...)
	}
	return b, nil
}

// hasWildcard reports whether a topic name holds a filter wildcard, which
// a PUBLISH must not [MQTT-3.3.2-2].
func hasWildcard(topic string) bool {
	for i := 0; i < len(topic); i++ {
		if topic[i] == '+' || topic[i] == '#' {
			return true
		}
	}
	return false
}

// appendUint16 appends a Two Byte Integer, most significant byte first
// [§1.5.2].
func appendUint16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

// appendString appends a UTF-8 Encoded String: a two-byte length and the
// bytes of mqttText(s) [§1.5.3]; a string that cannot fit is an error.
func appendString(b []byte, s string) ([]byte, error) {
	return appendBinary(b, []byte(mqttText(s)))
}

// mqttText is s as a UTF-8 Encoded String may hold it. Text that is not
// valid UTF-8 (a damaged log) is written with U+FFFD in place of the bad
// bytes, as the string must be well-formed [MQTT-1.5.3-1].
func mqttText(s string) string {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return toValidUTF8(s)
	}
	return s
}

// appendBinary appends Binary Data: a two-byte length and the bytes
// [§1.5.3 for the length; v5 §1.5.6].
func appendBinary(b []byte, v []byte) ([]byte, error) {
	if len(v) > 0xFFFF {
		return b, errMQTTString
	}
	b = appendUint16(b, uint16(len(v)))
	return append(b, v...), nil
}

// appendVarInt appends a Remaining Length [§2.2.3] (v5: Variable Byte
// Integer, §1.5.5): seven bits per byte, least significant group first,
// the top bit saying another byte follows. Callers keep n within
// mqttMaxRemaining.
func appendVarInt(b []byte, n int) []byte {
	for {
		d := byte(n % 128)
		n /= 128
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			return b
		}
	}
}

// toValidUTF8 replaces invalid bytes with U+FFFD and drops NUL, which MQTT
// strings must not hold [MQTT-1.5.3-2].
func toValidUTF8(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != 0 {
			out = append(out, r)
		}
	}
	return string(out)
}
