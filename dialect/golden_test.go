package dialect

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"atscope/decode"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dumpEvents tokenizes a log as atscope does (format sniffed, every
// dialect's hooks) and renders its events one per line.
func dumpEvents(t testing.TB, file string, data []byte) string {
	t.Helper()
	hooks, _ := HooksFor("auto")
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		e := tok.Event()
		dir := e.Dir.String()
		if e.DirInferred {
			dir += "?"
		}
		fmt.Fprintf(&b, "%d-%d\t%s\t%s\t%s\t%q", e.Pos.Line, e.EndLine, dir, e.Kind, e.Name, e.Text)
		if e.Note {
			b.WriteString("\tnote")
		}
		if e.Problem != "" {
			fmt.Fprintf(&b, "\t! %s", e.Problem)
		}
		b.WriteByte('\n')
	}
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSampleEvents keeps the events of every sample in a golden file, so
// that a tokenizer or reader change shows up as a readable diff.
func TestSampleEvents(t *testing.T) {
	samples, _ := filepath.Glob("../samples/*")
	for _, s := range samples {
		if filepath.Base(s) == "README.md" {
			continue
		}
		t.Run(filepath.Base(s), func(t *testing.T) {
			data, err := os.ReadFile(s)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata/samples", filepath.Base(s)+".events"), dumpEvents(t, s, data))
		})
	}
}

// decodeOps runs a log through the whole decode pipeline with --dialect
// name and returns its ops in log order and the decoder.
func decodeOps(t testing.TB, file string, data []byte, name string) ([]*Op, *Decoder) {
	t.Helper()
	hooks, err := HooksFor(name)
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := NewDecoder(file, name)
	if err != nil {
		t.Fatal(err)
	}
	var ops []*Op
	emit := func(op *Op) { ops = append(ops, op) }
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, emit)
	}
	dec.Close(emit)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Seqs[0] < ops[j].Seqs[0] })
	return ops, dec
}

// dumpOps renders ops one per line for golden files.
func dumpOps(ops []*Op) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "L%s\t%d\t%s\t%s\t%s", joinLines(op.Lines), op.Client, op.Kind, op.Name, op.Status)
		field := func(name string, v any) { fmt.Fprintf(&b, "\t%s=%v", name, v) }
		if op.Code != "" {
			field("code", op.Code)
		}
		if op.Reason != "" {
			field("reason", op.Reason)
		}
		if op.Host != "" || op.Port != 0 {
			field("host", fmt.Sprintf("%s:%d", op.Host, op.Port))
		}
		if op.TLS {
			field("tls", true)
		}
		if op.ClientID != "" {
			field("id", op.ClientID)
		}
		if op.Username != "" {
			field("user", op.Username)
		}
		if len(op.Topics) > 0 {
			field("topics", op.Topics)
		} else if op.Topic != "" {
			field("topic", op.Topic)
		}
		if op.QoS >= 0 {
			field("qos", op.QoS)
		}
		if len(op.Granted) > 0 {
			field("granted", op.Granted)
		}
		if op.Retain {
			field("retain", true)
		}
		if op.MsgID >= 0 {
			field("msgid", op.MsgID)
		}
		if op.Payload != "" || op.PayloadLen >= 0 {
			field("payload", fmt.Sprintf("%q/%d", op.Payload, op.PayloadLen))
		}
		if op.Retries > 0 {
			field("retries", op.Retries)
		}
		if op.KeepAlive >= 0 {
			field("keepalive", op.KeepAlive)
		}
		if d, ok := op.Latency(); ok {
			field("latency", d)
		}
		for _, n := range op.Notes {
			field("note", n.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func joinLines(lines []int) string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = fmt.Sprint(l)
	}
	return strings.Join(s, ",")
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
				g, w := "", ""
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				t.Fatalf("%s:%d differs (go test -update if intended)\n got: %s\nwant: %s", path, i+1, g, w)
			}
		}
	}
}

// TestGolden decodes every sample and every dialect test log with
// --dialect auto and compares the ops with the golden file beside it
// (testdata/samples/<sample>.ops for samples). A dialect test log under
// testdata/<dialect>/ must also be detected as that dialect.
func TestGolden(t *testing.T) {
	type tcase struct{ in, golden, want string }
	var cases []tcase
	samples, _ := filepath.Glob("../samples/*")
	for _, s := range samples {
		if filepath.Base(s) == "README.md" {
			continue
		}
		cases = append(cases, tcase{s, filepath.Join("testdata/samples", filepath.Base(s)+".ops"), ""})
	}
	for _, d := range All() {
		logs, _ := filepath.Glob(filepath.Join("testdata", d.Name, "*.log"))
		for _, l := range logs {
			cases = append(cases, tcase{l, strings.TrimSuffix(l, ".log") + ".ops", d.Name})
		}
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			data, err := os.ReadFile(c.in)
			if err != nil {
				t.Fatal(err)
			}
			ops, dec := decodeOps(t, c.in, data, "auto")
			if c.want != "" {
				if got, _ := dec.Dialect(); got == nil || got.Name != c.want {
					t.Errorf("detected %s, want %s", dec.Describe(), c.want)
				}
			}
			golden(t, c.golden, dumpOps(ops))
		})
	}
}

// TestDialectsDocumented checks every dialect says what it is and that
// names are unique and sorted.
func TestDialectsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range All() {
		if d.Name == "" || d.Doc == "" || d.Modules == "" || d.Evidence == nil || d.Hooks == nil || d.NewMachine == nil {
			t.Errorf("dialect %q lacks a field", d.Name)
		}
		if seen[d.Name] {
			t.Errorf("dialect %q registered twice", d.Name)
		}
		seen[d.Name] = true
	}
}
