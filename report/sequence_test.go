package report

import (
	"strings"
	"testing"

	"atscope/dialect"
)

// TestPackets: what an op put on the wire, as the pcap export sees it: a
// failure the module gave puts nothing there, the broker's refusal does,
// and an op without a result shows its request unanswered.
func TestPackets(t *testing.T) {
	op := func(kind dialect.OpKind, st dialect.Status, set func(*dialect.Op)) *dialect.Op {
		o := &dialect.Op{Client: 0, Kind: kind, Status: st, QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1}
		if set != nil {
			set(o)
		}
		return o
	}
	for _, tc := range []struct {
		name string
		op   *dialect.Op
		want string // pre | req | resp, "-" for none
	}{
		{"open ok", op(dialect.OpOpen, dialect.StatusOK, func(o *dialect.Op) { o.Host, o.Port = "b", 1883 }), "- | TCP connect b:1883 | TCP connected"},
		{"open refused by the module", op(dialect.OpOpen, dialect.StatusFailed, nil), "- | - | -"},
		{"connect refused by the broker", op(dialect.OpConnect, dialect.StatusFailed, func(o *dialect.Op) { o.HasConnack, o.Connack = true, 5 }), "- | CONNECT | ✗CONNACK return code 5"},
		{"connect rejected by the module", op(dialect.OpConnect, dialect.StatusFailed, nil), "- | - | -"},
		{"connect timed out", op(dialect.OpConnect, dialect.StatusTimeout, nil), "- | CONNECT | -"},
		{"subscribe refused", op(dialect.OpSubscribe, dialect.StatusFailed, func(o *dialect.Op) { o.Topics, o.Granted = []string{"t"}, []int{0x80} }), "- | SUBSCRIBE t | ✗SUBACK: refused (0x80)"},
		{"subscribe half refused is the module's", op(dialect.OpSubscribe, dialect.StatusFailed, func(o *dialect.Op) { o.Topics, o.Granted = []string{"t", "u"}, []int{0x80, 1} }), "- | - | -"},
		{"publish qos 1", op(dialect.OpPublish, dialect.StatusOK, func(o *dialect.Op) { o.Topic, o.QoS = "t", 1 }), "- | PUBLISH t qos 1 | PUBACK"},
		{"publish qos 0", op(dialect.OpPublish, dialect.StatusOK, func(o *dialect.Op) { o.Topic, o.QoS = "t", 0 }), "- | PUBLISH t qos 0 | -"},
		{"publish failed", op(dialect.OpPublish, dialect.StatusFailed, func(o *dialect.Op) { o.Topic = "t" }), "- | - | -"},
		{"receive", op(dialect.OpReceive, dialect.StatusOK, func(o *dialect.Op) { o.Topic = "t" }), "PUBLISH t | - | -"},
		{"link lost", op(dialect.OpLink, dialect.StatusFailed, nil), "✗connection lost | - | -"},
		{"module reset", op(dialect.OpLink, dialect.StatusFailed, func(o *dialect.Op) { o.Client = dialect.ModuleClient }), "- | - | -"},
	} {
		pre, req, resp := packets(tc.op)
		var got []string
		for _, m := range []*Message{pre, req, resp} {
			switch {
			case m == nil:
				got = append(got, "-")
			case m.Failed:
				got = append(got, "✗"+m.Text)
			default:
				got = append(got, m.Text)
			}
		}
		if s := strings.Join(got, " | "); s != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, s, tc.want)
		}
	}
}
