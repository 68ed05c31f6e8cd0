package dialect

import "atscope/decode"

// SIMCom SIM800/SIM900/SIM808/SIM7000 TCP/IP "CIP" set: no MQTT commands at
// all, so an MQTT device on these modules builds the packets itself
// (PubSubClient over TinyGSM) and sends them through a socket
// [docs/socket-dialects.md §1; SIM800 Series TCP/IP Application Note; SIM800
// AT Command Manual; SIM7000 AT Command Manual §8.2].
//
//	command / line                              op        result, data                                 source
//	AT+CIPSTART=[<id>,]"TCP"|"SSL","<host>","<port>"  open  OK, then CONNECT OK | ALREADY CONNECT | CONNECT FAIL ("<id>, " first with CIPMUX=1)  AN §2.2, manual CIPSTART
//	AT+CIPSEND[=[<id>,]<n>]                     (bytes)   > , n bytes or up to Ctrl-Z, SEND OK | SEND FAIL | DATA ACCEPT:<n> (CIPQSEND=1)  manual CIPSEND, CIPQSEND
//	+IPD,<n>:<data>  (AT+CIPHEAD=1)             (bytes)   n bytes right after ':'                          manual CIPHEAD
//	+RECEIVE,<id>,<n>:  (CIPMUX=1)              (bytes)   n bytes on the next line                         manual CIPMUX
//	AT+CIPRXGET=2|3,[<id>,]<len>                (bytes)   +CIPRXGET: 2|3,[<id>,]<req>,<left>, data (mode 3 hex), OK  manual CIPRXGET
//	+CIPRXGET: 1[,<id>]                         -         data waits in the module                         manual CIPRXGET
//	CLOSED / <id>, CLOSED                       link      the server or network closed the socket          AN §2.3
//	AT+CIPCLOSE[=<id>[,<quick>]]                close     CLOSE OK | ERROR                                 manual CIPCLOSE
//	AT+CIPSHUT                                  close     SHUT OK (every socket)                           manual CIPSHUT
//	AT+CIPMUX=0|1                               (config)  link ids in commands and results                 manual CIPMUX
//	+PDP: DEACT                                 link      the bearer is gone, every socket with it         AN §2.4
//
// The MQTT ops come from the bytes (socket_mqtt.go); the client index is
// the link id (0 in single-connection mode).
var simcomCIP = &Dialect{
	Name:       "simcom-cip",
	Doc:        "SIMCom SIM800/SIM900/SIM7000 TCP sockets (AT+CIPSTART/CIPSEND, +IPD): the MQTT packets inside are decoded",
	Modules:    "SIMCom SIM800, SIM800L, SIM808, SIM900, SIM7000 (TCP/IP CIP commands, no MQTT commands)",
	Evidence:   cipSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "simcom-cip") },
	Facts:      simcomCIPFacts,
}

func init() { Register(simcomCIP) }

// cipSockNames score the SIMCom CIP set: its own names fully; the names it
// shares with ESP-AT's socket set a little more than ESP-AT does, so that a
// log of nothing but AT+CIPSEND traffic reads as this set (the machine is
// the same).
var cipSockNames = map[string]int{
	"+CIPSHUT": 10, "+CSTT": 10, "+CIICR": 10, "+CIFSR": 5, "+CIPHEAD": 10, "+CIPRXGET": 10, "+CIPQSEND": 10,
	"+RECEIVE": 10, "CONNECT OK": 10, "CONNECT FAIL": 10, "ALREADY CONNECT": 10, "SHUT OK": 10, "CLOSE OK": 10,
	"DATA ACCEPT": 10, "+PDP": 5, "+CIPSRIP": 10,
	"+CIPSTART": 4, "+CIPSEND": 4, "+IPD": 4, "+CIPCLOSE": 4, "CLOSED": 3, "SEND OK": 3, "SEND FAIL": 3,
}

func cipSockEvidence(ev *decode.Event) int { return cipSockNames[ev.Name] }
