package report

import (
	"strings"
	"testing"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
)

// TestHeadlineOfLogNotUnderstood: an empty log says so first, a binary one
// says it is no text (with the not-text finding's advice), and neither
// says "no problem found" of what atscope could not read.
func TestHeadlineOfLogNotUnderstood(t *testing.T) {
	notRead := diagnose.Understanding{Reason: "26 of its 26 lines were not recognised", Line: 1, Hint: "name the log's format"}
	nothing := diagnose.Understanding{Reason: "the log holds no AT traffic atscope could read", Hint: "check that this is an AT log"}
	notText := diagnose.Finding{Rule: notTextRule, Title: "The input is not a text log: 11% of its first 3000 bytes are control bytes",
		Advice: "Check what the file is."}
	module := diagnose.Verdict{Client: dialect.ModuleClient, Outcome: "no problem found"}
	client := diagnose.Verdict{Client: 0, Outcome: "no problem found"}
	failed := diagnose.Verdict{Client: 1, Outcome: "dropped", Line: 7, Cause: "coverage lost"}
	for _, tc := range []struct {
		name string
		in   Input
		want []string
	}{
		{"empty", Input{Understanding: nothing, Verdicts: []diagnose.Verdict{module}},
			[]string{"not understood: the log is empty; try: check that the file given is the log (not a capture still being written, or a copy that failed)"}},
		{"blank lines are no empty log", Input{Understanding: nothing, Stats: decode.Stats{Lines: 3}, Verdicts: []diagnose.Verdict{module}},
			[]string{"not understood: the log holds no AT traffic atscope could read; try: check that this is an AT log"}},
		{"binary", Input{Understanding: notRead, Stats: decode.Stats{Lines: 16, Events: 26}, Findings: []diagnose.Finding{notText},
			Verdicts: []diagnose.Verdict{module}},
			[]string{"not understood: the input is not a text log: 11% of its first 3000 bytes are control bytes; 26 of its 26 lines were not recognised (line 1); try: check what the file is"}},
		{"clients of a log not understood", Input{Understanding: notRead, Stats: decode.Stats{Lines: 16, Events: 26},
			Verdicts: []diagnose.Verdict{client, failed}},
			[]string{"not understood: 26 of its 26 lines were not recognised (line 1); try: name the log's format",
				"client 0: not judged (the log was not understood)", "client 1: dropped at L7: coverage lost"}},
		{"understood", Input{Understanding: diagnose.Understanding{Understood: true}, Stats: decode.Stats{Lines: 16, Events: 26},
			Findings: []diagnose.Finding{notText}, Verdicts: []diagnose.Verdict{client}},
			[]string{"client 0: no problem found"}},
	} {
		got := Build(tc.in).Headline()
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: headline\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
