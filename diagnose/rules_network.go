package diagnose

import (
	"fmt"
	"strconv"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Rules about the network under the links: attempts made before it was up,
// and losses of registration, PDP context or Wi-Fi.

// beforeNetworkRule: an open or connect that failed while the log last
// said the SIM, registration, signal or packet data was down.
type beforeNetworkRule struct{ base }

func (beforeNetworkRule) finish(r *run) {
	type group struct {
		what  string
		ev    evidence
		ops   []*dialect.Op
		first *dialect.Op
	}
	var order []int
	groups := map[int]*group{}
	for _, op := range r.ops {
		if op.Client == dialect.ModuleClient || op.Kind != dialect.OpOpen && op.Kind != dialect.OpConnect ||
			op.Status == dialect.StatusOK || r.claimed[op] || r.factsOf(op).command.Seq < 0 {
			continue // (an attempt the module made by itself is not the host's mistake)
		}
		what, ev, ok := r.net.at(firstSeq(op)).problem()
		if !ok {
			what, ev, ok = r.notYetUp(op)
		}
		if !ok {
			continue
		}
		g, seen := groups[ev.line]
		if !seen {
			g = &group{what: what, ev: ev, first: op}
			groups[ev.line] = g
			order = append(order, ev.line)
		}
		g.ops = append(g.ops, op)
	}
	for _, l := range order {
		g := groups[l]
		lines := []int{g.ev.line}
		for _, op := range g.ops {
			lines = append(lines, op.Lines...)
		}
		why := fmt.Sprintf("%s (line %d) was sent while %s: line %d shows it and nothing between them says otherwise. It failed (%s).",
			r.command(g.first), firstLineOf(g.first), g.what, g.ev.line, reasonOf(g.first))
		if len(g.ops) > 1 {
			count := strconv.Itoa(len(g.ops))
			if r.gapOf(g.first.Client) != nil {
				count = "At least " + count // the engine dropped some of the client's ops
			}
			why += fmt.Sprintf(" %s attempts failed this way.", count)
		}
		r.add(Finding{Rule: idBeforeNetwork, Severity: Error, Client: g.first.Client,
			Title:       fmt.Sprintf("%s was attempted while %s", r.command(g.first), strings.SplitN(g.what, " (", 2)[0]),
			Explanation: why, Advice: dialect.NetworkAdvice(g.ev.kind, g.first.Dialect, false), Lines: lines,
			Marks: []Mark{{Line: g.ev.line, Text: g.ev.text}}})
		r.claim(g.ops...)
	}
}

// notYetUp covers an attempt made before the log says anything about the
// network, when the next thing it says (before the client's next attempt)
// is that the network is not up: the module was still registering.
func (r *run) notYetUp(op *dialect.Op) (string, evidence, bool) {
	st := r.net.at(firstSeq(op))
	if st.regE.v != unknown || st.sim.v != unknown || st.pdp.v != unknown || st.wifi.v != unknown {
		return "", evidence{}, false
	}
	next, ok := r.net.nextAfter(firstSeq(op))
	if !ok || r.connectionsGapBetween(op.Client, firstSeq(op), next.seq) {
		return "", evidence{}, false // (an attempt the engine did not keep may lie between)
	}
	for _, o := range r.ops {
		if o != op && o.Client == op.Client && firstSeq(o) > firstSeq(op) && firstSeq(o) < next.seq &&
			(o.Kind == dialect.OpOpen || o.Kind == dialect.OpConnect) {
			return "", evidence{}, false
		}
	}
	what, ev, bad := next.state.problem()
	if !bad {
		return "", evidence{}, false
	}
	if i := strings.Index(what, " ("); i > 0 {
		what = what[:i] + " yet" + what[i:]
	}
	return what, ev, true
}

// pdpLoss is a bearer loss line.
type pdpLoss struct {
	ev      evInfo
	host    bool   // the host asked for it (a deactivation command came just before)
	hostCmd string // that command
	reg     bool   // a loss of registration (+CEREG: 4 after 1)
	byNet   bool   // the line says the network took it down
}

// pdpLostRule: the PDP context (or Wi-Fi) went down by itself.
type pdpLostRule struct {
	base
	lastCmd evInfo
	losses  []pdpLoss
	reg     tri // the registration verdict before the current event
}

// deactivating reports whether a command takes the bearer down on purpose.
func deactivating(ev evInfo) bool {
	return dialect.CommandNetAction(ev.Name, ev.Form, ev.Args).Down()
}

// isPDPLoss reports a line saying that the bearer went down: not the
// answer to a query of the pending command (AT+CGATT? answered 0 is a
// state, not a loss).
func (t *netTracker) isPDPLoss(ev *decode.Event, pending evInfo) bool {
	if ev.Kind == decode.KindResponse && ev.Name == pending.Name && pending.Seq >= 0 {
		return false
	}
	if t.mqttNoNetwork(ev) {
		return true
	}
	b := dialect.BearerReport(ev)
	return b == dialect.BearerDown || b == dialect.BearerDownNet
}

func (p *pdpLostRule) event(r *run, ev *decode.Event) {
	reg := r.net.cur.regE.v
	defer func() { p.reg = reg }()
	if p.reg == good && reg == bad && len(p.losses) < 100 {
		l := pdpLoss{ev: infoOf(ev), reg: true}
		p.byHost(r, &l)
		p.losses = append(p.losses, l)
		return
	}
	switch ev.Kind {
	case decode.KindCommand:
		p.lastCmd = ringInfo(ev)
	case decode.KindURC, decode.KindResponse, decode.KindText:
		if r.net.joinSeq[ev.Seq] {
			return // the module leaves the old network while it joins the new one
		}
		if r.net.isPDPLoss(ev, p.lastCmd) && len(p.losses) < 100 {
			l := pdpLoss{ev: infoOf(ev), byNet: dialect.BearerReport(ev) == dialect.BearerDownNet}
			p.byHost(r, &l)
			p.losses = append(p.losses, l)
		}
	}
}

// byHost marks a loss that the host asked for: its last command took the
// network down, or an earlier one did and nothing brought it back since.
func (p *pdpLostRule) byHost(r *run, l *pdpLoss) {
	if p.lastCmd.Seq > 0 && deactivating(p.lastCmd) {
		l.host, l.hostCmd = true, strings.Clone(p.lastCmd.Text)
	} else if d, ok := r.net.hostDownBefore(l.ev.Seq); ok {
		l.host, l.hostCmd = true, d.cmd.Text
	}
}

func (p *pdpLostRule) finish(r *run) {
	for _, l := range p.losses {
		if l.host {
			continue
		}
		seq := l.ev.Seq
		wifi := dialect.WifiReport(&decode.Event{Name: l.ev.Name, Text: l.ev.Text})
		lines := []int{l.ev.Line}
		hit, lossLines, claimed, unknown := r.sessionsHit(seq)
		lines = append(lines, lossLines...)
		recovered := r.connectedAfter(seq)
		// What the host tried while the bearer was down failed for that reason.
		up := r.net.upAfter(seq, l.reg)
		var victims []*dialect.Op
		for _, op := range r.ops {
			if firstSeq(op) <= seq || up >= 0 && firstSeq(op) > up || op.Client == dialect.ModuleClient || r.claimed[op] {
				continue
			}
			if r.anyGapBetween(seq, firstSeq(op), func(k kindStatus) bool { return k.kind == dialect.OpConnect && k.status == dialect.StatusOK }) {
				break // a connect the engine did not keep may lie between
			}
			if op.Kind == dialect.OpConnect && op.Status == dialect.StatusOK {
				break
			}
			if op.Kind != dialect.OpLink && (op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout) {
				victims = append(victims, op)
			}
		}
		what := "The PDP context was deactivated"
		switch {
		case wifi:
			what = "Wi-Fi disconnected"
		case l.reg:
			what = "The module lost its network registration"
		case l.byNet:
			what = "The network deactivated the PDP context"
		}
		why := fmt.Sprintf("%s (%s, line %d): the module lost its packet data connection, and every TCP link over it with it.", what, l.ev.Text, l.ev.Line)
		if l.reg {
			why = fmt.Sprintf("%s (%s, line %d: %s): without registration there is no packet data, and every TCP link drops.", what, l.ev.Text, l.ev.Line, regMeaning(l.ev))
		}
		sev := Warning
		if len(hit) > 0 {
			why += fmt.Sprintf(" %s was connected and lost its MQTT session.", strings.Join(hit, " and "))
			sev = Error
		} else if unknown {
			why += " The log is too long here to say which MQTT sessions were up at that moment (see the " + idPartial + " finding)."
		} else {
			why += " No MQTT session was up at that moment, but nothing can connect until the context is back."
		}
		if len(victims) > 0 {
			var vl []int
			for _, v := range victims {
				vl = append(vl, firstLineOf(v))
				lines = append(lines, v.Lines...)
			}
			if len(victims) == 1 {
				why += fmt.Sprintf(" The %s at line %d failed because the bearer was down.", victims[0].Kind, vl[0])
			} else {
				why += fmt.Sprintf(" The operations at %s failed because the bearer was down.", lineList(vl))
			}
			claimed = append(claimed, victims...)
		}
		if recovered > 0 {
			why += fmt.Sprintf(" The log shows a successful reconnect at line %d.", recovered)
			if sev == Error {
				sev = Warning
			}
		} else {
			why += " The log shows no successful reconnect after it."
		}
		r.add(Finding{Rule: idPDPLost, Severity: sev, Client: dialect.ModuleClient,
			Title:       fmt.Sprintf("%s (%s)", what, l.ev.Text),
			Explanation: why, Advice: lossAdvice(r, wifi, l.reg), Lines: lines,
			Marks: []Mark{{Line: l.ev.Line, Text: l.ev.Text}}})
		r.claim(claimed...)
		r.claimSeq(seq)
	}
}

// sessionsHit finds the clients connected at a bearer loss (event seq),
// with the lines of their own link losses that follow it, claimed; unknown
// says a client's connections there are not known (the engine dropped
// ops around it) and no link loss of its follows.
func (r *run) sessionsHit(seq int) (hit []string, lines []int, claimed []*dialect.Op, unknown bool) {
	for _, s := range r.clientSessions() {
		// the client's own link loss that follows it
		var loss *dialect.Op
		for _, op := range s.Ops {
			if op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed && firstSeq(op) > seq && firstSeq(op) < seq+20 {
				loss = op
				break
			}
		}
		up := false
		if r.connectionsGapBetween(s.Client, seq, seq) {
			up, unknown = loss != nil, unknown || loss == nil // a link it lost was up
		}
		for _, c := range s.Connections {
			if up || c.Connected == nil || lastSeq(c.Connected) > seq || c.Ended != nil && lastSeq(c.Ended) < seq {
				continue
			}
			up = true
		}
		if !up {
			continue
		}
		hit = append(hit, clientName(s.Client))
		if loss != nil {
			lines = append(lines, loss.Lines...)
			claimed = append(claimed, loss)
		}
	}
	return hit, lines, claimed, unknown
}

// lossAdvice says how to recover the bearer in the log's dialect.
func lossAdvice(r *run, wifi, reg bool) string {
	switch {
	case reg:
		return dialect.NetworkAdvice(dialect.ProblemRegistration, "", true)
	case wifi:
		return dialect.NetworkAdvice(dialect.ProblemWifi, "", true)
	}
	d := dialectOf(r)
	steps := "open and connect again"
	if f, ok := dialect.FactsOf(d); ok && f.MQTTRestart != "" {
		steps = f.MQTTRestart
	}
	return dialect.NetworkAdvice(dialect.ProblemBearer, d, true) + ", then " + steps + "." +
		" If the network drops the context repeatedly, check the coverage, the APN and the SIM's data plan."
}

// dialectOf is the dialect of the log's clients.
func dialectOf(r *run) string {
	for _, s := range r.clientSessions() {
		if s.Dialect != "" {
			return s.Dialect
		}
	}
	return ""
}
