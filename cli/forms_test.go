package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// tableCommands are the commands that print tables, with arguments.
var tableCommands = [][]string{
	{"dialects"}, {"formats"}, {"diagnose", "--list"},
	{"events", windowLog}, {"timeline", windowLog}, {"latency", windowLog}, {"diagnose", windowLog},
}

// TestEveryTableTakesJSONAndCSV: every command that prints a table prints
// JSON Lines with --json and CSV with --csv, each record as wide as the
// header, and refuses both at once.
func TestEveryTableTakesJSONAndCSV(t *testing.T) {
	for _, args := range tableCommands {
		name := strings.Join(args, " ")
		code, out, errOut := run(t, false, append(args, "--json")...)
		if code != exitOK || out == "" {
			t.Errorf("%s --json: exit %d, %d bytes: %s", name, code, len(out), errOut)
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Errorf("%s --json: %v in %q", name, err, line)
				break
			}
		}
		code, out, errOut = run(t, false, append(args, "--csv")...)
		records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if code != exitOK || err != nil || len(records) < 2 {
			t.Errorf("%s --csv: exit %d, %v, %d records: %s", name, code, err, len(records), errOut)
		}
		if code, _, _ := run(t, false, append(args, "--csv", "--json")...); code != exitUsage {
			t.Errorf("%s --csv --json: exit %d, want %d", name, code, exitUsage)
		}
	}
}

// TestCSVHasTheJSONFields: a command's CSV columns are its JSON fields.
func TestCSVHasTheJSONFields(t *testing.T) {
	for _, args := range [][]string{{"events", windowLog}, {"timeline", windowLog}, {"diagnose", windowLog}, {"diagnose", "--list"}} {
		_, out, _ := run(t, false, append(args, "--json")...)
		var first map[string]any
		if err := json.Unmarshal([]byte(firstRecord(out)), &first); err != nil {
			t.Fatal(err)
		}
		_, out, _ = run(t, false, append(args, "--csv")...)
		header, err := csv.NewReader(strings.NewReader(out)).Read()
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]bool{}
		for _, h := range header {
			cols[h] = true
		}
		for k := range first {
			if !cols[k] && k != "notes" {
				t.Errorf("%v: JSON field %q is not a CSV column", args, k)
			}
		}
	}
}

// firstRecord is the first JSON line of out that is a record of the
// command's table: diagnose --json puts a log's understanding and verdicts
// (no "id") before its findings, and its CSV has only the findings.
func firstRecord(out string) string {
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"verdict":`) && !strings.HasPrefix(l, `{"understanding":`) {
			return l
		}
	}
	return lines[0]
}

func TestRecordCSVCells(t *testing.T) {
	var b bytes.Buffer
	rc := newRecordCSV(&b, "s", "n", "f", "ok", "list", "missing")
	rc.write(map[string]any{"s": "a,b", "n": 3, "f": 2.5, "ok": true, "list": []int{1, 2}})
	rc.flush()
	if want := "s,n,f,ok,list,missing\n\"a,b\",3,2.5,true,1 2,\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// commonFlagExceptions are the README's common flags a log-reading command
// does not take, each with why. A flag listed here that the command takes
// fails the test too, so the list shrinks as the gaps close.
var commonFlagExceptions = map[string]string{
	"pcap --json":     "writes a capture, not records",
	"redact --client": "the copy keeps every byte of every client",
	"redact --json":   "writes a copy of the log, not records",
	"redact --color":  "writes a copy of the log, byte for byte",
}

// takesFlag says whether c takes flag name: a hidden flag is one it
// registers only to refuse (refuseFlags).
func takesFlag(c *cobra.Command, name string) bool {
	f := c.Flags().Lookup(name)
	return f != nil && !f.Hidden
}

// TestReadmeCommonFlags walks every command that reads logs against the
// README's list of common flags.
func TestReadmeCommonFlags(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README")
	}
	_, para, ok := strings.Cut(string(readme), "Common flags:")
	para, _, _ = strings.Cut(para, "Capture flags:")
	flags := regexp.MustCompile("`--([a-z-]+)").FindAllStringSubmatch(para, -1)
	if !ok || len(flags) < 5 {
		t.Fatalf("the README's common flags are not found: %q", para)
	}
	root := NewRootCmd(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if c.Flags().Lookup("input-format") == nil {
			continue // reads no logs
		}
		for _, f := range flags {
			key := c.Name() + " --" + f[1]
			why, excused := commonFlagExceptions[key]
			switch has := takesFlag(c, f[1]); {
			case !has && !excused:
				t.Errorf("%s: the README lists it as a common flag", key)
			case has && excused:
				t.Errorf("%s exists now: drop it from commonFlagExceptions (%s)", key, why)
			}
		}
	}
}

func TestEventsColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	_, out, _ := run(t, false, "events", "--color", "always", "../samples/bg96-damaged.log")
	if !strings.Contains(out, ansiRed+"ERROR"+ansiReset) {
		t.Errorf("--color always does not colour an ERROR result:\n%s", out)
	}
	_, out, _ = run(t, false, "events", "--color", "never", "../samples/bg96-damaged.log")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("--color never colours")
	}
}

// TestFiltersOnEveryLogCommand: every command that reads logs takes
// --since, --until, --lines and --op, and --client naming a client the log
// lacks says which it has.
func TestFiltersOnEveryLogCommand(t *testing.T) {
	const sample = "../samples/ec25-multiclient.log"
	root := NewRootCmd(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if c.Flags().Lookup("input-format") == nil {
			continue
		}
		for _, f := range []string{"since", "until", "lines", "op"} {
			if c.Flags().Lookup(f) == nil {
				t.Errorf("%s has no --%s", c.Name(), f)
			}
		}
	}
	_, all, _ := run(t, false, "timeline", sample)
	_, some, _ := run(t, false, "timeline", "--op", "publish", "--lines", "40-60", sample)
	if strings.Count(some, "publish") != 3 || strings.Contains(some, "receive") || len(some) >= len(all) {
		t.Errorf("--op publish --lines 40-60 shows:\n%s", some)
	}
	if code, _, errOut := run(t, false, "events", "--op", "publish", sample); code != exitUsage {
		t.Errorf("events --op: exit %d (%s), want a usage error: events have no op kind", code, errOut)
	}
	if code, _, errOut := run(t, false, "redact", "--lines", "1-5", sample); code != exitUsage {
		t.Errorf("redact --lines: exit %d (%s), want a usage error: the copy is the whole log", code, errOut)
	}
	for _, cmd := range []string{"timeline", "latency", "diagnose"} {
		var out, errOut bytes.Buffer
		Main([]string{cmd, "--client", "5", sample}, strings.NewReader(""), &out, &errOut)
		if !strings.Contains(errOut.String(), "no client 5: the log has -1 (the module-wide context), 0, 1") {
			t.Errorf("%s --client 5: stderr %q", cmd, errOut.String())
		}
	}
}

// TestReportJSON: report --json is one document per log that agrees with
// diagnose --json (findings) and latency --json (rows).
func TestReportJSON(t *testing.T) {
	const sample = "../samples/ec25-multiclient.log"
	code, out, errOut := run(t, false, "report", "--json", sample, windowLog)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	docs := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(docs) != 2 {
		t.Fatalf("%d documents for 2 logs", len(docs))
	}
	var doc struct {
		File     string           `json:"file"`
		Dialect  string           `json:"dialect"`
		Clients  []map[string]any `json:"clients"`
		Findings []map[string]any `json:"findings"`
		Latency  []map[string]any `json:"latency"`
	}
	if err := json.Unmarshal([]byte(docs[0]), &doc); err != nil {
		t.Fatal(err)
	}
	_, findings, _ := run(t, false, "diagnose", "--json", sample)
	_, latency, _ := run(t, false, "latency", "--json", sample)
	if doc.File != sample || doc.Dialect != "quectel" || len(doc.Clients) != 3 ||
		len(doc.Findings) != strings.Count(findings, `{"id":`) || len(doc.Latency) != strings.Count(latency, "\n") {
		t.Errorf("report --json: %s, %s, %d clients, %d findings (diagnose %d), %d latency rows (latency %d)", doc.File, doc.Dialect,
			len(doc.Clients), len(doc.Findings), strings.Count(findings, `{"id":`), len(doc.Latency), strings.Count(latency, "\n"))
	}
}

// TestProgressBar: with stderr a terminal, a log that takes longer than
// progressAfter gets a bar on stderr, cleared before the output, which is
// the same as without it.
func TestProgressBar(t *testing.T) {
	defer func(d time.Duration) { progressAfter = d }(progressAfter)
	progressAfter = 0
	const sample = "../samples/ec25-multiclient.log"
	_, plain, _ := run(t, false, "latency", sample)
	for _, args := range [][]string{{"latency", sample}, {"report", sample}} {
		var out, errOut bytes.Buffer
		root := NewRootCmd(&IO{In: strings.NewReader(""), Out: &out, Err: &errOut, ErrIsTerminal: true})
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		if args[0] == "latency" && out.String() != plain {
			t.Errorf("%v: the output changed with a progress bar", args)
		}
		if !strings.Contains(errOut.String(), sample) || !strings.Contains(errOut.String(), "%") {
			t.Errorf("%v: no progress bar on stderr: %q", args, errOut.String())
		}
	}
}

// TestEventsByClient: --client splits a log's events between its clients
// and the module-wide context, each event in exactly one.
func TestEventsByClient(t *testing.T) {
	const sample = "../samples/ec25-multiclient.log"
	_, all, _ := run(t, false, "events", "--json", sample)
	total := strings.Count(all, "\n")
	seen := map[string]bool{}
	for _, c := range []string{"-1", "0", "1"} {
		_, out, errOut := run(t, false, "events", "--json", "--client", c, sample)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if out == "" {
			t.Fatalf("--client %s: no events: %s", c, errOut)
		}
		for _, l := range lines {
			if seen[l] {
				t.Errorf("--client %s: %s shown for another client too", c, l)
			}
			seen[l] = true
		}
	}
	if len(seen) != total {
		t.Errorf("the clients' events are %d of %d", len(seen), total)
	}
}
