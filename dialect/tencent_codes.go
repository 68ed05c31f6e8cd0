package dialect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// tencentCodes are every code a +TC...:FAIL,<code> may carry, in the order
// tencentReason searches them.
var tencentCodes = slices.Concat(tencentCME, tencentServerCodes, tencentRegCodes, tencentExecCodes)

// The advice for Tencent's codes, several codes each [TC].
const (
	tencentRefusedAdvice      = "The broker refused the CONNECT: check the device triple set with AT+TCDEVINFOSET (product ID, device name, device secret) and that the device is enabled in the console."
	tencentNotConnectedAdvice = "The client is not connected: connect (AT+TCMQTTCONN) and wait for +TCMQTTCONN:OK first."
	tencentTooLongAdvice      = "The payload is too long: send shorter messages."
	tencentTCPAdvice          = "The TCP connection failed or broke: check the network, the host and the port."
	tencentTLSAdvice          = "TLS failed: check the TLS mode of AT+TCDEVINFOSET/AT+TCMQTTCONN, the certificate and the module's clock."
	tencentTimeoutAdvice      = "The command timed out: check the network; raise the timeout of AT+TCMQTTCONN."
	tencentRegAdvice          = "Dynamic registration failed: check the product settings for dynamic registration and the product secret (AT+TCPRDINFOSET)."
)

// tencentServerCodes are the broker's codes [TC, 服务端相关 err code].
var tencentServerCodes = []Code{
	{N: 101, Meaning: "device connect failed"},
	{N: 110, Meaning: "subscribe failed: no permission for the topic", Advice: "The subscription was refused: check the topic's permissions in the console (topic list of the product)."},
	{N: 111, Meaning: "subscribe failed: system error", Advice: "The subscription was refused: check the topic's permissions in the console (topic list of the product)."},
	{N: 120, Meaning: "unsubscribe failed: system error"},
	{N: 130, Meaning: "publish failed: no permission to publish on the topic", Advice: "No permission to publish on this topic: check the product's topic permissions."},
	{N: 131, Meaning: "publish failed: publish rate limit reached", Advice: "Publish rate limit reached: publish less often."},
	{N: 132, Meaning: "publish failed: payload too long", Advice: tencentTooLongAdvice},
}

// tencentExecCodes are the firmware's execution codes (C-SDK return codes)
// [TC, 执行错误码].
var tencentExecCodes = []Code{
	{N: 2, Meaning: "disconnected on request (QCLOUD_RET_MQTT_MANUALLY_DISCONNECTED)"},
	{N: -3, Meaning: "HTTP: the remote host closed the connection"},
	{N: -4, Meaning: "HTTP: unknown error"},
	{N: -5, Meaning: "HTTP: protocol error"},
	{N: -6, Meaning: "HTTP: DNS resolution failed"},
	{N: -7, Meaning: "HTTP: URL parse failed"},
	{N: -8, Meaning: "HTTP: connect failed"},
	{N: -9, Meaning: "HTTP: authentication problem"},
	{N: -10, Meaning: "HTTP 404"},
	{N: -11, Meaning: "HTTP: timeout"},
	{N: -102, Meaning: "adding to the ACK wait list failed"},
	{N: -103, Meaning: "not connected to the MQTT server, or disconnected", Advice: tencentNotConnectedAdvice},
	{N: -104, Meaning: "unknown MQTT error"},
	{N: -105, Meaning: "reconnecting to the MQTT server"},
	{N: -106, Meaning: "reconnect timed out"},
	{N: -107, Meaning: "too many subscriptions"},
	{N: -108, Meaning: "subscribe failed: the server refused it", SubackRefused: true, Advice: "The subscription was refused: check the topic's permissions in the console (topic list of the product)."},
	{N: -109, Meaning: "no MQTT packet to read"},
	{N: -110, Meaning: "bad MQTT packet read"},
	{N: -111, Meaning: "MQTT request timed out", Advice: tencentTimeoutAdvice},
	{N: -112, Meaning: "CONNACK: unknown error", Advice: tencentRefusedAdvice},
	{N: -113, Meaning: "CONNACK: unacceptable protocol version", Connack: 1, Advice: tencentRefusedAdvice},
	{N: -114, Meaning: "CONNACK: identifier rejected", Connack: 2, Advice: tencentRefusedAdvice},
	{N: -115, Meaning: "CONNACK: server unavailable", Connack: 3, Advice: tencentRefusedAdvice},
	{N: -116, Meaning: "CONNACK: bad user name or password", Connack: 4, Advice: tencentRefusedAdvice},
	{N: -117, Meaning: "CONNACK: not authorized", Connack: 5, Advice: tencentRefusedAdvice},
	{N: -118, Meaning: "invalid message received"},
	{N: -119, Meaning: "receive buffer shorter than the message"},
	{N: -120, Meaning: "QoS not supported"},
	{N: -121, Meaning: "unsubscribe failed (for example the topic does not exist)"},
	{N: -132, Meaning: "JSON parse error"},
	{N: -133, Meaning: "JSON document would be truncated"},
	{N: -134, Meaning: "JSON buffer too small"},
	{N: -135, Meaning: "JSON generation error"},
	{N: -136, Meaning: "too many JSON tokens"},
	{N: -137, Meaning: "too many pending requests"},
	{N: -138, Meaning: "topic too long"},
	{N: -601, Meaning: "TCP socket creation failed", Advice: tencentTCPAdvice},
	{N: -602, Meaning: "cannot resolve the host name", Advice: tencentTCPAdvice},
	{N: -603, Meaning: "TCP connect failed", Advice: tencentTCPAdvice},
	{N: -604, Meaning: "TCP read timeout", Advice: tencentTCPAdvice},
	{N: -605, Meaning: "TCP write timeout", Advice: tencentTCPAdvice},
	{N: -606, Meaning: "TCP read error", Advice: tencentTCPAdvice},
	{N: -607, Meaning: "TCP write error", Advice: tencentTCPAdvice},
	{N: -608, Meaning: "the peer closed the TCP connection", Advice: tencentTCPAdvice},
	{N: -609, Meaning: "no TCP data to read", Advice: tencentTCPAdvice},
	{N: -701, Meaning: "TLS init failed", Advice: tencentTLSAdvice},
	{N: -702, Meaning: "TLS certificate problem", Advice: tencentTLSAdvice},
	{N: -703, Meaning: "TLS connect failed", Advice: tencentTLSAdvice},
	{N: -704, Meaning: "TLS connect timeout", Advice: tencentTLSAdvice},
	{N: -705, Meaning: "TLS write timeout", Advice: tencentTLSAdvice},
	{N: -706, Meaning: "TLS write error", Advice: tencentTLSAdvice},
	{N: -707, Meaning: "TLS read timeout", Advice: tencentTLSAdvice},
	{N: -708, Meaning: "TLS read error", Advice: tencentTLSAdvice},
	{N: -709, Meaning: "no TLS data to read", Advice: tencentTLSAdvice},
	{N: -1001, Meaning: "failure"},
	{N: -1002, Meaning: "invalid parameter"},
}

// tencentCME extends +CME ERROR and the FAIL codes [TC, CME ERROR 列表扩展].
var tencentCME = []Code{
	{N: 200, Meaning: "previous command not complete", Advice: "Wait for the previous command to finish before the next one."},
	{N: 201, Meaning: "message packet too large", Advice: tencentTooLongAdvice},
	{N: 202, Meaning: "command timeout", Advice: tencentTimeoutAdvice},
	{N: 203, Meaning: "check failed"},
	{N: 204, Meaning: "invalid parameter"},
	{N: 205, Meaning: "no valid firmware"},
	{N: 206, Meaning: "memory allocation error"},
	{N: 207, Meaning: "flash access error"},
	{N: 208, Meaning: "wrong state or not ready (for example publishing while MQTT is not connected)", Advice: tencentNotConnectedAdvice},
	{N: 209, Meaning: "command execution error"},
	{N: 210, Meaning: "unknown error"},
	{N: 211, Meaning: "module self-OTA error"},
	{N: 212, Meaning: "flash erase in progress"},
	{N: 213, Meaning: "HTTP error"},
}

// tencentRegCodes are the dynamic registration codes [TC, 设备动态注册错误码].
var tencentRegCodes = []Code{
	{N: 1000, Meaning: "internal error", Advice: tencentRegAdvice},
	{N: 1004, Meaning: "the product does not exist", Advice: tencentRegAdvice},
	{N: 1006, Meaning: "invalid parameter", Advice: tencentRegAdvice},
	{N: 1010, Meaning: "signature check failed", Advice: tencentRegAdvice},
	{N: 1011, Meaning: "the product does not allow dynamic registration", Advice: tencentRegAdvice},
	{N: 1012, Meaning: "the device reached its maximum number of registrations", Advice: tencentRegAdvice},
	{N: 1020, Meaning: "the device was not created beforehand (pre-created registration mode)", Advice: tencentRegAdvice},
	{N: 1021, Meaning: "the device is already registered", Advice: tencentRegAdvice},
	{N: 1031, Meaning: "the automatic device creation limit is reached", Advice: tencentRegAdvice},
}

// tencentConnack is the CONNACK return code a connect's result shows:
// 0 for OK, 1-5 for the C-SDK's CONNACK errors -113..-117; -1 otherwise.
func tencentConnack(kind OpKind, code string) int {
	n, err := strconv.Atoi(strings.TrimSpace(code))
	switch {
	case kind != OpConnect || err != nil:
		return -1
	case n == 0:
		return 0
	case n <= -113 && n >= -117:
		return -112 - n
	}
	return -1
}

// tencentReason explains a FAIL or DISCON code.
func tencentReason(code string) string {
	n, err := strconv.Atoi(strings.TrimSpace(code))
	if err != nil {
		if code == "" {
			return "failed (no code given)"
		}
		return "failed: " + code
	}
	for _, table := range [][]Code{tencentCME, tencentServerCodes, tencentRegCodes, tencentExecCodes} {
		if r, ok := exactMeaning(table, n); ok {
			return r
		}
	}
	return fmt.Sprintf("code %d (not in the Tencent AT tables)", n)
}
