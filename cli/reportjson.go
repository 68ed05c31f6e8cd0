package cli

import (
	"encoding/json"
	"io"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/export"
	"atscope/report"
)

// reportDoc is `atscope report --json`: one JSON document per log (one
// per line) with what the text report says. Field names are a contract.
type reportDoc struct {
	File string `json:"file"`
	// Understanding and Verdicts come first in every form of the report.
	Understanding     report.Understanding `json:"understanding"`
	Verdicts          []report.Verdict     `json:"verdicts"`
	Format            string               `json:"format"`
	Dialect           string               `json:"dialect,omitempty"` // the dialect chosen, if any
	DialectShare      float64              `json:"dialect_share"`     // its share of the dialect evidence, 0 to 1
	Module            string               `json:"module,omitempty"`
	Start             string               `json:"start,omitempty"`
	End               string               `json:"end,omitempty"`
	Lines             int                  `json:"lines"`
	Events            int                  `json:"events"`
	Unrecognised      int                  `json:"unrecognised"`
	UnrecognisedLines []int                `json:"unrecognised_lines,omitempty"`
	Problems          int                  `json:"problems"`
	Clients           []clientDoc          `json:"clients"`
	Findings          []findingRecord      `json:"findings"`
	Latency           []*latencyRecord     `json:"latency"`
}

// clientDoc is one client's (or the module's, client -1) summary.
type clientDoc struct {
	Client  int    `json:"client"`
	Dialect string `json:"dialect,omitempty"`
	report.ConnStats
	// Ops counts the ops by kind and status: {"publish": {"ok": 6}}.
	Ops map[string]map[string]int `json:"ops"`
	// Problems are the first lines of the ops that failed or timed out,
	// as the text report lists them: the first report.MaxProblems;
	// ProblemsLeftOut counts the others.
	Problems        []int `json:"problem_lines,omitempty"`
	ProblemsLeftOut int   `json:"problem_lines_left_out,omitempty"`
}

func writeReportJSON(w io.Writer, d *decodedLog, r *report.Report) error {
	l := d.log
	doc := reportDoc{File: l.File, Format: l.Format.Name, Module: l.Dialect.Module(),
		Lines: l.Stats.Lines, Events: l.Stats.Events, Unrecognised: l.Stats.Unrecognised,
		UnrecognisedLines: l.Unrecognised, Problems: l.Stats.Problems, Clients: []clientDoc{}, Findings: []findingRecord{}}
	doc.Understanding = report.UnderstandingOf(l.Understanding(), l.Stats, l.Findings)
	doc.Verdicts = report.VerdictsOf(reportVerdicts(d), doc.Understanding)
	if dl, share := l.Dialect.Dialect(); dl != nil {
		doc.Dialect, doc.DialectShare = dl.Name, share
	}
	if first, last, timed := l.Span(); timed {
		doc.Start, doc.End = export.FormatTime(first), export.FormatTime(last)
	}
	for _, s := range r.Summaries() {
		doc.Clients = append(doc.Clients, clientSummary(s, l))
	}
	keep := reportClients(d)
	for _, f := range l.Findings {
		if keep(f.Client) {
			doc.Findings = append(doc.Findings, newFindingRecord(f))
		}
	}
	doc.Latency = latencyRecords(r.Latencies())
	if doc.Latency == nil {
		doc.Latency = []*latencyRecord{}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func clientSummary(s *report.ClientSummary, l *analyze.Log) clientDoc {
	c := clientDoc{Client: s.Client, Dialect: s.Dialect, Ops: map[string]map[string]int{}}
	if s.Client != dialect.ModuleClient {
		_, last, _ := l.Span()
		c.ConnStats = s.ConnStats(last)
	}
	for kind, byStatus := range s.Counts {
		m := map[string]int{}
		for st, n := range byStatus {
			m[st.String()] = n
		}
		c.Ops[kind.String()] = m
	}
	for _, op := range s.Problems {
		if len(op.Lines) > 0 {
			c.Problems = append(c.Problems, op.Lines[0])
		}
	}
	c.ProblemsLeftOut = s.ProblemCount - len(s.Problems)
	return c
}
