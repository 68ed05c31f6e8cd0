package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// engineFor runs the pipeline over a testdata log and returns the engine.
func engineFor(t *testing.T, file string) *Engine {
	t.Helper()
	path := filepath.Join("testdata", file)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr, _, err := decode.Open(f, path, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder(path, "auto")
	e := New(path)
	for tok.Next() {
		ev := tok.Event()
		e.Event(&ev)
		dec.Feed(&ev, e.Op)
	}
	dec.Close(e.Op)
	return e
}

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // one piece per verdict line
	}{
		{"host-network-down.fire.log", []string{"client 0: publish failed at L16: The host switched the radio off (AT+CFUN=0)"}},
		{"quectel-qmtconn.quiet.log", []string{"client 0: no problem found"}},
		{"keepalive.fire2.log", []string{"client 0: dropped at ", "lost its link when its keep-alive exchange failed"}},
		{"not-understood.fire2.log", []string{"the module: no problem found"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var got []string
			for _, v := range engineFor(t, tc.file).Verdicts() {
				got = append(got, v.String())
			}
			all := strings.Join(got, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("verdicts %q lack %q", got, w)
				}
			}
		})
	}
}

func TestUnderstanding(t *testing.T) {
	for _, tc := range []struct {
		file       string
		understood bool
		hint       string
	}{
		{"not-understood.fire.log", false, "--dialect"},
		{"not-understood.fire2.log", false, "--input-format"},
		{"quectel-qmtconn.quiet.log", true, ""},
	} {
		u := engineFor(t, tc.file).Understanding()
		if u.Understood != tc.understood || !strings.Contains(u.Hint, tc.hint) {
			t.Errorf("%s: understood %v (want %v), hint %q (want %q)", tc.file, u.Understood, tc.understood, u.Hint, tc.hint)
		}
	}
}

// TestRanking: of two warnings, the one that explains the failure the log
// ends with comes first, though the other is earlier in the log.
func TestRanking(t *testing.T) {
	fs := engineFor(t, "ranking.log").Findings()
	if len(fs) < 2 || fs[0].Rule != idHostDown {
		t.Errorf("first finding is not %s: %v", idHostDown, titles(fs))
	}
}
