package decode

import (
	"bytes"
	"fmt"
	"testing"
)

// The reader and tokenizer benchmarks over generated multi-client logs are
// in stage_bench_test.go, with the dialects' hooks.

// BenchmarkUnendingPayload feeds a payload that never meets its Ctrl-Z, one
// stamped line at a time: each byte must be scanned once, not once per line.
func BenchmarkUnendingPayload(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("[10:00:00.000] AT+QMTPUB=0,1,1,0,\"t\"\n[10:00:00.010] > \n")
	for i := range 5000 {
		fmt.Fprintf(&buf, "[10:00:01.%03d] line %d of a payload that never ends\n", i%1000, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		cr, _, err := Open(bytes.NewReader(data), "bench.log", "stamped", Options{})
		if err != nil {
			b.Fatal(err)
		}
		tok := NewTokenizer(cr, testHooks{})
		for tok.Next() {
		}
	}
}
