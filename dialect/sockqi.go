package dialect

import "atscope/decode"

// Quectel TCP/IP socket commands (EC2x, EG9x, BG95/BG96/BG77, EC200/EC600):
// how TinyGSM's BG96 client and other MCU MQTT libraries push packets
// through a socket [docs/socket-dialects.md §3; BG96 TCP/IP Application
// Note §2.2; BG95&BG77&BG600L TCP/IP Application Note §2.3].
//
//	command / line                                   op        result, data                               source
//	AT+QIOPEN=<ctx>,<id>,"TCP","<host>",<port>[,<local>[,<mode>]]  open  OK, then +QIOPEN: <id>,<err> (0 ok, 550-574)  BG96 AN §2.2.4
//	AT+QISEND=<id>,<n> | =<id>                       (bytes)   >, n bytes | up to Ctrl-Z, SEND OK | SEND FAIL | ERROR  §2.2.7
//	AT+QISEND=<id>,0                                 -         +QISEND: <total>,<acked>,<unacked>        §2.2.7
//	AT+QISENDEX=<id>,"<hex>"                         (bytes)   SEND OK | SEND FAIL | ERROR (at most 512 bytes)  §2.2.9
//	+QIURC: "recv",<id>,<n>  (access mode 1)         (bytes)   n bytes on the next line (2n hex digits with dataformat recv 1)  BG95 AN §2.3.4
//	+QIURC: "recv",<id>  (access mode 0)             -         data waits: AT+QIRD reads it               §2.2.8
//	AT+QIRD=<id>[,<len>]                             (bytes)   +QIRD: <n>, n bytes, OK                    §2.2.8
//	+QIURC: "closed",<id>                            link      the remote closed the socket               §2.2.12
//	AT+QICLOSE=<id>[,<timeout>]                      close     OK | ERROR                                 §2.2.5
//	AT+QICFG="dataformat",<send>,<recv>              (config)  1: hex for QISEND's data, for recv/QIRD    LTE Standard TCP/IP AN §2.1.1
var quectelSock = &Dialect{
	Name:       "quectel-tcp",
	Doc:        "Quectel TCP sockets (AT+QIOPEN/QISEND/QISENDEX, +QIURC \"recv\"): the MQTT packets inside are decoded",
	Modules:    "Quectel EC2x, EG9x, BG95/BG96/BG77, EC200/EC600 used as a TCP socket (TinyGSM BG96 and others)",
	Evidence:   qiSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "quectel-tcp") },
	Facts:      quectelSockFacts,
}

func init() { Register(quectelSock) }

var qiSockNames = map[string]int{
	"+QIOPEN": 10, "+QISEND": 10, "+QISENDEX": 10, "+QIRD": 10, "+QICLOSE": 10, "+QISTATE": 5, "+QIURC": 2,
}

func qiSockEvidence(ev *decode.Event) int { return qiSockNames[ev.Name] }

// quectelSocketErrors explains the <err> of +QIOPEN and the CME errors of
// the socket commands [dialects.md §1, TCP/IP error codes].
var quectelSocketErrors = map[int]string{
	550: "unknown error", 551: "operation blocked", 552: "invalid parameters", 553: "memory not enough",
	554: "create socket failed", 555: "operation not supported", 556: "socket bind failed", 557: "socket listen failed",
	558: "socket write failed", 559: "socket read failed", 560: "socket accept failed", 561: "open PDP context failed",
	562: "close PDP context failed", 563: "socket identity has been used", 564: "DNS busy", 565: "DNS parse failed",
	566: "socket connect failed", 567: "socket has been closed", 568: "operation busy", 569: "operation timeout",
	570: "PDP context broken down", 571: "cancel send", 572: "operation not allowed", 573: "APN not configured",
	574: "port busy",
}
