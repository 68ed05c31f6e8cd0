package timeline

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"atscope/dialect"
)

// streamedLatency is the latency table of ops in log order as `atscope
// latency` builds it: connections cut as the ops come (ConnectionStream)
// and round trips found as they come, nothing kept.
func streamedLatency(ops []*dialect.Op, last time.Time, window time.Duration) ([]*LatencyRow, *RoundTrips) {
	t := NewLatencyTable(LatencyOptions{})
	rf := NewRoundTripFinder(nil)
	rf.SetWindow(window)
	cs := NewConnectionStream(func(file string, client int, c Connection, final bool) {
		t.AddConnection(file, client, c, final)
	})
	for _, op := range ops {
		cs.Add(op)
		t.AddOp(op)
		rf.Add(op)
	}
	cs.End()
	t.EndConnections(last)
	return t.Rows(), rf.Result()
}

// TestStreamedLatencyMatchesSessions: on every sample log and on both
// generated shapes, latency streamed (connections cut as ops come, round
// trips with the default window) gives the rows that the sessions of the
// whole log give, sample for sample.
func TestStreamedLatencyMatchesSessions(t *testing.T) {
	logs := map[string][]byte{
		"multiclient": genMultiClient(genTXRX, 4, 400<<10),
		"independent": genIndependent(600 << 10),
	}
	paths, _ := filepath.Glob("../samples/*")
	for _, p := range paths {
		if filepath.Ext(p) == ".md" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		logs[filepath.Base(p)] = data
	}
	for name, data := range logs {
		t.Run(name, func(t *testing.T) {
			sessions, last := decodeLogAs(t, name, data, "auto")
			want := Latencies(sessions, last, LatencyOptions{})
			wantTrips := FindRoundTrips(sessions, nil)
			got, gotTrips := streamedLatency(InLogOrder(sessions), last, DefaultWindow)
			if g, w := rowTexts(got), rowTexts(want); !slices.Equal(g, w) {
				t.Errorf("streamed rows:\n%s\nwant:\n%s", join(g), join(w))
			}
			if g, w := tripTexts(gotTrips.Rows), tripTexts(wantTrips.Rows); !slices.Equal(g, w) {
				t.Errorf("streamed round trips:\n%s\nwant:\n%s", join(g), join(w))
			}
		})
	}
}

func rowTexts(rows []*LatencyRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, rowText(r))
	}
	return out
}

func tripTexts(rows []*RoundTripRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, tripRowText(r))
	}
	return out
}

func join(lines []string) string {
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}
