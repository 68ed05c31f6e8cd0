package dialect

import (
	"fmt"
	"strconv"
	"strings"

	"atscope/decode"
)

// contextTracker turns the module-wide lines a diagnosis needs into link
// ops of ModuleClient: start-up (a reset), SIM state, registration, signal,
// PDP context activation and loss. They are the same for every dialect
// [3GPP TS 27.007 §7.2, §7.3, §8.5, §10.1.19; dialects.md §1.5-1.6]. To keep
// timelines readable, a state that is polled is reported when it changes.
type contextTracker struct {
	file string
	last map[string]string // last state reported per name
	op   *Op               // the pending bearer command's op (AT+QIACT=1)
	// identify is set while an identification command (ATI, AT+CGMM,
	// AT+CGMR, AT+QGMR, AT+GMR) awaits its answer; module collects it.
	identify bool
	module   []string
	log      *startLog // where ops report their start (Decoder.Oldest)
}

func newContextTracker(file string) *contextTracker {
	return &contextTracker{file: file, last: map[string]string{}}
}

// pdpActions and attachActions name what AT+CGACT=<state> and
// AT+CGATT=<state> do.
var (
	pdpActions    = map[int]string{0: "PDP context deactivation", 1: "PDP context activation"}
	attachActions = map[int]string{0: "packet domain detach", 1: "packet domain attach"}
)

// regDomains names the domain each registration line reports on.
var regDomains = map[string]string{"+CREG": "CS ", "+CGREG": "GPRS ", "+CEREG": "EPS "}

// regStates explains the <stat> of +CREG/+CGREG/+CEREG.
var regStates = map[int]string{
	0: "not registered, not searching", 1: "registered, home network", 2: "not registered, searching",
	3: "registration denied", 4: "unknown (out of coverage?)", 5: "registered, roaming",
	6: "registered for SMS only, home", 7: "registered for SMS only, roaming", 8: "emergency services only",
	9: "registered, CSFB not preferred, home", 10: "registered, CSFB not preferred, roaming",
}

func (c *contextTracker) feed(ev *decode.Event, emit func(*Op)) {
	switch ev.Kind {
	case decode.KindCommand:
		c.command(ev)
	case decode.KindResult:
		c.identify = false
		if c.op != nil {
			st := StatusOK
			code, reason := "", c.op.Reason
			if ev.Name != "OK" {
				st = StatusFailed
				code, reason = resultReason(ev.Name, ev.Args)
				reason = c.op.Reason + " failed: " + reason
			}
			c.op.finish(ev, st, code, reason)
			emit(c.op)
			c.op = nil
		}
	case decode.KindURC, decode.KindResponse:
		if ev.AnswerTo == decode.FormTest {
			return // "+CREG: (0-2)" lists what the command takes, no state
		}
		if c.identify && ev.Kind == decode.KindResponse && len(c.module) < 4 {
			c.module = append(c.module, strings.TrimPrefix(strings.TrimPrefix(ev.Text, ev.Name), ": "))
		}
		c.line(ev, emit)
	}
}

// command starts a link op for the commands that change the bearer.
func (c *contextTracker) command(ev *decode.Event) {
	c.op = nil
	switch ev.Name {
	case "I", "+CGMM", "+GMM", "+CGMR", "+GMR", "+QGMR":
		c.identify = true
	}
	if ev.Form != decode.FormWrite {
		return
	}
	var buf [argsOnStack]string
	args := func() []string { return appendArgs(buf[:0], ev.Args, 0) } // most commands need none
	var what string
	switch ev.Name {
	case "+QIACT", "+CNACT":
		what = "PDP context activation"
		if ev.Name == "+CNACT" && intArg(args(), 1, 1) == 0 {
			what = "PDP context deactivation"
		}
	case "+QIDEACT":
		what = "PDP context deactivation"
	case "+CGACT":
		what = pdpActions[intArg(args(), 0, -1)]
	case "+CGATT":
		what = attachActions[intArg(args(), 0, -1)]
	case "+CFUN":
		what = fmt.Sprintf("set functionality %s", strArg(args(), 0))
	}
	if what == "" {
		return
	}
	c.op = c.log.newOp(c.file, "", ModuleClient, OpLink, ev.Name)
	c.op.Reason = what
	c.op.add(ev)
}

// line reports a state line when it changes.
func (c *contextTracker) line(ev *decode.Event, emit func(*Op)) {
	st, state, reason := StatusOK, "", ""
	var buf [argsOnStack]string
	args := func() []string { return appendArgs(buf[:0], ev.Args, 0) } // most lines need none
	switch ev.Name {
	case "RDY", "APP RDY", "Ready":
		reason = "module started (power-on or reset)"
		c.last = map[string]string{} // every state starts again
		state = once(ev)
	case "POWERED DOWN", "NORMAL POWER DOWN":
		st, reason, state = StatusFailed, "module powered down", once(ev)
	case "+CPIN":
		state = strings.TrimSpace(ev.Args)
		reason = "SIM " + strings.ToLower(state)
		if state != "READY" {
			st = StatusFailed
			reason = "SIM not ready: " + state
		}
	case "+CREG", "+CGREG", "+CEREG":
		// The read response has <n> first; the URC does not [27.007 §7.2].
		i, args := 0, args()
		if ev.Kind == decode.KindResponse && len(args) >= 2 {
			i = 1
		}
		stat, ok := atoi(strArg(args, i))
		if !ok {
			return
		}
		state = strconv.Itoa(stat)
		reason = regDomains[ev.Name] + regStates[stat]
		if stat != 1 && stat != 5 {
			st = StatusFailed
		}
	case "+CSQ":
		rssi, ok := atoi(strArg(args(), 0))
		if !ok || ev.Kind != decode.KindResponse {
			return
		}
		state = strconv.Itoa(rssi)
		switch {
		case rssi == 99:
			st, reason = StatusFailed, "no signal (rssi 99: not known or not detectable)"
		case rssi <= 31:
			reason = fmt.Sprintf("signal %d dBm (rssi %d)", -113+2*rssi, rssi)
			if rssi < 10 {
				reason += ", weak"
			}
		default:
			reason = fmt.Sprintf("signal rssi %d", rssi)
		}
	case "+QIACT":
		args := args()
		if len(args) < 4 {
			return
		}
		state = ev.Args
		reason = fmt.Sprintf("PDP context %s active, IP %s", strArg(args, 0), strArg(args, 3))
	case "+CGEV":
		state = once(ev)
		reason = "PDP event: " + ev.Args
		if strings.Contains(ev.Args, "DEACT") || strings.Contains(ev.Args, "DETACH") {
			st, reason = StatusFailed, "PDP context deactivated: "+ev.Args+" (the MQTT TCP link drops with it)"
		}
	case "+QIURC":
		if !strings.Contains(ev.Args, "pdpdeact") {
			return
		}
		st, state = StatusFailed, once(ev)
		reason = "PDP context " + strArg(args(), 1) + " deactivated by the network (the MQTT TCP link drops with it)"
	case "+APP PDP", "+APP":
		state = ev.Args
		reason = "bearer " + ev.Args
		if strings.Contains(ev.Args, "DEACTIVE") {
			st = StatusFailed
		}
	default:
		return
	}
	if c.last[ev.Name] == state && state != "" {
		return
	}
	c.last[ev.Name] = state
	op := c.log.newOp(c.file, "", ModuleClient, OpLink, ev.Name)
	op.add(ev)
	op.finish(ev, st, strings.TrimSpace(ev.Args), reason)
	emit(op)
}

// once is a state that never repeats, for one-off lines such as a reset.
func once(ev *decode.Event) string { return "#" + strconv.Itoa(ev.Seq) }
