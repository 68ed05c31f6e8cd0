package timeline

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// benchLog is the benchmark's log: a busy 4-client Quectel session of
// about 20 MB, generated once.
var benchLog = sync.OnceValue(func() []byte { return genMultiClient(genTXRX, 4, 20<<20) })

// BenchmarkLatency measures the whole pipeline of `atscope latency`: format
// sniffing and reading, tokenizer, dialect detection and machine, sessions,
// latency table and round trips.
func BenchmarkLatency(b *testing.B) {
	data := benchLog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sessions, last := decodeLogAs(b, "bench.log", data, "auto")
		rows := Latencies(sessions, last, LatencyOptions{})
		trips := FindRoundTrips(sessions, nil)
		if len(rows) == 0 || len(trips.Rows) == 0 {
			b.Fatal("nothing measured")
		}
	}
}

// TestMultiClientLog checks the benchmark's generator on a small log:
// every op ends well but those a link loss abandons, every loopback and
// command is answered but those a link loss cuts, and nothing but
// telemetry is left unpaired.
func TestMultiClientLog(t *testing.T) {
	data := genMultiClient(genTXRX, 3, 300<<10)
	if string(data) != string(genMultiClient(genTXRX, 3, 300<<10)) {
		t.Fatal("the generator is not deterministic")
	}
	sessions, last := decodeLogAs(t, "multi.log", data, "auto")
	var bad []string
	losses, failed, lostUp := 0, 0, 0
	for _, r := range Latencies(sessions, last, LatencyOptions{}) {
		switch r.Op {
		case "link":
			losses += r.Failed
		case RowUptime:
			lostUp += r.Failed
		default:
			failed += r.Failed
			if r.OK+r.Failed != r.Count || r.Samples.Len() == 0 && r.Op != "receive" {
				bad = append(bad, rowText(r))
			}
		}
	}
	if losses == 0 || lostUp != losses || failed > 2*losses {
		bad = append(bad, fmt.Sprintf("%d link losses, %d lost connections, %d failed ops", losses, lostUp, failed))
	}
	res := FindRoundTrips(sessions, nil)
	unmatched := 0
	for _, r := range res.Rows {
		unmatched += r.Unmatched()
		if r.Samples.Len() == 0 {
			bad = append(bad, tripRowText(r))
		}
	}
	if unmatched > losses {
		bad = append(bad, fmt.Sprintf("%d unmatched requests, %d link losses", unmatched, losses))
	}
	for _, u := range res.Unpaired {
		if u.Op != "publish" {
			bad = append(bad, fmt.Sprintf("unpaired: %+v", u))
		}
	}
	if len(res.Rows) != 6 {
		bad = append(bad, fmt.Sprintf("%d round-trip rows, want 6", len(res.Rows)))
	}
	if len(bad) > 0 {
		t.Errorf("%s", strings.Join(bad, "\n"))
	}
}
