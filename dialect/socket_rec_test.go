package dialect

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"atscope/decode"
	"atscope/internal/mqttrec"
	"atscope/mqttstream"
)

// TestRecordedSessions decodes the logs internal/mqttrec rendered from a
// real paho/mosquitto session (SIM800, Quectel QISENDEX with direct push,
// ESP-AT) and checks that the socket machine finds exactly the packets the
// client sent and received, in order, on socket 0, and that auto detection
// picks the family's dialect.
func TestRecordedSessions(t *testing.T) {
	raw, err := os.ReadFile("../internal/mqttrec/testdata/paho-session.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec mqttrec.Recording
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	want := map[mqttstream.Dir][]mqttstream.Packet{}
	for _, dir := range []mqttstream.Dir{mqttstream.ToBroker, mqttstream.FromBroker} {
		s := mqttstream.NewStream(dir)
		s.Write(rec.Stream(dir))
		s.Close()
		want[dir] = s.Packets()
		if len(want[dir]) < 8 {
			t.Fatalf("the recording has %d packets %s", len(want[dir]), dir)
		}
	}
	for family, dialect := range map[string]string{"sim800": "simcom-cip", "quectel": "quectel-tcp", "espat": "espat-tcp"} {
		t.Run(family, func(t *testing.T) {
			file := "../internal/mqttrec/testdata/paho-session." + family + ".log"
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := map[mqttstream.Dir][]mqttstream.Packet{}
			tap := func(link int, p *mqttstream.Packet) {
				if link != 0 {
					t.Errorf("packet %s on socket %d", p.Kind, link)
				}
				got[p.Dir] = append(got[p.Dir], *p)
			}
			ops := runSockMachine(t, file, data, dialect, tap)
			for dir, w := range want {
				if !reflect.DeepEqual(got[dir], w) {
					t.Errorf("%s: %d packets, want %d\n got %+v\nwant %+v", dir, len(got[dir]), len(w), got[dir], w)
				}
			}
			for _, op := range ops {
				if op.Status != StatusOK || len(op.Notes) > 0 {
					t.Errorf("line %v: %s %s %s %s %v", op.Lines, op.Kind, op.Name, op.Status, op.Reason, op.NoteTexts())
				}
			}
			if _, dec := decodeOps(t, file, data, "auto"); dec.dialect == nil || dec.dialect.Name != dialect {
				t.Errorf("detected %s, want %s", dec.Describe(), dialect)
			}
		})
	}
}

// runSockMachine tokenizes a log with the socket hooks and runs a socket
// machine labelled dialect over it, with tap seeing every packet.
func runSockMachine(t testing.TB, file string, data []byte, dialect string, tap func(int, *mqttstream.Packet)) []*Op {
	t.Helper()
	hooks, err := HooksFor(dialect)
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newSockMachine(file, dialect)
	m.tap = tap
	var ops []*Op
	emit := func(op *Op) { ops = append(ops, op) }
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		m.Feed(&ev, emit)
	}
	m.Close(emit)
	return ops
}
