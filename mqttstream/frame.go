package mqttstream

import "fmt"

// header is an MQTT fixed header [MQTT-2.2]: the type and flags byte, then the
// remaining length in one to four bytes.
type header struct {
	flags     byte // low nibble of the first byte
	kind      Kind
	remaining int // body length
	size      int // header length in bytes
}

// total is the packet's whole length.
func (h header) total() int { return h.size + h.remaining }

type headerState uint8

const (
	headerOK    headerState = iota
	headerShort             // more bytes are needed to read it
	headerBad               // these bytes cannot start an MQTT packet
)

// readHeader reads the fixed header at the start of b. For headerBad the
// string says why.
func readHeader(b []byte) (header, headerState, string) {
	if len(b) == 0 {
		return header{}, headerShort, ""
	}
	h := header{kind: Kind(b[0] >> 4), flags: b[0] & 0x0f}
	if why := badFlags(h.kind, h.flags); why != "" {
		return h, headerBad, why
	}
	mult := 1
	for i := 1; i <= 4; i++ {
		if i >= len(b) {
			return h, headerShort, ""
		}
		h.remaining += int(b[i]&0x7f) * mult
		if b[i]&0x80 == 0 {
			h.size = i + 1
			return h, headerOK, ""
		}
		mult *= 128
	}
	return h, headerBad, "remaining length runs past four bytes [MQTT-2.2.3]"
}

// badFlags says why a type and flags nibble pair is not a valid MQTT 3.1.1
// first byte, or "" when it is [MQTT-2.2.2-1, MQTT-2.2.2-2, MQTT-3.3.1-4].
func badFlags(k Kind, flags byte) string {
	switch k {
	case 0, 15:
		return fmt.Sprintf("packet type %d is reserved", uint8(k))
	case Publish:
		if flags&0x06 == 0x06 {
			return "PUBLISH with QoS 3"
		}
		return ""
	case Pubrel, Subscribe, Unsubscribe:
		if flags != 0x02 {
			return fmt.Sprintf("%s flags are 0x%x, must be 0x2", k, flags)
		}
		return ""
	}
	if flags != 0 {
		return fmt.Sprintf("%s flags are 0x%x, must be 0", k, flags)
	}
	return ""
}
