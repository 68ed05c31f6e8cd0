package dialect

import (
	"fmt"
)

// simcomPingCodes: +CMQTTPING <err> (A76xx; dialects.md §4.3).
var simcomPingCodes = []Code{
	{N: 0, Meaning: "keep-alive ping answered", Normal: true},
	{N: -255, Thru: 255, KeepAlive: true, Meaning: "keep-alive ping failed",
		Advice: "The link is usually lost next. Check the signal; if it repeats, lower the keep-alive of AT+CMQTTCONNECT."},
}

// simcomErrors: every <err> of the CMQTT result URCs, with the advice a
// support engineer gives [SIM7500/SIM7600/SIM7800 MQTT AT Command Manual
// V1.00 §2.3.1; dialects.md §4.4]. 27-31 are the broker's CONNACK refusals.
var simcomErrors = []Code{
	{N: 0, Meaning: "operation succeeded", Normal: true},
	{N: 1, Meaning: "failed",
		Advice: "A generic failure: check the order of the commands (AT+CMQTTSTART, AT+CMQTTACCQ, AT+CMQTTCONNECT, then subscribe and publish) and their arguments."},
	{N: 2, Meaning: "bad UTF-8 string",
		Advice: `The topic or payload is not valid UTF-8: send UTF-8, or turn the check off with AT+CMQTTCFG="checkUTF8",<idx>,0.`},
	{N: 3, Meaning: "socket connect failed",
		Advice: `The TCP connection to the broker failed: check the server address ("tcp://host:port"), the port, and that the broker accepts connections from the carrier's network.`},
	{N: 4, Meaning: "socket create failed",
		Advice: "No socket could be created: the network is not up or too many sockets are open. Check the +CMQTTSTART result and close what is not needed."},
	{N: 5, Meaning: "socket close failed",
		Advice: "The socket could not be closed: the link was probably gone already; release and reconnect."},
	{N: 6, Meaning: "message receive failed",
		Advice: "Receiving failed: the link is broken; reconnect."},
	{N: 7, Meaning: "network open failed",
		Advice: "AT+CMQTTSTART could not open the network: check registration (AT+CEREG?), the APN (AT+CGDCONT) and the signal, then start the service again."},
	{N: 8, Meaning: "network close failed",
		Advice: "The network could not be closed: stop the service again (AT+CMQTTSTOP) after releasing the clients."},
	{N: 9, Meaning: "network not opened (start the service with AT+CMQTTSTART first)",
		Advice: "Start the service first: AT+CMQTTSTART, and wait for +CMQTTSTART: 0."},
	{N: 10, Meaning: "client index error",
		Advice: "Use client_index 0 or 1."},
	{N: 11, Meaning: "no connection (the client is not connected)",
		Advice: "The client is not connected: send AT+CMQTTCONNECT and wait for +CMQTTCONNECT: <idx>,0 before subscribing or publishing."},
	{N: 12, Meaning: "invalid parameter",
		Advice: "An argument is invalid: check it against the manual (lengths, QoS 0-2, keep-alive 1-64800 s, pub_timeout 60-180 s)."},
	{N: 13, Meaning: "not supported operation",
		Advice: "This firmware does not support the operation."},
	{N: 14, Meaning: "client is busy (another operation of this client is still running)",
		Advice: "The client is busy: wait for the previous operation's result URC before the next command."},
	{N: 15, Meaning: "require connection failed",
		Advice: "Connecting failed: check the server address and the credentials, and retry with an increasing delay."},
	{N: 16, Meaning: "socket sending failed",
		Advice: "Sending failed: the link broke; reconnect."},
	{N: 17, Meaning: "timeout",
		Advice: `No answer in time: check the network and the broker; raise the timeout (pub_timeout, AT+CMQTTCFG="optimeout").`},
	{N: 18, Meaning: "topic is empty (load it with AT+CMQTTTOPIC/AT+CMQTTSUBTOPIC before acting)",
		Advice: "Load the topic first (AT+CMQTTTOPIC, AT+CMQTTSUBTOPIC): the topic and payload buffers are used up by every publish."},
	{N: 19, Meaning: "client is used (already acquired; release it with AT+CMQTTREL or use the other index)",
		Advice: "The client index is already acquired: use it, or release it with AT+CMQTTREL first."},
	{N: 20, Meaning: "client not acquired (AT+CMQTTACCQ first)",
		Advice: `Acquire the client first: AT+CMQTTACCQ=<idx>,"<clientID>".`},
	{N: 21, Meaning: "client not released",
		Advice: "Release the client (AT+CMQTTREL) before stopping the service or acquiring it again."},
	{N: 22, Meaning: "length out of range",
		Advice: "A length is out of range: topics 1-1024 bytes, payloads 1-10240 bytes."},
	{N: 23, Meaning: "network is opened (the MQTT service was already started)", Normal: true,
		Advice: "Harmless: the service was already started. Go on with AT+CMQTTACCQ."},
	{N: 24, Meaning: "packet failed",
		Advice: "A packet failed: check the data and reconnect."},
	{N: 25, Meaning: "DNS error (the broker's host name could not be resolved)",
		Advice: "The broker's host name did not resolve: check the spelling and the network's DNS."},
	{N: 26, Meaning: "socket closed by server",
		Advice: "The broker closed the connection: check the credentials, that the client ID is not connected elsewhere, and whether the broker requires TLS."},
	{N: 27, Meaning: "connection refused, unacceptable protocol version (CONNACK 1)", Connack: 1},
	{N: 28, Meaning: "connection refused, identifier rejected (CONNACK 2)", Connack: 2},
	{N: 29, Meaning: "connection refused, server unavailable (CONNACK 3)", Connack: 3},
	{N: 30, Meaning: "connection refused, bad user name or password (CONNACK 4)", Connack: 4},
	{N: 31, Meaning: "connection refused, not authorized (CONNACK 5)", Connack: 5},
	{N: 32, Meaning: "TLS handshake failed",
		Advice: "The TLS handshake failed: check the CA certificate, the server name, the module's clock (certificate validity) and the TLS version (AT+CSSLCFG)."},
	{N: 33, Meaning: "certificate not set",
		Advice: `Set the certificates of the SSL context (AT+CCERTDOWN, AT+CSSLCFG="cacert",...) and bind it with AT+CMQTTSSLCFG.`},
	{N: 34, Meaning: "open SSL session failed",
		Advice: "The TLS session could not be opened: check AT+CMQTTSSLCFG and the SSL context configuration."},
}

// simcomLostCauses: +CMQTTCONNLOST <cause> [MQTT AT Command Manual V1.00
// §2.3.2.1; dialects.md §4.3].
var simcomLostCauses = []Code{
	{N: 1, Meaning: "socket closed passively (the broker closed the connection, for example after a session timeout or because another client connected with the same client ID); reconnect with AT+CMQTTCONNECT",
		Advice: "The broker closed the connection: reconnect with an increasing delay; look for the same client ID connected elsewhere and for the broker's idle limit."},
	{N: 2, Meaning: "socket reset (the TCP connection was reset by the broker or a middlebox); reconnect with AT+CMQTTCONNECT",
		Advice: "The connection was reset: reconnect; if it happens often, lower the keep-alive (cellular NATs drop idle connections) and check the signal."},
	{N: 3, Meaning: "network closed (the data connection, PDP, went down); restart with AT+CMQTTSTART, then acquire and connect again",
		Advice: "The network (PDP) went down: wait for registration, start the service again (AT+CMQTTSTART) and reconnect."},
}

// simcomErrReason explains an <err>.
func simcomErrReason(err int) string {
	if r, ok := exactMeaning(simcomErrors, err); ok {
		return r
	}
	return fmt.Sprintf("error %d (not in the manual)", err)
}

// simcomConnack is the CONNACK return code an <err> of a connect shows:
// 0 for success, 1-5 for errors 27-31 [§2.3.2.1]; -1 for the others.
func simcomConnack(kind OpKind, err int) int {
	switch {
	case kind != OpConnect || err < 0:
		return -1
	case err == 0:
		return 0
	case err >= 27 && err <= 31:
		return err - 26
	}
	return -1
}

// simcomOutcome is the status an <err> gives the op of cmd: 0 is success,
// and so is 23 for AT+CMQTTSTART (the service is running).
func simcomOutcome(name string, err int) (Status, string) {
	switch {
	case err == 0:
		return StatusOK, ""
	case err == 23 && name == "+CMQTTSTART":
		return StatusOK, simcomErrReason(err)
	}
	return StatusFailed, simcomErrReason(err)
}
