package mqttstream

import "fmt"

// Dir is the direction of a stream, in MQTT terms.
type Dir uint8

const (
	// ToBroker is what the device (the MQTT client) sent.
	ToBroker Dir = iota
	// FromBroker is what the device received.
	FromBroker
)

func (d Dir) String() string {
	if d == FromBroker {
		return "from_broker"
	}
	return "to_broker"
}

// MarshalText makes a Dir a string in JSON.
func (d Dir) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Kind is an MQTT control packet type (the fixed header's high nibble).
type Kind uint8

// The MQTT 3.1.1 packet types [MQTT-2.2.1].
const (
	Connect     Kind = 1
	Connack     Kind = 2
	Publish     Kind = 3
	Puback      Kind = 4
	Pubrec      Kind = 5
	Pubrel      Kind = 6
	Pubcomp     Kind = 7
	Subscribe   Kind = 8
	Suback      Kind = 9
	Unsubscribe Kind = 10
	Unsuback    Kind = 11
	Pingreq     Kind = 12
	Pingresp    Kind = 13
	Disconnect  Kind = 14
)

var kindNames = [...]string{"reserved", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
	"PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "reserved"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText makes a Kind a string in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Will is the last-will message a CONNECT registers.
type Will struct {
	Topic   string `json:"topic"`
	Message []byte `json:"message"`
	QoS     byte   `json:"qos"`
	Retain  bool   `json:"retain"`
}

// Subscription is one topic filter of a SUBSCRIBE with its requested QoS.
type Subscription struct {
	Topic string `json:"topic"`
	QoS   byte   `json:"qos"`
}

// Problem is something wrong in a stream, at a stream offset.
type Problem struct {
	Offset int64  `json:"offset"`
	Text   string `json:"text"`
}

func (p Problem) String() string { return fmt.Sprintf("offset %d: %s", p.Offset, p.Text) }

// Packet is one MQTT control packet found in a stream. Fields that the
// packet's type does not carry stay zero. A damaged packet keeps what could
// be decoded and says what went wrong in Problems.
type Packet struct {
	Dir   Dir   `json:"dir"`
	Kind  Kind  `json:"kind"`
	Start int64 `json:"start"` // stream offset of the first byte
	End   int64 `json:"end"`   // stream offset after the last byte (by the remaining length when cut)
	// Complete is false when bytes of the packet are missing (a gap or the
	// stream's end cut it).
	Complete bool `json:"complete"`

	Dup    bool `json:"dup,omitempty"`
	QoS    byte `json:"qos,omitempty"`
	Retain bool `json:"retain,omitempty"`

	// CONNECT
	ProtocolName    string `json:"protocol_name,omitempty"`
	ProtocolVersion byte   `json:"protocol_version,omitempty"`
	ClientID        string `json:"client_id,omitempty"`
	Username        string `json:"username,omitempty"`
	HasUsername     bool   `json:"has_username,omitempty"`
	Password        []byte `json:"-"` // a secret: never marshalled
	HasPassword     bool   `json:"has_password,omitempty"`
	KeepAlive       uint16 `json:"keep_alive,omitempty"`
	CleanSession    bool   `json:"clean_session,omitempty"`
	Will            *Will  `json:"will,omitempty"`

	// CONNACK
	SessionPresent bool `json:"session_present,omitempty"`
	ReturnCode     byte `json:"return_code,omitempty"`

	// PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, (UN)SUBSCRIBE, (UN)SUBACK
	PacketID uint16 `json:"packet_id,omitempty"`
	// PUBLISH
	Topic   string `json:"topic,omitempty"`
	Payload []byte `json:"payload,omitempty"`
	// SUBSCRIBE, UNSUBSCRIBE (QoS zero)
	Topics []Subscription `json:"topics,omitempty"`
	// SUBACK: the granted QoS per topic, 0x80 for a refusal
	Granted []byte `json:"granted,omitempty"`

	Problems []Problem `json:"problems,omitempty"`
}

func (p *Packet) problem(off int64, format string, args ...any) {
	p.Problems = append(p.Problems, Problem{Offset: off, Text: fmt.Sprintf(format, args...)})
}
