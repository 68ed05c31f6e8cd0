package dialect

import (
	"strings"

	"atscope/decode"
	"atscope/mqttstream"
)

// Nordic nRF91 Serial LTE Modem sockets (#XSOCKET): the NCS 1.x-2.x syntax
// with one selected socket, and the newer one with the handle in every
// command [docs/socket-dialects.md §6; nRF Connect SDK SLM socket AT
// commands].
//
//	command / line                                     op        result, data                              source
//	AT#XSOCKET=1,1,0 | AT#XSSOCKET=1,1,0,<tag>         (setup)   #XSOCKET: <handle>,1,6, OK                SLM XSOCKET, XSSOCKET
//	AT#XCONNECT=[<handle>,]"<host>",<port>             open      #XCONNECT: [<handle>,]1 (0: not), OK      SLM XCONNECT
//	AT#XSEND="<text>" | =<handle>,<mode>,<flags>,"<d>" (bytes)   #XSEND: [<handle>,]<n>, OK (mode 1 hex)   SLM XSEND
//	AT#XSEND | =<handle>,2,...                         (bytes)   OK, data mode: bytes up to +++, #XDATAMODE: 0  SLM data mode
//	AT#XRECV=<timeout>[,<flags>] | =<handle>,...       (bytes)   #XRECV: [<handle>,<mode>,]<n>, n bytes, OK  SLM XRECV
//	AT#XSOCKET=0 | AT#XCLOSE=<handle>                  close     #XSOCKET: 0,"closed" | #XCLOSE: <handle>,0, OK  SLM XSOCKET, XCLOSE
var nordicSock = &Dialect{
	Name:       "nordic-tcp",
	Doc:        "Nordic nRF91 Serial LTE Modem TCP sockets (AT#XSOCKET/XCONNECT/XSEND/XRECV): the MQTT packets inside are decoded",
	Modules:    "nRF9160/nRF9161/nRF9151 with the Serial LTE Modem application, used as a TCP socket",
	Evidence:   nordicSockEvidence,
	Hooks:      sockHooks{},
	NewMachine: func(file string) Machine { return newSockMachine(file, "nordic-tcp") },
	Facts: Facts{
		Commands: []Command{
			{Name: "#XSOCKET", Op: OpClose, Args: []ArgRole{ArgOther, ArgOther, ArgOther}, Cite: "SLM XSOCKET: =1,1,0 opens (#XSOCKET: <handle>,1,6), =0 closes (#XSOCKET: 0,\"closed\")"},
			{Name: "#XSSOCKET", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgOther, ArgOther}, Cite: "SLM XSSOCKET: TLS socket"},
			{Name: "#XCONNECT", Op: OpOpen, Result: ResultURC, ArgsOf: slmConnectArgs, Cite: "SLM XCONNECT: #XCONNECT: [<handle>,]1"},
			{Name: "#XSEND", NotOp: true, Cite: "SLM XSEND: #XSEND: [<handle>,]<n>; no argument: data mode up to +++"},
			{Name: "#XRECV", NotOp: true, Cite: "SLM XRECV: #XRECV: [<handle>,<mode>,]<n>, then the data"},
			{Name: "#XCLOSE", Op: OpClose, Args: []ArgRole{ArgClient}, Cite: "SLM migration notes: #XCLOSE: <handle>,0"},
		},
		Manual: "the nRF Connect SDK Serial LTE Modem socket AT commands",
	},
}

func init() { Register(nordicSock) }

var nordicSockNames = map[string]int{"#XSOCKET": 10, "#XSSOCKET": 10, "#XCONNECT": 10, "#XSEND": 10, "#XRECV": 10, "#XCLOSE": 10}

func nordicSockEvidence(ev *decode.Event) int { return nordicSockNames[ev.Name] }

// slmConnectArgs: [<handle>,]"<host>",<port>.
func slmConnectArgs(args []string) []ArgRole {
	if _, isID := atoi(strArg(args, 0)); isID && len(args) >= 3 {
		return []ArgRole{ArgClient, ArgHost, ArgPort}
	}
	return []ArgRole{ArgHost, ArgPort}
}

// slmCommand handles the SLM socket commands.
func (m *sockMachine) slmCommand(ev *decode.Event, args []string, emit func(*Op)) {
	handle, rest := m.slmSock, args
	if _, isID := atoi(strArg(args, 0)); isID && ev.Name != "#XSOCKET" && ev.Name != "#XSSOCKET" && ev.Name != "#XRECV" {
		handle, rest = intArg(args, 0, 0), from(args, 1)
	}
	switch ev.Name {
	case "#XSSOCKET":
		m.tlsSocks[-1] = intArg(args, 0, 0) == 1 // the next handle's
	case "#XSOCKET":
		if intArg(args, 0, -1) == 0 {
			op := m.op(m.slmSock, OpClose, ev.Name)
			op.add(ev)
			m.await(m.closing, m.slmSock, op, emit)
		}
	case "#XCONNECT":
		op := m.op(handle, OpOpen, ev.Name)
		op.add(ev)
		op.Host, op.Port, op.TLS = strArg(rest, 0), intArg(rest, 1, 0), m.tlsSocks[handle]
		m.await(m.opening, handle, op, emit)
	case "#XCLOSE":
		op := m.op(handle, OpClose, ev.Name)
		op.add(ev)
		m.await(m.closing, handle, op, emit)
	case "#XSEND":
		m.slmSend(ev, handle, rest)
	case "#XRECV":
		m.read = sockRead{link: m.slmSock, set: true}
		if len(args) >= 4 {
			m.read.link = intArg(args, 0, 0)
		}
	}
}

// slmSend starts #XSEND: inline text (or hex, mode 1), or data mode.
func (m *sockMachine) slmSend(ev *decode.Event, handle int, rest []string) {
	s := &sockSend{link: handle, evs: []evRef{refOf(ev)}}
	m.send = s
	switch {
	case ev.Form != decode.FormWrite || len(rest) >= 1 && intArg(rest, 0, -1) == 2:
		m.want = &sockWant{send: true, silent: true, link: handle}
	case len(rest) == 1: // ="<text>"
		s.payload, s.done = []byte(unquote(rest[0])), true
	case intArg(rest, 0, 0) == 1: // <mode 1 hex>,<flags>,"<hex>"
		data, err := mqttstream.ParseHex(strArg(rest, 2))
		if err != nil {
			s.problem = "the hex payload does not read: " + err.Error()
		}
		s.payload, s.done = data, true
	default:
		s.payload, s.done = []byte(strArg(rest, 2)), true
	}
}

// slmLine handles the SLM socket responses.
func (m *sockMachine) slmLine(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	switch ev.Name {
	case "#XSOCKET", "#XSSOCKET":
		if strings.Contains(ev.Args, "closed") {
			m.closed(m.slmSock, ev, emit)
			return
		}
		m.slmSock = intArg(args, 0, 0)
		m.tlsSocks[m.slmSock] = m.tlsSocks[-1]
	case "#XCONNECT":
		handle, ok := m.slmSock, intArg(args, 0, 0)
		if len(args) >= 2 {
			handle, ok = intArg(args, 0, 0), intArg(args, 1, 0)
		}
		if ok == 1 {
			m.opened(handle, ev, emit)
		} else {
			m.openFailed(handle, ev, ev.Args, emit)
		}
	case "#XCLOSE":
		m.closed(intArg(args, 0, 0), ev, emit)
	case "#XSEND":
		m.commitSend(ev, emit)
	case "#XRECV":
		n := intArg(args, max(len(args)-1, 0), -1)
		if len(args) >= 3 {
			m.read.link = intArg(args, 0, 0)
		}
		if n > 0 {
			m.startWant(&sockWant{n: n, link: m.read.link, eol: true, evs: []evRef{refOf(ev)}})
		}
	}
}
