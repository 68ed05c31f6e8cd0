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
	var order []int
	groups := map[int]*hostDownGroup{}
	for _, op := range r.ops {
		d, ok := r.hostCaused(op)
		if !ok {
			continue
		}
		g := groups[d.seq]
		if g == nil {
			g = &hostDownGroup{d: d}
			groups[d.seq] = g
			order = append(order, d.seq)
		}
		g.ops = append(g.ops, op)
	}
	for _, seq := range order {
		r.reportHostDown(groups[seq])
	}
}

// hostDownGroup is a host's action and the ops that failed by it.
type hostDownGroup struct {
	d   hostAction
	ops []*dialect.Op
}

// hostCaused finds the host action an op failed by: a link loss, or an
// operation of a client that was connected before the action and has not
// connected since. Failed opens and connects are connect-before-network's.
func (r *run) hostCaused(op *dialect.Op) (hostAction, bool) {
	if op.Client == dialect.ModuleClient || r.claimed[op] || r.net.joinSeq[firstSeq(op)] ||
		op.Status != dialect.StatusFailed && op.Status != dialect.StatusTimeout ||
		op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect {
		return hostAction{}, false
	}
	d, ok := r.net.hostDownBefore(firstSeq(op))
	if !ok {
		return hostAction{}, false
	}
	conn := r.connectBefore(op)
	if conn != nil && lastSeq(conn) > d.seq || conn == nil && !linkLost(op) {
		return hostAction{}, false // connected again since, or never connected
	}
	return d, true
}

// reportHostDown reports one host action with the ops it failed.
func (r *run) reportHostDown(g *hostDownGroup) {
	lines := []int{g.d.cmd.Line}
	var lost, failed []string
	for _, op := range g.ops {
		lines = append(lines, op.Lines...)
		if linkLost(op) {
			lost = append(lost, fmt.Sprintf("%s (line %d)", clientName(op.Client), firstLineOf(op)))
		} else {
			failed = append(failed, fmt.Sprintf("the %s at line %d", op.Kind, firstLineOf(op)))
		}
	}
	why := fmt.Sprintf("The host sent %s (line %d), which %s, and the module accepted it.", g.d.cmd.Text, g.d.cmd.Line, hostActionText(g.d.action))
	if len(lost) > 0 {
		why += fmt.Sprintf(" %s lost its link after it: the command's effect, not the broker, the keep-alive or the network.", capitalize(strings.Join(lost, " and ")))
	}
	if len(failed) > 0 {
		why += fmt.Sprintf(" %s failed because of it: the MQTT session it assumed was gone.", capitalize(strings.Join(failed, ", ")))
	}
	sev := Info
	if back, exact := r.recoveredAfter(g.ops[0]); back == nil {
		sev = Warning
		why += " The log shows no successful reconnect after it."
	} else {
		why += " The client connected again " + againAt(back, exact) + "."
	}
	r.add(Finding{Rule: idHostDown, Severity: sev, Client: g.ops[0].Client,
		Title:       fmt.Sprintf("The host %s (%s), and the MQTT session went with it", hostActionDone(g.d.action), g.d.cmd.Text),
		Explanation: why,
		Advice:      "If this was intended, disconnect the MQTT clients first (a clean DISCONNECT keeps the broker from publishing the will), and after bringing the network back open and connect again. If it was not, find the code path that sends this command.",
		Lines:       lines, Marks: []Mark{{Line: g.d.cmd.Line, Text: g.d.cmd.Text}}})
	r.claim(g.ops...)
}

// capitalize makes a sentence start upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hostActionDone says what the host did, for a title.
func hostActionDone(a dialect.NetAction) string {
	switch a {
	case dialect.NetRadioOff:
		return "switched the radio off"
	case dialect.NetDetach:
		return "detached the module from the network"
	case dialect.NetPowerOff:
		return "powered the module off"
	case dialect.NetReset:
		return "restarted the module"
	case dialect.NetWifiLeave:
		return "left the Wi-Fi network"
	}
	return "deactivated the packet data context"
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
