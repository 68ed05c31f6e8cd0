package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Rules about what the host sent: payloads, prompts, command syntax, and
// what became of publishes, subscriptions and received messages.

const (
	idPayloadLength    = "payload-length"
	idPrompt           = "prompt-unanswered"
	idCtrlZ            = "ctrlz-missing"
	idDeviation        = "manual-deviation"
	idOverLimit        = "over-limit"
	idTimeout          = "op-timeout"
	idPubackMissing    = "puback-missing"
	idRetransmission   = "retransmission"
	idSubRejected      = "subscribe-rejected"
	idUnsubscribed     = "receive-unsubscribed"
	idBufferOverflow   = "receive-buffer-overflow"
	maxEventsPerRule   = 200
	deviationMaxGroups = 50
)

// lengthProblem matches "payload is 108 bytes, length says 512" and its
// variants from the tokenizer and the dialects.
var lengthProblem = regexp.MustCompile(`(?:payload|message|topic) is (\d+) bytes, (?:the )?(?:length|command|\+CMQTTRXSTART) says (\d+)`)

// lastCommand remembers the latest command of the stream (or its echo when
// the command itself is not logged).
type lastCommand struct {
	ev   evInfo
	have bool
}

func (l *lastCommand) see(ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand:
		l.ev, l.have = infoOf(ev), true
	case decode.KindEcho:
		if !l.have || !strings.EqualFold(l.ev.Text, ev.Text) {
			l.ev, l.have = infoOf(ev), true
		}
	}
}

// lengthIssue is a payload whose length differs from the declared one.
type lengthIssue struct {
	cmd        evInfo // the command that declared the length (Seq -1: none)
	data       evInfo // the payload event
	have, want int
	swallowed  []evInfo // commands the module took as payload
	answer     evInfo   // the module's answer after them (Seq -1: none)
	open       bool     // still collecting what follows
}

// payloadLengthRule: a payload shorter or longer than its declared length.
type payloadLengthRule struct {
	base
	cmd    lastCommand
	issues []*lengthIssue
}

func (p *payloadLengthRule) event(r *run, ev *decode.Event) {
	if n := len(p.issues); n > 0 && p.issues[n-1].open {
		is := p.issues[n-1]
		switch {
		case ev.Kind == decode.KindCommand || ev.Kind == decode.KindData && ev.Dir == decode.DirToModule:
			if len(is.swallowed) < 10 {
				is.swallowed = append(is.swallowed, infoOf(ev))
			}
		case ev.Kind == decode.KindResult || ev.Kind == decode.KindURC:
			is.answer, is.open = infoOf(ev), false
		}
	}
	p.cmd.see(ev)
	m := lengthProblem.FindStringSubmatch(ev.Problem)
	if m == nil || len(p.issues) >= maxEventsPerRule {
		return
	}
	have, _ := strconv.Atoi(m[1])
	want, _ := strconv.Atoi(m[2])
	is := &lengthIssue{cmd: evInfo{Seq: -1}, data: infoOf(ev), have: have, want: want, answer: evInfo{Seq: -1}}
	r.watch(ev.Seq)
	if p.cmd.have && ev.Kind == decode.KindData {
		is.cmd = p.cmd.ev
	}
	is.open = ev.Kind == decode.KindData && ev.Dir != decode.DirFromModule && have < want
	p.issues = append(p.issues, is)
}

func (p *payloadLengthRule) finish(r *run) {
	covered := map[int]bool{}
	for _, is := range p.issues {
		covered[is.data.Line] = true
		p.report(r, is)
	}
	// Inline payloads whose length argument differs (noted by the dialect).
	for _, op := range r.ops {
		for _, n := range op.Notes {
			m := lengthProblem.FindStringSubmatch(n.Text)
			if m == nil || slices.ContainsFunc(op.Lines, func(l int) bool { return covered[l] }) || r.family(op) == idDeviation {
				continue // (a command the module rejected for its syntax: the length was misread with it)
			}
			have, _ := strconv.Atoi(m[1])
			want, _ := strconv.Atoi(m[2])
			f := r.factsOf(op)
			is := &lengthIssue{cmd: f.command, data: f.command, have: have, want: want, answer: evInfo{Seq: -1}}
			if f.command.Seq < 0 {
				is.data = evInfo{Seq: -1, Line: firstLineOf(op), Dir: decode.DirFromModule}
				if op.Kind == dialect.OpPublish {
					is.data.Dir = decode.DirToModule
				}
			}
			p.reportOp(r, is, op)
			break
		}
	}
}

func (p *payloadLengthRule) report(r *run, is *lengthIssue) {
	var op *dialect.Op
	for _, o := range r.ops {
		if slices.Contains(o.Seqs, is.data.Seq) {
			op = o
			break
		}
	}
	p.reportOp(r, is, op)
}

func (p *payloadLengthRule) reportOp(r *run, is *lengthIssue, op *dialect.Op) {
	client := dialect.ModuleClient
	if op != nil {
		client = op.Client
	}
	lines := []int{is.data.Line}
	if is.cmd.Seq >= 0 {
		lines = append(lines, is.cmd.Line)
	}
	cmd := "the command"
	if is.cmd.Seq >= 0 {
		cmd = "AT" + is.cmd.Name
	} else if op != nil {
		cmd = r.command(op)
	}
	f := Finding{Rule: idPayloadLength, Severity: Error, Client: client}
	claimSeqs := []int{is.data.Seq}
	switch {
	case is.data.Dir == decode.DirFromModule:
		f.Severity = Warning
		f.Title = fmt.Sprintf("A received payload is %d bytes, but the module announced %d", is.have, is.want)
		f.Explanation = fmt.Sprintf("Line %d: the module's length field says %d bytes, the log shows %d. The capture lost or added bytes (or a tool re-encoded multi-byte characters); the module itself delivered what it announced.", is.data.Line, is.want, is.have)
		f.Advice = "Trust the module's count; if the payload matters, capture the serial bytes raw (no text conversion, no dropped bytes)."
	case is.have < is.want:
		f.Title = fmt.Sprintf("%s announced %d payload bytes but only %d were sent", cmd, is.want, is.have)
		f.Explanation = fmt.Sprintf("%s (line %d) declared %d bytes; the payload at line %d has %d. The module keeps waiting for the other %d bytes and takes whatever the host sends next as payload",
			cmd, lines[len(lines)-1], is.want, is.data.Line, is.have, is.want-is.have)
		if len(is.swallowed) > 0 {
			var names []string
			for _, s := range is.swallowed {
				names = append(names, fmt.Sprintf("%s (line %d)", s.Text, s.Line))
				lines = append(lines, s.Line)
				claimSeqs = append(claimSeqs, s.Seq)
			}
			f.Explanation += ": " + strings.Join(names, ", ") + " became part of the payload, not a command"
		}
		f.Explanation += "."
		if is.answer.Seq >= 0 {
			lines = append(lines, is.answer.Line)
			f.Explanation += fmt.Sprintf(" The module answered %s at line %d", is.answer.Text, is.answer.Line)
			from := is.data
			if n := len(is.swallowed); n > 0 {
				from = is.swallowed[n-1]
			}
			if d := span(from.Time, is.answer.Time); d != "" && from.Timed && is.answer.Timed {
				f.Explanation += ", " + d + " after the last bytes it took (its input timeout)"
			}
			f.Explanation += "."
			claimSeqs = append(claimSeqs, is.answer.Seq)
		}
		f.Advice = "Send exactly the announced number of bytes: compute the length from the bytes actually sent (UTF-8 characters count several bytes; a terminal may add CR LF), or use the form without a length that ends at Ctrl-Z."
	default:
		f.Title = fmt.Sprintf("%s announced %d payload bytes but %d were sent", cmd, is.want, is.have)
		f.Explanation = fmt.Sprintf("%s declared %d bytes; the payload at line %d has %d. The module takes the first %d bytes; the other %d are dropped or read as the start of the next command (the ThingsCloud guide: extra bytes are deleted).",
			cmd, is.want, is.data.Line, is.have, is.want, is.have-is.want)
		f.Advice = "Compute the length from the exact payload bytes (UTF-8 characters count several bytes; a terminal may add CR LF)."
	}
	f.Lines = lines
	r.add(f)
	r.claimSeq(claimSeqs...)
	r.claim(op)
}

// promptIssue is a prompt that got no payload.
type promptIssue struct {
	prompt, cmd, next evInfo
	atEnd             bool
}

// promptRule: the module prompted ('>') and the host sent a command
// instead of the payload, or nothing.
type promptRule struct {
	base
	cmd     lastCommand
	pending *promptIssue
	issues  []promptIssue
}

func (p *promptRule) event(r *run, ev *decode.Event) {
	if ev.Kind == decode.KindPrompt {
		p.flush()
		p.pending = &promptIssue{prompt: infoOf(ev), cmd: evInfo{Seq: -1}, next: evInfo{Seq: -1}}
		if p.cmd.have {
			p.pending.cmd = p.cmd.ev
		}
		return
	}
	p.cmd.see(ev)
	if p.pending == nil || ev.Kind == decode.KindText || ev.Kind == decode.KindEcho {
		return
	}
	switch ev.Kind {
	case decode.KindData:
		p.pending = nil
	case decode.KindCommand, decode.KindResult:
		p.pending.next = infoOf(ev)
		if len(p.issues) < maxEventsPerRule {
			p.issues = append(p.issues, *p.pending)
			r.watch(p.pending.prompt.Seq)
		}
		p.pending = nil
	}
}

func (p *promptRule) flush() { p.pending = nil }

func (p *promptRule) finish(r *run) {
	if p.pending != nil {
		p.pending.atEnd = true
		p.issues = append(p.issues, *p.pending)
		p.pending = nil
	}
	for _, is := range p.issues {
		cmd := "a command"
		lines := []int{is.prompt.Line}
		if is.cmd.Seq >= 0 {
			cmd = "AT" + is.cmd.Name
			lines = append(lines, is.cmd.Line)
		}
		f := Finding{Rule: idPrompt, Severity: Error, Client: dialect.ModuleClient,
			Advice: "Wait for the prompt, then send the payload: exactly the announced length, or ended by Ctrl-Z (0x1A) in the form without a length. ESC (0x1B) cancels."}
		accepted := false
		for _, op := range r.ops {
			if slices.Contains(op.Seqs, is.prompt.Seq) {
				f.Client = op.Client
				accepted = op.Status == dialect.StatusOK
				if !accepted {
					r.claim(op)
				}
			}
		}
		if accepted {
			continue // the module took a payload the log does not show (ESP-AT does not echo it)
		}
		switch {
		case is.atEnd:
			f.Severity = Info
			f.Title = fmt.Sprintf("The log ends at the prompt of %s", cmd)
			f.Explanation = fmt.Sprintf("The module prompted for the payload of %s at line %d and the log ends there.", cmd, is.prompt.Line)
			f.Advice = "If the host did send a payload, the capture stopped too early; otherwise " + strings.ToLower(f.Advice[:1]) + f.Advice[1:]
		case is.next.Seq >= 0 && is.next.Kind == decode.KindCommand:
			lines = append(lines, is.next.Line)
			f.Title = fmt.Sprintf("The prompt of %s got a command instead of the payload", cmd)
			f.Explanation = fmt.Sprintf("The module prompted for the payload of %s at line %d, but the host sent %s (line %d). In data mode the module takes those bytes as the payload: the command is not run, and the publish carries it.", cmd, is.prompt.Line, is.next.Text, is.next.Line)
			r.claimSeq(is.next.Seq)
		case is.next.Seq >= 0:
			lines = append(lines, is.next.Line)
			f.Title = fmt.Sprintf("The prompt of %s got no payload", cmd)
			f.Explanation = fmt.Sprintf("The module prompted for the payload of %s at line %d, no payload followed, and the module answered %s (line %d).", cmd, is.prompt.Line, is.next.Text, is.next.Line)
		default:
			f.Title = fmt.Sprintf("The prompt of %s got no payload", cmd)
			f.Explanation = fmt.Sprintf("The module prompted for the payload of %s at line %d, but no payload follows it in the log.", cmd, is.prompt.Line)
		}
		f.Lines = lines
		r.add(f)
	}
}

// ctrlZRule: a payload of the Ctrl-Z form without its Ctrl-Z.
type ctrlZRule struct {
	base
	cmd    lastCommand
	issues []lengthIssue
}

func (c *ctrlZRule) event(r *run, ev *decode.Event) {
	c.cmd.see(ev)
	if ev.Kind == decode.KindData && strings.Contains(ev.Problem, "Ctrl-Z") && len(c.issues) < maxEventsPerRule {
		is := lengthIssue{cmd: evInfo{Seq: -1}, data: infoOf(ev)}
		if c.cmd.have {
			is.cmd = c.cmd.ev
		}
		c.issues = append(c.issues, is)
		r.watch(ev.Seq)
	}
}

func (c *ctrlZRule) finish(r *run) {
	for _, is := range c.issues {
		cmd := "the command"
		lines := []int{is.data.Line}
		if is.cmd.Seq >= 0 {
			cmd = "AT" + is.cmd.Name
			lines = append(lines, is.cmd.Line)
		}
		var op *dialect.Op
		for _, o := range r.ops {
			if slices.Contains(o.Seqs, is.data.Seq) {
				op = o
			}
		}
		f := Finding{Rule: idCtrlZ, Severity: Error, Client: dialect.ModuleClient, Lines: lines,
			Title:  fmt.Sprintf("The payload of %s has no Ctrl-Z", cmd),
			Advice: "End the payload with the Ctrl-Z byte (0x1A, not the text \"^Z\" or \"\\x1a\"): terminals send it with Ctrl+Z, serial tools with their hex send option. Or use the form with a length, which needs no terminator.",
			Marks:  []Mark{{Line: is.data.Line, Text: is.data.Text}}}
		f.Explanation = fmt.Sprintf("In the Ctrl-Z form the module collects payload bytes until 0x1A. The payload at line %d has none before the module answered: the module waits for it, takes what the host sends next as payload, and answers ERROR or nothing when its input times out.", is.data.Line)
		if op != nil {
			f.Client = op.Client
			if op.Status == dialect.StatusOK {
				f.Severity = Info
				f.Title = fmt.Sprintf("The Ctrl-Z that ends the payload of %s is not in the log", cmd)
				f.Explanation = fmt.Sprintf("The payload at line %d shows no 0x1A, yet the module accepted it: the capture tool probably hid the control byte.", is.data.Line)
				f.Advice = "Nothing to fix in the device; capture raw bytes to see control characters."
			} else {
				r.claim(op)
			}
		}
		r.add(f)
	}
}

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
		if isDeviation(n.Text) {
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

func isDeviation(n string) bool {
	l := strings.ToLower(n)
	switch {
	case strings.HasPrefix(l, "the command is not in the log"), lengthProblem.MatchString(n), isLimitNote(n),
		strings.HasPrefix(l, "abandoned"), strings.HasPrefix(l, "the broker rejected"), l == "command in lower case",
		strings.HasPrefix(l, "old sara-r4 syntax"), strings.Contains(l, " in the log"), strings.HasPrefix(l, "at+umqtter"),
		strings.HasPrefix(l, "the link was already down"), strings.Contains(l, "after connect ok"):
		return false
	}
	for _, m := range []string{"manual", "not in quotes", "outside", "swapped", "out of the manual's order", "extra protocol argument",
		"no msgid", "without a qos", "no qos", "no valid qos", "bare '\"'", "not an esp-at", "supports linkid 0 only", "deviate",
		"dup flag set on a first send", "not documented", "not the seed", "later versions", "oldest slm syntax"} {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

func (d *deviationRule) finish(r *run) {
	if d.wait != nil {
		d.curly = append(d.curly, *d.wait)
		d.wait = nil
	}
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
		if len(devs) == 0 {
			continue
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
	for _, k := range order {
		g := groups[k]
		op := g.ops[0]
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
		why := fmt.Sprintf("%s (%s): %s.", r.command(op), lineList(first), strings.Join(g.notes, "; "))
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
	for _, c := range d.curly {
		chars := typographicIn(c.cmd.Text)
		sev := Warning
		title := fmt.Sprintf("AT%s contains %s", c.cmd.Name, chars)
		lines := []int{c.cmd.Line}
		if c.res.Seq >= 0 && c.res.Name != "OK" {
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
	}
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

// limits are the documented maximum lengths per dialect [dialects.md §2.2,
// §3.1-3.2, §4.2, §5.2, §6.2, §7.3, §8.3].
type limits struct {
	payload, topic, clientID, line int
	source                         string
}

var dialectLimits = map[string]limits{
	"quectel":   {payload: 4096, source: "BG95/EC2x MQTT application notes: payload at most 4096 bytes (BG77 1548, BC660 inline 1460)"},
	"espat":     {clientID: 256, topic: 128, line: 256, source: "ESP-AT MQTT manual: command line under 256 bytes, client ID at most 256, topic at most 128 bytes (v2.2 and later)"},
	"luat":      {payload: 4100, source: "Luat MQTT AT guide: AT+MPUB and AT+MPUBEX carry at most 4100 bytes"},
	"simcom":    {payload: 10240, topic: 1024, clientID: 128, source: "SIMCom MQTT AT manual: topic 1-1024 bytes, payload 1-10240, client ID 1-128"},
	"simcom-sm": {payload: 1024, source: "SIM7080 drivers: AT+SMPUB at most 1024 bytes (unconfirmed)"},
	"nordic":    {payload: 1024, source: "Serial LTE Modem documentation: an inline message is at most 1024 bytes"},
}

// isLimitNote reports a dialect note about a length limit.
func isLimitNote(n string) bool {
	return strings.Contains(n, "at most") || strings.Contains(n, "limits") || strings.Contains(n, "takes at most")
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

// espCredLimits are the ESP-AT string limits per command and argument
// [dialects.md §3.2]: client ID 256, user name and password 64 (longer ones
// need AT+MQTTLONG*, ESP-AT 2.2 and later), LWT topic and message 128.
var espCredLimits = map[string][]struct {
	arg   int
	name  string
	limit int
}{
	"+MQTTUSERCFG":  {{2, "client ID", 256}, {3, "user name", 64}, {4, "password", 64}},
	"+MQTTCLIENTID": {{1, "client ID", 256}},
	"+MQTTUSERNAME": {{1, "user name", 64}},
	"+MQTTPASSWORD": {{1, "password", 64}},
	"+MQTTCONNCFG":  {{3, "LWT topic", 128}, {4, "LWT message", 128}},
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
	if len(ev.Text)+2 > 256 && strings.HasPrefix(ev.Name, "+MQTT") {
		o.long = append(o.long, infoOf(ev))
		r.watch(ev.Seq)
		return
	}
	if lims, ok := espCredLimits[ev.Name]; ok && ev.Form == decode.FormWrite {
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
	lim, ok := dialectLimits[op.Dialect]
	if !ok {
		return nil
	}
	var over []string
	if lim.payload > 0 && op.Kind == dialect.OpPublish && op.PayloadLen > lim.payload {
		over = append(over, fmt.Sprintf("the payload is %d bytes, over the %d the module takes", op.PayloadLen, lim.payload))
	}
	if lim.topic > 0 && len(op.Topic) > lim.topic && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe) {
		over = append(over, fmt.Sprintf("the topic is %d bytes, over the %d the module takes", len(op.Topic), lim.topic))
	}
	if lim.clientID > 0 && len(op.ClientID) > lim.clientID && op.Kind == dialect.OpConnect {
		over = append(over, fmt.Sprintf("the client ID is %d bytes, over the %d the module takes", len(op.ClientID), lim.clientID))
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
		lim, ok := dialectLimits[op.Dialect]
		var over []string
		for _, n := range op.Notes {
			if isLimitNote(n.Text) {
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
		if ok && len(over) > fromNotes {
			why += " (" + lim.source + ".)"
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
			Advice:      "Split the data into smaller messages, shorten the topic or client ID, or use the module's long form (ESP-AT: AT+MQTTPUBRAW, AT+MQTTLONGCLIENTID).",
			Lines:       op.Lines})
	}
	if o.wait != nil {
		o.creds = append(o.creds, *o.wait)
	}
	for _, c := range o.creds {
		sev, title := Warning, fmt.Sprintf("AT%s has a string over ESP-AT's limit", c.cmd.Name)
		lines := []int{c.cmd.Line}
		if c.res.Seq >= 0 && c.res.Name != "OK" {
			sev, title = Error, fmt.Sprintf("AT%s was answered %s: a string is over ESP-AT's limit", c.cmd.Name, c.res.Text)
			lines = append(lines, c.res.Line)
			r.explainEvent(c.cmd.Seq, c.res.Seq)
		}
		r.add(Finding{Rule: idOverLimit, Severity: sev, Client: clientOfLine(r, c.cmd.Seq), Title: title,
			Explanation: fmt.Sprintf("Line %d: %s (ESP-AT MQTT manual: client ID at most 256 bytes, user name and password at most 64, LWT topic and message at most 128).", c.cmd.Line, strings.Join(c.what, "; ")),
			Advice:      "Give long credentials with AT+MQTTLONGCLIENTID, AT+MQTTLONGUSERNAME or AT+MQTTLONGPASSWORD (ESP-AT 2.2 and later: the length, then the bytes after '>'), and leave the field empty in AT+MQTTUSERCFG.",
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
			Advice:      "Send long payloads with AT+MQTTPUBRAW (length, then the bytes after '>') and long credentials with AT+MQTTLONGCLIENTID/LONGUSERNAME/LONGPASSWORD.",
			Lines:       lines})
	}
}

// timeoutRule: operations whose result never came.
type timeoutRule struct{ base }

func (timeoutRule) finish(r *run) {
	type group struct{ ops []*dialect.Op }
	var order []string
	groups := map[string]*group{}
	for _, op := range r.ops {
		if op.Status != dialect.StatusTimeout || r.claimed[op] || op.Kind == dialect.OpPublish && op.QoS >= 1 {
			continue
		}
		key := fmt.Sprint(op.Client, op.Kind, r.command(op))
		g, ok := groups[key]
		if !ok {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op)
	}
	for _, k := range order {
		g := groups[k]
		op := g.ops[0]
		var lines, first []int
		for _, o := range g.ops {
			lines = append(lines, o.Lines...)
			first = append(first, firstLineOf(o))
		}
		sev := Warning
		if op.Kind == dialect.OpConnect || op.Kind == dialect.OpOpen {
			sev = Error
		}
		title := fmt.Sprintf("%s got no result", r.command(op))
		if len(g.ops) > 1 {
			title = fmt.Sprintf("%s got no result (%d times)", r.command(op), len(g.ops))
		}
		why := fmt.Sprintf("The %s of %s (%s) never got its outcome: %s.", op.Kind, target(op), lineList(first), reasonOf(op))
		why += r.laterSuccess(op)
		if next := r.linkLossAfter(op); next != nil {
			why += fmt.Sprintf(" The link was lost afterwards (%s, line %d).", resultTextOp(r, next), firstLineOf(next))
		}
		r.add(Finding{Rule: idTimeout, Severity: sev, Client: op.Client, Title: title, Explanation: why,
			Advice: timeoutAdvice(op),
			Lines:  lines})
		r.claim(g.ops...)
	}
}

func timeoutAdvice(op *dialect.Op) string {
	switch op.Kind {
	case dialect.OpConnect:
		return "Check that the broker is reachable and that the credentials and client ID are right: some brokers drop a bad CONNECT without answering. Check TLS settings for port 8883."
	case dialect.OpOpen:
		return "Check registration, the PDP context, the host and the port; a firewall that drops packets makes the open time out instead of fail."
	}
	s := "Check the network and the broker; the module's wait is pkt_timeout x retries (Quectel AT+QMTCFG=\"timeout\"). If the log was cut, the result may simply be missing from it."
	return s
}

// acked reports whether a dialect shows publish acknowledgements.
func acked(d string) bool {
	switch d {
	case "espat", "cipmqtt", "simcom-sm":
		return false
	}
	return true
}

// ackEvidence says how a dialect shows a publish acknowledgement.
func ackEvidence(d string) string {
	switch d {
	case "quectel":
		return "+QMTPUB: <idx>,<msgID>,0"
	case "simcom":
		return "+CMQTTPUB: <idx>,0"
	case "luat":
		return "the PUBACK, or PUBREC and PUBCOMP, lines"
	case "ublox":
		return "+UUMQTTC: 2,1"
	case "nordic":
		return "#XMQTTEVT: 3,0, or 4,0 and 6,0"
	case "tencent":
		return "+TCMQTTPUB:OK"
	}
	return "with a result line"
}

// pubackRule: QoS 1/2 publishes never acknowledged.
type pubackRule struct{ base }

func (pubackRule) finish(r *run) {
	byClient := map[int][]*dialect.Op{}
	var clients []int
	for _, op := range r.ops {
		if op.Kind != dialect.OpPublish || op.QoS < 1 || r.claimed[op] || !acked(op.Dialect) {
			continue
		}
		lost := op.Status == dialect.StatusTimeout || op.Status == dialect.StatusUnknown ||
			op.Status == dialect.StatusFailed && strings.HasPrefix(op.Reason, "abandoned")
		if !lost {
			continue
		}
		if _, ok := byClient[op.Client]; !ok {
			clients = append(clients, op.Client)
		}
		byClient[op.Client] = append(byClient[op.Client], op)
	}
	for _, c := range clients {
		ops := byClient[c]
		var lines, first []int
		abandoned := 0
		for _, op := range ops {
			lines = append(lines, op.Lines...)
			first = append(first, firstLineOf(op))
			if strings.HasPrefix(op.Reason, "abandoned") {
				abandoned++
			}
		}
		why := fmt.Sprintf("For QoS 1 the broker answers PUBACK, for QoS 2 PUBREC and PUBCOMP, and the module reports them (%s). %s of %s got no acknowledgement (%s): the broker may not have received %s.",
			ackEvidence(ops[0].Dialect), plural(len(ops), "publish", "publishes"), clientName(c), lineList(first), map[bool]string{true: "it", false: "them"}[len(ops) == 1])
		if loss := r.linkLossAfter(ops[len(ops)-1]); loss != nil && abandoned == 0 {
			why += fmt.Sprintf(" The link was lost afterwards (%s, line %d).", resultTextOp(r, loss), firstLineOf(loss))
		}
		switch {
		case abandoned == 1 && len(ops) == 1:
			why += " It was abandoned when the link went down: the module forgets pending messages at a link loss and does not send them again."
		case abandoned > 0:
			why += fmt.Sprintf(" %d were abandoned when the link went down: the module forgets pending messages at a link loss and does not send them again.", abandoned)
		}
		title := fmt.Sprintf("%d QoS 1/2 publishes of %s were never acknowledged", len(ops), clientName(c))
		if len(ops) == 1 {
			title = fmt.Sprintf("A QoS %d publish of %s was never acknowledged", ops[0].QoS, clientName(c))
		}
		r.add(Finding{Rule: idPubackMissing, Severity: Warning, Client: c,
			Title:       title,
			Explanation: why,
			Advice:      "Publish again after reconnecting (the application must keep unacknowledged messages); check that the broker allows QoS 1/2 on the topic and the module's timeout settings.",
			Lines:       lines})
		r.claim(ops...)
	}
}

// retransmissionRule: the module reported retransmissions.
type retransmissionRule struct{ base }

func (retransmissionRule) finish(r *run) {
	byClient := map[int][]*dialect.Op{}
	var clients []int
	for _, op := range r.ops {
		if op.Retries <= 0 {
			continue
		}
		if _, ok := byClient[op.Client]; !ok {
			clients = append(clients, op.Client)
		}
		byClient[op.Client] = append(byClient[op.Client], op)
	}
	for _, c := range clients {
		ops := byClient[c]
		var lines []int
		var parts []string
		total := 0
		for _, op := range ops {
			lines = append(lines, op.Lines...)
			total += op.Retries
			st := "then acknowledged"
			if op.Status != dialect.StatusOK {
				st = "and never acknowledged"
			}
			parts = append(parts, fmt.Sprintf("the %s at line %d (%s, %s)", op.Kind, firstLineOf(op), plural(op.Retries, "retransmission", "retransmissions"), st))
		}
		r.add(Finding{Rule: idRetransmission, Severity: Warning, Client: c,
			Title:       fmt.Sprintf("%s resent %s", clientName(c), plural(total, "packet", "packets")),
			Explanation: fmt.Sprintf("No acknowledgement came within the module's packet timeout (Quectel: 5 s by default), so it sent the packet again with the DUP flag: %s. For QoS 1 the receiver may get the message twice.", strings.Join(parts, "; ")),
			Advice:      "Check the latency and the signal; on slow networks raise the packet timeout (Quectel: AT+QMTCFG=\"timeout\",<idx>,<pkt_timeout>,<retries>,<notice>). Make receivers tolerate duplicates: QoS 1 is at-least-once.",
			Lines:       lines})
	}
}

// subRejectedRule: a SUBACK with 0x80 (granted QoS 128).
type subRejectedRule struct{ base }

func (subRejectedRule) finish(r *run) {
	for _, op := range r.ops {
		if op.Kind != dialect.OpSubscribe {
			continue
		}
		var bad []string
		for i, g := range op.Granted {
			if g == 128 || g == 0x80 {
				t := "?"
				if i < len(op.Topics) {
					t = op.Topics[i]
				}
				bad = append(bad, strconv.Quote(t))
			}
		}
		if len(bad) == 0 && !(op.Status == dialect.StatusFailed && strings.Contains(op.Reason, "QoS 128")) {
			continue
		}
		if len(bad) == 0 {
			bad = []string{strconv.Quote(op.Topic)}
		}
		f := r.factsOf(op)
		r.add(Finding{Rule: idSubRejected, Severity: Error, Client: op.Client,
			Title:       fmt.Sprintf("The broker rejected the subscription to %s", strings.Join(bad, ", ")),
			Explanation: fmt.Sprintf("The SUBACK at line %d grants QoS 128 (0x80, failure [MQTT 3.1.1 §3.9.3]) for %s: the broker refused the topic filter. Usually the device may not subscribe to it (platforms allow only the device's own topics), or the filter is malformed.", lastLineOf(op), strings.Join(bad, ", ")),
			Advice:      "Check the topic's permissions on the platform and its exact form (product key, device name, case, the $ prefix, wildcards); subscribe to one topic at a time to see which one is refused.",
			Lines:       op.Lines, Marks: resultMark(f)})
		r.claim(op)
	}
}

// unsubscribedRule: messages received on a topic that no subscription of
// the connection covers. Receives that went well are routine ops: the rule
// follows each client's ops in log order.
type unsubscribedRule struct {
	base
	clients map[int]*subscriptions
}

// subscriptions is what a client is subscribed to, and the messages it
// received that no subscription covered, by topic.
type subscriptions struct {
	filters          []string
	connected, clean bool
	misses           map[string][]int
	order            []string
}

func (u *unsubscribedRule) inOrder(r *run, op *dialect.Op) {
	if op.Client == dialect.ModuleClient {
		return
	}
	if u.clients == nil {
		u.clients = map[int]*subscriptions{}
	}
	c := u.clients[op.Client]
	if c == nil {
		c = &subscriptions{clean: true, misses: map[string][]int{}}
		u.clients[op.Client] = c
	}
	switch op.Kind {
	case dialect.OpConnect:
		if op.Status == dialect.StatusOK {
			c.connected = true
			c.clean = op.Clean == nil || *op.Clean
			if c.clean {
				c.filters = nil
			}
		}
	case dialect.OpSubscribe:
		if op.Status == dialect.StatusFailed {
			return
		}
		for i, t := range op.Topics {
			if i < len(op.Granted) && op.Granted[i] >= 128 {
				continue
			}
			c.filters = append(c.filters, t)
		}
		if len(op.Topics) == 0 && op.Topic != "" {
			c.filters = append(c.filters, op.Topic)
		}
	case dialect.OpUnsubscribe:
		if op.Status == dialect.StatusOK {
			c.filters = slices.DeleteFunc(c.filters, func(f string) bool { return slices.Contains(op.Topics, f) || f == op.Topic })
		}
	case dialect.OpReceive:
		if !c.connected || !c.clean || op.Topic == "" || op.Status != dialect.StatusOK {
			return
		}
		if slices.ContainsFunc(c.filters, func(f string) bool { return TopicMatch(f, op.Topic) }) {
			return
		}
		if _, ok := c.misses[op.Topic]; !ok {
			c.order = append(c.order, op.Topic)
		}
		c.misses[op.Topic] = append(c.misses[op.Topic], firstLineOf(op))
	}
}

func (u *unsubscribedRule) finish(r *run) {
	for _, s := range r.clientSessions() {
		c := u.clients[s.Client]
		if c == nil {
			continue
		}
		for _, t := range c.order {
			lines := c.misses[t]
			subs := "none"
			if len(c.filters) > 0 {
				var q []string
				for _, f := range c.filters {
					q = append(q, strconv.Quote(f))
				}
				subs = strings.Join(q, ", ")
			}
			r.add(Finding{Rule: idUnsubscribed, Severity: Warning, Client: s.Client,
				Title:       fmt.Sprintf("%s received on %q, which no subscription in the log covers", clientName(s.Client), t),
				Explanation: fmt.Sprintf("%s (%s). A broker sends a client only what matches one of its subscriptions; the filters subscribed in this clean-session connection are %s. Either the subscription was made in an earlier session the broker kept, or the platform subscribes devices to some topics by itself (Aliyun RRPC and system topics, for example), or a filter has a typo.", plural(len(lines), "message arrived", "messages arrived"), lineList(lines), subs),
				Advice:      "Subscribe to every topic the device handles, explicitly, after each CONNACK of a clean session; check the filters for typos ('+' matches one level, '#' all the rest, case matters).",
				Lines:       lines})
		}
	}
}

// TopicMatch reports whether an MQTT topic filter matches a topic name
// [MQTT 3.1.1 §4.7]: '+' matches one level, '#' (last) the rest including
// the parent level; filters starting with a wildcard do not match topics
// starting with '$' [MQTT-4.7.2-1].
func TopicMatch(filter, topic string) bool {
	if filter == topic {
		return true
	}
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fl {
		if f == "#" {
			return i == len(fl)-1
		}
		if i >= len(tl) {
			return false
		}
		if f != "+" && f != tl[i] {
			return false
		}
	}
	return len(fl) == len(tl)
}

// bufferRule: received messages kept in the module's buffer and
// overwritten before the host read them (Luat cache mode keeps 4, Quectel
// buffered mode 5 per client).
type bufferRule struct {
	base
	luatCache  bool
	luatUnread []evInfo
	qUnread    map[int][]evInfo // Quectel: per client, the announcements not yet read
	issues     []bufferIssue
}

type bufferIssue struct {
	vendor string
	client int
	slots  int
	ann    []evInfo
}

func (b *bufferRule) event(r *run, ev *decode.Event) {
	if b.qUnread == nil {
		b.qUnread = map[int][]evInfo{}
	}
	switch {
	case ev.Kind == decode.KindCommand && ev.Name == "+MQTTMSGSET" && ev.Form == decode.FormWrite:
		b.luatCache = strings.TrimSpace(ev.Args) == "1"
		b.luatUnread = nil
	case ev.Kind == decode.KindCommand && ev.Name == "+MQTTMSGGET":
		b.luatUnread = nil
	case ev.Kind == decode.KindURC && ev.Name == "+MSUB" && isInt(ev.Args):
		b.luatUnread = append(b.luatUnread, infoOf(ev))
		if len(b.luatUnread) == 5 && len(b.issues) < maxEventsPerRule {
			b.issues = append(b.issues, bufferIssue{vendor: "luat", slots: 4})
		}
		if n := len(b.issues); len(b.luatUnread) > 4 && n > 0 && b.issues[n-1].vendor == "luat" {
			b.issues[n-1].ann = slices.Clone(b.luatUnread)
		}
	case ev.Kind == decode.KindCommand && ev.Name == "+QMTRECV" && ev.Form != decode.FormRead && ev.Form != decode.FormTest:
		c, _ := strconv.Atoi(strings.TrimSpace(strings.Split(ev.Args, ",")[0]))
		delete(b.qUnread, c)
	case ev.Kind == decode.KindURC && ev.Name == "+QMTRECV":
		f := strings.Split(ev.Args, ",")
		if len(f) != 2 || !isInt(f[0]) || !isInt(f[1]) {
			return
		}
		c, _ := strconv.Atoi(strings.TrimSpace(f[0]))
		b.qUnread[c] = append(b.qUnread[c], infoOf(ev))
		if len(b.qUnread[c]) > 5 {
			if n := len(b.issues); n > 0 && b.issues[n-1].vendor == "quectel" && b.issues[n-1].client == c {
				b.issues[n-1].ann = slices.Clone(b.qUnread[c])
			} else if len(b.issues) < maxEventsPerRule {
				b.issues = append(b.issues, bufferIssue{vendor: "quectel", client: c, slots: 5, ann: slices.Clone(b.qUnread[c])})
			}
		}
	}
}

func isInt(s string) bool {
	_, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil
}

func (b *bufferRule) finish(r *run) {
	for _, is := range b.issues {
		var lines []int
		for _, a := range is.ann {
			lines = append(lines, a.Line)
		}
		lost := len(is.ann) - is.slots
		f := Finding{Rule: idBufferOverflow, Severity: Error, Client: is.client, Lines: lines}
		if is.vendor == "luat" {
			f.Client = 0
			f.Title = fmt.Sprintf("The Luat receive cache overflowed: %d messages waited, it keeps 4", len(is.ann))
			f.Explanation = fmt.Sprintf("With AT+MQTTMSGSET=1 the module keeps received messages in a RAM table of 4 (at most 4 KB each) and announces each with +MSUB: <slot>; when the table is full a new message overwrites the oldest [seed 001]. %d messages were announced (%s) without an AT+MQTTMSGGET in between, so %s lost.",
				len(is.ann), lineList(lines), plural(lost, "message was", "messages were"))
			f.Advice = "Read the cache with AT+MQTTMSGGET as soon as +MSUB: <slot> arrives (at the latest every 4 messages), or use direct mode (AT+MQTTMSGSET=0). The table is also lost at a restart."
		} else {
			f.Title = fmt.Sprintf("The Quectel receive buffer of client %d overflowed: %d messages waited, it keeps 5", is.client, len(is.ann))
			f.Explanation = fmt.Sprintf("In buffered mode (AT+QMTCFG=\"recv/mode\",<idx>,1) the module keeps up to 5 messages per client and announces each with +QMTRECV: <idx>,<recv_id>. %d were announced (%s) without a read-out (AT+QMTRECV=<idx>) in between, so at least %s lost.",
				len(is.ann), lineList(lines), plural(lost, "message was", "messages were"))
			f.Advice = "Read each message with AT+QMTRECV=<idx>,<recv_id> when it is announced, or use direct push (recv/mode 0)."
		}
		r.add(f)
	}
}
