package dialect

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDialect feeds tokenizer output of any input to the decoder with every
// dialect forced and with auto-detection: no panic, and every op points at
// lines of the input.
func FuzzDialect(f *testing.F) {
	for _, pattern := range []string{"../samples/*.log", "testdata/*/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := 1
		for _, c := range in {
			if c == '\n' {
				lines++
			}
		}
		for _, name := range append([]string{"auto"}, Names()...) {
			ops, _ := decodeOps(t, "fuzz.log", in, name)
			for _, op := range ops {
				for _, l := range op.Lines {
					if l < 1 || l > lines {
						t.Fatalf("%s: op %s points at line %d of %d", name, op.Kind, l, lines)
					}
				}
			}
		}
	})
}
