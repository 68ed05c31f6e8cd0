package diagnose

import (
	"bytes"
	"regexp"
	"slices"
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

// TestKeptOpsBounded: on generated logs of every shape, twice as long as
// the budget needs, the ops the engine keeps stay within its budget (plus
// what it may not drop: a connection begun before the drop), every
// client's gap is counted, and the findings stay few.
func TestKeptOpsBounded(t *testing.T) {
	const keep = 300
	for _, shape := range []string{"reconnect", "clients", "findings"} { // (steady and urc keep few ops)
		t.Run(shape, func(t *testing.T) {
			data := loggen.Bytes(loggen.Options{Size: 3 << 20, Shape: shape})
			e, _, err := runEngine(bytes.NewReader(data), shape+".log", "", keep)
			if err != nil {
				t.Fatal(err)
			}
			most, dropped := 0, 0
			for _, co := range e.r.store.clients {
				most = max(most, len(co.ops))
				if co.gap != nil {
					dropped += co.gap.ops
				}
			}
			if dropped+e.r.store.total < 2*keep {
				t.Fatalf("%d ops kept or dropped: the log does not test the budget", dropped+e.r.store.total)
			}
			if e.r.store.total > 2*keep || most > keep {
				t.Errorf("kept %d ops, %d of one client; budget %d", e.r.store.total, most, keep)
			}
			if len(e.r.facts) > 2*keep+16*len(e.r.store.clients) {
				t.Errorf("noted the facts of %d ops", len(e.r.facts))
			}
			if fs := e.Findings(); len(fs) > 60 {
				t.Errorf("%d findings", len(fs))
			}
		})
	}
}

// TestBoundedCounts: on a generated log of many failures, the counts of
// the findings whose ops the engine dropped in part (how many publishes
// were never acknowledged, how many times a failure happened) are those
// of the full run: the dropped ops are counted.
func TestBoundedCounts(t *testing.T) {
	data := loggen.Bytes(loggen.Options{Size: 3 << 20, Shape: "findings"})
	full, _, err := runEngine(bytes.NewReader(data), "findings.log", "", 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	small, _, _ := runEngine(bytes.NewReader(data), "findings.log", "", 300)
	happened := regexp.MustCompile(`It happened \d+ times`)
	counted := 0
	for _, f := range small.Findings() {
		if !slices.Contains([]string{idPubackMissing, idVendor, idTimeout, idRetransmission}, f.Rule) || small.r.gapOf(f.Client) == nil {
			continue
		}
		i := slices.IndexFunc(full.Findings(), func(g Finding) bool {
			return g.Rule == f.Rule && g.Client == f.Client && g.Title == f.Title &&
				happened.FindString(g.Explanation) == happened.FindString(f.Explanation)
		})
		if i < 0 {
			t.Errorf("%s, %s: %q (%s) differs from the full run's", f.Rule, clientName(f.Client), f.Title, happened.FindString(f.Explanation))
		}
		counted++
	}
	if counted < 6 {
		t.Errorf("only %d findings of clients with a gap", counted)
	}
}
