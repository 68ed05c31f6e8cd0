package report

import (
	"strings"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
)

// notTextRule is the id of diagnose's finding that the input is no text
// log: when the log was not understood, that is the reason to give first.
const notTextRule = "not-text"

// UnderstandingOf is diagnose's understanding as the report says it: an
// empty log is said to be empty, and a log that is no text says so (the
// not-text finding), before the reason diagnose counted.
func UnderstandingOf(u diagnose.Understanding, st decode.Stats, fs []diagnose.Finding) Understanding {
	out := Understanding{Understood: u.Understood, Reason: u.Reason, Line: u.Line, Hint: u.Hint}
	if u.Understood {
		return out
	}
	if st.Lines == 0 && st.Events == 0 {
		out.Reason, out.Line = "the log is empty", 0
		out.Hint = "check that the file given is the log (not a capture still being written, or a copy that failed)"
		return out
	}
	for _, f := range fs {
		if f.Rule == notTextRule {
			out.Reason = lowerFirst(f.Title) + "; " + out.Reason
			out.Hint = strings.TrimSuffix(lowerFirst(f.Advice), ".")
			break
		}
	}
	return out
}

// VerdictsOf are the engine's verdicts as the report says them. A log
// that was not understood gets no "no problem found": what atscope could
// not read may hold the problem. Its module-wide verdict is left out, and
// a client without failure is "not judged".
func VerdictsOf(vs []diagnose.Verdict, u Understanding) []Verdict {
	out := []Verdict{}
	for _, v := range vs {
		if !u.Understood && v.Line == 0 {
			if v.Client == dialect.ModuleClient {
				continue
			}
			v.Outcome = "not judged (the log was not understood)"
		}
		rv := Verdict{Client: v.Client, Outcome: v.Outcome, Line: v.Line, Cause: v.Cause, Rule: v.Rule, Back: v.Back, BackBy: v.BackBy, Text: v.String()}
		if !v.Time.IsZero() {
			rv.Time = timePtr(v.Time)
		}
		out = append(out, rv)
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
