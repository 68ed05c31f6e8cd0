package diagnose

import (
	"strconv"
	"strings"

	"atscope/decode"
)

// The module's network as the log shows it: SIM, registration, signal,
// packet data (PDP context or Wi-Fi) [3GPP TS 27.007 §7.2, §8.5, §10.1;
// dialects.md §1.5-1.6, §3.3, §9 "Bearer up/down"]. Rules ask what it was
// when an op started; the tracker keeps a snapshot per change of verdict, so
// polled states that stay the same cost nothing.

// tri is a three-valued verdict.
type tri int8

const (
	unknown tri = iota
	good
	bad
)

// evidence is one verdict with the line and text that gave it.
type evidence struct {
	v    tri
	line int
	text string
}

// netState is what the log last said about the network.
type netState struct {
	sim  evidence // +CPIN
	reg  [3]int   // last <stat> of +CREG, +CGREG, +CEREG; -1 unknown
	regE evidence // the registration verdict and its latest line
	csq  evidence // +CSQ: 99 is bad
	pdp  evidence // PDP context / bearer
	wifi evidence // ESP-AT Wi-Fi station
}

// problem says what is wrong with the network in this state, if anything,
// with the line that shows it. Signal alone is not a problem while the
// module is registered (some LTE modules report +CSQ: 99,99 on LTE).
func (s netState) problem() (what string, ev evidence, ok bool) {
	switch {
	case s.sim.v == bad:
		return "the SIM was not ready (" + s.sim.text + ")", s.sim, true
	case s.regE.v == bad:
		return "the module was not registered on the network (" + s.regE.text + ")", s.regE, true
	case s.csq.v == bad && s.regE.v != good:
		return "there was no signal (" + s.csq.text + ")", s.csq, true
	case s.pdp.v == bad:
		return "no PDP context was active (" + s.pdp.text + ")", s.pdp, true
	case s.wifi.v == bad:
		return "Wi-Fi was not connected (" + s.wifi.text + ")", s.wifi, true
	}
	return "", evidence{}, false
}

// regStates explains <stat> of +CREG/+CGREG/+CEREG [27.007 §7.2].
var regStates = map[int]string{
	0: "not registered, not searching", 1: "registered, home network", 2: "not registered, searching",
	3: "registration denied", 4: "unknown (out of coverage?)", 5: "registered, roaming",
	6: "registered for SMS only, home", 7: "registered for SMS only, roaming", 8: "emergency services only",
	9: "registered, CSFB not preferred, home", 10: "registered, CSFB not preferred, roaming", 90: "not registered: UICC failure",
}

// regMeaning explains the <stat> of a registration line.
func regMeaning(ev evInfo) string {
	args := strings.Split(ev.Args, ",")
	i := 0
	if ev.Kind == decode.KindResponse && len(args) >= 2 {
		i = 1
	}
	if i < len(args) {
		if n, err := strconv.Atoi(strings.TrimSpace(args[i])); err == nil {
			if s, ok := regStates[n]; ok {
				return s
			}
		}
	}
	return "not registered"
}

type netChange struct {
	seq   int
	state netState
}

type netTracker struct {
	cur     netState
	changes []netChange
	// the pending command, for answers that need it
	cmdName string
	cmdForm decode.Form
	listed  bool // a read listing (AT+QIACT?, AT+CGACT?) showed an active context
}

func (t *netTracker) init() { t.cur.reg = [3]int{-1, -1, -1} }

// at returns the state just before event seq.
func (t *netTracker) at(seq int) netState {
	st := netState{reg: [3]int{-1, -1, -1}}
	for _, c := range t.changes {
		if c.seq >= seq {
			break
		}
		st = c.state
	}
	return st
}

// upAfter is the seq at which the bearer (PDP or Wi-Fi), or with reg the
// registration, was back after seq, or -1.
func (t *netTracker) upAfter(seq int, reg bool) int {
	for _, c := range t.changes {
		if c.seq > seq && (c.state.pdp.v == good || c.state.wifi.v == good || reg && c.state.regE.v == good) {
			return c.seq
		}
	}
	return -1
}

// nextAfter is the first change of verdict after seq.
func (t *netTracker) nextAfter(seq int) (netChange, bool) {
	for _, c := range t.changes {
		if c.seq > seq {
			return c, true
		}
	}
	return netChange{}, false
}

func (t *netTracker) see(ev *decode.Event) {
	before := t.cur
	t.update(ev)
	if verdict(before) != verdict(t.cur) {
		t.changes = append(t.changes, netChange{seq: ev.Seq, state: t.cur})
	}
}

func verdict(s netState) [5]tri { return [5]tri{s.sim.v, s.regE.v, s.csq.v, s.pdp.v, s.wifi.v} }

func (t *netTracker) update(ev *decode.Event) {
	line, text := ev.Pos.Line, ev.Text
	set := func(e *evidence, v tri) { *e = evidence{v: v, line: line, text: text} }
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if ev.Kind == decode.KindEcho && strings.EqualFold(ev.Name, t.cmdName) {
			return
		}
		t.cmdName, t.cmdForm, t.listed = ev.Name, ev.Form, false
		return
	case decode.KindResult:
		switch {
		case ev.Name == "OK" && t.cmdForm == decode.FormRead && (t.cmdName == "+QIACT" || t.cmdName == "+CGACT") && !t.listed:
			e := evidence{v: bad, line: line, text: "AT" + t.cmdName + "? lists no active context"}
			t.cur.pdp = e
		case ev.Name == "+CME ERROR" && t.cmdName == "+CPIN":
			set(&t.cur.sim, bad)
		}
		t.cmdName = ""
		return
	case decode.KindResponse, decode.KindURC:
	default:
		return
	}
	args := strings.Split(ev.Args, ",")
	arg := func(i int) string {
		if i < len(args) {
			return strings.Trim(strings.TrimSpace(args[i]), `"`)
		}
		return ""
	}
	num := func(i int) int {
		n, err := strconv.Atoi(arg(i))
		if err != nil {
			return -1
		}
		return n
	}
	switch name := ev.Name; {
	case name == "RDY" || name == "APP RDY" || ev.Text == "ready" || ev.Text == "Ready":
		if name == "APP RDY" {
			return // the same start-up as the RDY before it
		}
		t.cur = netState{reg: [3]int{-1, -1, -1}}
	case name == "+CPIN":
		v := good
		if !strings.EqualFold(strings.TrimSpace(ev.Args), "READY") {
			v = bad
		}
		set(&t.cur.sim, v)
	case name == "+CREG" || name == "+CGREG" || name == "+CEREG":
		i := 0 // a URC has <stat> first; the read response has <n> first [27.007 §7.2]
		if ev.Kind == decode.KindResponse && len(args) >= 2 {
			i = 1
		}
		stat := num(i)
		if stat < 0 {
			return
		}
		t.cur.reg[map[string]int{"+CREG": 0, "+CGREG": 1, "+CEREG": 2}[name]] = stat
		v, any := bad, false
		for _, s := range t.cur.reg {
			if s < 0 {
				continue
			}
			any = true
			if s == 1 || s == 5 || s >= 6 && s <= 10 && s != 8 {
				v = good
			}
		}
		if any {
			set(&t.cur.regE, v)
		}
	case name == "+CSQ" && ev.Kind == decode.KindResponse:
		if rssi := num(0); rssi == 99 {
			set(&t.cur.csq, bad)
		} else if rssi >= 0 {
			set(&t.cur.csq, good)
		}
	case name == "+QIACT" && ev.Kind == decode.KindResponse:
		if num(1) == 1 {
			t.listed = true
			set(&t.cur.pdp, good)
		}
	case name == "+CGACT" && ev.Kind == decode.KindResponse:
		if num(1) == 1 {
			t.listed = true
			set(&t.cur.pdp, good)
		}
	case name == "+CGATT" && ev.Kind == decode.KindResponse:
		if num(0) == 0 {
			set(&t.cur.pdp, bad)
		}
	case name == "+CNACT":
		if num(1) == 1 {
			set(&t.cur.pdp, good)
		}
	case name == "+CGEV":
		a := strings.ToUpper(ev.Args)
		switch {
		case strings.Contains(a, "DEACT") || strings.Contains(a, "DETACH"):
			set(&t.cur.pdp, bad)
		case strings.Contains(a, "ACT"):
			set(&t.cur.pdp, good)
		}
	case name == "+QIURC":
		if strings.Contains(ev.Args, "pdpdeact") {
			set(&t.cur.pdp, bad)
		}
	case name == "+APP PDP" || name == "+APP":
		a := strings.ToUpper(ev.Args)
		if strings.Contains(a, "DEACTIVE") {
			set(&t.cur.pdp, bad)
		} else if strings.Contains(a, "ACTIVE") {
			set(&t.cur.pdp, good)
		}
	case name == "+SAPBR" && ev.Kind == decode.KindResponse:
		switch num(1) {
		case 1:
			set(&t.cur.pdp, good)
		case 3:
			set(&t.cur.pdp, bad)
		}
	case name == "+CMQTTNONET":
		set(&t.cur.pdp, bad)
	case name == "+IP":
		set(&t.cur.pdp, good)
	case ev.Text == "WIFI GOT IP" || name == "WIFI GOT IP":
		set(&t.cur.wifi, good)
	case ev.Text == "WIFI DISCONNECT" || name == "WIFI DISCONNECT":
		set(&t.cur.wifi, bad)
	case name == "+CWJAP" && len(args) == 1 && num(0) >= 1 && num(0) <= 4:
		set(&t.cur.wifi, bad) // +CWJAP:<error code> before FAIL
	}
}
