package diagnose

import (
	"os"

	"atscope/decode"
	"atscope/dialect"
)

// diagnoseFile runs the pipeline over a log file: the format reader, the
// tokenizer with every dialect's hooks, the dialect decoder and the engine.
func diagnoseFile(path, format string) ([]Finding, error) {
	if format == "" {
		format = "auto"
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr, _, err := decode.Open(f, path, format, decode.Options{})
	if err != nil {
		return nil, err
	}
	hooks, err := dialect.HooksFor("auto")
	if err != nil {
		return nil, err
	}
	tok := decode.NewTokenizer(cr, hooks)
	dec, err := dialect.NewDecoder(path, "auto")
	if err != nil {
		return nil, err
	}
	e := New(path)
	for tok.Next() {
		ev := tok.Event()
		e.Event(&ev)
		dec.Feed(ev, e.Op)
	}
	dec.Close(e.Op)
	if err := tok.Err(); err != nil {
		return nil, err
	}
	return e.Findings(), nil
}
