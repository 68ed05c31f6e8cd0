package diagnose

import (
	"fmt"
	"slices"
	"time"

	"atscope/decode"
	"atscope/dialect"
)

// Verdict is how one client's session ended, and why, drawn from the
// findings: the first thing a support engineer reads.
type Verdict struct {
	Client  int       // the client index; dialect.ModuleClient for the module as a whole
	Outcome string    // "dropped", "could not connect", "publish failed", ..., or "no problem found"
	Line    int       // the line of the failure the session ends with (0: none)
	Time    time.Time // its time, when logged
	Cause   string    // the title of the finding that explains it ("" when none does)
	Rule    string    // that finding's rule
	Back    int       // the line of a successful reconnect after it (0: none)
	BackAt  time.Time
	// BackBy says an earlier reconnect than Back may be among the ops a
	// long log's diagnosis only counted: the client was back by then.
	BackBy bool
}

// String is the verdict's one line: "client 0: dropped at 07:44:59 (L52):
// coverage lost (+CEREG: 4); reconnected at 07:45:31 (L60)".
func (v Verdict) String() string {
	s := clientName(v.Client) + ": " + v.Outcome
	if v.Line == 0 {
		return s
	}
	s += " at " + when(v.Time, v.Line)
	if v.Cause != "" {
		s += ": " + v.Cause
	} else {
		s += ": no finding explains it"
	}
	switch {
	case v.Back > 0 && v.BackBy:
		s += "; reconnected by " + when(v.BackAt, v.Back) + " or earlier"
	case v.Back > 0:
		s += "; reconnected at " + when(v.BackAt, v.Back)
	}
	return s
}

func when(t time.Time, line int) string {
	if t.IsZero() {
		return fmt.Sprintf("L%d", line)
	}
	return fmt.Sprintf("%s (L%d)", t.Format("15:04:05"), line)
}

// Verdicts returns one verdict per client of the log, after Findings; a
// log whose only trouble is the module's gets one for the module. A log
// without clients or findings gets a single "no problem found".
func (e *Engine) Verdicts() []Verdict {
	if e == nil {
		return nil
	}
	fs := e.Findings()
	r := e.r
	var out []Verdict
	for _, s := range r.clientSessions() {
		out = append(out, r.verdictOf(s.Client, fs))
	}
	if len(out) == 0 {
		v := Verdict{Client: dialect.ModuleClient, Outcome: "no problem found"}
		for _, f := range fs {
			if f.Severity == Error {
				v.Outcome, v.Cause, v.Rule = "in trouble", f.Title, f.Rule
				v.Line = firstLine(f)
				break
			}
		}
		out = append(out, v)
	}
	return out
}

// verdictOf says how client c's session ended: the root of its failing
// stretch (see failingStretch), or an open that never got its answer.
func (r *run) verdictOf(c int, fs []Finding) Verdict {
	v := Verdict{Client: c, Outcome: "no problem found"}
	st, ok := r.failingStretch(c, fs)
	if !ok {
		if op := r.pendingOpen(c); op != nil {
			v.Outcome = fmt.Sprintf("never connected: the %s at line %d shows no result", op.Kind, firstLineOf(op))
		}
		return v
	}
	root := st.root
	v.Outcome = outcomeOf(root)
	v.Line, v.Time = r.failedAt(root)
	switch {
	case (root.Kind == dialect.OpOpen || root.Kind == dialect.OpConnect) && r.connectedBefore(root):
		v.Outcome = root.Kind.String() + " failed" // never "could not connect" once connected
		if r.stillConnected(root) != nil {
			v.Outcome += " while connected"
		}
	case root.Kind == dialect.OpLink && !r.connectedBefore(root) && st.connectFailed():
		v.Outcome = "could not connect" // the link went before the connect it made fail
	}
	if back, exact := r.recoveredAfter(st.end); back != nil {
		v.Back, v.BackAt, v.BackBy = firstLineOf(back), opStart(back), !exact
	}
	switch {
	case st.explained:
		v.Cause, v.Rule = st.cause.Title, st.cause.Rule
	case r.dropped(root):
		// Only counted: the finding of its kind lists other lines.
		v.Cause, v.Rule = "one of the operations a long log's diagnosis only counted (the findings of its kind and "+idPartial+" say more)", idPartial
	}
	return v
}

// dropped reports whether op is one the engine dropped into its client's
// gap and keeps only as a representative.
func (r *run) dropped(op *dialect.Op) bool {
	return slices.Contains(r.reps[op.Client], op)
}

// failedAt is the line and time a session's root failure dates from: its
// first line, but for a link step that the end of the connection abandoned
// (a PINGREQ the broker never answered) the line that ended the
// connection, such as the host's close: the link dropped there, and the
// unanswered step is its cause.
func (r *run) failedAt(root *dialect.Op) (int, time.Time) {
	if root.Kind != dialect.OpLink || !root.Abandoned || root.AbandonedLine <= 0 {
		return firstLineOf(root), opStart(root)
	}
	by := r.after(root, func(o *dialect.Op) bool { return slices.Contains(o.Seqs, int(root.AbandonedBy)) })
	if by == nil {
		return root.AbandonedLine, time.Time{} // its time is not kept
	}
	return firstLineOf(by), opStart(by) // the close's command, not its result
}

// endingFailure is the failure a client's session ends with: the last
// failed or timed-out op of the client (a link loss, a connect, an
// operation), or nil when none failed.
func (r *run) endingFailure(c int) (end *dialect.Op) {
	for _, ops := range [][]*dialect.Op{r.byClient[c], r.reps[c]} {
		for i := len(ops) - 1; i >= 0; i-- {
			if op := ops[i]; isFailure(op) {
				if end == nil || firstSeq(op) > firstSeq(end) {
					end = op
				}
				break
			}
		}
	}
	return end
}

// endingLines are the lines (its first and its result's) of the root of
// each failing stretch a client's session ends with, unrecovered.
func (r *run) endingLines() map[int]bool {
	out := map[int]bool{}
	for _, s := range r.clientSessions() {
		st, ok := r.failingStretch(s.Client, r.findings)
		if !ok || r.recovered(st.end) {
			continue // the client came back: the log does not end with it
		}
		// its command and its result: later lines of a long op (a
		// reconnect it waited through) belong to other stories
		out[firstLineOf(st.root)] = true
		if res := r.factsOf(st.root).result; res.Seq >= 0 {
			out[res.Line] = true
		}
	}
	return out
}

// explaining is the most severe finding that rests on op's lines.
func explaining(fs []Finding, op *dialect.Op) (Finding, bool) {
	var best Finding
	found := false
	for _, f := range fs {
		if f.Client != op.Client && f.Client != dialect.ModuleClient {
			continue
		}
		if !slices.ContainsFunc(op.Lines, func(l int) bool { return slices.Contains(f.Lines, l) }) {
			continue
		}
		if !found || f.Severity > best.Severity {
			best, found = f, true
		}
	}
	return best, found
}

// outcomeOf names how an op ended a session.
func outcomeOf(op *dialect.Op) string {
	switch {
	case op.Kind == dialect.OpLink:
		return "dropped"
	case op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect:
		if op.Status == dialect.StatusTimeout {
			return "could not connect (no answer)"
		}
		return "could not connect"
	case op.Status == dialect.StatusTimeout:
		return op.Kind.String() + " got no answer"
	}
	return op.Kind.String() + " failed"
}

// Understanding says whether atscope understood a log well enough for its
// findings to mean anything, and what to try when it did not.
type Understanding struct {
	Understood   bool
	Events       int    // events other than notes
	Unrecognised int    // of them, lines no reader or tokenizer rule recognised
	Commands     int    // AT commands (and echoes) seen
	Dialect      bool   // a dialect recognised the log's MQTT commands
	Reason       string // why not understood ("" when understood)
	Line         int    // the first line that shows it (0: none)
	Hint         string // what to try
}

// understandingCounts are the engine's counts for Understanding.
type understandingCounts struct {
	events, unrecognised, commands  int
	firstUnrecognised, firstCommand int // their first lines
	atLike                          int // unrecognised lines that hold an AT command
}

func (u *understandingCounts) see(ev *decode.Event) {
	if ev.Note {
		return
	}
	u.events++
	switch ev.Kind {
	case decode.KindText:
		u.unrecognised++
		if atLike(ev.Text) {
			u.atLike++
		}
		if u.firstUnrecognised == 0 {
			u.firstUnrecognised = ev.Pos.Line
		}
	case decode.KindCommand, decode.KindEcho:
		u.commands++
		if u.firstCommand == 0 {
			u.firstCommand = ev.Pos.Line
		}
	}
}

// Understanding returns how well the log was understood, after Findings.
func (e *Engine) Understanding() Understanding {
	if e == nil {
		return Understanding{}
	}
	e.Findings()
	return e.r.understanding()
}

func (r *run) understanding() Understanding {
	u := Understanding{Understood: true, Events: r.counts.events, Unrecognised: r.counts.unrecognised,
		Commands: r.counts.commands, Dialect: r.firstClient != nil}
	switch {
	case u.Events == 0:
		u.Reason = "the log holds no AT traffic atscope could read"
		u.Hint = "check that this is an AT log; name its format with --input-format (atscope formats lists them)"
	case u.Unrecognised*2 > u.Events:
		u.Reason = fmt.Sprintf("%d of its %d lines were not recognised", u.Unrecognised, u.Events)
		if n := r.counts.atLike; n > 0 {
			u.Reason += fmt.Sprintf(", though %d of them hold AT commands", n)
		}
		u.Line = r.counts.firstUnrecognised
		u.Hint = "name the log's format with --input-format (atscope formats lists them); if it is one atscope does not read, export the capture as plain text"
	case r.counts.atLike > 0 && !u.Dialect:
		u.Reason = fmt.Sprintf("%s hold AT commands that were not read as commands", plural(r.counts.atLike, "unrecognised line", "unrecognised lines"))
		u.Line = r.counts.firstUnrecognised
		u.Hint = "name the log's format with --input-format (atscope formats lists them) and the module's dialect with --dialect (atscope dialects)"
	case u.Commands > 0 && !u.Dialect:
		u.Reason = fmt.Sprintf("it holds %s, but no dialect recognised MQTT traffic in them", plural(u.Commands, "AT command", "AT commands"))
		u.Line = r.counts.firstCommand
		u.Hint = "name the module's dialect with --dialect (atscope dialects lists them); without MQTT commands there is nothing for the MQTT rules to check"
	}
	u.Understood = u.Reason == ""
	return u
}

// idNotUnderstood: the log was not understood; said first, so that no one
// reads "no findings" as "no problem".
const idNotUnderstood = "not-understood"

type notUnderstoodRule struct{ base }

func (notUnderstoodRule) finish(r *run) {
	u := r.understanding()
	if u.Understood {
		return
	}
	// the title gives the reason; the explanation says what it means
	why := "The findings below (or their absence) say little: the rules see only what was recognised."
	var lines []int
	if u.Line > 0 {
		lines = []int{u.Line}
	}
	if u.Events == 0 {
		why = "The rules had nothing to check, so the absence of other findings says nothing about the module."
	}
	r.add(Finding{Rule: idNotUnderstood, Severity: Warning, Client: dialect.ModuleClient,
		Title:       "atscope did not understand this log: " + u.Reason,
		Explanation: why,
		Advice:      capitalize(u.Hint) + ".",
		Lines:       lines}) // none for a log without events: it may have no line 1
}

// atLike reports text holding an AT command with a vendor or 3GPP prefix
// ("AT+", "AT#", "AT^", "AT$"), in either case.
func atLike(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if (s[i] == 'A' || s[i] == 'a') && (s[i+1] == 'T' || s[i+1] == 't') {
			switch s[i+2] {
			case '+', '#', '^', '$':
				return true
			}
		}
	}
	return false
}
