package dialect

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"atscope/decode"
)

// queryAnswerLines lists the lines of the events that answer a read or
// test command (decode.Event.AnswersQuery), and of those answering a test
// command.
func queryAnswerLines(t *testing.T, file string, data []byte) (answers, tests []int) {
	t.Helper()
	hooks, _ := HooksFor("auto")
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		if ev := tok.Event(); answersQuery(&ev) {
			answers = append(answers, ev.Pos.Line)
			if ev.AnswerTo == decode.FormTest {
				tests = append(tests, ev.Pos.Line)
			}
		}
	}
	return answers, tests
}

// TestQueryAnswersMakeNoOp: no answer to a read ("AT+QMTCONN?") or test
// ("AT+QMTOPEN=?") command becomes part of an op, in any dialect (issue 14
// point 1; testdata/*/query-forms.log has one per dialect family, and
// "+QMTOPEN: (0-5),..." used to be a failed open with code -9). The one
// exception is by design: the module-wide context reports a polled state
// ("AT+CREG?" answered "+CREG: 0,5") as a link op of ModuleClient.
func TestQueryAnswersMakeNoOp(t *testing.T) {
	logs, _ := filepath.Glob("testdata/*/*.log")
	samples, _ := filepath.Glob("../samples/*.log")
	answered := 0
	for _, l := range append(logs, samples...) {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		answers, tests := queryAnswerLines(t, l, data)
		answered += len(answers)
		ops, _ := decodeOps(t, l, data, "auto")
		for _, op := range ops {
			stateReport := op.Client == ModuleClient && op.Kind == OpLink
			for _, line := range op.Lines {
				if slices.Contains(tests, line) || !stateReport && slices.Contains(answers, line) {
					t.Errorf("%s:%d: a read/test answer is part of the %s op %s (%s)", l, line, op.Kind, op.Name, op.Status)
				}
			}
		}
	}
	if answered < 10 {
		t.Errorf("only %d read/test answers in the test logs: the query-forms logs are not read as such", answered)
	}
}
