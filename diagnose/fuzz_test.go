package diagnose

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzDiagnose runs every rule over any input: no panic, and every finding
// is complete (a known rule, a title, an explanation, advice) and points
// at lines of the input.
func FuzzDiagnose(f *testing.F) {
	for _, pattern := range []string{"testdata/*.log", "../samples/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fs, st, err := diagnoseReader(bytes.NewReader(in), "fuzz.log", "auto")
		if err != nil {
			return // a capture format's reader refused the input
		}
		lines := max(st.Lines, bytes.Count(in, []byte{'\n'})+1)
		for _, f := range fs {
			if !known[f.Rule] || f.Title == "" || f.Explanation == "" || f.Advice == "" {
				t.Fatalf("incomplete finding: %+v", f)
			}
			for _, l := range slices.Concat(f.Lines, markLines(f)) {
				if l < 1 || l > lines {
					t.Fatalf("%s: %q points at line %d of %d", f.Rule, f.Title, l, lines)
				}
			}
		}
		again, _, _ := diagnoseReader(bytes.NewReader(in), "fuzz.log", "auto")
		if a, b := fmt.Sprint(fs), fmt.Sprint(again); a != b {
			t.Fatalf("two runs differ:\n%s\n%s", a, b)
		}
	})
}

func markLines(f Finding) []int {
	var lines []int
	for _, m := range f.Marks {
		lines = append(lines, m.Line)
	}
	return lines
}
