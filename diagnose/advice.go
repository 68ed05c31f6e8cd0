package diagnose

import (
	"fmt"
	"strconv"
	"strings"
)

// Advice per vendor code family: what a support engineer tells the user
// when a module answers with that code. The meanings (the op's Reason) come
// from the dialect tables; these tables say what to do. Sections of
// ../shared/dialects.md are cited per table.

// quectelOpenAdvice: +QMTOPEN: <idx>,<result> [dialects.md §2.3.1].
var quectelOpenAdvice = map[int]string{
	-1: "The module could not open a network connection. Check registration (AT+CEREG? or AT+CREG? must show 1 or 5) and that a PDP context is active (AT+QIACT? lists an IP address), then retry AT+QMTOPEN.",
	1:  `Check the arguments: AT+QMTOPEN=<client_idx 0-5>,"<host>",<port>, the host in quotes and at most 100 bytes, and the AT+QMTCFG items set for this client before the open ("ssl", "pdpcid").`,
	2:  "This client_idx is still open. Close it with AT+QMTCLOSE=<idx> (or AT+QMTDISC=<idx>) and wait for +QMTCLOSE before opening it again, or use another client_idx.",
	3:  `Activate the PDP context first: set the APN with AT+QICSGP=<cid>,1,"<apn>", activate it with AT+QIACT=<cid> and check that AT+QIACT? lists an IP address; AT+QMTCFG="pdpcid" must name that context.`,
	4:  "The host name did not resolve. Check its spelling, that the PDP context has DNS servers (AT+QIDNSCFG), or try the broker's IP address to tell DNS from reachability.",
	5:  `The TCP connection to the broker failed. Check host and port, that the broker accepts connections from the carrier's network (firewall, IP allow-list), and for TLS that AT+QMTCFG="ssl" and the SSL context match the port (8883).`,
}

// quectelConnAdvice: +QMTCONN: <idx>,<result> [dialects.md §2.3.2].
var quectelConnAdvice = map[int]string{
	1: `The CONNECT is being retransmitted (no CONNACK yet). Wait for the final +QMTCONN; if it repeats, the broker is slow or unreachable: check the network and raise AT+QMTCFG="timeout".`,
	2: "The CONNECT could not be sent: the TCP link is probably down (look for +QMTSTAT before it). Reopen with AT+QMTOPEN, then send AT+QMTCONN right after +QMTOPEN: <idx>,0.",
}

// connackAdvice: MQTT 3.1.1 CONNACK return codes [MQTT 3.1.1 §3.2.2.3],
// reported by every dialect that shows them.
var connackAdvice = map[int]string{
	1: "The broker does not accept the requested MQTT version. Select MQTT 3.1.1 (Quectel: AT+QMTCFG=\"version\",<idx>,4; 3 means 3.1).",
	2: "The broker rejects the client ID. Check its length and characters (MQTT 3.1.1 guarantees 1-23 letters and digits) and, for cloud platforms, the exact client ID format they generate for the device.",
	3: "The broker refuses service for now. Retry with an increasing delay; check the service status and that the endpoint is the right region or instance.",
	4: "The user name or password is wrong. Check both (expired tokens, signatures with a time stamp, copy and paste errors, stray quotes); for Aliyun the signature must match the device triple (aliauth).",
	5: "The credentials are valid but not allowed to connect. Check that the device is enabled and activated on the platform, its access rules, and that the client ID belongs to these credentials.",
}

// quectelStatAdvice: +QMTSTAT: <idx>,<err_code>, the vendor's recommended
// action first [dialects.md §2.3.4].
var quectelStatAdvice = map[int]string{
	1: "Reopen with AT+QMTOPEN, then reconnect (the manual's action). Right after an open, CONNECT came too late; right after a CONNECT, the broker rejected the session (credentials, a client ID already connected elsewhere); at regular intervals, compare the keep-alive with the broker's and the carrier's idle limits.",
	2: "Deactivate and reactivate the PDP context (AT+QIDEACT, AT+QIACT), then AT+QMTOPEN and reconnect (the manual's action). If it repeats, lower the keep-alive: cellular NATs drop idle TCP mappings, and check the signal.",
	3: "Check the user name, password and client ID, then reopen with AT+QMTOPEN and connect again (the manual's action).",
	4: "Check the user name, password and client ID (some brokers drop a bad CONNECT without a CONNACK) and the TLS settings for port 8883, then reopen and connect again (the manual's action).",
	5: "Nothing to do: the client sent DISCONNECT and the server closed the connection, as it should.",
	6: "Check the data being sent (payload size, topic permissions) and the signal, then reopen with AT+QMTOPEN (the manual's action).",
	7: "Check the broker (address, port, service status) and the network, then reopen with AT+QMTOPEN (the manual's action).",
}

// quectelSendAdvice: <result> of +QMTSUB/+QMTUNS/+QMTPUB/+QMTPUBEX, and
// -1 of +QMTDISC/+QMTCLOSE [dialects.md §2.3.3, §2.2].
var quectelSendAdvice = map[int]string{
	2:  "The packet could not be sent: the client is not connected or the link dropped (look for +QMTSTAT before it). Reconnect before subscribing or publishing, and check the topic and its permissions.",
	-1: "The module could not disconnect or close: the link was probably down already. After a +QMTSTAT the client is closed anyway; reopen directly.",
}

// simcomAdvice: <err> of the CMQTT result URCs [dialects.md §4.4].
var simcomAdvice = map[int]string{
	1:  "A generic failure: check the order of the commands (AT+CMQTTSTART, AT+CMQTTACCQ, AT+CMQTTCONNECT, then subscribe and publish) and their arguments.",
	2:  `The topic or payload is not valid UTF-8: send UTF-8, or turn the check off with AT+CMQTTCFG="checkUTF8",<idx>,0.`,
	3:  `The TCP connection to the broker failed: check the server address ("tcp://host:port"), the port, and that the broker accepts connections from the carrier's network.`,
	4:  "No socket could be created: the network is not up or too many sockets are open. Check the +CMQTTSTART result and close what is not needed.",
	5:  "The socket could not be closed: the link was probably gone already; release and reconnect.",
	6:  "Receiving failed: the link is broken; reconnect.",
	7:  "AT+CMQTTSTART could not open the network: check registration (AT+CEREG?), the APN (AT+CGDCONT) and the signal, then start the service again.",
	8:  "The network could not be closed: stop the service again (AT+CMQTTSTOP) after releasing the clients.",
	9:  "Start the service first: AT+CMQTTSTART, and wait for +CMQTTSTART: 0.",
	10: "Use client_index 0 or 1.",
	11: "The client is not connected: send AT+CMQTTCONNECT and wait for +CMQTTCONNECT: <idx>,0 before subscribing or publishing.",
	12: "An argument is invalid: check it against the manual (lengths, QoS 0-2, keep-alive 1-64800 s, pub_timeout 60-180 s).",
	13: "This firmware does not support the operation.",
	14: "The client is busy: wait for the previous operation's result URC before the next command.",
	15: "Connecting failed: check the server address and the credentials, and retry with an increasing delay.",
	16: "Sending failed: the link broke; reconnect.",
	17: `No answer in time: check the network and the broker; raise the timeout (pub_timeout, AT+CMQTTCFG="optimeout").`,
	18: "Load the topic first (AT+CMQTTTOPIC, AT+CMQTTSUBTOPIC): the topic and payload buffers are used up by every publish.",
	19: "The client index is already acquired: use it, or release it with AT+CMQTTREL first.",
	20: `Acquire the client first: AT+CMQTTACCQ=<idx>,"<clientID>".`,
	21: "Release the client (AT+CMQTTREL) before stopping the service or acquiring it again.",
	22: "A length is out of range: topics 1-1024 bytes, payloads 1-10240 bytes.",
	23: "Harmless: the service was already started. Go on with AT+CMQTTACCQ.",
	24: "A packet failed: check the data and reconnect.",
	25: "The broker's host name did not resolve: check the spelling and the network's DNS.",
	26: "The broker closed the connection: check the credentials, that the client ID is not connected elsewhere, and whether the broker requires TLS.",
	32: "The TLS handshake failed: check the CA certificate, the server name, the module's clock (certificate validity) and the TLS version (AT+CSSLCFG).",
	33: `Set the certificates of the SSL context (AT+CCERTDOWN, AT+CSSLCFG="cacert",...) and bind it with AT+CMQTTSSLCFG.`,
	34: "The TLS session could not be opened: check AT+CMQTTSSLCFG and the SSL context configuration.",
}

// simcomLostAdvice: +CMQTTCONNLOST: <idx>,<cause> [dialects.md §4.3].
var simcomLostAdvice = map[int]string{
	1: "The broker closed the connection: reconnect with an increasing delay; look for the same client ID connected elsewhere and for the broker's idle limit.",
	2: "The connection was reset: reconnect; if it happens often, lower the keep-alive (cellular NATs drop idle connections) and check the signal.",
	3: "The network (PDP) went down: wait for registration, start the service again (AT+CMQTTSTART) and reconnect.",
}

// espAdvice: ESP-AT MQTT error enum, matched on the low 16 bits of
// "ERR CODE:0x..." [dialects.md §3.4].
var espAdvice = map[int]string{
	0x6001: "Send AT+MQTTUSERCFG before AT+MQTTCONN.",
	0x6002: "Configure the client again (AT+MQTTUSERCFG): it is not in the configured state.",
	0x6003: "The client is not initialised or was cleaned (AT+MQTTCLEAN): configure it again with AT+MQTTUSERCFG.",
	0x6004: "Already connected: skip AT+MQTTCONN, or send AT+MQTTCLEAN=0 first.",
	0x6005: "Out of memory: fewer subscriptions, shorter messages, or restart the module.",
	0x6008: "Wrong number of parameters: check the command against the ESP-AT manual of this firmware version.",
	0x6009: "TLS configuration error: the scheme asks for certificates that are not flashed (cert_key_ID, CA_ID).",
	0x600B: "The client could not connect: check Wi-Fi (WIFI GOT IP), host, port, the scheme (TCP vs TLS) and the credentials.",
	0x600C: "Publishing failed: the client is probably disconnected (look for +MQTTDISCONNECTED).",
	0x600D: "Subscribing failed: the client is probably disconnected, or the broker refused the topic.",
	0x600E: "Unsubscribing failed: the client is probably disconnected.",
	0x600F: "Disconnecting failed: the client was probably disconnected already.",
	0x6050: "The broker URI could not be parsed: check the host and the WebSocket path.",
	0x6051: "Connect first (AT+MQTTCONN): the client is disconnected.",
	0x6052: "The server certificate does not match the host name: connect with the name on the certificate, or check the CA.",
}

// espSubAdvice: the subcategory byte of a non-MQTT ERR CODE.
var espSubAdvice = map[int]string{
	0x02: `End every command with "\r\n".`,
	0x03: `Start every command with "AT" in capitals.`,
	0x04: "A parameter has the wrong length.",
	0x05: "A parameter has the wrong type (a number in quotes, or a string without).",
	0x06: "Wrong number of parameters: check the command against the manual of this firmware version.",
	0x07: "A parameter value is invalid: check the ranges in the manual.",
	0x08: "A parameter could not be parsed: check quotes and escapes (\\\", \\, and \\\\ inside strings).",
	0x09: "This firmware does not have the command: check the ESP-AT version (AT+GMR) and that it was built with MQTT support.",
	0x0A: "The command failed when run: check the state it needs (Wi-Fi connected, client configured).",
	0x0B: "The module was still busy with the previous command: wait for its OK or ERROR before sending the next one.",
}

// ubloxErrAdvice: +UMQTTER: <class>,<code> [dialects.md §7.3].
var ubloxErrAdvice = map[int]string{
	33: "The broker did not answer in time: check that it is reachable (host, port, TLS) and retry with an increasing delay.",
	34: "The module has no radio service: check registration (AT+CEREG?), the antenna and the packet data context.",
	8:  "The secure socket could not be set: check the security profile (AT+USECPRF) and AT+UMQTT=11.",
}

// ubloxLinkAdvice: +UUMQTTC: 0,<100..102> [dialects.md §7.3].
var ubloxLinkAdvice = map[int]string{
	100: "Inactivity timeout: no traffic within the keep-alive. Lower it (AT+UMQTT=10) or keep pings on (AT+UMQTTC=8,1).",
	101: "The connection was lost: log in again (AT+UMQTTC=1) with an increasing delay; check coverage.",
	102: "The broker dropped the client for a protocol violation (a publish to a forbidden topic, a message too large, a bad packet): check the last publish or subscribe.",
}

// nordicAdvice: negated errno of #XMQTTEVT results [dialects.md §8.2].
var nordicAdvice = map[int]string{
	111: "The broker refused the TCP connection: check the host, the port and the TLS sec_tag.",
	61:  "The broker refused the TCP connection: check the host, the port and the TLS sec_tag.",
	116: "Timed out: the broker or the network is unreachable.",
	128: "Not connected: connect first (AT#XMQTTCON=1) and wait for #XMQTTEVT: 0,0.",
	57:  "Not connected: connect first (AT#XMQTTCON=1) and wait for #XMQTTEVT: 0,0.",
	113: "The connection was aborted: reconnect.",
	104: "The connection was reset by the peer: reconnect; check the keep-alive and the broker's limits.",
	126: "The network dropped the connection: reconnect once the link is back (+CEREG: 1 or 5).",
	114: "No network: AT+CFUN=1 and wait for +CEREG: 1 or 5 before connecting.",
	115: "No network: AT+CFUN=1 and wait for +CEREG: 1 or 5 before connecting.",
	22:  "An argument is invalid: check the command syntax for this SLM version.",
	12:  "Out of memory: send shorter messages.",
	105: "Out of buffer space: send shorter messages or fewer at once.",
	122: "The message is too long: the SLM takes at most 1024 bytes inline.",
	127: "Already connected: disconnect first (AT#XMQTTCON=0) or go on.",
}

// tencentAdvice: FAIL codes of the Tencent AT set (tencent.go's tables).
func tencentAdvice(code int) string {
	switch {
	case code >= -117 && code <= -112:
		return "The broker refused the CONNECT: check the device triple set with AT+TCDEVINFOSET (product ID, device name, device secret) and that the device is enabled in the console."
	case code == -103 || code == 208:
		return "The client is not connected: connect (AT+TCMQTTCONN) and wait for +TCMQTTCONN:OK first."
	case code == -108 || code == 110 || code == 111:
		return "The subscription was refused: check the topic's permissions in the console (topic list of the product)."
	case code == 130:
		return "No permission to publish on this topic: check the product's topic permissions."
	case code == 131:
		return "Publish rate limit reached: publish less often."
	case code == 132 || code == 201:
		return "The payload is too long: send shorter messages."
	case code <= -601 && code >= -609:
		return "The TCP connection failed or broke: check the network, the host and the port."
	case code <= -701 && code >= -709:
		return "TLS failed: check the TLS mode of AT+TCDEVINFOSET/AT+TCMQTTCONN, the certificate and the module's clock."
	case code == 202 || code == -111:
		return "The command timed out: check the network; raise the timeout of AT+TCMQTTCONN."
	case code >= 1000 && code <= 1031:
		return "Dynamic registration failed: check the product settings for dynamic registration and the product secret (AT+TCPRDINFOSET)."
	case code == 200:
		return "Wait for the previous command to finish before the next one."
	}
	return "See the error code tables of the Tencent Cloud IoT AT command set."
}

// cmeAdvice: +CME ERROR values [3GPP TS 27.007 §9.2; Quectel TCP/IP
// manuals 550-574; BC660K MQTT AN 8503-8600; dialects.md §1.3, §2.6, §6.4].
var cmeAdvice = map[int]string{
	0:    "The module reports a phone failure: restart it and check its supply.",
	3:    "The command is not allowed in the current state (already open or connected, or sent before the network is ready): check what came before it.",
	4:    "This firmware does not support the command or this form of it: check the manual of this firmware version. Early after boot some modules answer 4 until they are ready.",
	10:   "No SIM: insert or re-seat it, and check the SIM holder and the SIM-detect setting.",
	11:   `The SIM wants its PIN: enter it with AT+CPIN="<pin>" or disable the PIN lock.`,
	12:   "The SIM is blocked: unblock it with the PUK.",
	13:   "The SIM failed: re-seat or replace it; check the SIM supply and contacts.",
	14:   "The SIM is busy: wait a few seconds after start-up and retry.",
	15:   "The SIM is wrong or faulty: replace it.",
	16:   "Wrong password or PIN: careful, repeated failures block the SIM.",
	30:   "No network service: check antenna, coverage, bands and that the SIM has service; wait for registration (+CEREG: 1 or 5) before MQTT.",
	31:   "The network timed out: retry later with an increasing delay.",
	32:   "Emergency calls only: the SIM is not accepted on this network (not provisioned, or roaming not allowed).",
	50:   "Incorrect parameters: check the argument list against the manual (count, order, quotes, ranges).",
	100:  "An unknown error: check the command and the module state, and retry.",
	550:  "An unknown error of the TCP/IP stack: retry; reopen the connection.",
	551:  "The operation is blocked: wait for the previous one to finish.",
	552:  "Invalid parameters: check the argument list against the manual (count, order, quotes, ranges).",
	553:  "Not enough memory: fewer open connections, smaller payloads.",
	554:  "No socket could be created: close unused connections.",
	555:  "Not supported by this firmware.",
	556:  "The socket could not be bound: the local port is in use.",
	558:  "Writing to the socket failed: the link is down; reopen.",
	559:  "Reading from the socket failed: the link is down; reopen.",
	561:  `The PDP context could not be activated: check the APN (AT+QICSGP) and activate it with AT+QIACT; AT+QIACT? must list an IP address.`,
	562:  "The PDP context could not be closed: it was probably gone already.",
	563:  "The connection identity is in use: close it (AT+QMTCLOSE / AT+QICLOSE) before opening it again.",
	564:  "DNS is busy: retry a moment later.",
	565:  "The host name did not resolve: check its spelling and the DNS servers (AT+QIDNSCFG).",
	566:  "The TCP connection failed: check host, port and the broker's firewall.",
	567:  "The socket was closed: reopen the connection.",
	568:  "The module is busy with another operation: wait for its result.",
	569:  "The operation timed out: check the network and the broker.",
	570:  "The PDP context broke down: reactivate it (AT+QIACT), then reopen.",
	572:  "The operation is not allowed in this state.",
	573:  "No APN is configured: set it with AT+QICSGP.",
	574:  "The port is busy: use another local port or close the connection using it.",
	765:  "Luat: an invalid AT+MCONFIG input (unconfirmed meaning): check quoting and give empty user name and password as \"\".",
	767:  "Luat: the link was already down (after CLOSED or a PDP loss AT+MIPCLOSE answers 767); the vendor says to ignore the answer and go on with AT+MCONFIG, AT+MIPSTART.",
	8503: "The MQTT client had a link-layer error: reopen with AT+QMTOPEN and reconnect.",
	8504: "An illegal packet: check the command arguments.",
	8505: "An illegal character in a topic or payload: check the data format (AT+QMTCFG=\"dataformat\").",
	8506: "Illegal UTF-8 in a topic or payload: send UTF-8 text, or use hex mode.",
	8507: "An invalid parameter: check the argument list against the manual.",
	8508: "The data exceeds the remaining buffer: send less at once.",
	8509: "The buffer overflowed: send less at once, read received messages sooner.",
	8510: "Out of memory: restart the module; send less at once.",
	8511: "A memory error: restart the module.",
	8600: "An unknown error: retry; restart the module if it persists.",
}

// cmsAdvice: +CMS ERROR values [3GPP TS 27.005 §3.2.5].
func cmsAdvice(code int) string {
	switch {
	case code == 310 || code == 313 || code == 314:
		return "A SIM problem reported by an SMS command: check the SIM."
	case code == 331 || code == 332:
		return "No network for SMS: check registration."
	}
	return "An SMS command failed; it does not affect MQTT by itself. Check the command against 3GPP TS 27.005."
}

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

// cmeCode reads a +CME ERROR argument, numeric or verbose; ok is false for
// a verbose text not in the table.
func cmeCode(args string) (int, bool) {
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

// cmeGroup says which family a CME code belongs to, for titles.
func cmeGroup(n int) string {
	switch {
	case n >= 10 && n <= 18:
		return "SIM"
	case n >= 30 && n <= 32:
		return "network"
	case n >= 550 && n <= 574:
		return "TCP/IP stack"
	case n >= 8503 && n <= 8600:
		return "MQTT (NB-IoT)"
	}
	return "general"
}

// espErr splits an ERR CODE hex into the subcategory byte and the low 16
// bits; ok is false when it is not hex.
func espErr(hex string) (sub, ext int, ok bool) {
	h := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(hex), "0x"), "0X")
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil || h == "" {
		return 0, 0, false
	}
	return int(v >> 16 & 0xFF), int(v & 0xFFFF), true
}

// espParamAdvice advises on the ESP-AT parameter errors 0x6010-0x604D:
// "read failed", "is empty", "too long", "value wrong".
func espParamAdvice(ext int) string {
	if ext < 0x6010 || ext > 0x604D {
		return ""
	}
	return "A parameter was refused (see the reason): check its quoting and escapes (\\\", \\, and \\\\ inside strings), its range and its length (client ID at most 256 bytes, user name and password at most 64: use AT+MQTTLONGCLIENTID/LONGUSERNAME/LONGPASSWORD for longer ones, on ESP-AT 2.2 and later)."
}

// espAdviceFor is the advice for an ERR CODE hex.
func espAdviceFor(hex string) string {
	sub, ext, ok := espErr(hex)
	if !ok {
		return ""
	}
	if a, ok := espAdvice[ext]; ok {
		return a
	}
	if a := espParamAdvice(ext); a != "" {
		return a
	}
	if a, ok := espSubAdvice[sub]; ok {
		return a
	}
	return fmt.Sprintf("ERR CODE %s is not in the ESP-AT tables known here; see the AT+SYSLOG page of the ESP-AT manual.", hex)
}
