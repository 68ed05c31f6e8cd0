package timeline

import (
	"fmt"
	"os"
	"testing"
)

// genIndependent writes a Quectel QCOM log of about size bytes in a shape
// the project's generator (loggen) does not make, the shape of issue 17:
// six clients that disconnect and reconnect every few dozen operations;
// 35 % of the traffic downlink commands carrying a random JSON id that the
// device never answers; telemetry on a topic whose last level is the
// client number (telemetry/3, a constant, not an id); and URC-heavy
// receives on many distinct topics through a # subscription.
func genIndependent(size int) []byte {
	const clients = 6
	g := newLogGen(genQCOM)
	r := rng(7)
	msgID := make([]int, clients)
	next := func(c int) int {
		msgID[c] = msgID[c]%65535 + 1
		return msgID[c]
	}
	left := make([]int, clients) // operations until the client reconnects
	connect := func(c int) {
		g.open(c, ms(200+r.intn(900)))
		g.advance(ms(300))
		g.conn(c, ms(100+r.intn(400)), 0)
		g.advance(ms(200))
		g.sub(c, next(c), fmt.Sprintf("devices/%d/cmd", c), ms(50+r.intn(200)))
		g.advance(ms(100))
		g.sub(c, next(c), fmt.Sprintf("fleet/%d/#", c), ms(50+r.intn(200)))
		g.advance(ms(100))
		left[c] = 20 + r.intn(50)
	}
	for c := range clients {
		connect(c)
	}
	for i := 0; g.size < size; i++ {
		c := r.intn(clients)
		if left[c]--; left[c] < 0 {
			if r.intn(3) == 0 {
				g.stat(c, 1) // the broker dropped it
			} else {
				g.disc(c, ms(50+r.intn(200)))
				g.advance(ms(100))
				g.closeNet(c, ms(50+r.intn(100)))
			}
			g.advance(ms(200))
			connect(c)
			continue
		}
		switch kind := r.intn(100); {
		case kind < 35:
			// A downlink command with a random id, never answered.
			id := fmt.Sprintf("%08x%08x", r.intn(1<<30), r.intn(1<<30))
			g.recvAfter(0, c, 0, fmt.Sprintf("devices/%d/cmd", c), fmt.Sprintf(`{"id":"%s","method":"setConfig","params":{"interval":%d}}`, id, 10+r.intn(50)))
		case kind < 65:
			// A state change of one of many things under the client's fleet.
			topic := fmt.Sprintf("fleet/%d/zone-%d/sensor-%d/state", c, r.intn(40), r.intn(100000))
			g.recvAfter(0, c, 0, topic, fmt.Sprintf(`{"v":%d,"ts":%d}`, r.intn(1000), g.now.UnixMilli()))
		default:
			// Telemetry, QoS 1, acknowledged.
			payload := fmt.Sprintf(`{"seq":%d,"rssi":-%d,"temp":%d.%d}`, i, 50+r.intn(50), 15+r.intn(20), r.intn(10))
			g.pub(c, next(c), 1, fmt.Sprintf("telemetry/%d", c), payload, ms(40+r.intn(600)), 0)
		}
		g.advance(ms(20 + r.intn(200)))
	}
	return g.bytes()
}

// TestWriteIndependentLog writes an independent-shape log of
// ATSCOPE_SHAPE_MB megabytes to ATSCOPE_SHAPE_OUT, for measuring the
// commands by hand (`atscope latency`, /usr/bin/time -v). It is skipped
// unless both are set.
func TestWriteIndependentLog(t *testing.T) {
	out, mb := os.Getenv("ATSCOPE_SHAPE_OUT"), 0
	if _, err := fmt.Sscan(os.Getenv("ATSCOPE_SHAPE_MB"), &mb); err != nil || out == "" {
		t.Skip("set ATSCOPE_SHAPE_OUT and ATSCOPE_SHAPE_MB to write a log")
	}
	if err := os.WriteFile(out, genIndependent(mb<<20), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIndependentLog checks the fixture's shape: six clients that
// reconnect, commands with ids left unanswered, telemetry acknowledged.
func TestIndependentLog(t *testing.T) {
	sessions, last := decodeLogAs(t, "independent.log", genIndependent(300<<10), "auto")
	conns, unanswered := 0, 0
	for _, s := range sessions {
		conns += len(s.Connections)
	}
	for _, r := range FindRoundTrips(sessions, nil).Rows {
		unanswered += r.Unmatched()
	}
	rows := Latencies(sessions, last, LatencyOptions{})
	if conns < 6*5 || unanswered < 100 || len(rows) < 6*4 {
		t.Errorf("%d connections, %d unanswered requests, %d rows: not the shape", conns, unanswered, len(rows))
	}
}
