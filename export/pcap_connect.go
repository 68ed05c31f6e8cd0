package export

import (
	"strings"

	"atscope/dialect"
)

// The CONNECT a connect op stands for, and the broker's CONNACK.

// connect is a CONNECT and the protocol level it sets.
type connect struct {
	mqttPacket
	level byte
}

// connectPacket builds the CONNECT of a connect op: what the dialect
// configured, and the defaults of most modules for what it did not
// (MQTT 3.1.1, clean session, keep-alive off when not logged).
func connectPacket(op *dialect.Op) (connect, string) {
	pk := connect{mqttPacket: mqttPacket{Type: mqttConnect, ClientID: op.ClientID, Clean: true}, level: mqttLevel311}
	var notes []string
	switch op.Version {
	case 3:
		pk.level = mqttLevel31
	case 5:
		pk.level = mqttLevel5
	}
	if op.Clean != nil {
		pk.Clean = *op.Clean
	}
	switch {
	case op.KeepAlive > 0xFFFF:
		pk.KeepAlive = 0xFFFF
	case op.KeepAlive >= 0:
		pk.KeepAlive = uint16(op.KeepAlive)
	default:
		notes = append(notes, "keep-alive not logged: 0 written")
	}
	pk.UsernameFlag = op.Username != ""
	pk.PasswordFlag = op.Password != ""
	pk.Username, pk.Password = op.Username, op.Password
	if pk.PasswordFlag && !pk.UsernameFlag && pk.level != mqttLevel5 {
		pk.UsernameFlag = true // [MQTT-3.1.2-22]: a password needs a user name
		notes = append(notes, "password without a user name: empty user name written")
	}
	if w := op.Will; w != nil {
		pk.Will = &mqttWill{Topic: w.Topic, Message: []byte(w.Message), QoS: qosByte(w.QoS), Retain: w.Retain}
	}
	if len(notes) == 0 {
		return pk, ""
	}
	return pk, " [" + strings.Join(notes, "; ") + "]"
}

// connackCode is the CONNACK return code a connect op shows, and whether
// the log shows one: 0 when the connect succeeded; for a failure, the
// broker's refusal when the dialect logged its code (Op.Connack).
func connackCode(op *dialect.Op) (code byte, answered bool) {
	switch op.Status {
	case dialect.StatusOK:
		return 0, true
	case dialect.StatusFailed:
		return op.Connack, op.HasConnack && op.Connack > 0
	}
	return 0, false
}

// refusedConnect is a connect the broker refused: its CONNACK is on the
// wire.
func refusedConnect(op *dialect.Op) bool {
	_, answered := connackCode(op)
	return answered && op.Status == dialect.StatusFailed
}

// v5ConnackCode maps a 3.1.1 return code to the 5.0 reason code of the
// same meaning [v5 §3.2.2.2].
func v5ConnackCode(code byte) byte {
	switch code {
	case 1:
		return 0x84 // unsupported protocol version
	case 2:
		return 0x85 // client identifier not valid
	case 3:
		return 0x88 // server unavailable
	case 4:
		return 0x86 // bad user name or password
	case 5:
		return 0x87 // not authorized
	}
	return code
}

// isPing reports whether a link op is the module's report of a keep-alive
// exchange, the only way a log shows PINGREQ (the dialect's table says
// which ops are).
func isPing(op *dialect.Op) bool { return dialect.KeepAliveOp(op) }

func qosByte(q int) byte {
	if q < 0 || q > 2 {
		return 0
	}
	return byte(q)
}

func at(v []int, i, def int) int {
	if i < len(v) {
		return v[i]
	}
	return def
}
