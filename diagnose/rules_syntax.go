package diagnose

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"atscope/decode"
	"atscope/dialect"
)

// Rules about how commands are written: deviations from the manual and
// lengths over the module's limits.

// deviationRule: commands that deviate from the manual (the dialects'
// notes), curly or full-width quotes still in a command, commands in lower
// case; and the ERROR they caused.
type deviationRule struct {
	base
	cmd    lastCommand
	curly  []commandResult // commands with typographic punctuation, and their answer
	lower  []evInfo
	wait   *commandResult
	nLower int
	// curlySeq are the commands reported for their punctuation.
	curlySeq []int
}

// typographic are characters that editors and input methods put where an
// AT command needs ASCII.
const typographic = "“”„‟‘’‚‛＂，＝（）：；"

func (d *deviationRule) event(r *run, ev *decode.Event) {
	if d.wait != nil && ev.Kind == decode.KindResult {
		d.wait.res = infoOf(ev)
		d.curly = append(d.curly, *d.wait)
		d.wait = nil
	}
	if ev.Kind != decode.KindCommand && !(ev.Kind == decode.KindEcho && (!d.cmd.have || !strings.EqualFold(d.cmd.ev.Text, ev.Text))) {
		d.cmd.see(ev)
		return
	}
	d.cmd.see(ev)
	if strings.ContainsAny(ev.Text, typographic) && len(d.curly) < maxEventsPerRule {
		if d.wait != nil {
			d.curly = append(d.curly, *d.wait)
		}
		d.wait = &commandResult{cmd: infoOf(ev), res: evInfo{Seq: -1}}
		r.watch(ev.Seq)
	}
	if lowerCommand(ev.Text) {
		d.nLower++
		if len(d.lower) < 20 {
			d.lower = append(d.lower, infoOf(ev))
		}
	}
}

// lowerCommand reports a command whose AT prefix or name is in lower case.
func lowerCommand(text string) bool {
	name, _, _ := decode.ParseCommand(text)
	n := min(len(text), len(name)+2)
	return strings.ContainsAny(text[:n], "abcdefghijklmnopqrstuvwxyz")
}

// deviations are an op's notes that say it deviates from the manual.
func deviations(op *dialect.Op) []string {
	if op.Kind == dialect.OpReceive || op.Kind == dialect.OpLink {
		return nil // the module's own lines: not the host's deviation
	}
	var out []string
	for _, n := range op.Notes {
		if n.Kind == dialect.NoteDeviation {
			out = append(out, n.Text)
		}
	}
	qos := slices.Clone(op.Requested)
	if op.Kind == dialect.OpPublish || len(qos) == 0 {
		qos = append(qos, op.QoS)
	}
	for _, q := range qos {
		if q > 2 {
			out = append(out, fmt.Sprintf("QoS %d is not an MQTT QoS (0, 1 or 2)", q))
			break
		}
	}
	return out
}

// early reports the commands with typographic punctuation before any
// other rule looks at the log's end: such a command reached the module as
// written, and its ERROR is explained by that, whatever else was going on.
func (d *deviationRule) early(r *run) {
	if d.wait != nil {
		d.curly = append(d.curly, *d.wait)
		d.wait = nil
	}
	for _, c := range d.curly {
		chars := typographicIn(c.cmd.Text)
		sev := Warning
		title := fmt.Sprintf("AT%s contains %s", c.cmd.Name, chars)
		lines := []int{c.cmd.Line}
		if c.res.Seq >= 0 && !dialect.SuccessResult(c.res.Name) {
			sev = Error
			title += " and was answered " + c.res.Text
			lines = append(lines, c.res.Line)
		}
		var marks []Mark
		for _, ch := range chars {
			if ch != ' ' && ch != ',' {
				marks = append(marks, Mark{Line: c.cmd.Line, Text: string(ch)})
			}
		}
		r.add(Finding{Rule: idDeviation, Severity: sev, Client: clientOfLine(r, c.cmd.Seq), Title: title,
			Explanation: fmt.Sprintf("Line %d: %s. AT commands need ASCII punctuation: a curly quote (U+201C, U+201D) or a full-width comma or quote from a Chinese input method is 3 bytes of UTF-8 that the module takes as part of the text, so the arguments are misread or rejected. Word processors, chat tools and ticket editors put them there.", c.cmd.Line, c.cmd.Text),
			Advice:      "Retype the quotes and commas as ASCII (\" is 0x22, , is 0x2C), and paste commands from a plain-text editor.",
			Lines:       lines, Marks: dedupMarks(marks)})
		if sev == Error {
			r.claimSeq(c.cmd.Seq, c.res.Seq)
		}
		d.curlySeq = append(d.curlySeq, c.cmd.Seq)
	}
}

func (d *deviationRule) finish(r *run) {
	type group struct {
		ops   []*dialect.Op
		notes []string
		sev   Severity
		res   string
	}
	var order []string
	groups := map[string]*group{}
	for _, op := range r.ops {
		devs := deviations(op)
		if len(devs) == 0 || slices.Contains(d.curlySeq, r.factsOf(op).command.Seq) {
			continue // (the curly quotes explain it)
		}
		sev, res := Warning, ""
		if r.family(op) == idDeviation && !r.claimed[op] {
			sev, res = Error, resultText(op, r.factsOf(op))
		}
		key := fmt.Sprint(op.Client, r.command(op), strings.Join(devs, "|"), sev)
		g, ok := groups[key]
		if !ok {
			if len(order) >= deviationMaxGroups {
				continue
			}
			g = &group{notes: devs, sev: sev, res: res}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op)
	}
	folded := map[string]bool{}
	for _, k := range order {
		g := groups[k]
		op := g.ops[0]
		n := len(g.ops)
		if fk := foldKey(op.Client, r.command(op), strings.Join(g.notes, "|")); !folded[fk] {
			n += r.gapOf(op.Client).counted(foldDeviation, r.command(op), strings.Join(g.notes, "|")) // the same deviations dropped
			folded[fk] = true
		}
		var lines, first []int
		for _, o := range g.ops {
			f := r.factsOf(o)
			if f.command.Seq >= 0 {
				lines = append(lines, f.command.Line)
				first = append(first, f.command.Line)
			} else {
				first = append(first, firstLineOf(o))
			}
			if g.sev == Error && f.result.Seq >= 0 {
				lines = append(lines, f.result.Line)
			}
		}
		if len(lines) == 0 {
			lines = first
		}
		title := fmt.Sprintf("%s deviates from the manual: %s", r.command(op), firstClause(g.notes[0]))
		why := fmt.Sprintf("%s (%s): %s.", r.command(op), lineListOf(first, n), strings.Join(g.notes, "; "))
		if g.sev == Error {
			title = fmt.Sprintf("%s deviates from the manual and was answered %s", r.command(op), g.res)
			why += " The module rejected it."
		} else {
			why += " This module accepted it, but another firmware may not."
		}
		r.add(Finding{Rule: idDeviation, Severity: g.sev, Client: op.Client, Title: title, Explanation: why,
			Advice: "Write the command as the manual does (the syntax is quoted above where the decoder knows it): arguments in order and count, strings in ASCII double quotes, numbers without.",
			Lines:  lines})
		if g.sev == Error {
			r.claim(g.ops...)
		}
	}
	d.reportLower(r)
}

// reportLower reports the commands typed in lower case, as one finding.
func (d *deviationRule) reportLower(r *run) {
	if d.nLower > 0 {
		var lines []int
		for _, e := range d.lower {
			lines = append(lines, e.Line)
		}
		r.add(Finding{Rule: idDeviation, Severity: Info, Client: dialect.ModuleClient,
			Title:       fmt.Sprintf("%s typed in lower case", plural(d.nLower, "command", "commands")),
			Explanation: fmt.Sprintf("%s typed in lower case (%s). V.250 commands are case-insensitive and most modules accept them, but the manuals write them in upper case and some firmware reject lower-case vendor commands.", plural(d.nLower, "command is", "commands are"), lineList(lines)),
			Advice:      "Send commands in upper case from code.",
			Lines:       lines})
	}
}

func typographicIn(s string) string {
	var out []rune
	for _, r := range s {
		if strings.ContainsRune(typographic, r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	var names []string
	for _, r := range out {
		switch r {
		case '“', '”', '„', '‟', '‘', '’', '‚', '‛':
			names = append(names, "curly quote "+string(r))
		default:
			names = append(names, "full-width "+string(r))
		}
	}
	return strings.Join(names, ", ")
}

func dedupMarks(ms []Mark) []Mark {
	var out []Mark
	for _, m := range ms {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// limitsOf are the documented maximum lengths of a dialect (its table's
// Limits; zero where unknown).
func limitsOf(d string) (dialect.Limits, bool) {
	f, ok := dialect.FactsOf(d)
	if !ok {
		return dialect.Limits{}, false
	}
	return f.Limits, true
}

// overLimitRule: a topic, payload, client ID or command line longer than
// the module takes.
type overLimitRule struct {
	base
	long  []evInfo    // command lines at or over the ESP-AT limit
	creds []credIssue // ESP-AT credentials over their limit
	cmd   lastCommand // for the answer to a credentials command
	wait  *credIssue  // a credentials command awaiting its answer
}

// credIssue is an ESP-AT configuration command with a string over its limit.
type credIssue struct {
	cmd, res evInfo
	what     []string
}

// argLimit is a string argument's documented maximum length.
type argLimit struct {
	arg   int
	name  string
	limit int
}

// argLimitsOf are the per-argument limits of command name in the table of
// the dialect that has it (ESP-AT: client ID 256, user name and password
// 64, will topic and message 128 [dialects.md §3.2]), and that dialect's
// command-line limit.
func argLimitsOf(name string) ([]argLimit, int) {
	limitsOnce.Do(buildLimits)
	l := commandLimits[name]
	return l.args, l.line
}

// commandLimits caches argLimitsOf for every command of every table: it is
// asked at every command of a log.
var (
	limitsOnce    sync.Once
	commandLimits map[string]cmdLimits
)

type cmdLimits struct {
	args []argLimit
	line int
}

func buildLimits() {
	commandLimits = map[string]cmdLimits{}
	for _, name := range dialect.CommandNames() {
		args, line := tableLimits(name)
		if len(args) > 0 || line > 0 {
			commandLimits[name] = cmdLimits{args, line}
		}
	}
}

// tableLimits reads name's limits from the first table that has it.
func tableLimits(name string) (lims []argLimit, line int) {
	for _, d := range dialect.All() {
		c, ok := d.Facts.Command(name)
		if !ok || c.URC {
			continue
		}
		for i, n := range c.MaxLen {
			if n > 0 && i < len(c.Args) {
				lims = append(lims, argLimit{arg: i, name: roleWords(c.Args[i]), limit: n})
			}
		}
		return lims, d.Facts.Limits.CommandLine
	}
	return nil, 0
}

// longFormOf are the facts of the dialect whose table limits command
// name: its advice on the long forms.
func longFormOf(name string) *dialect.Facts {
	for _, d := range dialect.All() {
		if c, ok := d.Facts.Command(name); ok && !c.URC {
			return &d.Facts
		}
	}
	return &dialect.Facts{}
}

// roleWords names an argument's role for prose.
func roleWords(r dialect.ArgRole) string {
	switch r {
	case dialect.ArgClientID:
		return "client ID"
	case dialect.ArgUser:
		return "user name"
	case dialect.ArgTopic:
		return "will topic"
	case dialect.ArgPayload:
		return "will message"
	}
	return strings.ReplaceAll(r.String(), "_", " ")
}

func (o *overLimitRule) event(r *run, ev *decode.Event) {
	if o.wait != nil && ev.Kind == decode.KindResult {
		o.wait.res = infoOf(ev)
		o.creds = append(o.creds, *o.wait)
		o.wait = nil
	}
	if ev.Kind != decode.KindCommand && ev.Kind != decode.KindEcho || len(o.long) >= maxEventsPerRule || len(o.creds) >= maxEventsPerRule {
		return
	}
	if ev.Kind == decode.KindEcho && o.cmd.have && strings.EqualFold(o.cmd.ev.Text, ev.Text) {
		return
	}
	o.cmd.see(ev)
	lims, line := argLimitsOf(ev.Name)
	if line > 0 && len(ev.Text)+2 > line {
		o.long = append(o.long, infoOf(ev))
		r.watch(ev.Seq)
		return
	}
	if len(lims) > 0 && ev.Form == decode.FormWrite {
		args := dialect.SplitEscaped(ev.Args)
		var what []string
		for _, l := range lims {
			if l.arg < len(args) {
				if n := len(unquoteArg(args[l.arg])); n > l.limit {
					what = append(what, fmt.Sprintf("the %s is %d bytes, over the %d ESP-AT takes", l.name, n, l.limit))
				}
			}
		}
		if len(what) > 0 {
			o.wait = &credIssue{cmd: infoOf(ev), res: evInfo{Seq: -1}, what: what}
			r.watch(ev.Seq)
		}
	}
}

// overLimits says what of op is over its dialect's limits.
func overLimits(op *dialect.Op) []string {
	lim, ok := limitsOf(op.Dialect)
	if !ok {
		return nil
	}
	var over []string
	if lim.Payload > 0 && op.Kind == dialect.OpPublish && op.PayloadLen > lim.Payload {
		over = append(over, fmt.Sprintf("the payload is %d bytes, over the %d the module takes", op.PayloadLen, lim.Payload))
	}
	if lim.Topic > 0 && len(op.Topic) > lim.Topic && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe) {
		over = append(over, fmt.Sprintf("the topic is %d bytes, over the %d the module takes", len(op.Topic), lim.Topic))
	}
	if lim.ClientID > 0 && len(op.ClientID) > lim.ClientID && op.Kind == dialect.OpConnect {
		over = append(over, fmt.Sprintf("the client ID is %d bytes, over the %d the module takes", len(op.ClientID), lim.ClientID))
	}
	return over
}

func unquoteArg(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func (o *overLimitRule) finish(r *run) {
	seen := map[*dialect.Op]bool{}
	for _, op := range r.ops {
		lim, ok := limitsOf(op.Dialect)
		var over []string
		for _, n := range op.Notes {
			if n.Kind == dialect.NoteLimit {
				over = append(over, n.Text)
			}
		}
		fromNotes := len(over)
		over = append(over, overLimits(op)...)
		if len(over) == 0 {
			continue
		}
		seen[op] = true
		sev := Warning
		why := fmt.Sprintf("The %s at line %d: %s.", op.Kind, firstLineOf(op), strings.Join(over, "; "))
		if ok && len(over) > fromNotes && lim.Source != "" {
			why += " (" + lim.Source + ".)"
		}
		switch op.Status {
		case dialect.StatusFailed:
			sev = Error
			why += fmt.Sprintf(" It failed: %s.", reasonOf(op))
			r.claim(op)
		case dialect.StatusOK:
			sev = Info
			why += " This module took it, but another firmware version may not."
		}
		r.add(Finding{Rule: idOverLimit, Severity: sev, Client: op.Client,
			Title:       fmt.Sprintf("%s is over the module's limit: %s", r.command(op), firstClause(over[0])),
			Explanation: why,
			Advice:      dialect.OverLimitAdvice,
			Lines:       op.Lines})
	}
	if o.wait != nil {
		o.creds = append(o.creds, *o.wait)
	}
	for _, c := range o.creds {
		sev, title := Warning, fmt.Sprintf("AT%s has a string over ESP-AT's limit", c.cmd.Name)
		lines := []int{c.cmd.Line}
		if c.res.Seq >= 0 && !dialect.SuccessResult(c.res.Name) {
			sev, title = Error, fmt.Sprintf("AT%s was answered %s: a string is over ESP-AT's limit", c.cmd.Name, c.res.Text)
			lines = append(lines, c.res.Line)
			r.explainEvent(c.cmd.Seq, c.res.Seq)
		}
		r.add(Finding{Rule: idOverLimit, Severity: sev, Client: clientOfLine(r, c.cmd.Seq), Title: title,
			Explanation: fmt.Sprintf("Line %d: %s (ESP-AT MQTT manual: client ID at most 256 bytes, user name and password at most 64, LWT topic and message at most 128).", c.cmd.Line, strings.Join(c.what, "; ")),
			Advice:      longFormOf(c.cmd.Name).LongCredentialAdvice,
			Lines:       lines})
	}
	for _, e := range o.long {
		op := opOfSeq(r, e.Seq)
		if op != nil && seen[op] {
			continue
		}
		sev := Warning
		client := dialect.ModuleClient
		lines := []int{e.Line}
		if op != nil {
			client, lines = op.Client, op.Lines
			if op.Status == dialect.StatusFailed {
				sev = Error
				r.claim(op)
			}
		}
		r.add(Finding{Rule: idOverLimit, Severity: sev, Client: client,
			Title:       fmt.Sprintf("AT%s is %d bytes long, over ESP-AT's 256-byte command line", e.Name, len(e.Text)+2),
			Explanation: fmt.Sprintf("Line %d: ESP-AT takes command lines shorter than 256 bytes (CR LF included); a longer one is cut or rejected.", e.Line),
			Advice:      longFormOf(e.Name).LongLineAdvice,
			Lines:       lines})
	}
}
