package dialect

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"atscope/decode"
)

// resultLines are the lines of a log's result URCs and responses: name,
// client (the first argument, -1 when it is no number) and line.
type resultLine struct {
	name   string
	client int
	line   int
}

func resultLinesOf(t *testing.T, file string, data []byte) []resultLine {
	t.Helper()
	hooks, _ := HooksFor("auto")
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []resultLine
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		if (ev.Kind == decode.KindURC || ev.Kind == decode.KindResponse) && ev.Name != "" && !ev.AnswersQuery() {
			out = append(out, resultLine{ev.Name, intArg(splitArgs(ev.Args, 0), 0, -1), ev.Pos.Line})
		}
	}
	return out
}

// TestCorpusAnswered is the corpus check of issue 14: in no sample (nor
// constructed log) is an op left pending or unknown while the log answers it. The log answers an
// op when, after the op's last line, a result URC or response of the op's
// command name and client (its first argument) is in no op at all, or is
// the whole of an op "command not in the log" (NoteNotLogged): that line
// was this op's result, and the machine failed to tie them. Only results
// named as their command are checked (ESP-AT's +MQTTPUB:OK after
// AT+MQTTPUBRAW is not).
func TestCorpusAnswered(t *testing.T) {
	samples, _ := filepath.Glob("../samples/*.log")
	more, _ := filepath.Glob("testdata/*/*.log")
	samples = append(samples, more...)
	if len(samples) == 0 {
		t.Fatal("no samples")
	}
	for _, s := range samples {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		ops, _ := decodeOps(t, s, data, "auto")
		inOp := map[int]bool{}
		notLogged := map[int]bool{} // first lines of NoteNotLogged ops
		for _, op := range ops {
			for _, l := range op.Lines {
				inOp[l] = true
			}
			if op.HasNote(NoteNotLogged) && len(op.Lines) > 0 {
				notLogged[op.Lines[0]] = true
			}
		}
		results := resultLinesOf(t, s, data)
		for _, op := range ops {
			if op.Status != StatusPending && op.Status != StatusUnknown || op.HasNote(NoteNotLogged) || len(op.Lines) == 0 {
				continue
			}
			last := op.Lines[len(op.Lines)-1]
			i := slices.IndexFunc(results, func(r resultLine) bool {
				return r.line > last && r.name == op.Name && (r.client == op.Client || r.client < 0) && (!inOp[r.line] || notLogged[r.line])
			})
			if i >= 0 {
				t.Errorf("%s:%d: %s %s is %s, but line %d answers it", s, op.Lines[0], op.Kind, op.Name, op.Status, results[i].line)
			}
		}
	}
}
