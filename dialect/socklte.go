package dialect

import (
	"strings"

	"atscope/decode"
)

// SIMCom SIM7500/SIM7600/SIM7800 and A76xx LTE TCP/IP set ("NETOPEN/CIPOPEN")
// [docs/socket-dialects.md §2; SIM7500_SIM7600 Series TCPIP AT Command
// Manual; A76XX Series TCPIP Application Note; TinyGSM SIM7600.h].
//
//	command / line                               op        result, data                                source
//	AT+NETOPEN                                   (setup)   OK, then +NETOPEN: <err>                    TCPIP manual NETOPEN
//	AT+CIPOPEN=<link>,"TCP","<host>",<port>      open      OK, then +CIPOPEN: <link>,<err> (0 ok)      TCPIP manual CIPOPEN
//	AT+CIPSEND=<link>,<n> | =<link>,             (bytes)   >, n bytes | up to Ctrl-Z, OK, +CIPSEND: <link>,<req>,<cnf>  TCPIP manual CIPSEND
//	RECV FROM:<ip>:<port>, +IPD<n>               (bytes)   n bytes on the next line; the link is not named  §2.2
//	AT+CIPRXGET=2|3,<link>,<len>                 (bytes)   +CIPRXGET: 2|3,<link>,<read>,<rest>, data, OK  TCPIP manual CIPRXGET
//	+IPCLOSE: <link>,<reason>                    link      the link closed (0 local, 1 remote)          TCPIP manual
//	AT+CIPCLOSE=<link>                           close     OK, then +CIPCLOSE: <link>,<err>            TCPIP manual CIPCLOSE
//	+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY       link      the PDP context dropped: every link is gone TCPIP manual
//
// Only one link's data can be placed when "+IPD<n>" arrives: with several
// links open the machine takes link 0 (the header does not say).
var simcomLTE = &Dialect{
	Name:       "simcom-lte",
	Doc:        "SIMCom SIM7500/SIM7600/A76xx TCP sockets (AT+NETOPEN/CIPOPEN/CIPSEND, +IPD<n>): the MQTT packets inside are decoded",
	Modules:    "SIMCom SIM7500, SIM7600, SIM7800, A7670/A7672 used as a TCP socket (TinyGSM SIM7600)",
	Evidence:   lteSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "simcom-lte") },
	Facts: Facts{
		Commands: []Command{
			{Name: "+NETOPEN", Op: OpSetup, NotOp: true, Cite: "SIM7500_SIM7600 TCPIP manual NETOPEN: OK, +NETOPEN: <err>"},
			{Name: "+CIPOPEN", Op: OpOpen, Result: ResultURC, Args: []ArgRole{ArgClient, ArgOther, ArgHost, ArgPort}, Cite: "SIM7500_SIM7600 TCPIP manual CIPOPEN: OK, +CIPOPEN: <link>,<err>"},
			{Name: "+CIPSEND", NotOp: true, Result: ResultPrompt, Cite: "SIM7500_SIM7600 TCPIP manual CIPSEND: >, data, OK, +CIPSEND: <link>,<req>,<cnf>"},
			{Name: "+CIPCLOSE", Op: OpClose, Result: ResultURC, Cite: "SIM7500_SIM7600 TCPIP manual CIPCLOSE: OK, +CIPCLOSE: <link>,<err>"},
			{Name: "+NETCLOSE", Op: OpSetup, NotOp: true, Cite: "SIM7500_SIM7600 TCPIP manual NETCLOSE"},
			{Name: "+IPCLOSE", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "SIM7500_SIM7600 TCPIP manual: +IPCLOSE: <link>,<reason>"},
			{Name: "+CIPEVENT", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "SIM7500_SIM7600 TCPIP manual: NETWORK CLOSED UNEXPECTEDLY"},
			{Name: "RECV FROM", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "docs/socket-dialects.md §2.2: RECV FROM:<ip>:<port> before +IPD<n>"},
		},
		Success: []string{},
		Manual:  "the SIM7500/SIM7600 TCPIP AT command manual",
	},
}

func init() { Register(simcomLTE) }

var lteSockNames = map[string]int{
	"+NETOPEN": 10, "+CIPOPEN": 10, "+IPCLOSE": 10, "+NETCLOSE": 10, "+CIPEVENT": 5, "RECV FROM": 3,
}

func lteSockEvidence(ev *decode.Event) int {
	if s := lteSockNames[ev.Name]; s > 0 {
		return s
	}
	if len(ev.Name) > 4 && strings.HasPrefix(ev.Name, "+IPD") && ev.Name[4] >= '0' && ev.Name[4] <= '9' {
		return 10
	}
	return 0
}
