package dialect

// The socket families' tables (issue 13's Facts), one per dialect. The
// MQTT ops do not come from these rows but from the bytes the sends and
// receives carry (socket_mqtt.go); the rows say what each command and line
// is, which arguments are hosts and ports, and the codes they report
// [docs/socket-dialects.md].

// cipStartArgs are AT+CIPSTART's roles: [<id>,]"TCP","<host>",<port>.
func cipStartArgs(args []string) []ArgRole {
	if _, isID := atoi(strArg(args, 0)); isID {
		return []ArgRole{ArgClient, ArgOther, ArgHost, ArgPort, ArgKeepAlive}
	}
	return []ArgRole{ArgOther, ArgHost, ArgPort, ArgKeepAlive}
}

// sockSendArgs are AT+CIPSEND's and AT+CIPSENDEX's roles: [<id>,]<n>.
func sockSendArgs(args []string) []ArgRole {
	if len(args) >= 2 {
		return []ArgRole{ArgClient, ArgPayloadLen}
	}
	return []ArgRole{ArgPayloadLen}
}

// sendFailAdvice is what a SEND FAIL (the module refused to send the bytes
// on its socket) asks of the host.
const sendFailAdvice = "The module could not send on the socket: it is closed (the broker or the network ended it, often right after a refused CONNECT) or its send buffer is full. " +
	"Check the socket's state before sending, wait for each send's answer before the next, and after a failure reopen the socket and start the MQTT session again with CONNECT."

var simcomCIPFacts = Facts{
	Commands: []Command{
		{Name: "+CIPSTART", Op: OpOpen, Result: ResultLine, ArgsOf: cipStartArgs, Cite: "SIM800 AT manual CIPSTART; docs/socket-dialects.md §1.1: OK, then CONNECT OK | ALREADY CONNECT | CONNECT FAIL"},
		{Name: "+CIPSEND", NotOp: true, Result: ResultPrompt, ArgsOf: sockSendArgs, Cite: "SIM800 AT manual CIPSEND; §1.2: > , n bytes or up to Ctrl-Z, SEND OK | SEND FAIL | DATA ACCEPT"},
		{Name: "+CIPCLOSE", Op: OpClose, Cite: "SIM800 AT manual CIPCLOSE; §1.5: CLOSE OK | ERROR (argument roles: cipmqtt's row)"},
		{Name: "+CIPSHUT", Op: OpClose, Cite: "SIM800 AT manual CIPSHUT; §1.5: SHUT OK, every socket closed"},
		{Name: "+CIPMUX", NotOp: true, Args: []ArgRole{ArgOther}, Cite: "SIM800 AT manual CIPMUX; §1.1"},
		{Name: "+CIPHEAD", NotOp: true, Args: []ArgRole{ArgOther}, Cite: "SIM800 AT manual CIPHEAD; §1.3: +IPD,<n>: before received data"},
		{Name: "+CIPQSEND", NotOp: true, Args: []ArgRole{ArgOther}, Cite: "SIM800 AT manual CIPQSEND; §1.2: DATA ACCEPT instead of SEND OK"},
		{Name: "+CIPRXGET", NotOp: true, Args: []ArgRole{ArgOther, ArgClient, ArgPayloadLen}, Cite: "SIM800 AT manual CIPRXGET; §1.4: modes 1-4, 3 hex"},
		{Name: "+CSTT", NotOp: true, Cite: "SIM800 AT manual CSTT; §1.1 (argument roles: simcom's row)"},
		{Name: "CONNECT OK", URC: true, Op: OpOpen, Result: ResultUnsolicited, Cite: "SIM800 TCP/IP AN; §1.1"},
		{Name: "CONNECT FAIL", URC: true, Op: OpOpen, Result: ResultUnsolicited, Advice: sockOpenReasons["CONNECT FAIL"], Cite: "SIM800 TCP/IP AN; §1.1"},
		{Name: "ALREADY CONNECT", URC: true, Op: OpOpen, Result: ResultUnsolicited, Advice: sockOpenReasons["ALREADY CONNECT"], Cite: "SIM800 TCP/IP AN; §1.1"},
		{Name: "+IPD", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "SIM800 AT manual CIPHEAD; §1.3: +IPD,<n>:<data>"},
		{Name: "+RECEIVE", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "SIM800 AT manual CIPMUX; §1.3: +RECEIVE,<id>,<n>: then data"},
		{Name: "CLOSED", URC: true, Op: OpLink, Result: ResultUnsolicited, Advice: "the server or the network closed the socket; right after an MQTT CONNECT it is usually the broker refusing the client (client ID, user name, password)", Cite: "SIM800 TCP/IP AN; §1.5"},
		{Name: "+PDP", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "SIM800 TCP/IP AN; §1.5: +PDP: DEACT, the bearer is gone"},
		{Name: "SEND FAIL", URC: true, NotOp: true, Result: ResultUnsolicited, Advice: sendFailAdvice, Cite: "SIM800 AT manual CIPSEND; §1.2: SEND FAIL"},
	},
	Success: []string{"SEND OK", "CLOSE OK", "SHUT OK", "DATA ACCEPT"},
	Manual:  "the SIM800 Series TCP/IP Application Note",
}

var quectelSockFacts = Facts{
	Commands: []Command{
		{Name: "+QIOPEN", Op: OpOpen, Result: ResultURC, Args: []ArgRole{ArgOther, ArgClient, ArgOther, ArgHost, ArgPort, ArgOther, ArgOther},
			Codes: quectelSockCodes(), CodeField: -1, Cite: "BG96 TCP/IP AN §2.2.4; docs/socket-dialects.md §3.1: OK, then +QIOPEN: <id>,<err>"},
		{Name: "+QISEND", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "BG96 TCP/IP AN §2.2.7: >, n bytes or Ctrl-Z, SEND OK | SEND FAIL | ERROR"},
		{Name: "+QISENDEX", NotOp: true, Args: []ArgRole{ArgClient, ArgOther}, Cite: "BG96 TCP/IP AN §2.2.9: hex, at most 512 bytes; SEND OK | SEND FAIL | ERROR"},
		{Name: "+QIRD", NotOp: true, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "BG96 TCP/IP AN §2.2.8: +QIRD: <n>, data, OK"},
		{Name: "+QICLOSE", Op: OpClose, Args: []ArgRole{ArgClient, ArgOther}, Cite: "BG96 TCP/IP AN §2.2.5"},
		{Name: "+QICFG", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgOther}, Cite: "LTE Standard TCP/IP AN §2.1.1: \"dataformat\",<send>,<recv>"},
		{Name: "+QIURC", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "BG95 TCP/IP AN §2.3.4: \"recv\",<id>[,<n>]; \"closed\",<id>"},
		{Name: "SEND FAIL", URC: true, NotOp: true, Result: ResultUnsolicited, Advice: sendFailAdvice, Cite: "BG96 TCP/IP AN §2.2.7: SEND FAIL, the send buffer is full"},
	},
	Success: []string{"SEND OK"},
	Manual:  "the Quectel TCP/IP application note",
}

func quectelSockCodes() []Code {
	codes := make([]Code, 0, len(quectelSocketErrors))
	for _, n := range sortedKeys(quectelSocketErrors) {
		codes = append(codes, Code{N: n, Meaning: quectelSocketErrors[n]})
	}
	return codes
}

var espSockFacts = Facts{
	Commands: []Command{
		{Name: "+CIPSTART", Op: OpOpen, Result: ResultLine, Cite: "ESP-AT TCP/IP AT Commands, CIPSTART; docs/socket-dialects.md §4.1: CONNECT, OK | ERROR (argument roles: simcom-cip's row)"},
		{Name: "+CIPSEND", NotOp: true, Result: ResultPrompt, Cite: "ESP-AT CIPSEND; §4.2: OK, >, n bytes, Recv <n> bytes, SEND OK | SEND FAIL (argument roles: simcom-cip's row)"},
		{Name: "+CIPSENDEX", NotOp: true, Result: ResultPrompt, ArgsOf: sockSendArgs, Cite: "ESP-AT CIPSENDEX; §4.2"},
		{Name: "+CIPRECVDATA", NotOp: true, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "ESP-AT CIPRECVDATA; §4.3: +CIPRECVDATA:<n>,<data>"},
		{Name: "+CIPRECVMODE", NotOp: true, Args: []ArgRole{ArgOther}, Cite: "ESP-AT CIPRECVMODE; §4.3"},
		{Name: "+CIPCLOSE", Op: OpClose, Cite: "ESP-AT CIPCLOSE; §4.4: CLOSED, OK | ERROR"},
		{Name: "+CIPMUX", NotOp: true, Cite: "ESP-AT CIPMUX; §4.1"},
		{Name: "+IPD", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "ESP-AT TCP/IP AT Examples; §4.3: +IPD,[<id>,]<n>:<data>"},
		{Name: "Recv", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "ESP-AT CIPSEND; §4.2: Recv <n> bytes"},
		{Name: "CLOSED", URC: true, Op: OpLink, Result: ResultUnsolicited, Advice: "the socket closed; right after an MQTT CONNECT it is usually the broker refusing the client", Cite: "ESP-AT CIPCLOSE; §4.4"},
		{Name: "SEND FAIL", URC: true, NotOp: true, Result: ResultUnsolicited, Advice: sendFailAdvice, Cite: "ESP-AT CIPSEND; §4.2: SEND FAIL"},
	},
	Success: []string{"SEND OK"},
	WiFi:    true,
	Manual:  "the ESP-AT TCP/IP AT command reference",
}
