package report

import (
	"atscope/analyze"
	"atscope/diagnose"
	"atscope/timeline"
)

// RunOptions say what a report shows of a log.
type RunOptions struct {
	// Keep says which clients the report shows (nil: all).
	Keep func(client int) bool
	// Text, when set, keeps each client's text timeline in this style
	// (Report.WriteTimeline), spilled to a temporary file when long; Close
	// removes it.
	Text *timeline.Style
	// Document keeps what the HTML and Markdown reports show besides: the
	// events their diagrams draw, the findings' quoted lines and the log's
	// first lines (each a bounded read of the log).
	Document bool
	// Pooled keeps every client's latencies pooled by op kind, for Diff
	// (exact percentiles: past a few thousand distinct values, 4 bytes a
	// timed op).
	Pooled bool
}

// Run reads a log through the pipeline and builds its report, of the
// clients ro.Keep wants (with ro.Document, the events the diagrams draw,
// the quoted lines and the log's first MaxLogLines lines too). Ops are
// taken as they stream by, in log order, and none is kept but the few each
// part shows (collector): memory does not grow with the log. Close the
// report when done with it. The Log is nil when nothing could be read; see
// analyze.Run for the error.
func Run(src *analyze.Source, opt analyze.Options, ro RunOptions) (*Report, *analyze.Log, error) {
	opt.Findings, opt.Quotes, opt.Ordered = true, ro.Document, true
	var rec *Recorder
	sinks := analyze.Sinks{}
	if ro.Document {
		rec = NewRecorder(MaxEvents)
		sinks.Event = rec.Event
	}
	var text *textTimeline
	if ro.Text != nil {
		text = newTextTimeline(*ro.Text)
	}
	col := newCollector(ro.Keep, text, ro.Pooled)
	sinks.Op = col.Add
	l, err := analyze.Run(src, opt, sinks)
	if l == nil {
		if text != nil {
			text.discard()
		}
		return nil, nil, err
	}
	col.conns.End()
	first, last, timed := l.Span()
	col.windowed(l.Windowed())
	in := Input{File: l.File, Format: l.Format.Name, Dialect: l.Dialect.Describe(), Stats: l.Stats,
		First: first, Last: last, Timed: timed, Origin: l.Format.Origin, Understanding: l.Understanding(),
		ops: col, latency: col.latency.Result(l)}
	if ro.Document {
		in.Quotes, in.Recorder = documentLines(src, opt, l, err, rec)
	}
	if l.Dialect != nil {
		in.Module = l.Dialect.Module()
	}
	in.Verdicts, in.Findings = l.Verdicts(), l.Findings
	if ro.Keep != nil {
		in.Verdicts, in.Findings = ofClients(in.Verdicts, in.Findings, ro.Keep, len(col.clients) < len(col.seen))
	}
	r := Build(in)
	r.clients = col.allClients()
	return r, l, err
}

// documentLines reads back the lines a document shows: the findings'
// quoted lines and the log's first lines (into rec); err is the run's.
func documentLines(src *analyze.Source, opt analyze.Options, l *analyze.Log, err error, rec *Recorder) (map[int]string, *Recorder) {
	quotes := l.Quotes
	if Framed(l.Format.Name) {
		// A binary capture's bytes are no text: its frames' AT text stands
		// for them in the quotes and the log section.
		quotes = nil // a capture cut short is not read again
		if err == nil {
			quotes, _ = FrameText(src, opt, func(n int) bool { _, ok := l.Quotes[n]; return ok })
		}
		if lines, ferr := frameLines(src, opt, MaxLogLines, l.Stats.Lines); ferr == nil {
			rec.SetLines(lines, l.Stats.Lines)
		}
	} else if lines, total, lerr := analyze.Lines(src, MaxLogLines, opt.Redactor); lerr == nil {
		rec.SetLines(lines, total)
	}
	return quotes, rec
}

// Close removes what the report spilled to disk (RunOptions.Text).
func (r *Report) Close() {
	if r.text != nil {
		r.text.discard()
	}
}

// AllClients are every client of the log, whichever the report shows, the
// module's context as dialect.ModuleClient.
func (r *Report) AllClients() []int { return r.clients }

// Summaries are the summaries of the clients the report shows, the
// module's context first.
func (r *Report) Summaries() []*ClientSummary { return r.summaries }

// Latencies are the latency tables, round trips and 3 slowest ops of the
// clients the report shows.
func (r *Report) Latencies() *analyze.Latency { return r.latency }

// ofClients keeps the verdicts and findings of the clients kept; the
// module's findings stay unless a client was asked for.
func ofClients(vs []diagnose.Verdict, fs []diagnose.Finding, keep func(int) bool, narrowed bool) ([]diagnose.Verdict, []diagnose.Finding) {
	if !narrowed {
		return vs, fs
	}
	var kv []diagnose.Verdict
	for _, v := range vs {
		if keep(v.Client) {
			kv = append(kv, v)
		}
	}
	var kf []diagnose.Finding
	for _, f := range fs {
		if keep(f.Client) {
			kf = append(kf, f)
		}
	}
	return kv, kf
}
