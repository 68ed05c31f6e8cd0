package analyze

import (
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/redact"
)

const fixture = "testdata/open-fails.log"

// sources gives the fixture as every kind of source a command meets: a
// file, a .gz file, a reader that cannot seek (standard input), gzip on
// such a reader, and a FIFO.
func sources(t *testing.T) map[string]func() *Source {
	t.Helper()
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile(fixture + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	open := func(path string) func() *Source {
		return func() *Source {
			src, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			return src
		}
	}
	pipe := func(b []byte) func() *Source {
		return func() *Source { return FromReader(StdinName, io.MultiReader(bytes.NewReader(b))) }
	}
	out := map[string]func() *Source{
		"file": open(fixture), "gz file": open(fixture + ".gz"), "stdin": pipe(raw), "gzip on stdin": pipe(gz),
	}
	if fifo := filepath.Join(dir, "fifo"); mkfifo(fifo) == nil {
		out["fifo"] = func() *Source {
			go func() { // the writer: opening blocks until the reader opens
				if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					f.Write(raw)
					f.Close()
				}
			}()
			return open(fifo)()
		}
	}
	return out
}

// runWithin runs fn or fails the test after a while: a run that waits on
// a FIFO for a second reader never ends.
func runWithin(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not end")
	}
}

// TestQuotesFromEverySource: the lines findings quote are read back for
// every kind of source, the same as from the file, and the run ends.
func TestQuotesFromEverySource(t *testing.T) {
	var want map[int]string
	opt := Options{Format: "auto", Dialect: "auto", Findings: true, Quotes: true}
	for _, name := range []string{"file", "gz file", "stdin", "gzip on stdin", "fifo"} {
		mk, ok := sources(t)[name]
		if !ok {
			continue
		}
		var l *Log
		var err error
		runWithin(t, func() {
			src := mk()
			defer src.Close()
			l, err = Run(src, opt, Sinks{})
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(l.Findings) == 0 || len(l.Quotes) == 0 {
			t.Fatalf("%s: %d findings, %d quoted lines; want both", name, len(l.Findings), len(l.Quotes))
		}
		if want == nil {
			want = l.Quotes
			if !strings.Contains(want[1], "broker.example.net") {
				t.Fatalf("line 1 quoted as %q", want[1])
			}
		} else if !maps.Equal(l.Quotes, want) {
			t.Errorf("%s quotes %v, the file %v", name, l.Quotes, want)
		}
	}
}

// TestRedactedRunFromEverySource: with a redactor, every source is read
// twice (learn, then run) and the secret is hidden in the ops.
func TestRedactedRunFromEverySource(t *testing.T) {
	for name, mk := range sources(t) {
		red := redact.New(redact.All)
		var hosts []string
		var err error
		runWithin(t, func() {
			src := mk()
			defer src.Close()
			_, err = Run(src, Options{Format: "auto", Dialect: "auto", Redactor: red},
				Sinks{Op: func(op *dialect.Op) { hosts = append(hosts, op.Host) }})
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(hosts) == 0 || strings.Contains(strings.Join(hosts, " "), "broker.example.net") {
			t.Errorf("%s: hosts %q: want them redacted", name, hosts)
		}
	}
}

// TestSourceClosesItsCopy: the temporary copy of an unseekable source is
// gone after Close.
func TestSourceClosesItsCopy(t *testing.T) {
	src := FromReader(StdinName, strings.NewReader("AT\r\nOK\r\n"))
	if _, err := Run(src, Options{Format: "auto", Dialect: "auto", Quotes: true, Findings: true}, Sinks{}); err != nil {
		t.Fatal(err)
	}
	if src.spool == nil {
		t.Fatal("no copy was kept for a second read")
	}
	name := src.spool.Name()
	src.Close()
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("%s is still there after Close", name)
	}
}

// TestRunStopsOnSinkError: a sink's error ends the run with no Log.
func TestRunStopsOnSinkError(t *testing.T) {
	src, err := Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	stop := io.ErrShortWrite
	n := 0
	l, err := Run(src, Options{Format: "auto", Dialect: "auto"}, Sinks{Event: func(*decode.Event) error { n++; return stop }})
	if l != nil || err != stop || n != 1 {
		t.Errorf("Run = %v, %v after %d events; want nil, %v after 1", l, err, n, stop)
	}
}

func TestQuotedLines(t *testing.T) {
	for _, tc := range []struct {
		in, want []int
	}{
		{nil, nil},
		{[]int{4}, []int{4}},
		{[]int{1, 3}, []int{1, 2, 3}},
		{[]int{1, 4}, []int{1, 2, 3, 4}},
		{[]int{1, 5}, []int{1, 5}},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	} {
		if got := QuotedLines(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("QuotedLines(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
