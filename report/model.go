// Package report builds the report of one log (what it is, how well it was
// understood, each client's verdict and summary, findings, latency, the
// sequence of AT exchanges and the MQTT packets they stand for) as a model,
// and renders that model as a self-contained HTML page, Markdown with a
// Mermaid sequence diagram, or one JSON document. It knows no vendor: it
// renders what ops, events and findings say.
package report

import (
	"time"

	"atscope/analyze"
	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
	"atscope/timeline"
)

// Input is what a run of the pipeline learned of one log.
type Input struct {
	File, Format, Dialect, Module string
	Stats                         decode.Stats
	First, Last                   time.Time
	Origin                        decode.TimeOrigin // what undated times count from
	Timed                         bool
	Understanding                 diagnose.Understanding
	Verdicts                      []diagnose.Verdict // redacted
	Findings                      []diagnose.Finding // redacted
	Quotes                        map[int]string     // the findings' quoted lines, redacted
	// ops is what Run kept of the ops as they streamed by; nil leaves the
	// clients, latency, diagrams and timeline out.
	ops *collector
	// latency is the log's latency, of the clients shown.
	latency *analyze.Latency
	// Recorder holds the events and log lines the diagrams and the log
	// section show; nil leaves them out.
	Recorder *Recorder
}

// Report is the model the HTML and Markdown reports render. Its parts
// that `report --json` and `diff --json` give have JSON names.
type Report struct {
	File          string        `json:"file"`
	Format        string        `json:"format"`
	Dialect       string        `json:"dialect"`
	Module        string        `json:"module,omitempty"`
	Span          string        `json:"span"`
	Start         *time.Time    `json:"start,omitempty"`
	End           *time.Time    `json:"end,omitempty"`
	Lines         int           `json:"lines"`
	Events        int           `json:"events"`
	Unrecognised  int           `json:"unrecognised"`
	Damaged       int           `json:"damaged"`
	Understanding Understanding `json:"understanding"`
	Verdicts      []Verdict     `json:"verdicts"`
	Clients       []Client      `json:"clients"`
	Findings      []Finding     `json:"findings"`
	Latency       []LatencyRow  `json:"latency"`
	OpCounts      []OpCount     `json:"op_counts"`

	summaries []*ClientSummary
	ops       *collector
	latency   *analyze.Latency
	sequences []Sequence
	rec       *Recorder
	timed     bool
	text      *textTimeline
	clients   []int
}

// Understanding is diagnose.Understanding as the report says it.
type Understanding struct {
	Understood bool   `json:"understood"`
	Reason     string `json:"reason,omitempty"`
	Line       int    `json:"line,omitempty"`
	Hint       string `json:"hint,omitempty"`
}

// Verdict is one client's verdict.
type Verdict struct {
	Client  int        `json:"client"`
	Outcome string     `json:"outcome"`
	Line    int        `json:"line,omitempty"`
	Time    *time.Time `json:"time,omitempty"`
	Cause   string     `json:"cause,omitempty"`
	Rule    string     `json:"rule,omitempty"`
	Back    int        `json:"reconnected_line,omitempty"`
	// BackBy: the client was back by Back; an earlier reconnect may be
	// among the ops a long log's diagnosis only counted.
	BackBy bool   `json:"reconnected_by,omitempty"`
	Text   string `json:"text"`
}

// Client is one session's summary.
type Client struct {
	Client      int    `json:"client"`
	Title       string `json:"title"`
	Dialect     string `json:"dialect,omitempty"`
	Connections string `json:"connections,omitempty"`
	Operations  string `json:"operations"`
	Problems    []Op   `json:"problems,omitempty"`
	// MoreProblems counts the failures past the first MaxProblems, which
	// Problems leaves out.
	MoreProblems int `json:"more_problems,omitempty"`
}

// Op is an op as a line of the report.
type Op struct {
	Client    int        `json:"client"`
	Op        string     `json:"op"`
	Status    string     `json:"status"`
	Start     *time.Time `json:"start,omitempty"`
	What      string     `json:"what,omitempty"`
	Outcome   string     `json:"outcome,omitempty"`
	LatencyMS *float64   `json:"latency_ms,omitempty"`
	Lines     []int      `json:"lines"`
}

// Finding is a finding with its quoted lines.
type Finding struct {
	Rule        string  `json:"rule"`
	Severity    string  `json:"severity"`
	Client      int     `json:"client"`
	Title       string  `json:"title"`
	Explanation string  `json:"explanation"`
	Advice      string  `json:"advice"`
	Lines       []int   `json:"lines"`
	Quotes      []Quote `json:"quotes,omitempty"`
}

// Quote is a quoted log line.
type Quote struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// LatencyRow is the latency of one op kind of one client.
type LatencyRow struct {
	Client  int      `json:"client"`
	Op      string   `json:"op"`
	Count   int      `json:"count"`
	OK      int      `json:"ok"`
	Failed  int      `json:"failed"`
	Timeout int      `json:"timeout"`
	Timed   int      `json:"timed"`
	P50     *float64 `json:"p50_ms,omitempty"`
	P90     *float64 `json:"p90_ms,omitempty"`
	P99     *float64 `json:"p99_ms,omitempty"`
	Max     *float64 `json:"max_ms,omitempty"`
	Mean    *float64 `json:"mean_ms,omitempty"`

	buckets []timeline.Bucket
}

// OpCount is how many ops of a kind ended with a status.
type OpCount struct {
	Client int    `json:"client"`
	Op     string `json:"op"`
	Status string `json:"status"`
	N      int    `json:"n"`
}

// Build makes the report of one log.
func Build(in Input) *Report {
	r := &Report{File: in.File, Format: in.Format, Dialect: in.Dialect, Module: in.Module,
		Span: Span(in.First, in.Last, in.Timed, in.Origin), Lines: in.Stats.Lines, Events: in.Stats.Events,
		Unrecognised: in.Stats.Unrecognised, Damaged: in.Stats.Problems,
		ops: in.ops, latency: in.latency, rec: in.Recorder, timed: in.Timed}
	if in.Timed {
		r.Start, r.End = timePtr(in.First), timePtr(in.Last)
	}
	r.Understanding = UnderstandingOf(in.Understanding, in.Stats, in.Findings)
	r.Verdicts = VerdictsOf(in.Verdicts, r.Understanding)
	if in.ops != nil {
		r.summaries, r.text = in.ops.summaries(), in.ops.text
	}
	for _, s := range r.summaries {
		r.Clients = append(r.Clients, clientOf(s, in.Last))
		r.OpCounts = append(r.OpCounts, opCounts(s)...)
	}
	for _, f := range in.Findings {
		r.Findings = append(r.Findings, findingOf(f, in.Quotes))
	}
	if in.latency != nil {
		r.Latency = latencyRows(in.latency.Rows)
	}
	if in.ops != nil {
		r.sequences = sequences(r.summaries, in.ops.diagrams, in.Recorder)
	}
	ensureSlices(r)
	return r
}

// ensureSlices makes empty lists [] rather than null in JSON.
func ensureSlices(r *Report) {
	if r.Verdicts == nil {
		r.Verdicts = []Verdict{}
	}
	if r.Clients == nil {
		r.Clients = []Client{}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Latency == nil {
		r.Latency = []LatencyRow{}
	}
	if r.OpCounts == nil {
		r.OpCounts = []OpCount{}
	}
}

func clientOf(s *ClientSummary, last time.Time) Client {
	c := Client{Client: s.Client, Title: s.Title(), Dialect: s.Dialect, Operations: CountSummary(s.Counts)}
	if s.Client != dialect.ModuleClient {
		c.Connections = s.ConnectionSummary(last)
	}
	for _, op := range s.Problems {
		c.Problems = append(c.Problems, opOf(op))
	}
	c.MoreProblems = s.ProblemCount - len(s.Problems)
	return c
}

func opOf(op *dialect.Op) Op {
	o := Op{Client: op.Client, Op: op.Kind.String(), Status: op.Status.String(), What: timeline.Essentials(op),
		Outcome: timeline.Outcome(op), Lines: op.Lines}
	if !op.Start.IsZero() {
		o.Start = timePtr(op.Start)
	}
	if d, ok := op.Latency(); ok {
		o.LatencyMS = msPtr(d)
	}
	if o.Lines == nil {
		o.Lines = []int{}
	}
	return o
}

func opCounts(s *ClientSummary) []OpCount {
	var out []OpCount
	counts := s.Counts
	for _, k := range dialect.OpKinds() {
		for _, st := range dialect.Statuses() {
			if n := counts[k][st]; n > 0 {
				out = append(out, OpCount{Client: s.Client, Op: k.String(), Status: st.String(), N: n})
			}
		}
	}
	return out
}

func findingOf(f diagnose.Finding, quotes map[int]string) Finding {
	out := Finding{Rule: f.Rule, Severity: f.Severity.String(), Client: f.Client, Title: f.Title,
		Explanation: f.Explanation, Advice: f.Advice, Lines: f.Lines}
	if out.Lines == nil {
		out.Lines = []int{}
	}
	for _, l := range quotedLines(f.Lines) {
		if text, ok := quotes[l]; ok {
			out.Quotes = append(out.Quotes, Quote{Line: l, Text: text})
		}
	}
	return out
}

// maxQuoted is how many of a finding's lines the report quotes.
const maxQuoted = 12

// quotedLines are the first maxQuoted lines of a finding; the quotes the
// pipeline read may hold more (the lines between them), which the text
// report shows and the report leaves to its log section.
func quotedLines(lines []int) []int { return lines[:min(len(lines), maxQuoted)] }

// latencyRows are the op kinds' latencies per client, uptimes left out
// (the client summaries give them).
func latencyRows(rows []*timeline.LatencyRow) []LatencyRow {
	var out []LatencyRow
	for _, row := range rows {
		if row.Op == timeline.RowUptime {
			continue
		}
		s := row.Samples.Summary()
		lr := LatencyRow{Client: row.Client, Op: row.Op, Count: row.Count, OK: row.OK, Failed: row.Failed, Timeout: row.Timeout, Timed: s.N}
		if s.N > 0 {
			lr.P50, lr.P90, lr.P99, lr.Max, lr.Mean = msPtr(s.P50), msPtr(s.P90), msPtr(s.P99), msPtr(s.Max), msPtr(s.Mean)
			lr.buckets = row.Samples.Histogram()
		}
		out = append(out, lr)
	}
	return out
}

func timePtr(t time.Time) *time.Time { return &t }

func msPtr(d time.Duration) *float64 {
	ms := float64(d.Microseconds()) / 1000
	return &ms
}
