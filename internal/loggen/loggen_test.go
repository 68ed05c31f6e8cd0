package loggen_test

import (
	"bytes"
	"fmt"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
	"atscope/timeline"
)

// TestLogs decodes a log of every dialect in every format: the dialect
// and format are recognised, nothing is unrecognised, every client
// connects, and every op ends well but the link losses the generator puts
// in (and the ops they abandon).
func TestLogs(t *testing.T) {
	for _, d := range loggen.Dialects {
		for _, f := range loggen.Formats {
			t.Run(d+"-"+f, func(t *testing.T) {
				opt := loggen.Options{Dialect: d, Format: f, Size: 600 << 10}
				data := loggen.Bytes(opt)
				if !bytes.Equal(data, loggen.Bytes(opt)) {
					t.Fatal("not deterministic")
				}
				if n := int64(len(data)); n < opt.Size || n > opt.Size+opt.Size/10 {
					t.Errorf("%d bytes for a size of %d", n, opt.Size)
				}
				checkLog(t, d, f, data)
			})
		}
	}
}

// decoded is a generated log read back: its format, dialect and sessions.
type decoded struct {
	format, dialect string
	sessions        []*timeline.Session
}

// decodeLog reads a generated log through the pipeline, failing t on
// lines not understood.
func decodeLog(t *testing.T, data []byte) decoded {
	t.Helper()
	cr, format, err := decode.Open(bytes.NewReader(data), "gen.log", "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder("gen.log", "auto")
	asm := timeline.NewAssembler()
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, asm.Add)
	}
	dec.Close(asm.Add)
	if st := tok.Stats(); st.Unrecognised > 0 || st.Problems > 0 || tok.Err() != nil {
		t.Errorf("%d unrecognised, %d with problems, error %v", st.Unrecognised, st.Problems, tok.Err())
	}
	d := decoded{format: format.Name, sessions: asm.Sessions()}
	if dl, _ := dec.Dialect(); dl != nil {
		d.dialect = dl.Name
	}
	return d
}

func checkLog(t *testing.T, wantDialect, wantFormat string, data []byte) {
	d := decodeLog(t, data)
	if d.format != wantFormat {
		t.Errorf("read as %s", d.format)
	}
	if d.dialect != wantDialect {
		t.Errorf("dialect %q", d.dialect)
	}
	losses, bad := 0, map[string]int{}
	clients := 0
	for _, s := range d.sessions {
		if s.Client == dialect.ModuleClient {
			continue
		}
		clients++
		if len(s.Connections) == 0 || s.Connections[0].Connected == nil {
			t.Errorf("client %d never connected", s.Client)
		}
		for _, op := range s.Ops {
			switch {
			case op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed:
				losses++
			case op.Status != dialect.StatusOK:
				bad[fmt.Sprintf("%s %s: %s", op.Kind, op.Status, op.Reason)]++
			}
		}
	}
	for what, n := range bad {
		if n > 3*losses { // a loss abandons what was still awaited: a few ops
			t.Errorf("%d ops %s (%d link losses)", n, what, losses)
		}
	}
	if clients == 0 {
		t.Error("no client")
	}
}

// TestOptions rejects what the generator cannot write.
func TestOptions(t *testing.T) {
	for _, opt := range []loggen.Options{{Dialect: "nokia"}, {Format: "csv"}, {Clients: 7}, {Dialect: "espat", Clients: 2}, {Clients: -1}, {Shape: "storm"}} {
		if opt.Validate() == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
	if err := (loggen.Options{}).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
