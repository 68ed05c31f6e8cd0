package diagnose

import (
	"bytes"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
)

// TestRoutineOpsNotKept: on a busy log the engine keeps the ops that went
// wrong or that rules ask for, not the publishes and receives that went
// well, and still finds what the log shows: the link losses the generator
// puts in.
func TestRoutineOpsNotKept(t *testing.T) {
	data := loggen.Bytes(loggen.Options{Size: 2 << 20})
	cr, _, err := decode.Open(bytes.NewReader(data), "gen.log", "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder("gen.log", "auto")
	e := New("gen.log")
	all := 0
	emit := func(op *dialect.Op) {
		all++
		e.Op(op)
	}
	for tok.Next() {
		ev := tok.Event()
		e.Event(&ev)
		dec.Feed(&ev, emit)
		e.Release(min(dec.Oldest(), ev.Seq-1024))
	}
	dec.Close(emit)
	fs := e.Findings()
	kept := 0
	for _, s := range e.Sessions() {
		kept += len(s.Ops)
	}
	if kept*20 > all {
		t.Errorf("kept %d of %d ops", kept, all)
	}
	if len(e.Sessions()) != 7 {
		t.Errorf("%d sessions, want the module's and six clients'", len(e.Sessions()))
	}
	if len(fs) == 0 || fs[0].Rule != idVendor {
		t.Errorf("findings: %+v", fs)
	}
}
