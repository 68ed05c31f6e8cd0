package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
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
		if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil {
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
	"events --client": "events are not yet attributed to clients",
	"pcap --json":     "writes a capture, not records",
	"redact --client": "the copy keeps every byte of every client",
	"redact --json":   "writes a copy of the log, not records",
	"redact --color":  "writes a copy of the log, byte for byte",
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
			switch has := c.Flags().Lookup(f[1]) != nil; {
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
	for _, cmd := range []string{"timeline", "latency", "diagnose"} {
		var out, errOut bytes.Buffer
		Main([]string{cmd, "--client", "5", sample}, strings.NewReader(""), &out, &errOut)
		if !strings.Contains(errOut.String(), "no client 5: the log has -1 (the module-wide context), 0, 1") {
			t.Errorf("%s --client 5: stderr %q", cmd, errOut.String())
		}
	}
}
