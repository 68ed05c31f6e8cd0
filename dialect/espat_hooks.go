package dialect

import (
	"maps"
	"slices"
	"strings"

	"atscope/decode"
)

// espBare are the ESP-AT lines without a "+NAME:" prefix; true marks a
// final result code [dialects.md §1.2, §1.5, §3.3; Basic AT Commands, "AT
// Messages"]. "busy p..." (and "busy s..." while sending) are matched by
// prefix, "ERR CODE:0x..." too.
var espBare = map[string]bool{
	"ready": false, "WIFI CONNECTED": false, "WIFI GOT IP": false, "WIFI DISCONNECT": false,
	"ALREADY SUBSCRIBE": false, "NO UNSUBSCRIBE": false, "SEND OK": true, "SEND FAIL": true,
}

// espDigits reports whether s is a non-empty run of decimal digits.
func espDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// espatHooks tells the tokenizer how ESP-AT payloads are framed and names
// its bare lines.
type espatHooks struct{}

// claims: Bare also knows "busy ...", "ERR CODE:..." and "+MQTTPUB:OK".
func (espatHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: slices.Concat(slices.Collect(maps.Keys(espatNames)), slices.Collect(maps.Keys(cipNames)))},
		claim{names: []string{"+MQTTSUBRECV"}}, espBareLines.firsts() + "bE+"
}

func (espatHooks) Payload(cmd *decode.Event) decode.Framing {
	switch cmd.Name {
	case "+MQTTPUBRAW":
		if f, ok := countFraming(strArg(splitArgs(cmd.Args, 0), 2)); ok {
			return f
		}
	case "+MQTTLONGCLIENTID", "+MQTTLONGUSERNAME", "+MQTTLONGPASSWORD":
		if f, ok := countFraming(strArg(splitArgs(cmd.Args, 0), 1)); ok {
			return f
		}
	}
	if espatNames[cmd.Name] || cipNames[cmd.Name] {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail makes a +MQTTSUBRECV payload with line breaks one event: its length
// says how many bytes follow the line's end.
func (espatHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+MQTTSUBRECV" {
		return 0, 0
	}
	r, ok := parseEspRecv(ev.Args)
	if !ok || r.n <= len(r.data) {
		return 0, 0
	}
	return r.n - len(r.data), 0
}

// espBareLines looks lines up in espBare.
var espBareLines = newBareLines(espBare)

func (espatHooks) Bare(text string) (string, bool, bool) {
	if final, ok := espBareLines.lookUp(text); ok {
		return text, final, true
	}
	switch {
	case strings.HasPrefix(text, "busy ") && len(text) <= 12:
		return text, true, true // "busy p...", "busy s..."
	case strings.HasPrefix(text, "ERR CODE:"):
		return "ERR CODE", false, true
	case strings.EqualFold(text, "+MQTTPUB:OK"), strings.EqualFold(text, "+MQTTPUB:FAIL"):
		// The outcome of AT+MQTTPUBRAW, a final line of its own: it also
		// ends a payload the log does not show.
		return "+MQTTPUB", true, true
	}
	return "", false, false
}
