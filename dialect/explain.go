package dialect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// cmeErrors explains +CME ERROR codes [3GPP TS 27.007 §9.2; Quectel TCP/IP
// AT manuals for 550-574; Quectel BC660K MQTT AN V1.2 for 8503-8600].
var cmeErrors = []Code{
	{N: 0, Meaning: "phone failure",
		Advice: "The module reports a phone failure: restart it and check its supply."},
	{N: 3, Meaning: "operation not allowed",
		Advice: "The command is not allowed in the current state (already open or connected, or sent before the network is ready): check what came before it."},
	{N: 4, Meaning: "operation not supported",
		Advice: "This firmware does not support the command or this form of it: check the manual of this firmware version. Early after boot some modules answer 4 until they are ready."},
	{N: 10, Meaning: "SIM not inserted",
		Advice: "No SIM: insert or re-seat it, and check the SIM holder and the SIM-detect setting."},
	{N: 11, Meaning: "SIM PIN required",
		Advice: `The SIM wants its PIN: enter it with AT+CPIN="<pin>" or disable the PIN lock.`},
	{N: 12, Meaning: "SIM PUK required",
		Advice: "The SIM is blocked: unblock it with the PUK."},
	{N: 13, Meaning: "SIM failure",
		Advice: "The SIM failed: re-seat or replace it; check the SIM supply and contacts."},
	{N: 14, Meaning: "SIM busy",
		Advice: "The SIM is busy: wait a few seconds after start-up and retry."},
	{N: 15, Meaning: "SIM wrong",
		Advice: "The SIM is wrong or faulty: replace it."},
	{N: 16, Meaning: "incorrect password",
		Advice: "Wrong password or PIN: careful, repeated failures block the SIM."},
	{N: 30, Meaning: "no network service",
		Advice: "No network service: check antenna, coverage, bands and that the SIM has service; wait for registration (+CEREG: 1 or 5) before MQTT."},
	{N: 31, Meaning: "network timeout",
		Advice: "The network timed out: retry later with an increasing delay."},
	{N: 32, Meaning: "network not allowed: emergency calls only",
		Advice: "Emergency calls only: the SIM is not accepted on this network (not provisioned, or roaming not allowed)."},
	{N: 50, Meaning: "incorrect parameters",
		Advice: "Incorrect parameters: check the argument list against the manual (count, order, quotes, ranges)."},
	{N: 100, Meaning: "unknown error",
		Advice: "An unknown error: check the command and the module state, and retry."},
	{N: 550, Meaning: "unknown error",
		Advice: "An unknown error of the TCP/IP stack: retry; reopen the connection."},
	{N: 551, Meaning: "operation blocked",
		Advice: "The operation is blocked: wait for the previous one to finish."},
	{N: 552, Meaning: "invalid parameters",
		Advice: "Invalid parameters: check the argument list against the manual (count, order, quotes, ranges)."},
	{N: 553, Meaning: "memory not enough",
		Advice: "Not enough memory: fewer open connections, smaller payloads."},
	{N: 554, Meaning: "create socket failed",
		Advice: "No socket could be created: close unused connections."},
	{N: 555, Meaning: "operation not supported",
		Advice: "Not supported by this firmware."},
	{N: 556, Meaning: "socket bind failed",
		Advice: "The socket could not be bound: the local port is in use."},
	{N: 557, Meaning: "socket listen failed"},
	{N: 558, Meaning: "socket write failed",
		Advice: "Writing to the socket failed: the link is down; reopen."},
	{N: 559, Meaning: "socket read failed",
		Advice: "Reading from the socket failed: the link is down; reopen."},
	{N: 560, Meaning: "socket accept failed"},
	{N: 561, Meaning: "open PDP context failed",
		Advice: `The PDP context could not be activated: check the APN (AT+QICSGP) and activate it with AT+QIACT; AT+QIACT? must list an IP address.`},
	{N: 562, Meaning: "close PDP context failed",
		Advice: "The PDP context could not be closed: it was probably gone already."},
	{N: 563, Meaning: "socket identity has been used",
		Advice: "The connection identity is in use: close it (AT+QMTCLOSE / AT+QICLOSE) before opening it again."},
	{N: 564, Meaning: "DNS busy",
		Advice: "DNS is busy: retry a moment later."},
	{N: 565, Meaning: "DNS parse failed",
		Advice: "The host name did not resolve: check its spelling and the DNS servers (AT+QIDNSCFG)."},
	{N: 566, Meaning: "socket connect failed",
		Advice: "The TCP connection failed: check host, port and the broker's firewall."},
	{N: 567, Meaning: "socket has been closed",
		Advice: "The socket was closed: reopen the connection."},
	{N: 568, Meaning: "operation busy",
		Advice: "The module is busy with another operation: wait for its result."},
	{N: 569, Meaning: "operation timeout",
		Advice: "The operation timed out: check the network and the broker."},
	{N: 570, Meaning: "PDP context broken down",
		Advice: "The PDP context broke down: reactivate it (AT+QIACT), then reopen."},
	{N: 571, Meaning: "cancel send"},
	{N: 572, Meaning: "operation not allowed",
		Advice: "The operation is not allowed in this state."},
	{N: 573, Meaning: "APN not configured",
		Advice: "No APN is configured: set it with AT+QICSGP."},
	{N: 574, Meaning: "port busy",
		Advice: "The port is busy: use another local port or close the connection using it."},
	{N: 765, Meaning: "invalid input (Luat, unconfirmed)",
		Advice: "Luat: an invalid AT+MCONFIG input (unconfirmed meaning): check quoting and give empty user name and password as \"\"."},
	{N: 767, Meaning: "operation not allowed: not connected (Luat, unconfirmed)",
		Advice: "Luat: the link was already down (after CLOSED or a PDP loss AT+MIPCLOSE answers 767); the vendor says to ignore the answer and go on with AT+MCONFIG, AT+MIPSTART."},
	{N: 8503, Meaning: "MQTT link-layer error",
		Advice: "The MQTT client had a link-layer error: reopen with AT+QMTOPEN and reconnect."},
	{N: 8504, Meaning: "illegal packet",
		Advice: "An illegal packet: check the command arguments."},
	{N: 8505, Meaning: "illegal character",
		Advice: "An illegal character in a topic or payload: check the data format (AT+QMTCFG=\"dataformat\")."},
	{N: 8506, Meaning: "illegal UTF-8",
		Advice: "Illegal UTF-8 in a topic or payload: send UTF-8 text, or use hex mode."},
	{N: 8507, Meaning: "invalid parameter",
		Advice: "An invalid parameter: check the argument list against the manual."},
	{N: 8508, Meaning: "data exceeds the remaining buffer",
		Advice: "The data exceeds the remaining buffer: send less at once."},
	{N: 8509, Meaning: "buffer overflow",
		Advice: "The buffer overflowed: send less at once, read received messages sooner."},
	{N: 8510, Meaning: "out of memory",
		Advice: "Out of memory: restart the module; send less at once."},
	{N: 8511, Meaning: "memory error",
		Advice: "A memory error: restart the module."},
	{N: 8600, Meaning: "unknown error",
		Advice: "An unknown error: retry; restart the module if it persists."},
}

// CMEMeaning explains a numeric +CME ERROR code; ok is false for a code
// in none of the tables.
func CMEMeaning(code int) (meaning string, ok bool) { return exactMeaning(cmeErrors, code) }

// CMEError is the row of a numeric +CME ERROR code: meaning and advice.
func CMEError(code int) (Code, bool) { return findCode(cmeErrors, code) }

// CMECodes lists the +CME ERROR codes CMEMeaning explains, in order.
func CMECodes() []int { return codeNumbers(cmeErrors) }

// cmeVerbose maps the verbose +CME ERROR texts (AT+CMEE=2) to their
// numbers [3GPP TS 27.007 §9.2.1].
var cmeVerbose = map[string]int{
	"phone failure": 0, "no connection to phone": 1, "phone adaptor link reserved": 2,
	"operation not allowed": 3, "operation not supported": 4, "ph sim pin required": 5,
	"sim not inserted": 10, "sim pin required": 11, "sim puk required": 12, "sim failure": 13,
	"sim busy": 14, "sim wrong": 15, "incorrect password": 16, "sim pin2 required": 17,
	"sim puk2 required": 18, "memory full": 20, "invalid index": 21, "not found": 22,
	"memory failure": 23, "text string too long": 24, "invalid characters in text string": 25,
	"dial string too long": 26, "invalid characters in dial string": 27, "no network service": 30,
	"network timeout": 31, "network not allowed emergency calls only": 32, "incorrect parameters": 50,
	"unknown": 100, "unknown error": 100,
}

// CMECode reads a +CME ERROR argument, numeric or verbose (AT+CMEE=2);
// ok is false for a verbose text not in 3GPP TS 27.007 §9.2.1.
func CMECode(args string) (int, bool) {
	a := strings.TrimSpace(args)
	if n, err := strconv.Atoi(a); err == nil {
		return n, true
	}
	key := strings.Join(strings.FieldsFunc(strings.ToLower(a), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '"'
	}), " ")
	n, ok := cmeVerbose[key]
	return n, ok
}

// cmsErrors explains the +CMS ERROR codes seen outside SMS work [3GPP TS
// 27.005 §3.2.5].
var cmsErrors = []Code{
	{N: 300, Meaning: "ME failure"}, {N: 301, Meaning: "SMS service of ME reserved"},
	{N: 302, Meaning: "operation not allowed"}, {N: 303, Meaning: "operation not supported"},
	{N: 304, Meaning: "invalid PDU mode parameter"}, {N: 305, Meaning: "invalid text mode parameter"},
	{N: 310, Meaning: "SIM not inserted", Advice: cmsSIMAdvice}, {N: 311, Meaning: "SIM PIN required"},
	{N: 313, Meaning: "SIM failure", Advice: cmsSIMAdvice}, {N: 314, Meaning: "SIM busy", Advice: cmsSIMAdvice},
	{N: 320, Meaning: "memory failure"}, {N: 330, Meaning: "SMSC address unknown"},
	{N: 331, Meaning: "no network service", Advice: cmsNetAdvice}, {N: 332, Meaning: "network timeout", Advice: cmsNetAdvice},
	{N: 500, Meaning: "unknown error"},
}

// The advice for +CMS ERROR codes: SIM, network, and every other one.
const (
	cmsSIMAdvice = "A SIM problem reported by an SMS command: check the SIM."
	cmsNetAdvice = "No network for SMS: check registration."
	// CMSDefaultAdvice is the advice for a +CMS ERROR code without its own.
	CMSDefaultAdvice = "An SMS command failed; it does not affect MQTT by itself. Check the command against 3GPP TS 27.005."
)

// CMSError is the row of a +CMS ERROR code; a code without advice of its
// own gets CMSDefaultAdvice.
func CMSError(code int) (Code, bool) {
	c, ok := findCode(cmsErrors, code)
	if c.Advice == "" {
		c.Advice = CMSDefaultAdvice
	}
	return c, ok
}

// ErrorReason is the reason of an op that failed with a plain ERROR and
// nothing more to say: consumers tell it from a reason that says more.
const ErrorReason = "the module rejected the command (syntax, parameters or state)"

// resultReason explains a final result code line: "ERROR", "+CME ERROR: 767",
// "+CME ERROR: SIM not inserted". It returns the code as logged and words.
func resultReason(name, args string) (code, reason string) {
	switch name {
	case "ERROR":
		return "ERROR", ErrorReason
	case "+CME ERROR", "+CMS ERROR":
		table := cmeErrors
		if name == "+CMS ERROR" {
			table = cmsErrors
		}
		if n, err := strconv.Atoi(strings.TrimSpace(args)); err == nil {
			if r, ok := exactMeaning(table, n); ok {
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

// connackCodes are the CONNACK return codes [MQTT 3.1.1 §3.2.2.3, Table
// 3.1]: Meaning is "refused: " and the specification's words, Advice what
// to do. Every dialect that shows a broker's refusal maps it here
// (Code.Connack), so this table exists once.
var connackCodes = []Code{
	{N: 0, Meaning: "connection accepted", Normal: true},
	{N: 1, Connack: 1, Meaning: "refused: unacceptable protocol version",
		Advice: "The broker does not accept the requested MQTT version. Select MQTT 3.1.1 (Quectel: AT+QMTCFG=\"version\",<idx>,4; 3 means 3.1)."},
	{N: 2, Connack: 2, Meaning: "refused: identifier rejected",
		Advice: "The broker rejects the client ID. Check its length and characters (MQTT 3.1.1 guarantees 1-23 letters and digits) and, for cloud platforms, the exact client ID format they generate for the device."},
	{N: 3, Connack: 3, Meaning: "refused: server unavailable",
		Advice: "The broker refuses service for now. Retry with an increasing delay; check the service status and that the endpoint is the right region or instance."},
	{N: 4, Connack: 4, Meaning: "refused: bad user name or password",
		Advice: "The user name or password is wrong. Check both (expired tokens, signatures with a time stamp, copy and paste errors, stray quotes); for Aliyun the signature must match the device triple (aliauth)."},
	{N: 5, Connack: 5, Meaning: "refused: not authorized",
		Advice: "The credentials are valid but not allowed to connect. Check that the device is enabled and activated on the platform, its access rules, and that the client ID belongs to these credentials."},
}

// ConnackReservedAdvice is the advice for a CONNACK return code above 5.
const ConnackReservedAdvice = "CONNACK return codes above 5 are reserved in MQTT 3.1.1: check the broker's documentation."

// ConnackCode is the row of a CONNACK return code; ok is false for a
// reserved code (6-255).
func ConnackCode(rc int) (Code, bool) { return findCode(connackCodes, rc) }

// ConnackWords are the specification's words for a CONNACK refusal ("bad
// user name or password"), "" for 0 and reserved codes.
func ConnackWords(rc int) string {
	if c, ok := ConnackCode(rc); ok && rc > 0 {
		return strings.TrimPrefix(c.Meaning, "refused: ")
	}
	return ""
}

// connackReason explains a CONNACK return code.
func connackReason(rc int) string {
	if r, ok := exactMeaning(connackCodes, rc); ok {
		return r
	}
	return fmt.Sprintf("CONNACK return code %d (reserved)", rc)
}

// codeNumbers lists the codes of the rows of codes that are not ranges,
// in order.
func codeNumbers(codes []Code) []int {
	var out []int
	for _, c := range codes {
		if c.Thru == 0 {
			out = append(out, c.N)
		}
	}
	slices.Sort(out)
	return out
}
