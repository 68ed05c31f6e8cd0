package report

import (
	"encoding/json"
	"strings"
	"testing"

	"atscope/diagnose"
)

// TestVerdictReconnectedBy: a verdict whose reconnect may not be the first
// (a long log's diagnosis only counted the ops before it) says "by ... or
// earlier" in HTML and carries reconnected_by in JSON, never "at".
func TestVerdictReconnectedBy(t *testing.T) {
	dv := diagnose.Verdict{Client: 0, Outcome: "dropped", Line: 10, Back: 90, BackBy: true}
	vs := VerdictsOf([]diagnose.Verdict{dv}, Understanding{Understood: true})
	if len(vs) != 1 || !vs[0].BackBy {
		t.Fatalf("VerdictsOf = %+v, want BackBy carried", vs)
	}
	b, _ := json.Marshal(vs[0])
	if !strings.Contains(string(b), `"reconnected_line":90,"reconnected_by":true`) {
		t.Errorf("JSON %s lacks reconnected_by", b)
	}
	p := &page{r: &Report{}}
	if got := p.verdict(vs[0]); !strings.Contains(got, "reconnected by line 90 or earlier") {
		t.Errorf("HTML verdict %q, want \"reconnected by line 90 or earlier\"", got)
	}
	dv.BackBy = false
	if got := p.verdict(VerdictsOf([]diagnose.Verdict{dv}, Understanding{Understood: true})[0]); !strings.Contains(got, "reconnected at line 90") {
		t.Errorf("HTML verdict %q, want \"reconnected at line 90\"", got)
	}
}
