package export

import (
	"bytes"
	"math"
	"testing"

	"atscope/internal/loggen"
	"atscope/timeline"
)

// TestPcapStreams writes generated logs of many more ops than are held
// before the first packet as they stream, and again held whole, which
// makes the capture a look at the whole log would make: the bytes are the
// same. The logs have a time on every line (QCOM), none (raw), and several
// dialects.
func TestPcapStreams(t *testing.T) {
	for _, opt := range []loggen.Options{
		{Dialect: "quectel", Format: "qcom"}, {Dialect: "quectel", Format: "raw"},
		{Dialect: "simcom", Format: "stamped"}, {Dialect: "espat", Format: "qcom"},
	} {
		opt.Size = 5 << 19
		t.Run(opt.Dialect+"-"+opt.Format, func(t *testing.T) {
			sessions := decodeSessions(t, "gen.log", loggen.Bytes(opt))
			ops := timeline.InLogOrder(sessions)
			if len(ops) < 3*holdOps/2 {
				t.Fatalf("only %d ops: the log does not stream", len(ops))
			}
			write := func(hold int) []byte {
				var buf bytes.Buffer
				p, err := NewPcap(&buf, PcapOptions{Tool: "test"})
				if err != nil {
					t.Fatal(err)
				}
				l := p.Log("gen.log", nil)
				l.lx.hold = hold
				for _, op := range ops {
					if err := l.Add(op); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := l.Close(); err != nil {
					t.Fatal(err)
				}
				if err := p.Flush(); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			}
			streamed, whole := write(holdOps), write(math.MaxInt)
			if !bytes.Equal(streamed, whole) {
				t.Errorf("streamed capture (%d bytes) differs from the whole-log one (%d bytes):\n%s", len(streamed), len(whole),
					firstDiff(dump(t, streamed), dump(t, whole)))
			}
		})
	}
}
