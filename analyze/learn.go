package analyze

import (
	"fmt"

	"atscope/dialect"
)

// learn reads src once through the tokenizer and its dialect and lets the
// redactor learn the secrets of every event and op. The tokenizer runs in
// a goroutine of its own, as in Run: learning is half of redact's work.
func learn(src *Source, opt Options) error {
	tok, _, err := tokenizer(src, opt)
	if err != nil {
		return err
	}
	dec, err := dialect.NewDecoder(src.Name, opt.Dialect)
	if err != nil {
		return err
	}
	red := opt.Redactor
	s := newEventStream(tok, false)
	for ev, ok := s.Next(); ok; ev, ok = s.Next() {
		red.LearnEvent(ev)
		dec.Feed(ev, red.LearnOp)
	}
	s.Close()
	dec.Close(red.LearnOp)
	if err := tok.Err(); err != nil {
		return fmt.Errorf("%s: %w", src.Name, err)
	}
	return nil
}

// Learn lets opt.Redactor learn the secrets of src, keeping src readable
// again (Source.Reread) for a command that copies its bytes.
func Learn(src *Source, opt Options) error {
	if err := src.keep(); err != nil {
		return err
	}
	return learn(src, opt)
}
