package diagnose

import (
	"fmt"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// idVendor: a failed op whose result code the dialect's table explains.
// One rule for every vendor: the meaning and advice are the dialect's data
// (dialect.ExplainOp), so a new dialect's codes are explained here without
// a line of diagnose.
const idVendor = "vendor-result"

// explainVendor explains a failed op from its dialect's code table.
func explainVendor(r *run, op *dialect.Op, f *opFacts) explained {
	code, _ := dialect.ExplainOp(op)
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f), advice: code.Advice}
	if a := resultAdvice(op); a != "" {
		e.advice = a // the row of the line that ended it says more than the command's
	}
	e.why = failedSentence(op)
	if code.Meaning != "" && !strings.Contains(e.why, code.Meaning) {
		e.why = fmt.Sprintf("%s (%s: %s).", strings.TrimSuffix(e.why, "."), resultText(op, f), code.Meaning)
	}
	if op.CodeFrom == dialect.CodeVendor && op.Code != "" && !strings.Contains(e.why, op.Code) && !strings.Contains(resultText(op, f), op.Code) {
		e.why = fmt.Sprintf("%s (code %s).", strings.TrimSuffix(e.why, "."), op.Code)
	}
	switch {
	case code.Normal:
		e.sev = Info // the table says it is no failure ("already started")
	case pingFailed(op, code) && (op.Kind != dialect.OpLink || r.lossNearby(op)):
		e.sev = Warning // a missed ping next to a link loss: the loss is the story
	}
	if op.Kind == dialect.OpLink {
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		if n := r.abandonedAfter(op); n > 0 {
			e.why += fmt.Sprintf(" %s abandoned here.", plural(n, "operation was", "operations were"))
		}
	}
	if hint := commandHint(f.command.Name, f.command.Args); hint != "" {
		e.why += " " + hint
		e.advice = "Fix the command as above."
		e.key = hint // the same mistake on several commands is one finding
	}
	if e.advice == "" {
		e.advice = "See the result code tables of the module's MQTT manual."
	}
	// the line that gave the vendor's code, when it is not the result
	// (ESP-AT prints ERR CODE:0x... before ERROR)
	if op.CodeFrom == dialect.CodeVendor && op.Code != "" {
		for _, s := range op.Seqs {
			if ev, ok := r.event(s); ok && ev.Seq != f.result.Seq && ev.Kind != decode.KindCommand && ev.Kind != decode.KindEcho && strings.Contains(ev.Text, op.Code) {
				e.marks = append(e.marks, Mark{Line: ev.Line, Text: ev.Text})
			}
		}
	}
	return e
}

// lossNearby reports another link loss of op's client that op follows
// (with no connect between) or that follows op.
func (r *run) lossNearby(op *dialect.Op) bool {
	prev := r.before(op, func(o *dialect.Op) bool { return linkLost(o) || connected(o) })
	return prev != nil && linkLost(prev) || r.linkLossAfter(op) != nil
}

// pingFailed reports an op or link loss that a failed keep-alive exchange
// explains: the op is a keep-alive report, or its code's row says so.
func pingFailed(op *dialect.Op, code dialect.Code) bool {
	return code.KeepAlive || dialect.KeepAliveOp(op)
}
