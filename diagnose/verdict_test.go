package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// engineFor runs the pipeline over a testdata log and returns the engine.
func engineFor(t *testing.T, file string) *Engine {
	t.Helper()
	return engineAt(t, filepath.Join("testdata", file))
}

// engineAt runs the pipeline over the log at path.
func engineAt(t *testing.T, path string) *Engine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr, _, err := decode.Open(f, path, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder(path, "auto")
	e := New(path)
	for tok.Next() {
		ev := tok.Event()
		e.Event(&ev)
		dec.Feed(&ev, e.Op)
	}
	dec.Close(e.Op)
	return e
}

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // one piece per verdict line
	}{
		// the link loss the radio switch caused, not the publish that failed after it
		{"host-network-down.fire.log", []string{"client 0: dropped at L15: The host switched the radio off (AT+CFUN=0)"}},
		{"quectel-qmtconn.quiet.log", []string{"client 0: no problem found"}},
		{"keepalive.fire2.log", []string{"client 0: dropped at ", "lost its link when its keep-alive exchange failed"}},
		{"not-understood.fire2.log", []string{"the module: no problem found"}},
		// the refused password, not the "occupied" open after it nor the close after both
		{"verdict-consequence.log", []string{"client 0: could not connect at L7: ", "bad user name or password"}},
		// the first report of the loss, not the ping that failed after it
		{"verdict-linkloss.log", []string{"client 0: dropped at L19: +CMQTTCONNLOST: 0,1"}},
		{"verdict-connected.log", []string{"client 0: connect failed while connected at L10"}},
		// the host's close that ended the connection, caused by the unanswered PINGREQ before it
		{"keepalive-ping.fire.log", []string{"client 0: dropped at 09:00:26 (L25): client 0's PINGREQ got no PINGRESP"}},
		{"verdict-pending.log", []string{"client 0: never connected: the open at line 4 shows no result"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			checkVerdicts(t, engineFor(t, tc.file), tc.want)
		})
	}
}

// TestVerdictsOfSamples: the verdict names the root cause of the failing
// stretch, not its last consequence.
func TestVerdictsOfSamples(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"esp01s-cipmqtt-forum.log", []string{"client 0: could not connect at L42: ", "does not know AT+CIPMQTT*"}},
		{"esp8266-cipmqtt-arduino.log", []string{"client 0: could not connect at 18:13:20 (L34): ", "does not know AT+CIPMQTT*"}},
		{"bc26-huawei-qcom.log", []string{"client 0: publish failed at 15:21:07 (L61): ", "announced 512 payload bytes"}},
		{"a7670-cmqtt-ticket.log", []string{"client 0: dropped at L55: "}},
		{"ec25-multiclient.log", []string{"client 1: could not connect at 09:23:12 (L24): ", "bad user name or password"}},
		// "busy p..." has its own cause (the next heartbeat sent 20 ms after the
		// previous one, before its OK), not the over-long publish at L40: two
		// publishes worked between them
		{"esp8266-espat-ticket.log", []string{"client 0: publish failed at L55: ", "still processing the previous command"}},
		{"sim7080-sm-ticket.log", []string{"client 0: connect failed while connected at L41"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			checkVerdicts(t, engineAt(t, filepath.Join("..", "samples", tc.file)), tc.want)
		})
	}
}

// checkVerdicts fails unless e's verdict lines hold every piece of want.
func checkVerdicts(t *testing.T, e *Engine, want []string) {
	t.Helper()
	var got []string
	for _, v := range e.Verdicts() {
		got = append(got, v.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("verdicts %q lack %q", got, w)
		}
	}
}

func TestUnderstanding(t *testing.T) {
	for _, tc := range []struct {
		file       string
		understood bool
		hint       string
	}{
		{"not-understood.fire.log", false, "--dialect"},
		{"not-understood.fire2.log", false, "--input-format"},
		{"quectel-qmtconn.quiet.log", true, ""},
	} {
		u := engineFor(t, tc.file).Understanding()
		if u.Understood != tc.understood || !strings.Contains(u.Hint, tc.hint) {
			t.Errorf("%s: understood %v (want %v), hint %q (want %q)", tc.file, u.Understood, tc.understood, u.Hint, tc.hint)
		}
	}
}

// TestRanking: of two warnings, the one that explains the failure the log
// ends with comes first, though the other is earlier in the log.
func TestRanking(t *testing.T) {
	fs := engineFor(t, "ranking.log").Findings()
	if len(fs) < 2 || fs[0].Rule != idHostDown {
		t.Errorf("first finding is not %s: %v", idHostDown, titles(fs))
	}
}

// TestNotUnderstoodEmpty: an empty log's finding points at no line (it has
// no line 1) and gives its reason once, in the title.
func TestNotUnderstoodEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fs := engineAt(t, path).Findings()
	if len(fs) != 1 || fs[0].Rule != idNotUnderstood {
		t.Fatalf("findings %v, want one %s", titles(fs), idNotUnderstood)
	}
	f := fs[0]
	if len(f.Lines) != 0 {
		t.Errorf("lines %v, want none", f.Lines)
	}
	reason := strings.TrimPrefix(f.Title, "atscope did not understand this log: ")
	if strings.Contains(strings.ToLower(f.Explanation), strings.ToLower(reason)) {
		t.Errorf("explanation %q repeats the title's reason %q", f.Explanation, reason)
	}
}
