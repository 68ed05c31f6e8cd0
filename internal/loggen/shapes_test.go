package loggen_test

import (
	"bytes"
	"testing"

	"atscope/dialect"
	"atscope/internal/loggen"
	"atscope/timeline"
)

// shapeCounts is what tells the shapes apart in a decoded log.
type shapeCounts struct {
	connections, clientIDs, ops, receives, topics, failed, unanswered int
}

func countShape(t *testing.T, data []byte) shapeCounts {
	t.Helper()
	sessions := decodeLog(t, data).sessions
	var n shapeCounts
	ids, topics := map[string]bool{}, map[string]bool{}
	for _, s := range sessions {
		n.connections += len(s.Connections)
		for _, op := range s.Ops {
			n.ops++
			switch {
			case op.Kind == dialect.OpConnect:
				ids[op.ClientID] = true
			case op.Kind == dialect.OpReceive:
				n.receives++
				topics[op.Topic] = true
			case op.Kind == dialect.OpPublish && op.Status == dialect.StatusFailed:
				n.failed++
			}
		}
	}
	for _, r := range timeline.FindRoundTrips(sessions, nil).Rows {
		n.unanswered += r.Unmatched()
	}
	n.clientIDs, n.topics = len(ids), len(topics)
	return n
}

// TestShapes checks that each shape has what it is named for, on 600 KB
// logs: reconnects and unanswered requests, receives on many topics, many
// client IDs, failed publishes; and that each is deterministic.
func TestShapes(t *testing.T) {
	for _, tc := range []struct {
		shape string
		ok    func(n shapeCounts) bool
	}{
		{"steady", func(n shapeCounts) bool { return n.connections < 20 && n.clientIDs == 6 && n.failed == 0 }},
		{"reconnect", func(n shapeCounts) bool { return n.connections > 40 && n.unanswered > 300 && n.topics > n.receives/3 }},
		{"urc", func(n shapeCounts) bool { return n.receives > n.ops*8/10 && n.topics > n.receives*9/10 }},
		{"clients", func(n shapeCounts) bool { return n.clientIDs > 150 && n.clientIDs == n.connections }},
		{"findings", func(n shapeCounts) bool { return n.failed > 200 && n.connections > 150 }},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			opt := loggen.Options{Shape: tc.shape, Size: 600 << 10}
			data := loggen.Bytes(opt)
			if !bytes.Equal(data, loggen.Bytes(opt)) {
				t.Fatal("not deterministic")
			}
			if n := countShape(t, data); !tc.ok(n) {
				t.Errorf("not the shape: %+v", n)
			}
		})
	}
}

// TestShapesOtherDialects: every shape is written in every dialect in a
// form the decoder reads whole (client IDs per session and failing
// publishes are Quectel's only).
func TestShapesOtherDialects(t *testing.T) {
	for _, d := range loggen.Dialects[1:] {
		for _, shape := range loggen.Shapes[1:] {
			t.Run(d+"-"+shape, func(t *testing.T) {
				got := decodeLog(t, loggen.Bytes(loggen.Options{Dialect: d, Shape: shape, Size: 200 << 10}))
				if got.dialect != d || len(got.sessions) == 0 {
					t.Errorf("dialect %q, %d sessions", got.dialect, len(got.sessions))
				}
			})
		}
	}
}
