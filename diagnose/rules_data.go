package diagnose

import (
	"fmt"
	"slices"
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

// lastCommand remembers the latest command of the stream (or its echo when
// the command itself is not logged).
type lastCommand struct {
	ev   evInfo
	have bool
}

func (l *lastCommand) see(ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand:
		l.ev, l.have = ringInfo(ev), true
	case decode.KindEcho:
		if !l.have || !strings.EqualFold(l.ev.Text, ev.Text) {
			l.ev, l.have = ringInfo(ev), true
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
	if ev.Length != decode.LengthShort && ev.Length != decode.LengthLong || len(p.issues) >= maxEventsPerRule {
		return
	}
	have, want := int(ev.Have), int(ev.Declared)
	is := &lengthIssue{cmd: evInfo{Seq: -1}, data: infoOf(ev), have: have, want: want, answer: evInfo{Seq: -1}}
	r.watch(ev.Seq)
	if p.cmd.have && ev.Kind == decode.KindData {
		is.cmd = p.cmd.ev.detached()
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
			if n.Kind != dialect.NotePayloadLength || slices.ContainsFunc(op.Lines, func(l int) bool { return covered[l] }) || r.family(op) == idDeviation {
				continue // (a command the module rejected for its syntax: the length was misread with it)
			}
			have, want := n.Have, n.Want
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
			p.pending.cmd = p.cmd.ev.detached()
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
			is.cmd = c.cmd.ev.detached()
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
