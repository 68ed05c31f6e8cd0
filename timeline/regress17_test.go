package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRejectedCommandIsNoSample: a connect the module answers ERROR at
// once counts as failed but gives no latency sample (issue 15.6: it made
// "p50 0 ms").
func TestRejectedCommandIsNoSample(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(300))
	g.advance(ms(500))
	g.tx(`AT+QMTCONN=0,"dev-0","user","pass"`)
	g.rx("ERROR")
	g.advance(ms(1000))
	g.conn(0, ms(700), 0)
	g.advance(ms(1000))
	sessions, last := decodeLogAs(t, "rejected.log", g.bytes(), "auto")
	for _, r := range Latencies(sessions, last, LatencyOptions{}) {
		if r.Op != "connect" {
			continue
		}
		s := r.Samples.Summary()
		if r.Count != 2 || r.Failed != 1 || s.N != 1 || s.P50 != 700*time.Millisecond {
			t.Errorf("connect row: %s; want count=2 failed=1 and one sample of 700ms", rowText(r))
		}
		return
	}
	t.Error("no connect row")
}

// TestConstantLevelIsNoID: a last topic level that repeats (the client
// number in telemetry/0) is no request id, so a command received on
// cmd/0 through cmd/+ does not pair with the telemetry by "topic suffix".
func TestConstantLevelIsNoID(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(300))
	g.advance(ms(500))
	g.conn(0, ms(200), 0)
	g.advance(ms(500))
	g.sub(0, 1, "cmd/+", ms(100))
	g.advance(ms(500))
	for i := range 3 {
		g.pub(0, 2+i, 1, "telemetry/0", fmt.Sprintf(`{"seq":%d}`, i), ms(100), 0)
		g.advance(ms(500))
	}
	g.recvAfter(0, 0, 0, "cmd/0", `{"method":"reboot"}`)
	g.advance(ms(500))
	sessions, _ := decodeLogAs(t, "constant.log", g.bytes(), "auto")
	res := FindRoundTrips(sessions, nil)
	for _, r := range res.Rows {
		if r.Answered > 0 || strings.Contains(r.RequestTopic, "telemetry") {
			t.Errorf("round trip %s: telemetry/0 is no request", tripRowText(r))
		}
	}
	// The command itself waits for a reply with its id level.
	want := []string{"0 receive-publish cmd/+ -> : count=1 answered=0 unmatched=1"}
	if got := tripTexts(res.Rows); strings.Join(got, "\n") != strings.Join(want, "\n") || len(res.Unpaired) != 1 || res.Unpaired[0].Count != 3 {
		t.Errorf("round trips %v, unpaired %+v; want %v and the 3 publishes unpaired", got, res.Unpaired, want)
	}
}

// TestWindowEndsWaiting: an answer past the window (10 minutes of log
// time by default) leaves its request unanswered; a longer window pairs
// them.
func TestWindowEndsWaiting(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(300))
	g.advance(ms(500))
	g.conn(0, ms(200), 0)
	g.advance(ms(500))
	g.sub(0, 1, "dev/cmd", ms(100))
	g.advance(ms(500))
	g.recvAfter(0, 0, 0, "dev/cmd", `{"id":"a1","method":"reboot"}`)
	g.advance(11 * time.Minute)
	g.pub(0, 2, 1, "dev/reply", `{"id":"a1","code":0}`, ms(100), 0)
	g.advance(ms(500))
	sessions, _ := decodeLogAs(t, "window.log", g.bytes(), "auto")
	for _, c := range []struct {
		window   time.Duration
		answered int
	}{{DefaultWindow, 0}, {20 * time.Minute, 1}, {0, 1}} {
		rf := NewRoundTripFinder(nil)
		rf.SetWindow(c.window)
		for _, op := range InLogOrder(sessions) {
			rf.Add(op)
		}
		answered, count := 0, 0
		for _, r := range rf.Result().Rows {
			if r.Dir == ReceivePublish {
				answered, count = answered+r.Answered, count+r.Count
			}
		}
		if answered != c.answered || count != 1 {
			t.Errorf("window %v: %d of %d requests answered, want %d of 1", c.window, answered, count, c.answered)
		}
	}
}
