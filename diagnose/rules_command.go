package diagnose

import (
	"fmt"
	"slices"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Commands that are not MQTT operations, answered with an error: +CME
// ERROR, +CMS ERROR and plain ERROR, grouped and explained.

// commandResult is a command that the module answered with an error.
type commandResult struct {
	cmd, res evInfo
}

// maxFailedCommands bounds what the command rules keep of a log.
const maxFailedCommands = 500

// failedCommands collects commands answered with ERROR, +CME ERROR or +CMS
// ERROR from the event stream, for the commands that are not ops.
type failedCommands struct {
	cmd    evInfo
	have   bool
	failed []commandResult
}

func (c *failedCommands) see(r *run, ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand:
		c.cmd, c.have = ringInfo(ev), true
	case decode.KindEcho:
		if !c.have || !strings.EqualFold(c.cmd.Text, ev.Text) {
			c.cmd, c.have = ringInfo(ev), true
		}
	case decode.KindResult:
		if c.have && !dialect.SuccessResult(ev.Name) && len(c.failed) < maxFailedCommands {
			c.failed = append(c.failed, commandResult{cmd: c.cmd.detached(), res: infoOf(ev)})
			r.watch(c.cmd.Seq)
			r.watch(ev.Seq)
		}
		c.have = false
	}
}

// unclaimed are the failed commands that no op holds.
func (c *failedCommands) unclaimed(r *run, match func(commandResult) bool) []commandResult {
	inOp := map[int]bool{}
	for _, op := range r.ops {
		for _, s := range op.Seqs {
			inOp[s] = true
		}
	}
	var out []commandResult
	for _, f := range c.failed {
		if !inOp[f.cmd.Seq] && !inOp[f.res.Seq] && !r.explained[f.cmd.Seq] && !r.explained[f.res.Seq] && match(f) {
			out = append(out, f)
		}
	}
	return out
}

// cmeRule explains +CME ERROR and +CMS ERROR answers, of ops and of plain
// commands.
type cmeRule struct {
	failRule
	cmds failedCommands
}

func (c *cmeRule) event(r *run, ev *decode.Event) { c.cmds.see(r, ev) }

func (c *cmeRule) finish(r *run) {
	c.failRule.finish(r)
	groupCommands(r, idCME, c.cmds.unclaimed(r, func(f commandResult) bool { return isCME(f.res.Name) }), func(f commandResult) explained {
		e := cmeExplained(f.res.Name, f.res.Args, "AT"+f.cmd.Name, dialectOf(r), "")
		if n, ok := dialect.CMECode(f.res.Args); e.sev == Error && (!ok || cmeGroup(n) != "SIM" && cmeGroup(n) != "network") {
			e.sev = Warning // a plain command, not an MQTT operation, unless the SIM or network is at stake
		}
		e.why = fmt.Sprintf("%q (line %d) failed. %s", f.cmd.Text, f.cmd.Line, e.why)
		return e
	})
}

// commandRule explains plain ERROR answers to commands that are not MQTT
// operations, with a hint for the mistakes seen in posted logs.
type commandRule struct {
	failRule
	cmds failedCommands
}

func (c *commandRule) event(r *run, ev *decode.Event) { c.cmds.see(r, ev) }

func (c *commandRule) finish(r *run) {
	c.failRule.finish(r)
	groupCommands(r, idCommandError, c.cmds.unclaimed(r, func(f commandResult) bool { return !isCME(f.res.Name) }), func(f commandResult) explained {
		return commandExplained(f.cmd.Name, f.cmd.Args, f.cmd.Text, f.res.Text)
	})
}

func explainCommand(r *run, op *dialect.Op, f *opFacts) explained {
	cmd := f.command
	e := commandExplained(strings.TrimPrefix(r.command(op), "AT"), "", r.command(op), resultText(op, f))
	if cmd.Seq >= 0 {
		e = commandExplained(cmd.Name, cmd.Args, cmd.Text, resultText(op, f))
	}
	e.marks = resultMark(f)
	if op.Reason != "" && !strings.HasPrefix(op.Reason, dialect.ErrorReason) {
		e.why = fmt.Sprintf("%s (%s).", strings.TrimSuffix(e.why, "."), op.Reason)
	}
	return e
}

// commandExplained explains a command answered with ERROR.
func commandExplained(name, args, text, result string) explained {
	e := explained{sev: Warning}
	e.title = fmt.Sprintf("AT%s was answered %s", name, result)
	e.why = fmt.Sprintf("The module rejected %q.", text)
	if dialect.NetworkCommand(name) {
		e.sev = Error // without packet data nothing else can work
	}
	e.result = result
	if hint := commandHint(name, args); hint != "" {
		e.why += " " + hint
		e.advice = "Fix the command as above."
	} else {
		e.plain = true
		e.advice = "Check the command's name and arguments against the manual of this firmware (a command the firmware lacks also answers ERROR); AT+CMEE=1 (or 2) makes most modules say why with +CME ERROR."
	}
	return e
}

// commandHint names a known mistake, from the dialects' table of them.
func commandHint(name, args string) string { return dialect.MistakeHint(name, args) }

// groupCommands makes one finding per kind of failed command: commands
// with the same hint share one, and the commands the module rejected
// without a known reason (mistyped names, commands the firmware lacks) make
// one finding per severity, however many names they have.
func groupCommands(r *run, id string, failed []commandResult, explain func(commandResult) explained) {
	type group struct {
		e     explained
		lines []int
		first []int
		names []string
	}
	var order []string
	groups := map[string]*group{}
	for _, f := range failed {
		e := explain(f)
		key := e.title
		if e.plain {
			key = fmt.Sprint("plain\x00", e.sev, "\x00", f.res.Name)
		}
		g, ok := groups[key]
		if !ok {
			g = &group{e: e}
			groups[key] = g
			order = append(order, key)
		}
		g.lines = append(g.lines, f.cmd.Line, f.res.Line)
		g.first = append(g.first, f.cmd.Line)
		if n := "AT" + f.cmd.Name; !slices.Contains(g.names, n) {
			g.names = append(g.names, n)
		}
		g.e.marks = append(g.e.marks, Mark{Line: f.res.Line, Text: f.res.Text})
	}
	for _, k := range order {
		g := groups[k]
		title, why := g.e.title, g.e.why
		if len(g.names) > 1 {
			title = fmt.Sprintf("%d commands were answered %s (%s)", len(g.names), g.e.result, nameList(g.names))
			why = fmt.Sprintf("The module rejected %s (%s): %s. Names it does not know (mistyped, or missing from this firmware) and wrong arguments are answered so.",
				plural(len(g.first), "command", "commands"), lineList(g.first), nameList(g.names))
		} else if len(g.first) > 1 {
			why += fmt.Sprintf(" It happened %d times (%s).", len(g.first), lineList(g.first))
		}
		r.add(Finding{Rule: id, Severity: g.e.sev, Title: title, Explanation: why, Advice: g.e.advice,
			Client: dialect.ModuleClient, Lines: g.lines, Marks: g.e.marks})
	}
}

// nameList renders command names for a title: the first five, then a count.
func nameList(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, ... %d in all", strings.Join(names[:5], ", "), len(names))
}

// cmeGroup says which family a CME code belongs to, for titles.
func cmeGroup(n int) string {
	switch {
	case n >= 10 && n <= 18:
		return "SIM"
	case n >= 30 && n <= 32:
		return "network"
	case n >= 550 && n <= 574:
		return "TCP/IP stack"
	case n >= 8503 && n <= 8600:
		return "MQTT (NB-IoT)"
	}
	return "general"
}
