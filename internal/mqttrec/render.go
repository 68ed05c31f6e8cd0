package mqttrec

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"

	"atscope/mqttstream"
)

// Family renders one vendor's generic TCP socket commands around the bytes
// of a recording, as a raw capture of the serial line would show them (host
// and module bytes merged in time order, echo off, no time stamps): the
// payload bytes stay exact, which a time-stamped line format cannot promise
// for binary data with CR and LF in it. Sources per family are in
// docs/socket-dialects.md.
type Family struct {
	Name    string
	MaxSend int // the most payload bytes one send command takes
	// open brings the bearer up and connects to host:port.
	open func(w *bytes.Buffer, host string, port int)
	// send writes one send command carrying b, with the module's answers.
	send func(w *bytes.Buffer, b []byte)
	// recv writes what the module prints when b arrives from the broker.
	recv func(w *bytes.Buffer, b []byte)
	// closeByDevice ends the socket from the device side; closedByBroker
	// reports the broker's close and cleans up.
	closeByDevice, closedByBroker func(w *bytes.Buffer)
}

// Render writes the AT log of a recording for a family, with host and port
// the broker's address as the device's open command names it.
func Render(r Recording, f Family, host string, port int) []byte {
	var w bytes.Buffer
	f.open(&w, host, port)
	for _, c := range r.Chunks {
		if c.Dir == mqttstream.FromBroker {
			f.recv(&w, c.Data)
			continue
		}
		for b := c.Data; len(b) > 0; {
			n := min(len(b), f.MaxSend)
			f.send(&w, b[:n])
			b = b[n:]
		}
	}
	if r.ClosedBy == mqttstream.FromBroker {
		f.closedByBroker(&w)
	} else {
		f.closeByDevice(&w)
	}
	return w.Bytes()
}

// exchange writes a command as the host sends it and the module's reply.
func exchange(w *bytes.Buffer, cmd, reply string) {
	w.WriteString(cmd)
	w.WriteString(reply)
}

// SIM800 is SIMCom's 2G "CIP" set in single-connection mode with the
// +IPD header on (AT+CIPHEAD=1), sending with a length and the '>' prompt.
var SIM800 = Family{
	Name:    "sim800",
	MaxSend: 1460,
	open: func(w *bytes.Buffer, host string, port int) {
		exchange(w, "AT\r", "\r\nOK\r\n")
		exchange(w, "AT+CIPSHUT\r", "\r\nSHUT OK\r\n")
		exchange(w, "AT+CIPMUX=0\r", "\r\nOK\r\n")
		exchange(w, "AT+CSTT=\"internet\"\r", "\r\nOK\r\n")
		exchange(w, "AT+CIICR\r", "\r\nOK\r\n")
		exchange(w, "AT+CIFSR\r", "\r\n192.0.2.34\r\n")
		exchange(w, "AT+CIPHEAD=1\r", "\r\nOK\r\n")
		exchange(w, fmt.Sprintf("AT+CIPSTART=\"TCP\",\"%s\",\"%d\"\r", host, port), "\r\nOK\r\n\r\nCONNECT OK\r\n")
	},
	send: func(w *bytes.Buffer, b []byte) {
		exchange(w, fmt.Sprintf("AT+CIPSEND=%d\r", len(b)), "\r\n> ")
		exchange(w, string(b), "\r\nSEND OK\r\n")
	},
	recv: func(w *bytes.Buffer, b []byte) {
		fmt.Fprintf(w, "\r\n+IPD,%d:%s", len(b), b)
	},
	closeByDevice: func(w *bytes.Buffer) {
		exchange(w, "AT+CIPCLOSE\r", "\r\nCLOSE OK\r\n")
		exchange(w, "AT+CIPSHUT\r", "\r\nSHUT OK\r\n")
	},
	closedByBroker: func(w *bytes.Buffer) {
		w.WriteString("\r\nCLOSED\r\n")
		exchange(w, "AT+CIPSHUT\r", "\r\nSHUT OK\r\n")
	},
}

// Quectel is the EC2x/BG9x TCP/IP set: socket 0 opened in direct push mode
// (access mode 1), sending hex with AT+QISENDEX (at most 512 bytes), the
// data pushed after +QIURC: "recv",<id>,<n> and a CR LF.
var Quectel = Family{
	Name:    "quectel",
	MaxSend: 512,
	open: func(w *bytes.Buffer, host string, port int) {
		exchange(w, "AT\r", "\r\nOK\r\n")
		exchange(w, "AT+QICSGP=1,1,\"internet\",\"\",\"\",1\r", "\r\nOK\r\n")
		exchange(w, "AT+QIACT=1\r", "\r\nOK\r\n")
		exchange(w, fmt.Sprintf("AT+QIOPEN=1,0,\"TCP\",\"%s\",%d,0,1\r", host, port), "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
	},
	send: func(w *bytes.Buffer, b []byte) {
		exchange(w, fmt.Sprintf("AT+QISENDEX=0,\"%s\"\r", strings.ToUpper(hex.EncodeToString(b))), "\r\nSEND OK\r\n")
	},
	recv: func(w *bytes.Buffer, b []byte) {
		fmt.Fprintf(w, "\r\n+QIURC: \"recv\",0,%d\r\n%s\r\n", len(b), b)
	},
	closeByDevice: func(w *bytes.Buffer) {
		exchange(w, "AT+QICLOSE=0\r", "\r\nOK\r\n")
		exchange(w, "AT+QIDEACT=1\r", "\r\nOK\r\n")
	},
	closedByBroker: func(w *bytes.Buffer) {
		w.WriteString("\r\n+QIURC: \"closed\",0\r\n")
		exchange(w, "AT+QICLOSE=0\r", "\r\nOK\r\n")
		exchange(w, "AT+QIDEACT=1\r", "\r\nOK\r\n")
	},
}

// ESPAT is Espressif's ESP-AT in single-connection normal transmission mode:
// AT+CIPSEND=<n>, OK and the '>' prompt, "Recv <n> bytes" and SEND OK, data
// arriving as +IPD,<n>:. Commands end with CR LF, as ESP-AT requires.
var ESPAT = Family{
	Name:    "espat",
	MaxSend: 2048,
	open: func(w *bytes.Buffer, host string, port int) {
		exchange(w, "AT\r\n", "\r\nOK\r\n")
		exchange(w, "AT+CWMODE=1\r\n", "\r\nOK\r\n")
		exchange(w, "AT+CWJAP=\"fieldnet\",\"wifi-pass-123\"\r\n", "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n")
		exchange(w, "AT+CIPMUX=0\r\n", "\r\nOK\r\n")
		exchange(w, fmt.Sprintf("AT+CIPSTART=\"TCP\",\"%s\",%d\r\n", host, port), "CONNECT\r\n\r\nOK\r\n")
	},
	send: func(w *bytes.Buffer, b []byte) {
		exchange(w, fmt.Sprintf("AT+CIPSEND=%d\r\n", len(b)), "\r\nOK\r\n\r\n>")
		exchange(w, string(b), fmt.Sprintf("\r\nRecv %d bytes\r\n\r\nSEND OK\r\n", len(b)))
	},
	recv: func(w *bytes.Buffer, b []byte) {
		fmt.Fprintf(w, "\r\n+IPD,%d:%s", len(b), b)
	},
	closeByDevice: func(w *bytes.Buffer) {
		exchange(w, "AT+CIPCLOSE\r\n", "CLOSED\r\n\r\nOK\r\n")
	},
	closedByBroker: func(w *bytes.Buffer) {
		w.WriteString("CLOSED\r\n")
	},
}

// Families are the renderers, by name.
var Families = []Family{SIM800, Quectel, ESPAT}
