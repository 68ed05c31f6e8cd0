package timeline

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"
	"time"
)

// genIndependent writes a Quectel QCOM log of about size bytes in a shape
// the project's generator (loggen) does not make, the shape of issue 17:
// six clients that disconnect and reconnect every few dozen operations;
// 35 % of the traffic downlink commands carrying a random JSON id that the
// device never answers; telemetry on a topic whose last level is the
// client number (telemetry/3, a constant, not an id); and URC-heavy
// receives on many distinct topics through a # subscription.
func genIndependent(size int) []byte {
	var b bytes.Buffer
	genIndependentTo(&b, size)
	return b.Bytes()
}

// genIndependentTo writes genIndependent's log to w as it goes, keeping
// only the last minute of lines: logs of hundreds of MB fit in memory.
func genIndependentTo(w io.Writer, size int) error {
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
		if i%4096 == 4095 {
			if err := g.flush(w, g.now.Add(-time.Minute)); err != nil {
				return err
			}
		}
	}
	return g.flush(w, g.now.Add(time.Hour))
}

// flush writes the lines before t, in time order, and forgets them: no
// line added later comes before t (results are scheduled at most a
// minute ahead).
func (g *logGen) flush(w io.Writer, t time.Time) error {
	slices.SortStableFunc(g.lines, func(a, b genLine) int { return a.at.Compare(b.at) })
	n, _ := slices.BinarySearchFunc(g.lines, t, func(l genLine, t time.Time) int {
		if l.at.Before(t) {
			return -1
		}
		return 1
	})
	var b bytes.Buffer
	g.render(&b, g.lines[:n])
	g.lines = slices.Delete(g.lines, 0, n)
	_, err := w.Write(b.Bytes())
	return err
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
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := cmp.Or(genIndependentTo(w, mb<<20), w.Flush(), f.Close()); err != nil {
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
