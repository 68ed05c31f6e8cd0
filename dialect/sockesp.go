package dialect

import "atscope/decode"

// Espressif ESP-AT (ESP32, ESP32-C3/C2/C6/S2 on ESP-AT 2.x-4.x) and the
// ESP8266 NONOS AT 1.x firmware, TCP part: how WiFiEspAT, TinyGSM's
// ESP8266 client and umqtt-over-AT push MQTT packets through a socket
// [docs/socket-dialects.md §4; ESP-AT TCP/IP AT Commands and TCP/IP AT
// Examples, v2.2.0.0-v4.1.0.0; ESP8266 AT Instruction Set].
//
//	command / line                                op        result, data                                  source
//	AT+CIPSTART=[<id>,]"TCP"|"SSL","<host>",<port>  open    CONNECT ("<id>,CONNECT"), OK | ERROR (after CLOSED), ALREADY CONNECTED  CIPSTART
//	AT+CIPSEND=[<id>,]<n>                         (bytes)   OK, >, n bytes, Recv <n> bytes, SEND OK | SEND FAIL  CIPSEND
//	AT+CIPSENDEX=[<id>,]<n>                       (bytes)   as CIPSEND; also ends at the two characters \0   CIPSENDEX
//	+IPD,[<id>,]<n>[,"<ip>",<port>]:<data>        (bytes)   n bytes right after ':'                         CIPSEND example, CIPDINFO
//	+IPD,<id>,<n>  (AT+CIPRECVMODE=1)             -         n bytes wait in the module                      CIPRECVMODE
//	AT+CIPRECVDATA=<id>,<len>                     (bytes)   +CIPRECVDATA:<n>,<data> (NONOS +CIPRECVDATA,<n>:<data>), OK  CIPRECVDATA
//	CLOSED / <id>,CLOSED                          link      the socket closed                               CIPCLOSE
//	AT+CIPCLOSE[=<id>]                            close     CLOSED, OK | ERROR                              CIPCLOSE
//	AT+CIPMUX=0|1                                 (config)  link ids 0-4                                    CIPMUX
//
// The ESP-AT MQTT commands (AT+MQTTCONN...) are dialect espat: a log with
// them scores espat far higher than the socket lines here.
var espSock = &Dialect{
	Name:       "espat-tcp",
	Doc:        "Espressif ESP-AT / ESP8266 AT TCP sockets (AT+CIPSTART/CIPSEND, +IPD): the MQTT packets inside are decoded",
	Modules:    "ESP8266, ESP32, ESP32-C3/C2/C6/S2 with Espressif AT firmware, used as a TCP socket (WiFiEspAT, TinyGSM)",
	Evidence:   espSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "espat-tcp") },
	Facts:      espSockFacts,
}

func init() { Register(espSock) }

// espSockNames score the ESP-AT socket set: "Recv <n> bytes", bare CONNECT,
// CIPSENDEX and passive receive are Espressif's; the names shared with the
// SIMCom CIP set score less than SIMCom's (see cipSockNames).
var espSockNames = map[string]int{
	"Recv": 10, "+CIPSENDEX": 10, "+CIPRECVDATA": 10, "+CIPRECVMODE": 10, "+CIPRECVLEN": 10, "+CIPDINFO": 10,
	"ALREADY CONNECTED": 10, "CONNECT": 3,
	"+CIPSTART": 3, "+CIPSEND": 3, "+IPD": 3, "+CIPCLOSE": 3, "CLOSED": 2, "SEND OK": 2, "SEND FAIL": 2,
}

func espSockEvidence(ev *decode.Event) int {
	if s := espSockNames[ev.Name]; s > 0 {
		return s
	}
	return espHint(ev)
}
