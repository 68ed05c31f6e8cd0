package diagnose

import (
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// The module's network as the log shows it: SIM, registration, signal,
// packet data (PDP context or Wi-Fi) [3GPP TS 27.007 §7.2, §8.5, §10.1;
// dialects.md §1.5-1.6, §3.3, §9 "Bearer up/down"], and what the host did
// to it: a context it activated (answered OK) is up, one it took down is
// down by its hand. Rules ask what it was when an op started; the tracker
// keeps a snapshot per change of verdict, so polled states that stay the
// same cost nothing. Which command or line means what is the dialect
// package's knowledge (dialect/network.go).

// tri is a three-valued verdict.
type tri int8

const (
	unknown tri = iota
	good
	bad
)

// evidence is one verdict with the line and text that gave it; host says
// the host's own command made it.
type evidence struct {
	v    tri
	line int
	text string
	host bool
	kind dialect.NetProblem // what a bad verdict is about (set by problem)
}

// netState is what the log last said about the network.
type netState struct {
	sim    evidence // +CPIN
	reg    [3]int   // last <stat> per domain (CS, PS, EPS); -1 unknown
	regE   evidence // the registration verdict and its latest line
	csq    evidence // +CSQ: 99 is bad
	pdp    evidence // PDP context / bearer
	wifi   evidence // ESP-AT Wi-Fi station
	access dialect.Access
}

func freshState() netState { return netState{reg: [3]int{-1, -1, -1}} }

// problem says what is wrong with the network in this state, if anything,
// with the line that shows it. Signal alone is not a problem while the
// module is registered (some LTE modules report +CSQ: 99,99 on LTE).
func (s netState) problem() (what string, ev evidence, ok bool) {
	what, ev, ok = s.problemText()
	switch ev {
	case s.sim:
		ev.kind = dialect.ProblemSIM
	case s.regE, s.csq:
		ev.kind = dialect.ProblemRegistration
	case s.wifi:
		ev.kind = dialect.ProblemWifi
	default:
		ev.kind = dialect.ProblemBearer
	}
	return what, ev, ok
}

func (s netState) problemText() (string, evidence, bool) {
	switch {
	case s.sim.v == bad:
		return "the SIM was not ready (" + s.sim.text + ")", s.sim, true
	case s.regE.v == bad && s.regE.host:
		return "the host had taken the module off the network (" + s.regE.text + ")", s.regE, true
	case s.regE.v == bad:
		return "the module was not registered on the network (" + s.regE.text + ")", s.regE, true
	case s.csq.v == bad && s.regE.v != good:
		return "there was no signal (" + s.csq.text + ")", s.csq, true
	case s.pdp.v == bad && s.pdp.host:
		return "the host had deactivated the packet data context (" + s.pdp.text + ")", s.pdp, true
	case s.pdp.v == bad:
		return "no PDP context was active (" + s.pdp.text + ")", s.pdp, true
	case s.wifi.v == bad:
		return "Wi-Fi was not connected (" + s.wifi.text + ")", s.wifi, true
	}
	return "", evidence{}, false
}

// regMeaning explains the <stat> of a registration line.
func regMeaning(ev evInfo) string {
	e := decode.Event{Name: ev.Name, Args: ev.Args, Kind: ev.Kind}
	if _, stat, ok := dialect.Registration(&e); ok {
		return dialect.RegistrationMeaning(stat)
	}
	return "not registered"
}

type netChange struct {
	seq   int
	state netState
}

// hostAction is a command the module accepted that took the network, or
// the module, down.
type hostAction struct {
	cmd    evInfo
	action dialect.NetAction
	seq    int // the result that accepted it
}

// maxHostActions bounds what the tracker keeps of a log's host actions.
const maxHostActions = 200

type netTracker struct {
	cur     netState
	changes []netChange
	// the pending command, for answers that need it
	cmd    evInfo
	have   bool
	listed bool // a read listing (AT+QIACT?, AT+CGACT?) showed an active context
	// joining is the Wi-Fi join command in progress: the module drops the
	// old station link first, and that is the join, not a loss.
	joining bool
	joinSeq map[int]bool // the Wi-Fi lines printed during a join
	downs   []hostAction
	// lostURC remembers dialect.NetworkLostURC per event name: it searches
	// every dialect's table, and every event asks.
	lostURC map[string]bool
}

// maxLostURC bounds lostURC: a log of garbage has any number of names.
const maxLostURC = 256

// mqttNoNetwork reports an MQTT service saying the network is gone (the
// dialects' tables mark such URCs).
func (t *netTracker) mqttNoNetwork(ev *decode.Event) bool {
	if lost, ok := t.lostURC[ev.Name]; ok {
		return lost
	}
	lost := dialect.NetworkLostURC(ev.Name)
	if t.lostURC == nil {
		t.lostURC = map[string]bool{}
	}
	if len(t.lostURC) < maxLostURC {
		t.lostURC[strings.Clone(ev.Name)] = lost
	}
	return lost
}

func (t *netTracker) init() { t.cur = freshState() }

// at returns the state just before event seq.
func (t *netTracker) at(seq int) netState {
	st := freshState()
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

// hostDownBefore is the latest accepted host action that took the network
// down before seq; ok is false when there is none, or the network came
// back since (after a reset or power-off the MQTT sessions stay gone
// whatever the network does: the caller looks for a reconnect).
func (t *netTracker) hostDownBefore(seq int) (hostAction, bool) {
	for i := len(t.downs) - 1; i >= 0; i-- {
		d := t.downs[i]
		if d.seq >= seq {
			continue
		}
		restart := d.action == dialect.NetReset || d.action == dialect.NetPowerOff
		if up := t.upAfter(d.seq, true); up >= 0 && up < seq && !restart {
			return hostAction{}, false
		}
		return d, true
	}
	return hostAction{}, false
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
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if ev.Kind == decode.KindEcho && t.have && strings.EqualFold(ev.Name, t.cmd.Name) {
			return
		}
		t.cmd, t.have, t.listed = infoOf(ev), true, false
		t.joining = dialect.CommandNetAction(ev.Name, ev.Form, ev.Args) == dialect.NetWifiJoin
		return
	case decode.KindResult:
		t.result(ev)
		t.have, t.joining = false, false
		return
	case decode.KindResponse, decode.KindURC:
	default:
		return
	}
	t.report(ev)
}

// result applies a command's final result: a listing that showed no
// context, a SIM error, or what an accepted command did to the network.
func (t *netTracker) result(ev *decode.Event) {
	if !t.have {
		return
	}
	at := func(v tri) evidence {
		return evidence{v: v, line: ev.Pos.Line, text: t.cmd.Text + " answered " + ev.Text, host: true}
	}
	switch {
	case ev.Name == "+CME ERROR" && dialect.SIMQuery(t.cmd.Name):
		t.cur.sim = evidence{v: bad, line: ev.Pos.Line, text: ev.Text}
	case !dialect.SuccessResult(ev.Name):
	case dialect.ContextListing(t.cmd.Name, t.cmd.Form):
		if !t.listed {
			t.cur.pdp = evidence{v: bad, line: ev.Pos.Line, text: "AT" + t.cmd.Name + "? lists no active context"}
		}
	default:
		act := dialect.CommandNetAction(t.cmd.Name, t.cmd.Form, t.cmd.Args)
		switch act {
		case dialect.NetActivate:
			t.cur.pdp = at(good)
		case dialect.NetWifiJoin:
			t.cur.wifi = at(good)
		case dialect.NetDeactivate:
			t.cur.pdp = at(bad)
		case dialect.NetWifiLeave:
			t.cur.wifi = at(bad)
		case dialect.NetDetach, dialect.NetRadioOff:
			t.cur.regE, t.cur.pdp = at(bad), at(bad)
			t.cur.reg, t.cur.access = freshState().reg, dialect.AccessUnknown
		}
		if act.Down() && len(t.downs) < maxHostActions {
			t.downs = append(t.downs, hostAction{cmd: t.cmd, action: act, seq: ev.Seq})
		}
	}
}

// report applies what a response, URC or text line says of the network.
func (t *netTracker) report(ev *decode.Event) {
	line, text := ev.Pos.Line, ev.Text
	set := func(e *evidence, v tri) { *e = evidence{v: v, line: line, text: text} }
	if start, _, again := dialect.Boot(ev); start {
		if !again {
			t.cur = freshState()
		}
		return
	}
	if d, stat, ok := dialect.Registration(ev); ok {
		t.cur.reg[d] = stat
	}
	if a, registered, ok := dialect.AccessReport(ev); ok {
		if a != dialect.AccessUnknown {
			t.cur.access = a
		}
		if registered && t.cur.reg[dialect.DomainEPS] < 0 && a.EPS() {
			t.cur.reg[dialect.DomainEPS] = 1 // +COPS names the LTE operator it is on
		}
	}
	if v, ok := t.regVerdict(); ok && (isRegLine(ev) || v == good && t.cur.regE.v != good) {
		set(&t.cur.regE, v)
	}
	if ready, ok := dialect.SIMReport(ev); ok {
		set(&t.cur.sim, goodIf(ready))
	}
	if none, ok := dialect.SignalReport(ev); ok {
		set(&t.cur.csq, goodIf(!none))
	}
	b := dialect.BearerReport(ev)
	if b == dialect.BearerSame && t.mqttNoNetwork(ev) {
		b = dialect.BearerDown
	}
	wifi := dialect.WifiReport(ev)
	switch {
	case b == dialect.BearerSame:
	case wifi && b != dialect.BearerUp && t.joining:
		// the module leaves the old network to join the new one
		if t.joinSeq == nil {
			t.joinSeq = map[int]bool{}
		}
		if len(t.joinSeq) < maxHostActions {
			t.joinSeq[ev.Seq] = true
		}
	case wifi:
		set(&t.cur.wifi, goodIf(b == dialect.BearerUp))
	default:
		if b == dialect.BearerUp && t.have && dialect.ContextListing(t.cmd.Name, t.cmd.Form) {
			t.listed = true
		}
		set(&t.cur.pdp, goodIf(b == dialect.BearerUp))
	}
}

// isRegLine reports a line that states registration by itself.
func isRegLine(ev *decode.Event) bool {
	_, _, ok := dialect.Registration(ev)
	return ok
}

// regVerdict is the registration verdict of the states seen: registered in
// any domain is good. On LTE (LTE-M, NB-IoT) only +CEREG speaks for packet
// data: +CREG and +CGREG saying "not registered" there say nothing.
func (t *netTracker) regVerdict() (tri, bool) {
	any := false
	for _, s := range t.cur.reg {
		if s < 0 {
			continue
		}
		any = true
		if dialect.Registered(s) {
			return good, true
		}
	}
	if !any || t.cur.access.EPS() && t.cur.reg[dialect.DomainEPS] < 0 {
		return unknown, false
	}
	return bad, true
}

// goodIf is good when ok, else bad.
func goodIf(ok bool) tri {
	if ok {
		return good
	}
	return bad
}
