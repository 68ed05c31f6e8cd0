package dialect

import (
	"fmt"
	"strconv"
	"strings"
)

// ESP-AT's "ERR CODE:0x01<sub><extension:16>" lines (AT+SYSLOG=1), as
// data: the subcategory byte and the MQTT error enum of the low 16 bits,
// each with the advice a support engineer gives.

// espSubcategories: the subcategory byte of an ERR CODE [esp-at
// Basic_AT_Commands.rst, AT+SYSLOG; dialects.md §3.4].
var espSubcategories = []Code{
	{N: 0x00, Meaning: "no error", Normal: true},
	{N: 0x01, Meaning: "common error"},
	{N: 0x02, Meaning: "no line end found (terminate the command with \\r\\n)",
		Advice: `End every command with "\r\n".`},
	{N: 0x03, Meaning: "no AT at the start (at, At or aT typed?)",
		Advice: `Start every command with "AT" in capitals.`},
	{N: 0x04, Meaning: "parameter length mismatch",
		Advice: "A parameter has the wrong length."},
	{N: 0x05, Meaning: "parameter type mismatch",
		Advice: "A parameter has the wrong type (a number in quotes, or a string without)."},
	{N: 0x06, Meaning: "wrong number of parameters",
		Advice: "Wrong number of parameters: check the command against the manual of this firmware version."},
	{N: 0x07, Meaning: "invalid parameter",
		Advice: "A parameter value is invalid: check the ranges in the manual."},
	{N: 0x08, Meaning: "parameter parse failed",
		Advice: "A parameter could not be parsed: check quotes and escapes (\\\", \\, and \\\\ inside strings)."},
	{N: 0x09, Meaning: "command not supported",
		Advice: "This firmware does not have the command: check the ESP-AT version (AT+GMR) and that it was built with MQTT support."},
	{N: 0x0A, Meaning: "command execution failed",
		Advice: "The command failed when run: check the state it needs (Wi-Fi connected, client configured)."},
	{N: 0x0B, Meaning: "the previous command is still being processed",
		Advice: "The module was still busy with the previous command: wait for its OK or ERROR before sending the next one."},
	{N: 0x0C, Meaning: "wrong command operation type"},
}

// espMQTTErrors: the MQTT error enum, the extension of an ERR CODE [esp-at
// MQTT_AT_Commands.rst, MQTT Error Codes; dialects.md §3.4].
var espMQTTErrors = []Code{
	{N: 0x6001, Meaning: "no configuration (AT+MQTTUSERCFG not done)",
		Advice: "Send AT+MQTTUSERCFG before AT+MQTTCONN."},
	{N: 0x6002, Meaning: "not in the configured state",
		Advice: "Configure the client again (AT+MQTTUSERCFG): it is not in the configured state."},
	{N: 0x6003, Meaning: "uninitiated or already cleaned",
		Advice: "The client is not initialised or was cleaned (AT+MQTTCLEAN): configure it again with AT+MQTTUSERCFG."},
	{N: 0x6004, Meaning: "already connected",
		Advice: "Already connected: skip AT+MQTTCONN, or send AT+MQTTCLEAN=0 first."},
	{N: 0x6005, Meaning: "malloc failed",
		Advice: "Out of memory: fewer subscriptions, shorter messages, or restart the module."},
	{N: 0x6006, Meaning: "null link"},
	{N: 0x6007, Meaning: "null parameter"},
	{N: 0x6008, Meaning: "wrong number of parameters",
		Advice: "Wrong number of parameters: check the command against the ESP-AT manual of this firmware version."},
	{N: 0x6009, Meaning: "TLS configuration error",
		Advice: "TLS configuration error: the scheme asks for certificates that are not flashed (cert_key_ID, CA_ID)."},
	{N: 0x600A, Meaning: "parameter preparation error"},
	{N: 0x600B, Meaning: "client start failed (broker not reached or refused)",
		Advice: "The client could not connect: check Wi-Fi (WIFI GOT IP), host, port, the scheme (TCP vs TLS) and the credentials."},
	{N: 0x600C, Meaning: "client publish failed",
		Advice: "Publishing failed: the client is probably disconnected (look for +MQTTDISCONNECTED)."},
	{N: 0x600D, Meaning: "client subscribe failed",
		Advice: "Subscribing failed: the client is probably disconnected, or the broker refused the topic."},
	{N: 0x600E, Meaning: "client unsubscribe failed",
		Advice: "Unsubscribing failed: the client is probably disconnected."},
	{N: 0x600F, Meaning: "client disconnect failed",
		Advice: "Disconnecting failed: the client was probably disconnected already."},
	{N: 0x6010, Meaning: "LinkID read failed", Advice: espParamAdvice},
	{N: 0x6011, Meaning: "LinkID value wrong", Advice: espParamAdvice},
	{N: 0x6012, Meaning: "scheme read failed", Advice: espParamAdvice},
	{N: 0x6013, Meaning: "scheme value wrong", Advice: espParamAdvice},
	{N: 0x6014, Meaning: "client ID read failed", Advice: espParamAdvice},
	{N: 0x6015, Meaning: "client ID is empty", Advice: espParamAdvice},
	{N: 0x6016, Meaning: "client ID too long", Advice: espParamAdvice},
	{N: 0x6017, Meaning: "user name read failed", Advice: espParamAdvice},
	{N: 0x6018, Meaning: "user name is empty", Advice: espParamAdvice},
	{N: 0x6019, Meaning: "user name too long", Advice: espParamAdvice},
	{N: 0x601A, Meaning: "password read failed", Advice: espParamAdvice},
	{N: 0x601B, Meaning: "password is empty", Advice: espParamAdvice},
	{N: 0x601C, Meaning: "password too long", Advice: espParamAdvice},
	{N: 0x601D, Meaning: "cert key ID read failed", Advice: espParamAdvice},
	{N: 0x601E, Meaning: "cert key ID value wrong", Advice: espParamAdvice},
	{N: 0x601F, Meaning: "CA ID read failed", Advice: espParamAdvice},
	{N: 0x6020, Meaning: "CA ID value wrong", Advice: espParamAdvice},
	{N: 0x6021, Meaning: "CA length error", Advice: espParamAdvice},
	{N: 0x6022, Meaning: "CA read failed", Advice: espParamAdvice},
	{N: 0x6023, Meaning: "certificate length error", Advice: espParamAdvice},
	{N: 0x6024, Meaning: "certificate read failed", Advice: espParamAdvice},
	{N: 0x6025, Meaning: "key length error", Advice: espParamAdvice},
	{N: 0x6026, Meaning: "key read failed", Advice: espParamAdvice},
	{N: 0x6027, Meaning: "path read failed", Advice: espParamAdvice},
	{N: 0x6028, Meaning: "path is empty", Advice: espParamAdvice},
	{N: 0x6029, Meaning: "path too long", Advice: espParamAdvice},
	{N: 0x602A, Meaning: "version read failed", Advice: espParamAdvice},
	{N: 0x602B, Meaning: "keep-alive read failed", Advice: espParamAdvice},
	{N: 0x602C, Meaning: "keep-alive is empty", Advice: espParamAdvice},
	{N: 0x602D, Meaning: "keep-alive value wrong", Advice: espParamAdvice},
	{N: 0x602E, Meaning: "disable_clean_session read failed", Advice: espParamAdvice},
	{N: 0x602F, Meaning: "disable_clean_session value wrong", Advice: espParamAdvice},
	{N: 0x6030, Meaning: "LWT topic read failed", Advice: espParamAdvice},
	{N: 0x6031, Meaning: "LWT topic is empty", Advice: espParamAdvice},
	{N: 0x6032, Meaning: "LWT topic too long", Advice: espParamAdvice},
	{N: 0x6033, Meaning: "LWT message read failed", Advice: espParamAdvice},
	{N: 0x6034, Meaning: "LWT message is empty", Advice: espParamAdvice},
	{N: 0x6035, Meaning: "LWT message too long", Advice: espParamAdvice},
	{N: 0x6036, Meaning: "LWT QoS read failed", Advice: espParamAdvice},
	{N: 0x6037, Meaning: "LWT QoS value wrong", Advice: espParamAdvice},
	{N: 0x6038, Meaning: "LWT retain read failed", Advice: espParamAdvice},
	{N: 0x6039, Meaning: "LWT retain value wrong", Advice: espParamAdvice},
	{N: 0x603A, Meaning: "host read failed", Advice: espParamAdvice},
	{N: 0x603B, Meaning: "host is empty", Advice: espParamAdvice},
	{N: 0x603C, Meaning: "host too long", Advice: espParamAdvice},
	{N: 0x603D, Meaning: "port read failed", Advice: espParamAdvice},
	{N: 0x603E, Meaning: "port value wrong", Advice: espParamAdvice},
	{N: 0x603F, Meaning: "reconnect read failed", Advice: espParamAdvice},
	{N: 0x6040, Meaning: "reconnect value wrong", Advice: espParamAdvice},
	{N: 0x6041, Meaning: "topic read failed", Advice: espParamAdvice},
	{N: 0x6042, Meaning: "topic is empty", Advice: espParamAdvice},
	{N: 0x6043, Meaning: "topic too long", Advice: espParamAdvice},
	{N: 0x6044, Meaning: "data read failed", Advice: espParamAdvice},
	{N: 0x6045, Meaning: "data is empty", Advice: espParamAdvice},
	{N: 0x6046, Meaning: "data too long", Advice: espParamAdvice},
	{N: 0x6047, Meaning: "QoS read failed", Advice: espParamAdvice},
	{N: 0x6048, Meaning: "QoS value wrong", Advice: espParamAdvice},
	{N: 0x6049, Meaning: "retain read failed", Advice: espParamAdvice},
	{N: 0x604A, Meaning: "retain value wrong", Advice: espParamAdvice},
	{N: 0x604B, Meaning: "publish length read failed", Advice: espParamAdvice},
	{N: 0x604C, Meaning: "publish length value wrong", Advice: espParamAdvice},
	{N: 0x604D, Meaning: "receive length wrong", Advice: espParamAdvice},
	{N: 0x604E, Meaning: "create semaphore failed"},
	{N: 0x604F, Meaning: "create event group failed"},
	{N: 0x6050, Meaning: "URI parse failed",
		Advice: "The broker URI could not be parsed: check the host and the WebSocket path."},
	{N: 0x6051, Meaning: "in disconnected state (connect first)",
		Advice: "Connect first (AT+MQTTCONN): the client is disconnected."},
	{N: 0x6052, Meaning: "host name verification failed",
		Advice: "The server certificate does not match the host name: connect with the name on the certificate, or check the CA."},
}

// espParamAdvice is the advice for the parameter errors 0x6010-0x604D
// ("read failed", "is empty", "too long", "value wrong").
const espParamAdvice = "A parameter was refused (see the reason): check its quoting and escapes (\\\", \\, and \\\\ inside strings), its range and its length (client ID at most 256 bytes, user name and password at most 64: use AT+MQTTLONGCLIENTID/LONGUSERNAME/LONGPASSWORD for longer ones, on ESP-AT 2.2 and later)."

// espErr splits the hex of an ERR CODE into the subcategory byte and the
// low 16 bits (how the two are packed is unconfirmed, so the low 16 bits
// are matched); ok is false when it is not hex.
func espErr(hex string) (sub, ext int, ok bool) {
	v, ok := espHex(hex)
	return int(v >> 16 & 0xFF), int(v & 0xFFFF), ok
}

// espHex reads the hex of an ERR CODE, with or without its 0x.
func espHex(hex string) (uint64, bool) {
	h := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(hex), "0x"), "0X")
	v, err := strconv.ParseUint(h, 16, 32)
	return v, err == nil && h != ""
}

// espErrCode explains the hex of an "ERR CODE:0x01090000" line.
func espErrCode(hex string) (string, bool) {
	sub, ext, ok := espErr(hex)
	if !ok {
		return "", false
	}
	if r, ok := exactMeaning(espMQTTErrors, ext); ok {
		if s, ok := exactMeaning(espSubcategories, sub); ok && sub != 0 && sub != 0x0A {
			return s + ": MQTT " + r, true
		}
		return "MQTT " + r, true
	}
	if s, ok := exactMeaning(espSubcategories, sub); ok {
		if ext != 0 {
			return fmt.Sprintf("%s (extension 0x%04X)", s, ext), true
		}
		return s, true
	}
	v, _ := espHex(hex)
	return fmt.Sprintf("error 0x%08X (not in the ESP-AT tables)", v), true
}

// espExplainOp explains an op whose code is an ERR CODE: the MQTT enum's
// row when it has advice, else the subcategory's.
func espExplainOp(op *Op) (Code, bool) {
	sub, ext, ok := espErr(op.Code)
	if !ok || !strings.HasPrefix(strings.ToLower(strings.TrimSpace(op.Code)), "0x") {
		return Code{}, false
	}
	meaning, _ := espErrCode(op.Code)
	if c, ok := findCode(espMQTTErrors, ext); ok && c.Advice != "" {
		c.Meaning = meaning
		return c, true
	}
	if c, ok := findCode(espSubcategories, sub); ok && c.Advice != "" {
		c.Meaning = meaning
		return c, true
	}
	return Code{Meaning: meaning, Advice: fmt.Sprintf("ERR CODE %s is not in the ESP-AT tables known here; see the AT+SYSLOG page of the ESP-AT manual.", op.Code)}, true
}
