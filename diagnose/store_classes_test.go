package diagnose

import (
	"strconv"
	"strings"
	"testing"

	"atscope/dialect"
)

// TestGapFailureClasses: gap-classes.log loses and regains its link 16
// times; only in the middle do three connects fail (not authorized) and
// a subscribe get +CME ERROR 3. With a budget of a few ops, the middle of
// the client's ops is dropped, yet each of those failures has its finding,
// with the count of the whole log.
func TestGapFailureClasses(t *testing.T) {
	for _, keep := range []int{1, 2, 3} {
		e := boundedRun(t, "testdata/gap-classes.log", "", keep)
		g := e.r.gapOf(0)
		if g == nil || g.firstLine > 76 || g.lastLine < 119 {
			t.Fatalf("keep %d: the gap %+v does not span the failures", keep, g)
		}
		var connect, cme bool
		for _, f := range e.Findings() {
			switch {
			case f.Rule == idVendor && strings.Contains(f.Title, "not authorized"):
				connect = strings.Contains(f.Explanation, "It happened 3 times (lines 76, ... (3 in all))")
				if !connect {
					t.Errorf("keep %d: %s", keep, f.Explanation)
				}
			case f.Rule == idCME && strings.Contains(f.Title, "operation not allowed"):
				cme = firstLine(f) == 118
			}
		}
		if !connect || !cme {
			t.Errorf("keep %d: the refused connects (%v) or the +CME ERROR (%v) have no finding:\n%v", keep, connect, cme, titles(e.Findings()))
		}
	}
}

// TestClassesBounded: a client keeps the first op of at most
// maxClassesPerClient failure classes of a sort; the ops of later classes
// are marked to be only counted, and the diagnosed-in-part finding says
// how many.
func TestClassesBounded(t *testing.T) {
	r := newRun("t.log")
	co := r.store.client(0)
	first := 0
	for i := range maxClassesPerClient + 10 {
		op := &dialect.Op{Client: 0, Kind: dialect.OpConnect, Status: dialect.StatusFailed, Code: strconv.Itoa(i), Seqs: []int{i}, Lines: []int{i + 1}}
		f := r.factsFromRing(op)
		r.classify(co, op, f)
		if f.firstOfClass {
			first++
		}
		if f.unclassed != (i >= maxClassesPerClient) {
			t.Fatalf("op %d: unclassed %v", i, f.unclassed)
		}
		again := r.factsFromRing(op)
		if r.classify(co, op, again); again.firstOfClass || again.unclassed && i < maxClassesPerClient {
			t.Fatalf("op %d: its class again is first %v, unclassed %v", i, again.firstOfClass, again.unclassed)
		}
	}
	if first != maxClassesPerClient || r.store.classes != maxClassesPerClient {
		t.Errorf("%d ops first of their class, %d classes", first, r.store.classes)
	}
	// Remarks have a bound of their own, and their numbers make no class.
	for i, want := range []bool{true, false} {
		op := &dialect.Op{Client: 0, Kind: dialect.OpPublish, Status: dialect.StatusOK, Seqs: []int{1000 + i},
			Notes: []dialect.Note{{Kind: dialect.NoteMalformed, Text: "line " + strconv.Itoa(10+i) + ": cut"}}}
		f := r.factsFromRing(op)
		if r.classify(co, op, f); f.firstOfClass != want || f.unclassed {
			t.Errorf("remark %d: first of its class %v, unclassed %v", i, f.firstOfClass, f.unclassed)
		}
	}
	if s := unclassedSays(&gap{unclassed: 10}); !strings.Contains(s, "10 operations") {
		t.Errorf("diagnosed-in-part says %q", s)
	}
	if s := unclassedSays(&gap{}); s != "" {
		t.Errorf("diagnosed-in-part says %q without unclassed ops", s)
	}
}
