package mqttstream

import (
	"bytes"
	"fmt"
)

// Protocol is the guess of what a socket stream carries, from its first bytes.
type Protocol uint8

const (
	Undecided Protocol = iota // no bytes yet, or too few to tell
	MQTT
	TLS
	HTTP
	Unknown
)

var protocolNames = [...]string{"undecided", "mqtt", "tls", "http", "unknown"}

func (p Protocol) String() string {
	if int(p) < len(protocolNames) {
		return protocolNames[p]
	}
	return fmt.Sprintf("Protocol(%d)", uint8(p))
}

// MarshalText makes a Protocol a string in JSON.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Explain says in one line what a consumer can and cannot learn from such a stream.
func (p Protocol) Explain() string {
	switch p {
	case MQTT:
		return "MQTT 3.1/3.1.1 packets, decoded"
	case TLS:
		return "TLS records: the stream is encrypted, the MQTT inside (if any) cannot be decoded"
	case HTTP:
		return "HTTP, not MQTT: kept as socket data"
	case Unknown:
		return "starts like neither MQTT, TLS nor HTTP: kept as socket data, not decoded"
	}
	return "no bytes seen yet"
}

// httpStarts are the first bytes of an HTTP request or response line.
var httpStarts = [][]byte{[]byte("GET "), []byte("POST "), []byte("PUT "), []byte("HEAD "), []byte("DELETE "),
	[]byte("OPTIONS "), []byte("PATCH "), []byte("CONNECT "), []byte("HTTP/1.")}

// guessProtocol guesses from a stream's first bytes. With final false it may
// answer Undecided, asking for more bytes; with final true it never does.
func guessProtocol(b []byte, final bool) Protocol {
	if len(b) == 0 {
		return Undecided
	}
	for _, s := range httpStarts {
		if bytes.HasPrefix(b, s) {
			return HTTP
		}
		if len(b) < len(s) && bytes.HasPrefix(s, b) && !final {
			return Undecided
		}
	}
	// A TLS record: content type 22 (handshake) or 21 (alert), version 3.x [RFC 8446 5.1].
	if b[0] == 0x16 || b[0] == 0x15 {
		if len(b) < 3 && !final {
			return Undecided
		}
		if len(b) >= 3 && b[1] == 0x03 && b[2] <= 0x04 {
			return TLS
		}
	}
	if badFlags(Kind(b[0]>>4), b[0]&0x0f) == "" {
		return MQTT
	}
	return Unknown
}
