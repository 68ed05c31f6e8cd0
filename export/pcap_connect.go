package export

import (
	"atscope/dialect"
	"regexp"
	"strconv"
	"strings"
)

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

// connackCode is the CONNACK return code a connect op shows: 0 when it
// succeeded; for a failure, the broker's refusal when the dialect logged
// one. Dialects say it differently: Quectel's +QMTCONN: <idx>,0,<ret_code>
// gives the code "0,<ret_code>"; others put "CONNACK 4" or the refusal's
// words from the specification's table in the reason. refused reports a
// failure that the broker answered, with or without a code it gave.
func connackCode(op *dialect.Op) (code byte, ok, refused bool) {
	switch op.Status {
	case dialect.StatusOK:
		return 0, true, false
	case dialect.StatusFailed:
	default:
		return 0, false, false
	}
	if op.Name == "+QMTCONN" {
		if res, ret, found := strings.Cut(op.Code, ","); found && strings.TrimSpace(res) == "0" {
			if n, err := strconv.Atoi(strings.TrimSpace(ret)); err == nil && n > 0 && n < 256 {
				return byte(n), true, true
			}
		}
	}
	text := op.Reason + " " + op.Code
	i := strings.Index(strings.ToUpper(text), "CONNACK")
	if i < 0 {
		return 0, false, false
	}
	if m := connackNumber.FindStringSubmatch(text[i:]); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n < 256 {
			return byte(n), true, true
		}
	}
	lower := strings.ToLower(op.Reason)
	for n, words := range connackWords {
		if n > 0 && strings.Contains(lower, words) {
			return byte(n), true, true
		}
	}
	return 0, false, true
}

// connackNumber finds the code in "CONNACK 4" or "CONNACK return code 4".
var connackNumber = regexp.MustCompile(`^CONNACK(?: return code)?:? (\d+)\b`)

// connackWords are the meanings of the CONNACK return codes as the
// specification words them [§3.2.2.3, Table 3.1].
var connackWords = [...]string{
	1: "unacceptable protocol version",
	2: "identifier rejected",
	3: "server unavailable",
	4: "bad user name or password",
	5: "not authorized",
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
// exchange (Quectel +QMTPING), the only way a log shows PINGREQ.
func isPing(op *dialect.Op) bool {
	return strings.Contains(strings.ToUpper(op.Name), "PING")
}

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
