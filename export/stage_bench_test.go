package export

import (
	"io"
	"testing"

	"atscope/loggen"
)

// BenchmarkPcap measures writing the sessions of a generated six-client
// Quectel log as pcapng; bytes are those of the log.
func BenchmarkPcap(b *testing.B) {
	data := loggen.Bytes(loggen.Options{Size: 8 << 20})
	sessions := decodeSessions(b, "bench.log", data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := NewPcap(io.Discard, PcapOptions{Tool: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.WriteLog("bench.log", sessions); err != nil {
			b.Fatal(err)
		}
		if err := p.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}
