package dialect

import (
	"strings"

	"atscope/decode"
)

// simcomHooks tells the tokenizer how CMQTT payloads are framed.
type simcomHooks struct{}

func (simcomHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{prefixes: []string{"+CMQTT"}}, claim{names: []string{"+CMQTTRXTOPIC", "+CMQTTRXPAYLOAD", "+CMQTTRECV"}}, ""
}

// Payload counts the bytes after the prompt of each loading command and of
// the prompt forms of CMQTTSUB, CMQTTUNSUB and the A76xx CMQTTPUB.
func (simcomHooks) Payload(cmd *decode.Event) decode.Framing {
	if !strings.HasPrefix(cmd.Name, "+CMQTT") {
		return decode.Framing{}
	}
	none := decode.Framing{Kind: decode.FrameNone}
	if cmd.Form != decode.FormWrite {
		return none
	}
	args := splitArgs(cmd.Args, 0)
	count := func(i int) decode.Framing {
		if f, ok := countFraming(strArg(args, i)); ok {
			return f
		}
		return decode.Framing{} // length missing: up to the module's answer
	}
	switch cmd.Name {
	case "+CMQTTTOPIC", "+CMQTTPAYLOAD", "+CMQTTSUBTOPIC", "+CMQTTUNSUBTOPIC", "+CMQTTWILLTOPIC", "+CMQTTWILLMSG":
		return count(1)
	case "+CMQTTSUB", "+CMQTTUNSUB":
		if len(args) >= 3 && looksNumeric(strings.TrimSpace(args[1])) { // "1e30" too: a bad length
			return count(1)
		}
	case "+CMQTTPUB":
		if len(args) >= 4 && !isNumber(args[1]) {
			return count(3)
		}
	}
	return none
}

// Tail makes the topic or payload chunk after +CMQTTRXTOPIC/+CMQTTRXPAYLOAD
// one data event, and a +CMQTTRECV payload with line breaks one event.
func (simcomHooks) Tail(ev *decode.Event) (int, int) {
	switch ev.Name {
	case "+CMQTTRXTOPIC", "+CMQTTRXPAYLOAD":
		if n := intArg(splitArgs(ev.Args, 0), 1, 0); n > 0 && n <= 1<<20 {
			return 0, n
		}
	case "+CMQTTRECV":
		f := splitArgs(ev.Args, 4)
		if len(f) != 4 || !isNumber(f[2]) {
			return 0, 0
		}
		n, _ := atoi(f[2])
		body := strings.TrimPrefix(f[3], `"`)
		if have := len(body); n > 2 && have < n && n-have <= 1<<20 {
			return n - have, 0
		}
	}
	return 0, 0
}

func (simcomHooks) Bare(string) (string, bool, bool) { return "", false, false }
