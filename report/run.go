package report

import (
	"atscope/analyze"
	"atscope/diagnose"
	"atscope/timeline"
)

// Run reads a log through the pipeline and builds its report, of the
// clients keep wants (nil keeps all), with the events the diagrams draw
// and the log's first MaxLogLines lines. The Log is nil when nothing could
// be read; see analyze.Run for the error.
func Run(src *analyze.Source, opt analyze.Options, keep func(client int) bool) (*Report, *analyze.Log, error) {
	opt.Findings, opt.Quotes = true, true
	rec := NewRecorder(MaxEvents)
	asm := timeline.NewAssembler()
	l, err := analyze.Run(src, opt, analyze.Sinks{Event: rec.Event, Op: asm.Add})
	if l == nil {
		return nil, nil, err
	}
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
	in := Input{File: l.File, Format: l.Format.Name, Dialect: l.Dialect.Describe(), Stats: l.Stats,
		First: l.First, Last: l.Last, Timed: l.Timed, Understanding: l.Understanding(),
		Quotes: quotes, Recorder: rec}
	if l.Dialect != nil {
		in.Module = l.Dialect.Module()
	}
	all := asm.Sessions()
	in.Sessions = all
	in.Verdicts, in.Findings = l.Verdicts(), l.Findings
	if keep != nil {
		in.Sessions = nil
		for _, s := range all {
			if keep(s.Client) {
				in.Sessions = append(in.Sessions, s)
			}
		}
		in.Verdicts, in.Findings = ofClients(in.Verdicts, in.Findings, keep, len(in.Sessions) < len(all))
	}
	return Build(in), l, err
}

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
