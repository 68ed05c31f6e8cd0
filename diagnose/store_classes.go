package diagnose

import (
	"fmt"
	"slices"
	"strings"

	"atscope/dialect"
)

// Failure classes. A failure that happens only in the middle of a long log
// must still get its finding: the rules group failures by client, command,
// code, reason and remarks, so the first op of each such class a client
// shows stays kept however the client's ops are dropped (dropMiddle), and
// the rules explain it; the later ops of the class are counted in the gap
// (fold), which the findings' counts include. The classes are bounded per
// client (for each of failures, remarks, ...: so that remarks that differ
// by their numbers do not use up a bound that a failure needs) and in all;
// the ops of classes past the bounds are only counted, and the
// diagnosed-in-part finding says how many.

const (
	maxClassesPerClient = 256
	maxClasses          = 4096
)

// failureClass is one thing the rules that explain failures and remarks
// group ops by: a failure (failRule and its families group by command,
// code and reason; the result's line and a known mistake pick the family
// and the hint), a result that never came (timeoutRule: kind and
// command), a publish never acknowledged (pubackRule: per client), a
// retransmission (retransmissionRule: per client), remarks (deviationRule,
// overLimitRule, subRejectedRule: the command and what is remarked).
type failureClass struct {
	what                                               string // which of those
	kind                                               dialect.OpKind
	codeFrom                                           dialect.CodeSource
	connack                                            int // the CONNACK code, -1 when the log has none
	command, name, code, reason, result, hint, remarks string
}

// classesOf are op's failure classes: none for an op that went well
// without remarks, or that a link loss abandoned (the loss explains it)
// unless it was a PINGREQ.
func (r *run) classesOf(op *dialect.Op, f *opFacts) []failureClass {
	var out []failureClass
	switch {
	case dialect.SocketPingOp(op) && isFailure(op):
		out = append(out, failureClass{what: "ping", kind: op.Kind, command: r.command(op)}) // (keepaliveRule)
	case op.Status == dialect.StatusFailed && !op.Abandoned:
		c := failureClass{what: "failed", kind: op.Kind, codeFrom: op.CodeFrom, connack: -1, command: r.command(op),
			name: op.Name, code: op.Code, reason: op.Reason, result: f.result.Name, hint: commandHint(f.command.Name, f.command.Args)}
		if op.HasConnack {
			c.connack = int(op.Connack)
		}
		out = append(out, c)
	case unacked(op):
		out = append(out, failureClass{what: "unacked"})
	case timedOut(op):
		out = append(out, failureClass{what: "timeout", kind: op.Kind, command: r.command(op)})
	case op.Status != dialect.StatusOK && !op.Abandoned:
		out = append(out, failureClass{what: op.Status.String(), kind: op.Kind, command: r.command(op)})
	}
	if op.Retries > 0 && carriesPacketID(op) {
		out = append(out, failureClass{what: "retried"})
	}
	var remarks []string
	for _, n := range op.Notes { // (their texts name lines and sizes)
		remarks = append(remarks, n.Kind.String()+":"+withoutDigits(n.Text))
	}
	for _, o := range overLimits(op) {
		remarks = append(remarks, withoutDigits(o))
	}
	remarks = append(append(remarks, deviations(op)...), rejectedTopics(op)...)
	if len(remarks) > 0 {
		out = append(out, failureClass{what: "remarks", kind: op.Kind, command: r.command(op), remarks: strings.Join(remarks, "\x00")})
	}
	return out
}

// rejectedTopics are the topics a subscribe's SUBACK refused (QoS 128).
func rejectedTopics(op *dialect.Op) []string {
	if op.Kind != dialect.OpSubscribe || !slices.Contains(op.Granted, 128) {
		return nil
	}
	var out []string
	for i, g := range op.Granted {
		if g == 128 && i < len(op.Topics) {
			out = append(out, op.Topics[i])
		}
	}
	return append(out, "") // a refusal without its topic is a class too
}

// classify notes whether a kept op is the first of one of its classes
// for its client (then it stays kept), or of a class past the bounds
// (then, dropped, it is only counted).
func (r *run) classify(co *clientOps, op *dialect.Op, f *opFacts) {
	for _, c := range r.classesOf(op, f) {
		switch {
		case co.classes[c]:
		case co.classesOf[c.what] >= maxClassesPerClient || r.store.classes >= maxClasses:
			f.unclassed = true
		default:
			if co.classes == nil {
				co.classes, co.classesOf = map[failureClass]bool{}, map[string]int{}
			}
			co.classes[c] = true
			co.classesOf[c.what]++
			r.store.classes++
			f.firstOfClass = true
		}
	}
}

// unclassedSays is what the diagnosed-in-part finding adds when a client's
// dropped ops include failures of kinds past the bounds, which no finding
// explains.
func unclassedSays(g *gap) string {
	if g.unclassed == 0 {
		return ""
	}
	return fmt.Sprintf(" The client showed more kinds of failure than atscope keeps one of (%d of each sort per client, %d in all): %s of kinds after those were only counted here, and no other finding explains them.",
		maxClassesPerClient, maxClasses, plural(g.unclassed, "operation", "operations"))
}

// withoutDigits is s without its digits: a remark's class, whatever the
// line or size it names.
func withoutDigits(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return -1
		}
		return c
	}, s)
}
