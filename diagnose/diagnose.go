// Package diagnose says what went wrong in a log, why, and what to do about
// it. Rules look at a log's events as they stream past, keeping only what
// they need, and at its per-client sessions at the end; each finding names
// its rule, a severity, a one-line title, an explanation, advice, the client
// and the log lines it rests on.
//
// The engine is fed what the pipeline produces, in order:
//
//	e := diagnose.New(file)
//	for each event:  e.Event(&ev); decoder.Feed(ev, emit); e.Release(decoder.Oldest()) // emit calls e.Op(op)
//	findings := e.Findings()
//
// It keeps the ops that rules look at when the log ends, and not the
// routine ones (publishes and receives that went well, by far the most),
// which the rules that need them follow in log order; and of the ops it
// keeps, within a budget, each client's first and latest ones, counting
// those in between (see store.go): memory does not grow with the log.
package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// Severity ranks findings.
type Severity uint8

const (
	Info    Severity = iota // worth knowing, nothing is wrong yet
	Warning                 // something is off and may cause trouble
	Error                   // something failed, or will
)

var severityNames = [...]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", s)
}

// MarshalText makes Severity a string in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one thing a rule found in a log.
type Finding struct {
	Rule        string // the rule's id: "quectel-qmtstat"
	Severity    Severity
	Title       string // one line: what happened
	Explanation string // why it happened and what it means
	Advice      string // what to do
	File        string
	Client      int   // the client index; dialect.ModuleClient for the module as a whole
	Lines       []int // the log lines it rests on, in order
	// Marks point at the text on a line that the finding is about, for a
	// caret under it.
	Marks []Mark
}

// Mark is a piece of text on a log line.
type Mark struct {
	Line int
	Text string
}

// Rule is one kind of finding.
type Rule struct {
	ID       string
	Severity Severity // its usual severity; a finding may be milder or graver
	Title    string   // what it is about
	Doc      string   // what it looks for, for --list
	new      func() checker
}

// checker is a rule's state for one log. event sees every event in order;
// op sees every op when the dialect completes it (ops are already complete,
// so an op arrives after all of its events); finish sees the whole log's
// sessions and ops. Rules keep only what they need between calls.
type checker interface {
	event(r *run, ev *decode.Event)
	op(r *run, op *dialect.Op)
	finish(r *run)
}

// ordered is a checker that also follows the ops in log order (by first
// event), every op of the log, the routine ones included: what it learns
// of them is all it will know at finish.
type ordered interface {
	inOrder(r *run, op *dialect.Op)
}

// early is a checker that reports, and claims what it explains, before
// any rule's finish: its cause outranks the order of the rules.
type early interface {
	early(r *run)
}

// base is a checker that does nothing; rules embed it.
type base struct{}

func (base) event(*run, *decode.Event) {}
func (base) op(*run, *dialect.Op)      {}
func (base) finish(*run)               {}

// Rules lists every rule, most severe first, then by id.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = *r
		out[i].new = nil
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Engine runs every rule over one log.
type Engine struct {
	r        *run
	ord      *timeline.Orderer // the ops again, in log order, for the ordered checkers
	checkers []checker
	done     bool
	findings []Finding
}

// New returns an engine for the log file with every rule.
func New(file string) *Engine {
	e := &Engine{r: newRun(file)}
	e.ord = timeline.NewOrderer(e.inOrder)
	for _, rl := range rules {
		e.checkers = append(e.checkers, rl.new())
	}
	return e
}

// Event passes the next event of the log. A nil engine ignores it.
func (e *Engine) Event(ev *decode.Event) {
	if e == nil || e.done {
		return
	}
	e.r.see(ev)
	for _, c := range e.checkers {
		c.event(e.r, ev)
	}
}

// Op passes an op the dialect completed. A nil engine ignores it.
func (e *Engine) Op(op *dialect.Op) {
	if e == nil || e.done {
		return
	}
	e.r.addOp(op)
	for _, c := range e.checkers {
		c.op(e.r, op)
	}
	e.ord.Add(op)
}

// Release says that no op still to come starts before event seq
// (dialect.Decoder.Oldest): the ops before it go to the rules that follow
// ops in log order. Without it they go at the end, all held till then.
func (e *Engine) Release(seq int) {
	if e != nil && !e.done {
		e.ord.Release(seq)
	}
}

func (e *Engine) inOrder(op *dialect.Op) {
	for _, c := range e.checkers {
		if o, ok := c.(ordered); ok {
			o.inOrder(e.r, op)
		}
	}
}

// Findings ends the log and returns its findings, most severe first, then
// in log order. It may be called more than once.
func (e *Engine) Findings() []Finding {
	if e == nil {
		return nil
	}
	if !e.done {
		e.ord.Flush()
		e.done = true
		e.r.prepare()
		for _, c := range e.checkers {
			if x, ok := c.(early); ok {
				x.early(e.r)
			}
		}
		for _, c := range e.checkers {
			c.finish(e.r)
		}
		e.findings = e.r.sorted(e.r.endingLines())
	}
	return slices.Clone(e.findings)
}

// Sessions returns the log's sessions as the engine assembled them (every
// client, whatever a command line filters), after Findings. They hold the
// ops the engine kept: on a long log, not every op of a client.
func (e *Engine) Sessions() []*timeline.Session {
	if e == nil {
		return nil
	}
	return e.r.sessions
}

// Count counts findings by severity.
func Count(fs []Finding) map[Severity]int {
	c := map[Severity]int{}
	for _, f := range fs {
		c[f.Severity]++
	}
	return c
}

// add records a finding; lines are sorted and made unique.
func (r *run) add(f Finding) {
	f.File = r.file
	slices.Sort(f.Lines)
	f.Lines = slices.Compact(f.Lines)
	f.Title = strings.TrimSpace(f.Title)
	if g := r.gapOf(f.Client); g != nil && f.Rule != idPartial {
		f.Explanation += gapSays(f.Client, g)
	}
	r.findings = append(r.findings, f)
}

// sorted ranks the findings: "not understood" first, then by severity,
// then those that rest on a failure a client's session ends with (one it
// did not recover from), then in log order.
func (r *run) sorted(ending map[int]bool) []Finding {
	out := slices.Clone(r.findings)
	explainsEnd := func(f Finding) bool {
		return slices.ContainsFunc(f.Lines, func(l int) bool { return ending[l] })
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Rule == idNotUnderstood) != (b.Rule == idNotUnderstood) {
			return a.Rule == idNotUnderstood // said first
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if ea, eb := explainsEnd(a), explainsEnd(b); ea != eb {
			return ea
		}
		if la, lb := firstLine(a), firstLine(b); la != lb {
			return la < lb
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Title < b.Title
	})
	return out
}

func firstLine(f Finding) int {
	if len(f.Lines) == 0 {
		return 1 << 30
	}
	return f.Lines[0]
}
