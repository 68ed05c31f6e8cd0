package analyze

import (
	"atscope/dialect"
	"atscope/timeline"
)

// RunSessions runs src through the pipeline and assembles its ops into a
// session per client (the module's context first). With brief, each op
// keeps only what a text timeline shows (timeline.Trim). The sessions are
// nil with the Log; see Run for the error.
func RunSessions(src *Source, opt Options, brief bool) (*Log, []*timeline.Session, error) {
	asm := timeline.NewAssembler()
	keep := asm.Add
	if brief {
		keep = func(op *dialect.Op) {
			timeline.Trim(op)
			asm.Add(op)
		}
	}
	l, err := Run(src, opt, Sinks{Op: keep})
	if l == nil {
		return nil, nil, err
	}
	return l, asm.Sessions(), err
}
