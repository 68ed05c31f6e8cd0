package report

import (
	"strings"
	"testing"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// TestLineOpRoundTrip: an op read back from its short form renders as
// the op did, a long payload included; a form cut short is an error,
// never a panic.
func TestLineOpRoundTrip(t *testing.T) {
	at := time.Date(2024, 5, 30, 9, 0, 1, 234e6, time.FixedZone("CST", 8*3600))
	ops := []*dialect.Op{
		{Kind: dialect.OpPublish, Status: dialect.StatusOK, Start: at, End: at.Add(250 * time.Millisecond), Timed: true,
			Seqs: []int{4, 9}, Lines: []int{12, 13}, Topic: "a/b", QoS: 1, MsgID: 7, Retain: true, Retries: 2,
			Payload: strings.Repeat("温度 21°C ", 80), PayloadLen: -1, KeepAlive: -1},
		{Kind: dialect.OpSubscribe, Status: dialect.StatusFailed, Code: "0,2", Reason: "refused", Topics: []string{"x/#", "y"},
			Requested: []int{1, -1}, Granted: []int{0x80}, MsgID: 3, QoS: -1, PayloadLen: -1, KeepAlive: -1,
			Notes: []dialect.Note{{Text: "late"}}, Lines: []int{40}},
		{Kind: dialect.OpConnect, Status: dialect.StatusTimeout, Host: "h", Port: 8883, ClientID: "c", Username: "u",
			KeepAlive: 60, QoS: -1, MsgID: -1, PayloadLen: -1, TLS: true, Start: time.Date(0, 1, 1, 14, 17, 20, 0, time.UTC), Timed: true},
		{Kind: dialect.OpLink, Status: dialect.StatusFailed, Name: "+QMTSTAT", Code: "1", QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1},
	}
	for _, op := range ops {
		b := appendLineOp(nil, op)
		got, err := lineOp(b)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := timeline.OpLine(got, timeline.Style{}), timeline.OpLine(op, timeline.Style{}); g != w {
			t.Errorf("read back: %s\nwant:      %s", g, w)
		}
		for n := range len(b) {
			if _, err := lineOp(b[:n]); err == nil && n < len(b)-1 {
				t.Errorf("%s cut to %d of %d bytes: no error", op.Kind, n, len(b))
			}
		}
	}
}
