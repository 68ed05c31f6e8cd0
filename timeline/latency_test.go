package timeline

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/dialect"
)

// decodeLog runs a log through the whole pipeline (format reader,
// tokenizer, Quectel machine, assembler) and returns its sessions and its
// last logged time.
func decodeLog(t testing.TB, file string, data []byte) ([]*Session, time.Time) {
	t.Helper()
	return decodeLogAs(t, file, data, "quectel")
}

// decodeLogAs is decodeLog with --dialect name ("auto" detects it).
func decodeLogAs(t testing.TB, file string, data []byte, name string) ([]*Session, time.Time) {
	t.Helper()
	hooks, err := dialect.HooksFor(name)
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := dialect.NewDecoder(file, name)
	if err != nil {
		t.Fatal(err)
	}
	asm := NewAssembler()
	tok := decode.NewTokenizer(cr, hooks)
	var last time.Time
	for tok.Next() {
		ev := tok.Event()
		if ev.TimeSrc == decode.TimeLog && ev.Time.After(last) {
			last = ev.Time
		}
		dec.Feed(&ev, asm.Add)
	}
	dec.Close(asm.Add)
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return asm.Sessions(), last
}

// rowText renders a latency row compactly for comparisons.
func rowText(r *LatencyRow) string {
	s := r.Samples.Summary()
	out := fmt.Sprintf("%d %s", r.Client, r.Op)
	if r.Topic != "" {
		out += " " + r.Topic
	}
	out += fmt.Sprintf(" count=%d ok=%d failed=%d timeout=%d", r.Count, r.OK, r.Failed, r.Timeout)
	if s.N > 0 {
		out += fmt.Sprintf(" n=%d min=%v p50=%v p90=%v p99=%v max=%v mean=%v", s.N, s.Min, s.P50, s.P90, s.P99, s.Max, s.Mean)
	}
	return out
}

func TestSamplesNearestRank(t *testing.T) {
	tests := []struct {
		name          string
		ms            []int
		p50, p90, p99 int
		min, max      int
		mean          time.Duration
	}{
		{"one", []int{7}, 7, 7, 7, 7, 7, 7 * time.Millisecond},
		{"two", []int{20, 10}, 10, 20, 20, 10, 20, 15 * time.Millisecond},
		// n=10: ranks ⌈5⌉=5, ⌈9⌉=9, ⌈9.9⌉=10.
		{"ten", []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5, 9, 10, 1, 10, 5500 * time.Microsecond},
		// n=11: ranks ⌈5.5⌉=6, ⌈9.9⌉=10, ⌈10.89⌉=11.
		{"eleven", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10, 11, 1, 11, 6 * time.Millisecond},
		// n=100: ranks 50, 90, 99 exactly.
		{"hundred", seq(1, 100), 50, 90, 99, 1, 100, 50500 * time.Microsecond},
		// n=101: ranks ⌈50.5⌉=51, ⌈90.9⌉=91, ⌈99.99⌉=100.
		{"hundred and one", seq(1, 101), 51, 91, 100, 1, 101, 51 * time.Millisecond},
		// Ties: 90 of 1 ms and 10 of 1000 ms; p90 is rank 90.
		{"ties", append(repeat(1, 90), repeat(1000, 10)...), 1, 1, 1000, 1, 1000, 100900 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Samples
			for _, v := range tt.ms {
				s.Add(ms(v))
			}
			got := s.Summary()
			want := Summary{N: len(tt.ms), Min: ms(tt.min), P50: ms(tt.p50), P90: ms(tt.p90), P99: ms(tt.p99), Max: ms(tt.max), Mean: tt.mean}
			if got != want {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
	var empty Samples
	if got := empty.Summary(); got != (Summary{}) {
		t.Errorf("empty: %+v", got)
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestSamplesWide: the figures are the same whether the samples are
// counted (few distinct values) or kept one by one (past maxDistinct
// values, whatever comes first), and a sample beyond int32 microseconds
// (35 min 47 s) moves the kept samples to int64; adding after a statistic
// re-sorts.
func TestSamplesWide(t *testing.T) {
	for _, spread := range []int{0, maxDistinct + 1} {
		var s Samples
		var all []time.Duration
		add := func(d time.Duration) {
			s.Add(d)
			all = append(all, max(d, 0))
		}
		for i := range spread { // distinct values in the middle
			add(time.Second + time.Duration(i)*time.Microsecond)
		}
		add(3 * time.Millisecond)
		add(time.Millisecond)
		if got := s.Min(); got != time.Millisecond {
			t.Fatalf("spread %d: min %v", spread, got)
		}
		add(2 * time.Hour)
		add(2 * time.Millisecond)
		add(-time.Second) // clock stepped back: counts as 0
		s.recordPending()
		if spread > 0 && (s.counts.n != 0 || s.narrow != nil || len(s.wide) != spread+5) {
			t.Errorf("spread %d: counted %d, narrow %d, wide %d", spread, s.counts.n, len(s.narrow), len(s.wide))
		}
		slices.Sort(all)
		rank := func(p int) time.Duration { return all[max((p*len(all)+99)/100, 1)-1] }
		var sum time.Duration
		for _, d := range all {
			sum += d
		}
		want := Summary{N: len(all), Min: all[0], P50: rank(50), P90: rank(90), P99: rank(99), Max: all[len(all)-1],
			Mean: sum / time.Duration(len(all))}
		if got := s.Summary(); got != want {
			t.Errorf("spread %d: got %+v\nwant %+v", spread, got, want)
		}
	}
}

func TestHistogram(t *testing.T) {
	var s Samples
	for _, v := range []time.Duration{300 * time.Microsecond, ms(1), ms(3), ms(4), ms(180), ms(2500)} {
		s.Add(v)
	}
	var got []string
	for _, b := range s.Histogram() {
		got = append(got, fmt.Sprintf("%v-%v:%d", b.Lo, b.Hi, b.N))
	}
	want := "0s-1ms:1 1ms-2ms:1 2ms-5ms:2 5ms-10ms:0 10ms-20ms:0 20ms-50ms:0 50ms-100ms:0 100ms-200ms:1 " +
		"200ms-500ms:0 500ms-1s:0 1s-2s:0 2s-5s:1"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// knownDelays is a two-client log whose every delay is known: client 0
// opens (800 ms), connects (300 ms), subscribes (150 ms), publishes 3000
// times with the delays 1..3000 ms in a scrambled order, then twice with a
// failure after 4000 and 5000 ms, once without an answer (a timeout), and
// disconnects (200 ms). Client 1 opens (1200 ms), is refused (250 ms) and
// closes (40 ms).
func knownDelays(style genStyle) []byte {
	g := newLogGen(style)
	g.open(1, ms(1200))
	g.advance(ms(1210))
	g.conn(1, ms(250), 5)
	g.advance(ms(260))
	g.closeNet(1, ms(40))
	g.advance(ms(50))

	g.open(0, ms(800))
	g.advance(ms(810))
	g.conn(0, ms(300), 0)
	g.advance(ms(310))
	g.sub(0, 1, "cmd/0", ms(150))
	g.advance(ms(160))
	for i := range 3000 {
		d := (i*7919)%3000 + 1 // 7919 is prime to 3000: a permutation of 1..3000
		g.pub(0, i%65535+2, 1, "tele/0", fmt.Sprintf(`{"n":%d}`, i), ms(d), 0)
		g.advance(ms(d + 10))
	}
	g.pub(0, 3100, 1, "tele/0", `{"n":"f1"}`, ms(4000), 2)
	g.advance(ms(4010))
	g.pub(0, 3101, 1, "tele/0", `{"n":"f2"}`, ms(5000), 2)
	g.advance(ms(5010))
	g.pub(0, 3102, 1, "tele/0", `{"n":"lost"}`, -1, 0) // never answered
	g.advance(ms(40000))                               // past the 25 s deadline
	g.disc(0, ms(200))
	g.advance(ms(210))
	return g.bytes()
}

func TestLatencyKnownDelays(t *testing.T) {
	for name, style := range map[string]genStyle{"qcom": genQCOM, "txrx": genTXRX} {
		t.Run(name, func(t *testing.T) {
			sessions, last := decodeLog(t, "known.log", knownDelays(style))
			var got []string
			for _, r := range Latencies(sessions, last, LatencyOptions{}) {
				got = append(got, rowText(r))
			}
			// publish: samples 1..3000 ms plus 4000 and 5000 (the failed
			// ones have a result, so a latency): n = 3002, p50 = rank 1501,
			// p90 = rank ⌈2701.8⌉ = 2702, p99 = rank ⌈2971.98⌉ = 2972,
			// mean = (3000·3001/2 + 9000) / 3002 ms = 1502.498334… ms.
			// open_to_connack: 800 + 10 + 300 ms. uptime: from the CONNACK
			// to the disconnect's result.
			uptime := 10*time.Millisecond + 160*time.Millisecond + // after the CONNACK, the subscribe
				time.Duration(3000*10+3000*3001/2)*time.Millisecond + 4010*time.Millisecond + 5010*time.Millisecond +
				40000*time.Millisecond + 200*time.Millisecond
			want := []string{
				"0 open count=1 ok=1 failed=0 timeout=0 n=1 min=800ms p50=800ms p90=800ms p99=800ms max=800ms mean=800ms",
				"0 connect count=1 ok=1 failed=0 timeout=0 n=1 min=300ms p50=300ms p90=300ms p99=300ms max=300ms mean=300ms",
				"0 subscribe count=1 ok=1 failed=0 timeout=0 n=1 min=150ms p50=150ms p90=150ms p99=150ms max=150ms mean=150ms",
				"0 publish count=3003 ok=3000 failed=2 timeout=1 n=3002 min=1ms p50=1.501s p90=2.702s p99=2.972s max=5s mean=1.502498334s",
				"0 disconnect count=1 ok=1 failed=0 timeout=0 n=1 min=200ms p50=200ms p90=200ms p99=200ms max=200ms mean=200ms",
				"0 open_to_connack count=1 ok=1 failed=0 timeout=0 n=1 min=1.11s p50=1.11s p90=1.11s p99=1.11s max=1.11s mean=1.11s",
				fmt.Sprintf("0 uptime count=1 ok=1 failed=0 timeout=0 n=1 min=%[1]v p50=%[1]v p90=%[1]v p99=%[1]v max=%[1]v mean=%[1]v", uptime),
				"1 open count=1 ok=1 failed=0 timeout=0 n=1 min=1.2s p50=1.2s p90=1.2s p99=1.2s max=1.2s mean=1.2s",
				"1 connect count=1 ok=0 failed=1 timeout=0 n=1 min=250ms p50=250ms p90=250ms p99=250ms max=250ms mean=250ms",
				"1 close count=1 ok=1 failed=0 timeout=0 n=1 min=40ms p50=40ms p90=40ms p99=40ms max=40ms mean=40ms",
				"1 open_to_connack count=1 ok=0 failed=1 timeout=0",
			}
			if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}

			slow := Slowest(sessions, 3)
			var lat []string
			for _, op := range slow {
				d, _ := op.Latency()
				lat = append(lat, fmt.Sprintf("%s %v %s", op.Kind, d, op.Status))
			}
			if g, w := strings.Join(lat, ", "), "publish 5s failed, publish 4s failed, publish 3s ok"; g != w {
				t.Errorf("slowest: got %s, want %s", g, w)
			}
		})
	}
}

func TestLatencyByTopic(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(500))
	g.advance(ms(510))
	g.conn(0, ms(100), 0)
	g.advance(ms(110))
	for i, d := range []int{30, 10, 20, 400, 100} {
		topic := "a/x"
		if i >= 3 {
			topic = "b/y"
		}
		g.pub(0, i+1, 1, topic, "v", ms(d), 0)
		g.advance(ms(d + 5))
	}
	sessions, last := decodeLog(t, "topics.log", g.bytes())
	var got []string
	for _, r := range Latencies(sessions, last, LatencyOptions{ByTopic: true}) {
		if r.Op == "publish" {
			got = append(got, rowText(r))
		}
	}
	want := []string{
		"0 publish a/x count=3 ok=3 failed=0 timeout=0 n=3 min=10ms p50=20ms p90=30ms p99=30ms max=30ms mean=20ms",
		"0 publish b/y count=2 ok=2 failed=0 timeout=0 n=2 min=100ms p50=100ms p90=400ms p99=400ms max=400ms mean=250ms",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}

// TestLatencyUntimed: a log without times counts the ops and measures
// nothing.
func TestLatencyUntimed(t *testing.T) {
	g := newLogGen(genPlain)
	g.open(0, ms(500))
	g.advance(ms(510))
	g.conn(0, ms(100), 0)
	g.advance(ms(110))
	g.pub(0, 1, 1, "a", "v", ms(30), 0)
	g.advance(ms(40))
	sessions, last := decodeLog(t, "plain.log", g.bytes())
	if !last.IsZero() {
		t.Fatalf("last %v", last)
	}
	var got []string
	for _, r := range Latencies(sessions, last, LatencyOptions{}) {
		got = append(got, rowText(r))
	}
	want := []string{
		"0 open count=1 ok=1 failed=0 timeout=0",
		"0 connect count=1 ok=1 failed=0 timeout=0",
		"0 publish count=1 ok=1 failed=0 timeout=0",
		"0 open_to_connack count=1 ok=1 failed=0 timeout=0",
		"0 uptime count=1 ok=0 failed=0 timeout=0",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
	if slow := Slowest(sessions, 3); len(slow) != 0 {
		t.Errorf("slowest: %d ops", len(slow))
	}
}

// TestLatencyLinkLoss: uptimes end at a link loss (failed) or run to the
// end of the log.
func TestLatencyLinkLoss(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(500))
	g.advance(ms(500))
	g.conn(0, ms(100), 0) // CONNACK at 0.6 s
	g.advance(ms(10600))
	g.stat(0, 1) // lost at 11.1 s: up 10.5 s
	g.advance(ms(1000))
	g.open(0, ms(700))
	g.advance(ms(700))
	g.conn(0, ms(200), 0) // opened at 12.1 s, CONNACK at 13 s
	g.advance(ms(6000))
	g.rx("+CSQ: 20,99") // the log ends at 18.8 s: up 5.8 s so far
	sessions, last := decodeLog(t, "loss.log", g.bytes())
	var got []string
	for _, r := range Latencies(sessions, last, LatencyOptions{}) {
		if r.Op == RowUptime || r.Op == RowOpenToConnack {
			got = append(got, rowText(r))
		}
	}
	want := []string{
		"0 open_to_connack count=2 ok=2 failed=0 timeout=0 n=2 min=600ms p50=600ms p90=900ms p99=900ms max=900ms mean=750ms",
		"0 uptime count=2 ok=0 failed=1 timeout=0 n=2 min=5.8s p50=5.8s p90=10.5s p99=10.5s max=10.5s mean=8.15s",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}
