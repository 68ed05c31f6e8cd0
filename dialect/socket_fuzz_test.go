package dialect

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSocket runs the socket dialects over any input: no panic, every op
// points at lines of the input, and every op begun is emitted (the decoder
// holds none back when the log ends).
func FuzzSocket(f *testing.F) {
	for _, pattern := range []string{"testdata/simcom-cip/*.log", "testdata/quectel-tcp/*.log", "testdata/espat-tcp/*.log", "testdata/simcom-lte/*.log", "testdata/ublox-tcp/*.log", "testdata/nordic-tcp/*.log", "../internal/mqttrec/testdata/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("+IPD,0:+IPD,3:\x10\r\n+RECEIVE,1,2:\r\n\xc0"))
	f.Add([]byte("AT+CIPSEND=5\r\r\n> \x1a\x1b\r\n+QIURC: \"recv\",0,9\r\n0\r\nSEND OK\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := 1
		for _, c := range in {
			if c == '\n' {
				lines++
			}
		}
		for _, name := range []string{"auto", "simcom-cip", "simcom-lte", "quectel-tcp", "espat-tcp", "ublox-tcp", "nordic-tcp"} {
			ops, dec := decodeOps(t, "fuzz.log", in, name)
			for _, op := range ops {
				for _, l := range op.Lines {
					if l < 1 || l > lines {
						t.Fatalf("%s: op %s points at line %d of %d", name, op.Kind, l, lines)
					}
				}
			}
			if o := dec.Oldest(); o != math.MaxInt {
				t.Fatalf("%s: an op begun at event %d was never emitted", name, o)
			}
		}
	})
}
