package diagnose

import (
	"io"
	"os"

	"atscope/decode"
	"atscope/dialect"
)

// diagnoseFile runs the pipeline over a log file: the format reader, the
// tokenizer with every dialect's hooks, the dialect decoder and the engine.
func diagnoseFile(path, format string) ([]Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fs, _, err := diagnoseReader(f, path, format)
	return fs, err
}

// diagnoseReader runs the pipeline over r, named file, and returns the
// findings and the tokenizer's counts.
func diagnoseReader(r io.Reader, file, format string) ([]Finding, decode.Stats, error) {
	e, st, err := runEngine(r, file, format, 0)
	if err != nil {
		return nil, st, err
	}
	return e.Findings(), st, nil
}

// runEngine runs the pipeline over r with the engine's budget set to keep
// ops (0: the default) and returns the engine, its log ended.
func runEngine(r io.Reader, file, format string, keep int) (*Engine, decode.Stats, error) {
	if format == "" {
		format = "auto"
	}
	cr, _, err := decode.Open(r, file, format, decode.Options{})
	if err != nil {
		return nil, decode.Stats{}, err
	}
	hooks, err := dialect.HooksFor("auto")
	if err != nil {
		return nil, decode.Stats{}, err
	}
	tok := decode.NewTokenizer(cr, hooks)
	dec, err := dialect.NewDecoder(file, "auto")
	if err != nil {
		return nil, decode.Stats{}, err
	}
	e := New(file)
	if keep > 0 {
		e.keepAtMost(keep, max(1, keep/8), 1)
	}
	for tok.Next() {
		ev := tok.Event()
		e.Event(&ev)
		dec.Feed(&ev, e.Op)
		e.Release(dec.Oldest())
	}
	dec.Close(e.Op)
	if err := tok.Err(); err != nil {
		return nil, tok.Stats(), err
	}
	e.Findings()
	return e, tok.Stats(), nil
}
