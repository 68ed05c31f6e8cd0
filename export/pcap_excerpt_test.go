package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atscope/dialect"
)

// TestPcapExcerpt: a log that starts mid-session (publishes and receives
// with no open or connect before them) gives the stream picked up mid-way,
// without handshake, its first packet saying so; it once gave 0 packets,
// every op "outside a connection". The logs are in testdata/excerpt (the
// tshark test reads them too).
func TestPcapExcerpt(t *testing.T) {
	for _, c := range []struct {
		log  string
		want []string
	}{
		{"quectel-mid-session.log", []string{
			`← PUBLISH qos0 "devices/gw-17/cmd"`,
			`→ PUBLISH qos1 id=1 "devices/gw-17/telemetry"`, "← PUBACK id=1",
			"→ SUBSCRIBE id=2", "← SUBACK id=2 01",
			`← PUBLISH qos1 id=3 "devices/gw-17/ota"`, "→ PUBACK id=3",
			`→ PUBLISH qos0 "devices/gw-17/status"`,
			"→ DISCONNECT", "→ FIN,ACK", "← FIN,ACK",
		}},
		{"simcom-mid-session-raw.log", []string{ // no times; the link lost at the end
			`← PUBLISH qos0 "site/pump-3/control"`,
			`→ PUBLISH qos1 id=1 "site/pump-3/state"`, "← PUBACK id=1",
			"← FIN,ACK", "→ FIN,ACK",
		}},
	} {
		t.Run(c.log, func(t *testing.T) {
			name := "testdata/excerpt/" + c.log
			data, err := os.ReadFile(filepath.FromSlash(name))
			if err != nil {
				t.Fatal(err)
			}
			capture, stats := export(t, false, name, decodeSessions(t, name, data))
			_, pkts := readCapture(t, capture)
			checkTCP(t, pkts)
			if got := flow(pkts, false); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("flow:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if stats.Connections != 1 || stats.Skipped[skipNoConn] != 0 {
				t.Errorf("stats %+v: want 1 connection, nothing outside it", stats)
			}
			if len(pkts) == 0 || pkts[0].syn || !strings.Contains(pkts[0].comment, "[the connection was up when the log starts: "+pickedUpNote) {
				t.Fatalf("the first packet does not say the stream is picked up mid-way")
			}
			for _, p := range pkts[1:] {
				if strings.Contains(p.comment, pickedUpNote) && len(p.payload) > 0 {
					t.Errorf("packet %d repeats the note: %q", p.n, p.comment)
				}
			}
		})
	}
}

// TestPcapPickUp: which first ops show a connection up before the log,
// and that an open or connect with an outcome, or a failed op, does not.
func TestPcapPickUp(t *testing.T) {
	ok, failed, unknown := dialect.StatusOK, dialect.StatusFailed, dialect.StatusUnknown
	recv := func(st dialect.Status) *dialect.Op {
		return with(mk(0, 10, dialect.OpReceive, "r", st), func(o *dialect.Op) { o.Topic = "t" })
	}
	pub := func(st dialect.Status) *dialect.Op {
		return with(mk(0, 20, dialect.OpPublish, "p", st), func(o *dialect.Op) { o.Topic, o.QoS = "t", 1 })
	}
	for _, c := range []struct {
		name  string
		ops   []*dialect.Op
		conns int
		note  string // in the first packet's comment
	}{
		{"receive", []*dialect.Op{recv(ok)}, 1, "[the connection was up when the log starts: "},
		{"after a connect without outcome", []*dialect.Op{mk(0, 1, dialect.OpConnect, "c", unknown), recv(ok)}, 1,
			"[the connect at line 1 shows no outcome, but the connection was up here: "},
		{"acknowledged publish", []*dialect.Op{pub(ok)}, 1, ""},
		{"publish without outcome", []*dialect.Op{pub(unknown)}, 0, ""},
		{"refused publish", []*dialect.Op{pub(failed)}, 0, ""},
		{"after a failed connect", []*dialect.Op{mk(0, 1, dialect.OpConnect, "c", failed), recv(ok), pub(ok)}, 0, ""},
		{"disconnect", []*dialect.Op{mk(0, 30, dialect.OpDisconnect, "d", ok)}, 1, ""},
		{"then a new session", []*dialect.Op{recv(ok), with(mk(0, 40, dialect.OpConnect, "c", ok), func(o *dialect.Op) { o.Host = "10.0.0.1" })}, 2, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, stats := export(t, false, "t.log", sessionsOf(c.ops...))
			_, pkts := readCapture(t, data)
			checkTCP(t, pkts)
			if stats.Connections != c.conns {
				t.Errorf("%d connections, want %d: %v", stats.Connections, c.conns, flow(pkts, true))
			}
			if c.note != "" && (len(pkts) == 0 || !strings.Contains(pkts[0].comment, c.note)) {
				t.Errorf("the first packet's comment does not say %q", c.note)
			}
		})
	}
}
