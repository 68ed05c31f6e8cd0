package dialect_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
)

// BenchmarkDialect measures the dialect stage alone (detection, machine,
// module context) on the events of generated multi-client logs, tokenized
// beforehand. Bytes are those of the log.
func BenchmarkDialect(b *testing.B) {
	for _, name := range loggen.Dialects {
		data := loggen.Bytes(loggen.Options{Dialect: name, Size: 8 << 20})
		events := tokenize(b, data)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			ops := 0
			emit := func(*dialect.Op) { ops++ }
			for b.Loop() {
				dec, err := dialect.NewDecoder("bench.log", "auto")
				if err != nil {
					b.Fatal(err)
				}
				for i := range events {
					dec.Feed(&events[i], emit)
				}
				dec.Close(emit)
			}
			if ops == 0 {
				b.Fatal("no ops")
			}
		})
	}
}

func tokenize(b testing.TB, data []byte) []decode.Event {
	hooks, _ := dialect.HooksFor("auto")
	cr, _, err := decode.Open(bytes.NewReader(data), "bench.log", "auto", decode.Options{})
	if err != nil {
		b.Fatal(err)
	}
	tok := decode.NewTokenizer(cr, hooks)
	var events []decode.Event
	for tok.Next() {
		events = append(events, tok.Event())
	}
	return events
}

// TestEvidenceByName holds the dialects to judging an event by its name
// alone, which lets the Decoder ask once per name.
func TestEvidenceByName(t *testing.T) {
	files, err := filepath.Glob("../samples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatal("no samples", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range tokenize(t, data) {
			for _, dl := range dialect.All() {
				if got, byName := dl.Evidence(&ev), dl.Evidence(&decode.Event{Name: ev.Name}); got != byName {
					t.Errorf("%s: %s: evidence %d for %q, %d for its name alone", f, dl.Name, got, ev.Text, byName)
				}
			}
		}
	}
}

// TestOldest: every op a machine begins is emitted by the end, and none is
// emitted that starts before what Oldest said, give or take the events a
// machine takes from just before an op (SIMCom's loaded topic and payload).
func TestOldest(t *testing.T) {
	files, _ := filepath.Glob("../samples/*.log")
	logs := map[string][]byte{}
	for _, f := range files {
		logs[f], _ = os.ReadFile(f)
	}
	for _, d := range loggen.Dialects {
		logs["generated "+d] = loggen.Bytes(loggen.Options{Dialect: d, Size: 256 << 10})
	}
	for name, data := range logs {
		dec, _ := dialect.NewDecoder("t.log", "auto")
		low, late := 0, 0
		emit := func(op *dialect.Op) {
			if len(op.Seqs) > 0 && op.Seqs[0] < low-16 {
				late++
			}
		}
		for _, ev := range tokenize(t, data) {
			dec.Feed(&ev, emit)
			low = min(dec.Oldest(), ev.Seq+1) // later ops start no earlier
		}
		dec.Close(emit)
		if late > 0 || dec.Oldest() != math.MaxInt {
			t.Errorf("%s: %d ops started before Oldest; after Close, Oldest is %d", name, late, dec.Oldest())
		}
	}
}
