package dialect

import "atscope/decode"

// u-blox SARA-R4/R5, SARA-U2, LARA-R6, TOBY TCP sockets (+USO*): how
// TinyGSM's u-blox and SARA-R4 clients push MQTT packets through a socket
// [docs/socket-dialects.md §5; u-blox AT commands manual §25].
//
//	command / line                         op        result, data                                   source
//	AT+USOCR=6[,<local_port>]              (setup)   +USOCR: <socket>, OK                           §25.3
//	AT+USOSEC=<socket>,1,<profile>         (config)  TLS on the socket (the module ends it: plain MQTT in the log)  §25.4
//	AT+USOCO=<socket>,"<host>",<port>[,1]  open      OK | ERROR; with 1: OK, then +UUSOCO: <socket>,<err>  §25.9
//	AT+USOWR=<socket>,<n>,"<data>"         (bytes)   +USOWR: <socket>,<n>, OK (text; hex after AT+UDCONF=1,1)  §25.10
//	AT+USOWR=<socket>,<n>                  (bytes)   @, n bytes, +USOWR: <socket>,<n>, OK          §25.10
//	+UUSORD: <socket>,<n>                  -         data waits                                    §25.12
//	AT+USORD=<socket>,<n>                  (bytes)   +USORD: <socket>,<n>,"<data>" (2n hex digits in hex mode), OK  §25.12
//	+UUSOCL: <socket>                      link      closed by the remote or the network           §25.7
//	AT+USOCL=<socket>                      close     OK                                            §25.7
//	AT+UDCONF=1,<0|1>                      (config)  hex mode for USOWR and USORD                  §25.16
var ubloxSock = &Dialect{
	Name:       "ublox-tcp",
	Doc:        "u-blox TCP sockets (AT+USOCR/USOCO/USOWR, +UUSORD/AT+USORD): the MQTT packets inside are decoded",
	Modules:    "u-blox SARA-R4/R5, SARA-U2, LARA-R6, TOBY used as a TCP socket (TinyGSM u-blox, SARA-R4)",
	Evidence:   ubloxSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "ublox-tcp") },
	Facts: Facts{
		Commands: []Command{
			{Name: "+USOCR", Op: OpSetup, NotOp: true, Args: []ArgRole{ArgOther, ArgOther}, Cite: "u-blox AT manual §25.3: +USOCR: <socket>"},
			{Name: "+USOSEC", NotOp: true, Args: []ArgRole{ArgClient, ArgOther, ArgOther}, Cite: "u-blox AT manual §25.4"},
			{Name: "+USOCO", Op: OpOpen, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgHost, ArgPort, ArgOther}, Cite: "u-blox AT manual §25.9: OK | ERROR (+UUSOCO with async)"},
			{Name: "+USOWR", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen, ArgPayload}, Cite: "u-blox AT manual §25.10: text, hex, or @ then n bytes; +USOWR: <socket>,<n>"},
			{Name: "+USORD", NotOp: true, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "u-blox AT manual §25.12: +USORD: <socket>,<n>,\"<data>\""},
			{Name: "+USOCL", Op: OpClose, Args: []ArgRole{ArgClient}, Cite: "u-blox AT manual §25.7"},
			{Name: "+UDCONF", NotOp: true, Cite: "u-blox AT manual §25.16: =1,1 hex mode"},
			{Name: "+UUSORD", URC: true, NotOp: true, Result: ResultUnsolicited, Cite: "u-blox AT manual §25.12: +UUSORD: <socket>,<n>"},
			{Name: "+UUSOCL", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "u-blox AT manual §25.7: +UUSOCL: <socket>"},
			{Name: "+UUSOCO", URC: true, Op: OpOpen, Result: ResultUnsolicited, Cite: "u-blox AT manual §25.9: +UUSOCO: <socket>,<err>"},
		},
		Manual: "the u-blox AT commands manual, section 25",
	},
}

func init() { Register(ubloxSock) }

var ubloxSockNames = map[string]int{
	"+USOCR": 10, "+USOCO": 10, "+USOWR": 10, "+USORD": 10, "+UUSORD": 10, "+UUSOCL": 10, "+USOCL": 10, "+UUSOCO": 10, "+USOSEC": 5,
}

func ubloxSockEvidence(ev *decode.Event) int { return ubloxSockNames[ev.Name] }
