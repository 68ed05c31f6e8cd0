package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/report"
	"atscope/timeline"
)

// TestStreamedMatchesSessions: on every sample, what Run takes from the
// ops as they stream by (summaries, latency, the text timeline) is what
// the sessions of every op kept in memory give, as the report was built
// before it streamed.
func TestStreamedMatchesSessions(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "samples", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, path := range names {
		if strings.HasSuffix(path, ".md") {
			continue
		}
		tested++
		t.Run(filepath.Base(path), func(t *testing.T) {
			r, l := streamed(t, path)
			defer r.Close()
			_, sessions := kept(t, path)
			compareSummaries(t, r.Summaries(), sessions, l.Last)
			compareLatency(t, r.Latencies(), analyze.LatencyOf(l, sessions, analyze.LatencyOptions{Top: 3}))
			var got, want bytes.Buffer
			if err := r.WriteTimeline(&got, false, "x.log"); err != nil {
				t.Fatal(err)
			}
			for i, s := range sessions {
				if i > 0 {
					want.WriteString("\n")
				}
				timeline.Render(&want, s, timeline.Style{})
			}
			if got.String() != want.String() {
				t.Errorf("timeline:\n%s\nwant:\n%s", got.String(), want.String())
			}
		})
	}
	if tested < 30 {
		t.Errorf("%d samples tested", tested)
	}
}

func streamed(t *testing.T, path string) (*report.Report, *analyze.Log) {
	t.Helper()
	src, err := analyze.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r, l, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, report.RunOptions{Text: &timeline.Style{}})
	if err != nil {
		t.Fatal(err)
	}
	return r, l
}

// kept is the log's sessions with every op, as the report kept them.
func kept(t *testing.T, path string) (*analyze.Log, []*timeline.Session) {
	t.Helper()
	src, err := analyze.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	l, sessions, err := analyze.RunSessions(src, analyze.Options{Format: "auto", Dialect: "auto", Findings: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	return l, sessions
}

func compareSummaries(t *testing.T, got []*report.ClientSummary, sessions []*timeline.Session, last time.Time) {
	t.Helper()
	if len(got) != len(sessions) {
		t.Fatalf("%d summaries, %d sessions", len(got), len(sessions))
	}
	for i, s := range sessions {
		g := got[i]
		if g.Client != s.Client || g.Dialect != s.Dialect || g.Ops != len(s.Ops) || !reflect.DeepEqual(g.Counts, s.Counts()) {
			t.Errorf("%s: client %d %q, %d ops, %v; want client %d %q, %d ops, %v", s.Title(), g.Client, g.Dialect, g.Ops, g.Counts, s.Client, s.Dialect, len(s.Ops), s.Counts())
		}
		if got, want := opLines(g.Problems), opLines(s.Problems()); got != want || g.ProblemCount != len(s.Problems()) {
			t.Errorf("%s: problems %s (%d), want %s", s.Title(), got, g.ProblemCount, want)
		}
		if s.Client == dialect.ModuleClient {
			continue
		}
		got, _ := json.Marshal(g.ConnStats(last))
		want, _ := json.Marshal(sessionConnStats(s, last))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %s, want %s", s.Title(), got, want)
		}
	}
}

// sessionConnStats counts a session's connections, as the report did
// from the sessions.
func sessionConnStats(s *timeline.Session, last time.Time) report.ConnStats {
	st := report.ConnStats{Connections: len(s.Connections)}
	var up time.Duration
	for _, c := range s.Connections {
		if c.Connected != nil {
			st.Connected++
		}
		st.UpAtLogStart = st.UpAtLogStart || c.Up == timeline.UpAtLogStart
		if d, ok := c.Uptime(last); ok {
			up += d
		}
		if c.Ended != nil && c.Ended.Status == dialect.StatusFailed {
			st.LinkLosses++
		}
	}
	st.UptimeMS = up.Milliseconds()
	if n := len(s.Connections); n > 0 {
		st.StillConnected = s.Connections[n-1].Connected != nil && s.Connections[n-1].Ended == nil
	}
	return st
}

func opLines(ops []*dialect.Op) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprint(&b, op.Lines, " ")
	}
	return b.String()
}

func compareLatency(t *testing.T, got, want *analyze.Latency) {
	t.Helper()
	if g, w := latencyText(got), latencyText(want); g != w {
		t.Errorf("latency:\n%s\nwant:\n%s", g, w)
	}
}

// latencyText is what the report's latency shows, as text.
func latencyText(l *analyze.Latency) string {
	var b strings.Builder
	for _, r := range l.Rows {
		fmt.Fprintf(&b, "%d %s %d %d %d %d %+v\n", r.Client, r.Op, r.Count, r.OK, r.Failed, r.Timeout, r.Samples.Summary())
	}
	for _, r := range l.Trips.Rows {
		fmt.Fprintf(&b, "trip %d %s %s %v %d %d %+v\n", r.Client, r.Dir, r.RequestTopic, r.ResponseTopics, r.Count, r.Answered, r.Samples.Summary())
	}
	for _, op := range l.Slowest {
		fmt.Fprintf(&b, "slowest %v\n", op.Lines)
	}
	return b.String()
}

// TestMain keeps the tests from leaving spills behind.
func TestMain(m *testing.M) {
	before := spills()
	code := m.Run()
	if after := spills(); code == 0 && after > before {
		fmt.Fprintf(os.Stderr, "%d report spills left in %s\n", after-before, os.TempDir())
		code = 1
	}
	os.Exit(code)
}

func spills() int {
	m, _ := filepath.Glob(filepath.Join(os.TempDir(), "atscope-report-*"))
	return len(m)
}
