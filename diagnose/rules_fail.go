package diagnose

import (
	"fmt"
	"strconv"
	"strings"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// Failed operations, explained per vendor code family. One classifier,
// family, sends every failed op to exactly one rule; rules that explain a
// failure by what came before it (connect-window, payload-length, ...) run
// first and claim the ops they explain.

const (
	idCME          = "cme-error"
	idCommandError = "command-error"
	idOpFailed     = "op-failed"
)

func isCME(name string) bool { return name == "+CME ERROR" || name == "+CMS ERROR" }

// family names the rule that explains a failed op, or "" when no failure
// rule should (it did not fail, a link loss abandoned it, or it is a state
// line of the module that the network rules read).
func (r *run) family(op *dialect.Op) string {
	if op.Status != dialect.StatusFailed || op.Abandoned {
		return ""
	}
	if op.Kind == dialect.OpLink && r.net.joinSeq[firstSeq(op)] {
		return "" // the module left the old Wi-Fi network to join the new one
	}
	f := r.factsOf(op)
	res := f.result
	fromResult := res.Seq >= 0 && res.Kind == decode.KindResult
	if op.Client == dialect.ModuleClient && op.Kind == dialect.OpLink && !fromResult && op.Dialect == "" {
		return ""
	}
	if fromResult && isCME(res.Name) {
		return idCME
	}
	plainError := fromResult && res.Name == "ERROR" || res.Seq < 0 && op.Code == "ERROR"
	if plainError && len(deviations(op)) > 0 && op.Dialect != "cipmqtt" {
		return idDeviation
	}
	if op.Client == dialect.ModuleClient && op.Dialect == "" {
		return idCommandError
	}
	if _, ok := dialect.ExplainOp(op); ok {
		return idVendor
	}
	return idOpFailed
}

// failRule explains the failed ops of one family; identical failures of a
// client (same command, code and reason) make one finding.
type failRule struct {
	base
	id      string
	explain func(r *run, op *dialect.Op, f *opFacts) explained
}

// explained is what a failure rule says about one op.
type explained struct {
	sev                Severity
	title, why, advice string
	marks              []Mark
	extraLines         []int
	skip               bool
	key                string // groups failures beyond command, code and reason
	// plain says a command was rejected for no known reason; result is its answer.
	plain  bool
	result string
}

func (c *failRule) finish(r *run) {
	type group struct {
		e   explained
		ops []*dialect.Op
	}
	var order []string
	groups := map[string]*group{}
	for _, op := range r.ops {
		if r.claimed[op] || r.family(op) != c.id {
			continue
		}
		e := c.explain(r, op, r.factsOf(op))
		if e.skip {
			continue
		}
		if op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect {
			e.why += r.laterSuccess(op)
		}
		if (op.Kind == dialect.OpDisconnect || op.Kind == dialect.OpClose) && e.sev == Error {
			e.sev = Warning // usually: there was nothing left to end
		}
		if op.Kind == dialect.OpLink && op.Client != dialect.ModuleClient {
			if conn := r.connectBefore(op); conn != nil && conn.KeepAlive > 0 && !pingLoss(op) {
				e.advice += fmt.Sprintf(" If the link drops after quiet periods, a NAT or firewall on the way may drop idle connections sooner than the keep-alive (%d s here) refreshes them: keep the keep-alive below that.", conn.KeepAlive)
			}
			if back, exact := r.recoveredAfter(op); back != nil {
				if e.sev > Warning {
					e.sev = Warning
				}
				e.why += " The client connected again " + againAt(back, exact) + "."
			} else {
				e.why += " The log shows no successful reconnect after it."
			}
		}
		key := fmt.Sprint(op.Client, "\x00", r.command(op), "\x00", op.Code, "\x00", op.Reason, "\x00", e.sev)
		if e.key != "" {
			key = fmt.Sprint(op.Client, "\x00", e.key, "\x00", e.sev)
		}
		g, ok := groups[key]
		if !ok {
			g = &group{e: e}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op)
		g.e.marks = append(g.e.marks, e.marks...)
		g.e.extraLines = append(g.e.extraLines, e.extraLines...)
	}
	folded := map[string]bool{}
	for _, k := range order {
		g := groups[k]
		why := g.e.why
		var lines []int
		for _, op := range g.ops {
			lines = append(lines, op.Lines...)
		}
		lines = append(lines, g.e.extraLines...)
		n, op := len(g.ops), g.ops[0]
		if fk := foldKey(op.Client, r.command(op), op.Code, op.Reason); g.e.key == "" && !folded[fk] {
			n += r.gapOf(op.Client).counted(foldFailed, r.command(op), op.Code, op.Reason) // the same failures dropped
			folded[fk] = true
		}
		if n > 1 {
			var first []int
			for _, op := range g.ops {
				first = append(first, firstLineOf(op))
			}
			why += fmt.Sprintf(" It happened %d times (%s).", n, lineListOf(first, n))
		}
		r.add(Finding{Rule: c.id, Severity: g.e.sev, Title: g.e.title, Explanation: why, Advice: g.e.advice,
			Client: g.ops[0].Client, Lines: lines, Marks: g.e.marks})
		r.claim(g.ops...)
	}
}

// resultText is the line that gave an op its outcome, or its code.
func resultText(op *dialect.Op, f *opFacts) string {
	if f.result.Seq >= 0 {
		return timeline.VisibleBytes(f.result.Text) // binary socket bytes as \xNN
	}
	return op.Code
}

// reasonOf is an op's reason, or its code when it has none.
func reasonOf(op *dialect.Op) string {
	if op.Reason != "" {
		return op.Reason
	}
	if op.Code != "" {
		return "code " + op.Code
	}
	return "no reason given"
}

// failTitle is "AT+QMTOPEN failed: <reason> (+QMTOPEN: 0,3)".
func (r *run) failTitle(op *dialect.Op, f *opFacts) string {
	t := fmt.Sprintf("%s failed: %s", r.command(op), firstClause(reasonOf(op)))
	if rt := resultText(op, f); rt != "" && !strings.Contains(t, rt) {
		t += " (" + rt + ")"
	}
	return t
}

// firstClause cuts a reason at its first "; " so titles stay one line,
// and a long one at its first ": " or " (".
func firstClause(s string) string {
	if i := strings.Index(s, "; "); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		for _, sep := range []string{" (", ": "} {
			if i := strings.Index(s, sep); i > 20 {
				s = s[:i]
			}
		}
	}
	if strings.Count(s, "(") > strings.Count(s, ")") {
		s = strings.TrimSpace(s[:strings.LastIndex(s, "(")])
	}
	return s
}

// target says what an op was about: "client 0 to broker.example.com:1883".
func target(op *dialect.Op) string {
	s := clientName(op.Client)
	if op.Host != "" {
		s += " to " + op.Host
		if op.Port > 0 {
			s += ":" + strconv.Itoa(op.Port)
		}
	}
	if op.Topic != "" && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe) {
		s += fmt.Sprintf(" on %q", op.Topic)
	}
	return s
}

func resultMark(f *opFacts) []Mark {
	if f.result.Seq < 0 {
		return nil
	}
	return []Mark{{Line: f.result.Line, Text: f.result.Text}}
}

func explainOpFailed(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	e.why = failedSentence(op)
	if op.Kind == dialect.OpDisconnect || op.Kind == dialect.OpClose {
		e.sev = Warning // usually: there was nothing left to close
	}
	switch {
	case op.Kind == dialect.OpLink:
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		e.why = fmt.Sprintf("The link of %s went down: %s.", clientName(op.Client), reasonOf(op))
		e.advice = "Reconnect with an increasing delay; look at what came just before (a PDP loss, a rejected publish, a second client with the same ID)."
	case commandHint(f.command.Name, f.command.Args) != "":
		e.why += " " + commandHint(f.command.Name, f.command.Args)
		e.advice = "Fix the command as above."
		e.key = commandHint(f.command.Name, f.command.Args) // one finding for the same mistake
	case resultAdvice(op) != "":
		e.advice = resultAdvice(op)
	case op.Kind == dialect.OpConnect && r.stillConnected(op) != nil:
		c := r.stillConnected(op)
		e.title = fmt.Sprintf("%s failed: the client was still connected (%s)", r.command(op), resultText(op, f))
		e.why += fmt.Sprintf(" The client was still connected: the connect at line %d succeeded and the log shows no disconnect or link loss since. Most modules answer ERROR to a connect while connected.", firstLineOf(c))
		e.advice = "Connect only when the client is disconnected: check its state first with the module's MQTT state query, or disconnect before connecting again."
	case op.Code == "ERROR":
		e.advice = "The module rejected the command without saying why. Check the syntax against the manual and the client's state (open before connect, connected before subscribe or publish); AT+CMEE=1 (or 2) makes many modules say why with +CME ERROR."
	default:
		e.advice = "See the module's manual for this result."
	}
	if r.connectedBefore(op) == false && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe) {
		e.why += " The log shows no successful connect of this client before it."
	}
	return e
}

// resultAdvice is the advice of the dialect's row for the line that ended
// op ("busy p..."), when its table has one.
func resultAdvice(op *dialect.Op) string {
	f, ok := dialect.FactsOf(op.Dialect)
	if !ok || op.Code == "" {
		return ""
	}
	if c, ok := f.Command(op.Code); ok && c.URC {
		return c.Advice
	}
	return ""
}

// explainCME explains an op that failed with +CME ERROR or +CMS ERROR.
func explainCME(r *run, op *dialect.Op, f *opFacts) explained {
	e := cmeExplained(f.result.Name, f.result.Args, r.command(op), op.Dialect, op.Reason)
	e.marks = resultMark(f)
	if op.Client == dialect.ModuleClient {
		e.why = fmt.Sprintf("%s failed. %s", r.command(op), e.why)
	} else {
		e.why = fmt.Sprintf("The %s of %s failed. %s", op.Kind, target(op), e.why)
	}
	return e
}

// cmeExplained explains a +CME ERROR or +CMS ERROR answer to cmd; the
// dialect's own reason, when it has one, covers vendor codes.
func cmeExplained(name, args, cmd, dialectName, reason string) explained {
	e := explained{sev: Error}
	args = strings.TrimSpace(args)
	if name == "+CMS ERROR" {
		n, _ := strconv.Atoi(args)
		c, _ := dialect.CMSError(n)
		e.sev = Warning
		e.title = fmt.Sprintf("%s answered +CMS ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("+CMS ERROR: %s is an SMS error code (3GPP TS 27.005).", args)
		e.advice = orDefault(c.Advice, dialect.CMSDefaultAdvice)
		return e
	}
	n, ok := dialect.CMECode(args)
	code, known := dialect.CMEErrorFor(dialectName, n)
	switch {
	case !ok:
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("The module gave a verbose error (AT+CMEE=2) that is not a 3GPP text: %q.", args)
		e.advice = "Look the text up in the module's manual."
		return e
	case !known && reason != "" && reason != args:
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s (%s)", cmd, args, firstClause(reason))
		e.why = fmt.Sprintf("+CME ERROR %s: %s.", args, reason)
		e.advice = "Look the code up in the module's AT manual (its error code appendix)."
		return e
	case !known || code.Meaning == "":
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("+CME ERROR: %s is not in the 3GPP or vendor tables known here.", args)
		e.advice = "Look the code up in the module's AT manual (its error code appendix)."
		return e
	}
	e.title = fmt.Sprintf("%s answered +CME ERROR: %s (%s)", cmd, args, firstClause(code.Meaning))
	if _, err := strconv.Atoi(args); err != nil {
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s (code %d)", cmd, args, n)
	}
	e.why = fmt.Sprintf("+CME ERROR %d is a %s error: %s.", n, cmeGroup(n), code.Meaning)
	if vendorCME(dialectName, n) {
		e.why = fmt.Sprintf("+CME ERROR %d is the module's own code: %s.", n, code.Meaning)
	}
	e.advice = orDefault(code.Advice, "Look the code up in the module's AT manual.")
	if code.Normal || n == 767 && vendorCME(dialectName, n) { // Luat: "ignore it"
		e.sev = Info
	}
	return e
}

// vendorCME reports a +CME ERROR value that the dialect defines itself.
func vendorCME(dialectName string, n int) bool {
	f, ok := dialect.FactsOf(dialectName)
	if !ok {
		return false
	}
	for _, c := range f.CME {
		if n == c.N || c.Thru > 0 && n >= c.N && n <= c.Thru {
			return true
		}
	}
	return false
}

// stillConnected returns the connect of op's client whose connection was
// still up when op started, if any.
func (r *run) stillConnected(op *dialect.Op) *dialect.Op {
	s := r.session(op.Client)
	if s == nil {
		return nil
	}
	for _, c := range s.Connections {
		if c.Connected == nil || c.Connected == op || lastSeq(c.Connected) >= firstSeq(op) {
			continue
		}
		if c.Ended == nil || firstSeq(c.Ended) > firstSeq(op) {
			return c.Connected
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// failedSentence says that an op failed and why.
func failedSentence(op *dialect.Op) string {
	if op.Kind == dialect.OpLink {
		return fmt.Sprintf("The link of %s went down: %s.", clientName(op.Client), reasonOf(op))
	}
	return fmt.Sprintf("The %s of %s failed: %s.", op.Kind, target(op), reasonOf(op))
}
