package diagnose

import (
	"fmt"
	"strings"

	"atscope/dialect"
)

// idHostDown: a link lost because the host took the network or the module
// down (AT+CFUN=0, a power-off, a context deactivation, a reset it asked
// for). The loss is the command's effect: not the keep-alive, not the NAT.
const idHostDown = "host-network-down"

type hostDownRule struct{ base }

func (hostDownRule) finish(r *run) {
	type group struct {
		d      hostAction
		losses []*dialect.Op
	}
	var order []int
	groups := map[int]*group{}
	for _, op := range r.ops {
		if !linkLost(op) || op.Client == dialect.ModuleClient || r.claimed[op] || r.net.joinSeq[firstSeq(op)] {
			continue
		}
		d, ok := r.net.hostDownBefore(firstSeq(op))
		if !ok {
			continue
		}
		if conn := r.connectBefore(op); conn != nil && lastSeq(conn) > d.seq {
			continue // connected again after the host's command: another cause
		}
		g := groups[d.seq]
		if g == nil {
			g = &group{d: d}
			groups[d.seq] = g
			order = append(order, d.seq)
		}
		g.losses = append(g.losses, op)
	}
	for _, seq := range order {
		g := groups[seq]
		lines := []int{g.d.cmd.Line}
		var who []string
		for _, op := range g.losses {
			lines = append(lines, op.Lines...)
			who = append(who, fmt.Sprintf("%s (line %d)", clientName(op.Client), firstLineOf(op)))
		}
		what := hostActionText(g.d.action)
		why := fmt.Sprintf("The host sent %s (line %d), which %s, and the module accepted it. %s lost its link after it: the command's effect, not the broker, the keep-alive or the network.",
			g.d.cmd.Text, g.d.cmd.Line, what, capitalize(strings.Join(who, " and ")))
		if victims := r.whileHostDown(g.d, g.losses); len(victims) > 0 {
			var vl []int
			for _, v := range victims {
				vl = append(vl, firstLineOf(v))
				lines = append(lines, v.Lines...)
			}
			why += fmt.Sprintf(" What the host tried before bringing the network back failed for that reason (%s).", lineList(vl))
			r.claim(victims...)
		}
		sev := Info
		if back := r.recoveredAfter(g.losses[0]); back == nil {
			sev = Warning
			why += " The log shows no successful reconnect after it."
		} else {
			why += fmt.Sprintf(" The client connected again at line %d.", firstLineOf(back))
		}
		r.add(Finding{Rule: idHostDown, Severity: sev, Client: g.losses[0].Client,
			Title:       fmt.Sprintf("The host took the network down (%s), and the link went with it", g.d.cmd.Text),
			Explanation: why,
			Advice:      "If this was intended, disconnect the MQTT clients first (a clean DISCONNECT keeps the broker from publishing the will), and after bringing the network back open and connect again. If it was not, find the code path that sends this command.",
			Lines:       lines, Marks: []Mark{{Line: g.d.cmd.Line, Text: g.d.cmd.Text}}})
		r.claim(g.losses...)
	}
}

// whileHostDown are the failed ops of the lost clients after the host's
// action and before the network or the client was back.
func (r *run) whileHostDown(d hostAction, losses []*dialect.Op) []*dialect.Op {
	up := r.net.upAfter(d.seq, true)
	var out []*dialect.Op
	for _, loss := range losses {
		for _, op := range r.byClient[loss.Client] {
			if firstSeq(op) <= d.seq || up >= 0 && firstSeq(op) > up || op == loss || r.claimed[op] {
				continue
			}
			if connected(op) {
				break
			}
			if op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout {
				out = append(out, op)
			}
		}
	}
	return out
}

// capitalize makes a sentence start upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hostActionText says what a host's network action does.
func hostActionText(a dialect.NetAction) string {
	switch a {
	case dialect.NetRadioOff:
		return "switches the radio off"
	case dialect.NetDetach:
		return "detaches the module from the network"
	case dialect.NetPowerOff:
		return "powers the module off"
	case dialect.NetReset:
		return "restarts the module"
	case dialect.NetWifiLeave:
		return "leaves the Wi-Fi network"
	}
	return "deactivates the packet data context and closes its sockets"
}
