package dialect

import (
	"os"
	"testing"
)

// TestReconnectIsOneOp: a module's own reconnection is one connect op,
// marked Automatic, its attempts after the first as Retries, in every
// dialect whose table has the URCs (issue 14 point 8).
func TestReconnectIsOneOp(t *testing.T) {
	for _, c := range []struct {
		log     string
		retries []int // of the automatic connects, in order
	}{
		{"testdata/tencent/reconnect.log", []int{2, 0}},
		{"testdata/espat/reconnect.log", []int{0, 0}},
	} {
		data, err := os.ReadFile(c.log)
		if err != nil {
			t.Fatal(err)
		}
		ops, _ := decodeOps(t, c.log, data, "auto")
		var got []int
		for _, op := range ops {
			if op.Kind == OpConnect && op.Automatic {
				got = append(got, op.Retries)
			}
			if op.Kind == OpConnect && op.HasNote(NoteNotLogged) {
				t.Errorf("%s: line %d: a reconnection read as a connect whose command is not in the log", c.log, op.Lines[0])
			}
		}
		if len(got) != len(c.retries) {
			t.Fatalf("%s: automatic connects with retries %v, want %v", c.log, got, c.retries)
		}
		for i := range got {
			if got[i] != c.retries[i] {
				t.Errorf("%s: automatic connects with retries %v, want %v", c.log, got, c.retries)
			}
		}
	}
}

// TestReconnectTables: a dialect that reports reconnect attempts also
// reports their success.
func TestReconnectTables(t *testing.T) {
	for _, d := range All() {
		steps := map[ReconnectStep]bool{}
		for _, c := range d.Facts.Commands {
			if c.Reconnect != ReconnectNone && (!c.URC || c.Op != OpConnect) {
				t.Errorf("%s %s: a reconnect step on a row that is no connect URC", d.Name, c.Name)
			}
			steps[c.Reconnect] = true
		}
		if steps[ReconnectAttempt] && !steps[ReconnectDone] {
			t.Errorf("%s: reconnect attempts without a success URC", d.Name)
		}
	}
}
