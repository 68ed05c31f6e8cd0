package cli

import (
	"bytes"
	"strings"
	"testing"

	"atscope/timeline"
)

// run runs atscope with args as if on a terminal (or not) and returns the
// exit code, stdout and stderr.
func run(t *testing.T, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, Err: &errOut, IsTerminal: terminal}
	root := NewRootCmd(io)
	root.SetArgs(args)
	code := exitOK
	if err := root.Execute(); err != nil {
		code = exitFailure
		if _, ok := err.(usageError); ok {
			code = exitUsage
		}
	}
	return code, out.String(), errOut.String()
}

func TestTableOnTerminalAndPiped(t *testing.T) {
	_, piped, _ := run(t, false, "formats")
	if !strings.HasPrefix(piped, "format\tdescription\texample\n") {
		t.Errorf("piped output is not TSV with a header:\n%s", piped)
	}
	_, tty, _ := run(t, true, "formats")
	if strings.Contains(tty, "\t") || !strings.Contains(tty, "FORMAT") || !strings.Contains(tty, "sscom") {
		t.Errorf("terminal output is not an aligned table:\n%s", tty)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"events"}, "events needs at least one log file"},
		{[]string{"events", "--input-format", "x", "a.log"}, `unknown --input-format "x"`},
		{[]string{"timeline", "--dialect", "x", "a.log"}, `unknown dialect "x"`},
		{[]string{"timeline", "--color", "pink", "a.log"}, `unknown --color "pink"`},
		{[]string{"report", "--date", "yesterday", "a.log"}, `--date "yesterday": want YYYY-MM-DD`},
		{[]string{"events", "--no-such-flag", "a.log"}, "unknown flag: --no-such-flag"},
		{[]string{"evnts", "a.log"}, "unknown command \"evnts\" for \"atscope\"\n\nDid you mean this?\n\tevents\n\nRun 'atscope --help' for usage."},
		{[]string{"timeline", "--dialect", "quectl", "a.log"}, `did you mean "quectel"?`},
		{[]string{"events", "--input-format", "sscm", "a.log"}, `did you mean "sscom"?`},
		{[]string{"latency", "--by", "topics", "a.log"}, `did you mean "topic"?`},
		{[]string{"timeline", "--client", "x", "a.log"}, `want a client index`},
		{[]string{"redact", "--client", "0", "a.log"}, "--client: redact copies every client: --client means nothing here"},
		{[]string{"redact", "--json", "a.log"}, "--json: redact writes a copy of the log"},
		{[]string{"redact", "--color", "never", "a.log"}, "--color: redact writes a copy of the log"},
		{[]string{"pcap", "--json", "-o", "x.pcapng", "a.log"}, "--json: pcap writes a capture"},
	} {
		var out, errOut bytes.Buffer
		code := Main(tc.args, strings.NewReader(""), &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("atscope %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}

func TestColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	_, out, _ := run(t, false, "timeline", "--color", "always", "../samples/ec200-5s-window.log")
	if !strings.Contains(out, "\x1b[31mfailed\x1b[0m") {
		t.Errorf("--color always does not colour a failure:\n%s", out)
	}
	_, out, _ = run(t, true, "timeline", "../samples/ec200-5s-window.log")
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("a terminal gets no colour")
	}
	t.Setenv("NO_COLOR", "1")
	_, out, _ = run(t, true, "timeline", "../samples/ec200-5s-window.log")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("NO_COLOR is not honoured")
	}
}

func TestVisible(t *testing.T) {
	if got := timeline.Visible("a\r\nb\x1a\"é"); got != `a\r\nb\x1a"é` {
		t.Errorf("visible = %q", got)
	}
}

// TestCompletionOffersFlagValues: shell completion offers the values of
// the flags that take one of a list.
func TestCompletionOffersFlagValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"timeline", "--dialect", ""}, "quectel\n"},
		{[]string{"events", "--input-format", ""}, "sscom\n"},
		{[]string{"report", "--color", ""}, "never\n"},
		{[]string{"latency", "--by", ""}, "topic\n"},
	} {
		var out, errOut bytes.Buffer
		Main(append([]string{"__complete"}, tc.args...), strings.NewReader(""), &out, &errOut)
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("completing %v offers %q, want %q among them", tc.args, out.String(), tc.want)
		}
	}
}

// TestHelpShowsNoInternalDefaults: --help shows the defaults a user can
// type, never an internal marker (--client showed "default -2").
func TestHelpShowsNoInternalDefaults(t *testing.T) {
	root := NewRootCmd(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if u := c.Flags().FlagUsages(); strings.Contains(u, "(default -") {
			t.Errorf("%s --help shows a negative default:\n%s", c.Name(), u)
		}
	}
}

func TestDidYouMeanOnlyForTypos(t *testing.T) {
	for _, tc := range []struct {
		typed string
		want  string
	}{
		{"foo", ""}, // three letters, two edits from "ofono": no typo
		{"sscm", `; did you mean "sscom"?`},
		{"quectl", `; did you mean "quectel"?`},
		{"ssc", `; did you mean "sscom"?`}, // a prefix
	} {
		if got := didYouMean(tc.typed, []string{"ofono", "sscom", "quectel"}); got != tc.want {
			t.Errorf("didYouMean(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}
