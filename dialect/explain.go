package dialect

import (
	"fmt"
	"strconv"
	"strings"
)

// cmeErrors explains +CME ERROR codes [3GPP TS 27.007 §9.2; Quectel TCP/IP
// AT manuals for 550-574; Quectel BC660K MQTT AN V1.2 for 8503-8600].
var cmeErrors = map[int]string{
	0: "phone failure", 3: "operation not allowed", 4: "operation not supported",
	10: "SIM not inserted", 11: "SIM PIN required", 12: "SIM PUK required", 13: "SIM failure",
	14: "SIM busy", 15: "SIM wrong", 16: "incorrect password", 30: "no network service",
	31: "network timeout", 32: "network not allowed: emergency calls only", 50: "incorrect parameters",
	100: "unknown error",
	550: "unknown error", 551: "operation blocked", 552: "invalid parameters", 553: "memory not enough",
	554: "create socket failed", 555: "operation not supported", 556: "socket bind failed",
	557: "socket listen failed", 558: "socket write failed", 559: "socket read failed",
	560: "socket accept failed", 561: "open PDP context failed", 562: "close PDP context failed",
	563: "socket identity has been used", 564: "DNS busy", 565: "DNS parse failed",
	566: "socket connect failed", 567: "socket has been closed", 568: "operation busy",
	569: "operation timeout", 570: "PDP context broken down", 571: "cancel send",
	572: "operation not allowed", 573: "APN not configured", 574: "port busy",
	765: "invalid input (Luat, unconfirmed)", 767: "operation not allowed: not connected (Luat, unconfirmed)",
	8503: "MQTT link-layer error", 8504: "illegal packet", 8505: "illegal character",
	8506: "illegal UTF-8", 8507: "invalid parameter", 8508: "data exceeds the remaining buffer",
	8509: "buffer overflow", 8510: "out of memory", 8511: "memory error", 8600: "unknown error",
}

// CMEMeaning explains a numeric +CME ERROR code; ok is false for a code
// in none of the tables.
func CMEMeaning(code int) (meaning string, ok bool) {
	meaning, ok = cmeErrors[code]
	return meaning, ok
}

// CMECodes lists the +CME ERROR codes CMEMeaning explains, in order.
func CMECodes() []int { return sortedKeys(cmeErrors) }

// cmsErrors explains the +CMS ERROR codes seen outside SMS work [3GPP TS
// 27.005 §3.2.5].
var cmsErrors = map[int]string{
	300: "ME failure", 301: "SMS service of ME reserved", 302: "operation not allowed",
	303: "operation not supported", 304: "invalid PDU mode parameter", 305: "invalid text mode parameter",
	310: "SIM not inserted", 311: "SIM PIN required", 313: "SIM failure", 314: "SIM busy",
	320: "memory failure", 330: "SMSC address unknown", 331: "no network service",
	332: "network timeout", 500: "unknown error",
}

// resultReason explains a final result code line: "ERROR", "+CME ERROR: 767",
// "+CME ERROR: SIM not inserted". It returns the code as logged and words.
func resultReason(name, args string) (code, reason string) {
	switch name {
	case "ERROR":
		return "ERROR", "the module rejected the command (syntax, parameters or state)"
	case "+CME ERROR", "+CMS ERROR":
		table := cmeErrors
		if name == "+CMS ERROR" {
			table = cmsErrors
		}
		if n, err := strconv.Atoi(strings.TrimSpace(args)); err == nil {
			if r, ok := table[n]; ok {
				return args, r
			}
			return args, fmt.Sprintf("%s %d (not in the 3GPP or vendor tables)", strings.TrimPrefix(name, "+"), n)
		}
		return args, args // verbose form (AT+CMEE=2) already says it
	case "NO CARRIER":
		return name, "the connection was terminated or could not be set up"
	}
	return name, strings.ToLower(name)
}

// mqttConnackCodes explains CONNACK return codes [MQTT 3.1.1 §3.2.2.3].
var mqttConnackCodes = map[int]string{
	0: "connection accepted",
	1: "refused: unacceptable protocol version",
	2: "refused: identifier rejected",
	3: "refused: server unavailable",
	4: "refused: bad user name or password",
	5: "refused: not authorized",
}

// connackReason explains a CONNACK return code.
func connackReason(rc int) string {
	if r, ok := mqttConnackCodes[rc]; ok {
		return r
	}
	return fmt.Sprintf("CONNACK return code %d (reserved)", rc)
}
