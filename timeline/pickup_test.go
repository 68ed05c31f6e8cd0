package timeline

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// sessionsOf decodes a Quectel log into the sessions of asm.
func sessionsOf(t *testing.T, path string, asm *Assembler) []*Session {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("quectel")
	cr, _, err := decode.Open(bytes.NewReader(data), path, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := dialect.NewDecoder(path, "quectel")
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, asm.Add)
	}
	dec.Close(asm.Add)
	return asm.Sessions()
}

// TestPickedUpConnections: a log that starts mid-session, and a connect
// whose result is not in the log followed by publishes the broker
// acknowledges, have connections up, and say how the log shows them
// (issue 14 point 7); a slim assembler cuts the same connections.
func TestPickedUpConnections(t *testing.T) {
	type conn struct {
		up        Up
		connected dialect.OpKind // Connected's kind
		opened    bool           // Opened is set
		ended     bool
	}
	for _, c := range []struct {
		log  string
		want []conn
	}{
		{"testdata/excerpt-up.log", []conn{{UpAtLogStart, dialect.OpPublish, false, true}}},
		{"testdata/connect-unanswered.log", []conn{{UpUnanswered, dialect.OpPublish, true, false}}},
	} {
		for _, asm := range []*Assembler{NewAssembler(), NewSlimAssembler()} {
			var got []conn
			for _, s := range sessionsOf(t, c.log, asm) {
				if s.Client != 0 {
					continue
				}
				for _, cn := range s.Connections {
					if cn.Connected == nil {
						t.Fatalf("%s (slim %v): a connection that never connected", c.log, asm.slim)
					}
					got = append(got, conn{cn.Up, cn.Connected.Kind, cn.Opened != nil, cn.Ended != nil})
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("%s (slim %v): connections %+v, want %+v", c.log, asm.slim, got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s (slim %v): connections %+v, want %+v", c.log, asm.slim, got, c.want)
				}
			}
		}
	}
}

// TestRenderPickedUp: the timeline says how the log shows a connection
// that has no connect of its own, before the op that shows it.
func TestRenderPickedUp(t *testing.T) {
	for log, want := range map[string]string{
		"testdata/excerpt-up.log":         "(connected when the log starts: no connect in the log, the broker answers here)\n  10:00:00.000 L1",
		"testdata/connect-unanswered.log": "(connected: the connect at line 4 shows no result, the broker answers here)\n  10:00:03.000 L6",
	} {
		for _, s := range sessionsOf(t, log, NewAssembler()) {
			if s.Client != 0 {
				continue
			}
			var b bytes.Buffer
			if err := Render(&b, s, Style{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: timeline lacks %q:\n%s", log, want, b.String())
			}
		}
	}
}
