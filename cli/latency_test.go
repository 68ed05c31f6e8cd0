package cli

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// latencyInRepo makes the repository the working directory, so that the samples
// are named as a user would name them, and returns this package's testdata.
func latencyInRepo(t *testing.T) string {
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("..")
	return testdata
}

func TestLatencyGolden(t *testing.T) {
	testdata := latencyInRepo(t)
	tests := []struct {
		golden string
		args   []string
	}{
		{"ec25-multiclient.txt", []string{"latency", "samples/ec25-multiclient.log"}},
		{"ec200-thingscloud-top.txt", []string{"latency", "--top", "3", "samples/ec200-thingscloud-sscom.log"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, out, errOut := run(t, false, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			path := filepath.Join(testdata, "latency", tt.golden)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if out != string(want) {
				t.Errorf("atscope %s: output differs from %s (go test -update rewrites it)\ngot:\n%s", strings.Join(tt.args, " "), path, out)
			}
		})
	}
}

// cmdLog is a QCOM log with known delays: open 500 ms, connect 200 ms,
// subscribe 100 ms, a command with id 42 answered 250 ms later by a
// publish acknowledged after 80 ms.
const cmdLog = `[2024-05-30 08:00:00:000_S:] AT+QMTOPEN=0,"mqtt.example.com",1883
[2024-05-30 08:00:00:000_R:] OK
[2024-05-30 08:00:00:500_R:] +QMTOPEN: 0,0
[2024-05-30 08:00:01:000_S:] AT+QMTCONN=0,"dev-0"
[2024-05-30 08:00:01:000_R:] OK
[2024-05-30 08:00:01:200_R:] +QMTCONN: 0,0,0
[2024-05-30 08:00:02:000_S:] AT+QMTSUB=0,1,"cmd/+",1
[2024-05-30 08:00:02:000_R:] OK
[2024-05-30 08:00:02:100_R:] +QMTSUB: 0,1,0,1
[2024-05-30 08:00:03:000_R:] +QMTRECV: 0,0,"cmd/42","{"id":42}"
[2024-05-30 08:00:03:250_S:] AT+QMTPUBEX=0,2,1,0,"ack/42",9
[2024-05-30 08:00:03:250_R:] >
[2024-05-30 08:00:03:250_S:] {"id":42}
[2024-05-30 08:00:03:250_R:] OK
[2024-05-30 08:00:03:330_R:] +QMTPUBEX: 0,2,0
`

func writeLatencyLog(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(text, "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLatencyJSON(t *testing.T) {
	path := writeLatencyLog(t, "cmd.log", cmdLog)
	code, out, errOut := run(t, false, "latency", "--json", "--top", "2", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if m["file"] != path {
			t.Errorf("file %v", m["file"])
		}
		delete(m, "file")
		got = append(got, m)
	}
	stat := func(kind, op string, n, ms float64) map[string]any {
		ok := 1.0
		if op == "uptime" {
			ok = 0
		}
		return map[string]any{"kind": kind, "client": 0.0, "op": op, "count": 1.0, "ok": ok, "failed": 0.0, "timeout": 0.0,
			"samples": n, "min_ms": ms, "p50_ms": ms, "p90_ms": ms, "p99_ms": ms, "max_ms": ms, "mean_ms": ms}
	}
	want := []map[string]any{
		stat("op", "open", 1, 500),
		stat("op", "connect", 1, 200),
		stat("op", "subscribe", 1, 100),
		stat("op", "publish", 1, 80),
		{"kind": "op", "client": 0.0, "op": "receive", "count": 1.0, "ok": 1.0, "failed": 0.0, "timeout": 0.0, "samples": 0.0},
		stat("connection", "open_to_connack", 1, 1200),
		stat("connection", "uptime", 1, 2130), // still up: neither ok nor failed
		{"kind": "roundtrip", "client": 0.0, "response_clients": []any{0.0}, "op": "receive-publish",
			"request_topic": "cmd/+", "response_topic": "ack/+", "matched_by": "json:id+topic-suffix",
			"count": 1.0, "ok": 1.0, "failed": 0.0, "timeout": 0.0, "unmatched": 0.0, "samples": 1.0,
			"min_ms": 250.0, "p50_ms": 250.0, "p90_ms": 250.0, "p99_ms": 250.0, "max_ms": 250.0, "mean_ms": 250.0},
	}
	if len(got) != len(want)+2 {
		t.Fatalf("%d records, want %d:\n%s", len(got), len(want)+2, out)
	}
	for i, w := range want {
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("record %d:\ngot  %v\nwant %v", i, got[i], w)
		}
	}
	for i, op := range []string{"open", "connect"} {
		r := got[len(want)+i]
		if r["kind"] != "slowest" || r["rank"] != float64(i+1) || r["op"] != op || r["lines"] == nil {
			t.Errorf("slowest %d: %v", i+1, r)
		}
	}
}

func TestLatencyCSV(t *testing.T) {
	path := writeLatencyLog(t, "cmd.log", cmdLog)
	empty := writeLatencyLog(t, "empty.log", "[2024-05-30 08:00:00:000_S:] AT\n[2024-05-30 08:00:00:010_R:] OK\n")
	code, out, errOut := run(t, false, "latency", "--csv", empty, path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recs[0], latencyCSVHeader) {
		t.Errorf("header %v", recs[0])
	}
	if len(recs) != 9 {
		t.Fatalf("%d records, want 9:\n%s", len(recs), out)
	}
	want := map[int]string{
		1: path + ",op,0,,open,,,,,1,1,0,0,,1,500,500,500,500,500,500",
		5: path + ",op,0,,receive,,,,,1,1,0,0,,0,,,,,,",
		8: path + ",roundtrip,0,0,receive-publish,,cmd/+,ack/+,json:id+topic-suffix,1,1,0,0,0,1,250,250,250,250,250,250",
	}
	for i, w := range want {
		if g := strings.Join(recs[i], ","); g != w {
			t.Errorf("record %d:\ngot  %s\nwant %s", i, g, w)
		}
	}

	// The header comes even when no log has a row.
	_, out, _ = run(t, false, "latency", "--csv", empty)
	if out != strings.Join(latencyCSVHeader, ",")+"\n" {
		t.Errorf("empty: %q", out)
	}
}

func TestLatencyNoTimestamps(t *testing.T) {
	latencyInRepo(t)
	code, out, errOut := run(t, false, "latency", "samples/ec20-manual-flow.log")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "the log has no timestamps: latencies cannot be measured") {
		t.Errorf("no plain statement:\n%s", out)
	}
	if strings.Contains(out, "ms") {
		t.Errorf("milliseconds shown:\n%s", out)
	}
	if !strings.Contains(out, "0\tpublish\t3\t3\t0\t0\n") {
		t.Errorf("counts missing:\n%s", out)
	}
}

func TestLatencyTerminal(t *testing.T) {
	latencyInRepo(t)
	t.Setenv("NO_COLOR", "1")
	_, out, _ := run(t, true, "latency", "--hist", "--by", "topic", "samples/ec25-multiclient.log")
	for _, want := range []string{
		" CLIENT  OP               TOPIC                 COUNT  OK  FAILED  TIMEOUT  MIN MS  P50 MS  P90 MS  P99 MS  MAX MS  MEAN MS\n",
		" 0       publish          fleet/ec25-7f3a/loop      8   8       0        0      97     141    5193    5193    5193    796.8\n",
		" CLIENT  ROUND TRIP       REQUEST TOPIC         RESPONSE TOPIC        MATCHED BY  COUNT  ANSWERED  UNMATCHED",
		"\nclient 0 publish \"fleet/ec25-7f3a/loop\" (8 samples)\n",
		"\n  5000–10000 ms  ██████████ 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestLatencyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"latency", "--json", "--csv", "x.log"},
		{"latency", "--by", "kind", "x.log"},
		{"latency", "--match-topic", "a/#/b=c", "x.log"},
		{"latency", "--match-topic", "nothing", "x.log"},
		{"latency", "--hist", "--json", "x.log"},
		{"latency", "--top", "3", "--csv", "x.log"},
		{"latency", "--top", "-1", "x.log"},
		{"latency"},
	} {
		if code, _, errOut := run(t, false, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, errOut)
		}
	}
}

func TestLatencyMatchTopic(t *testing.T) {
	path := writeLatencyLog(t, "rule.log", `[2024-05-30 08:00:00:000_S:] AT+QMTOPEN=0,"mqtt.example.com",1883
[2024-05-30 08:00:00:000_R:] OK
[2024-05-30 08:00:00:500_R:] +QMTOPEN: 0,0
[2024-05-30 08:00:01:000_S:] AT+QMTCONN=0,"dev-0"
[2024-05-30 08:00:01:000_R:] OK
[2024-05-30 08:00:01:200_R:] +QMTCONN: 0,0,0
[2024-05-30 08:00:02:000_S:] AT+QMTPUBEX=0,1,1,0,"up/0/q",2
[2024-05-30 08:00:02:000_R:] >
[2024-05-30 08:00:02:000_S:] Q1
[2024-05-30 08:00:02:000_R:] OK
[2024-05-30 08:00:02:050_R:] +QMTPUBEX: 0,1,0
[2024-05-30 08:00:02:700_R:] +QMTRECV: 0,0,"down/0/a","A1"
`)
	code, out, _ := run(t, false, "latency", "--csv", path)
	if code != 0 || strings.Contains(out, "roundtrip") || !strings.Contains(out, ",unpaired,0,,publish,") {
		t.Errorf("without a rule:\n%s", out)
	}
	code, out, _ = run(t, false, "latency", "--csv", "--match-topic", "up/+/q=down/+/a", path)
	if want := ",roundtrip,0,0,publish-receive,,up/+/q,down/+/a,match-topic,1,1,0,0,0,1,700,700,700,700,700,700"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("with a rule: want %s in\n%s", want, out)
	}
}

func TestReportLatencySection(t *testing.T) {
	latencyInRepo(t)
	code, out, errOut := run(t, false, "report", "samples/ec25-multiclient.log")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	i, j := strings.Index(out, "\nlatency\n"), strings.Index(out, "\ntimeline\n")
	if i < 0 || j < i {
		t.Fatalf("no latency section before the timeline:\n%s", out)
	}
	section := out[i:j]
	for _, want := range []string{
		"  client  op               timed  p50 ms  p90 ms  p99 ms  max ms\n",
		"  0       publish              8     141    5193    5193    5193\n",
		"  round trip 0 publish-receive fleet/ec25-7f3a/loop → fleet/ec25-7f3a/loop (loopback): 8 of 8 answered, p50 175 ms, max 260 ms\n",
		"  slowest:\n    1. 5193 ms  client 0 publish  samples/ec25-multiclient.log:68 (lines 68-71, 73, 75)\n",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("missing %q in\n%s", want, section)
		}
	}
	if n := strings.Count(section, "\n    ") - strings.Count(section, "\n       "); n != 3 {
		t.Errorf("%d slowest ops, want 3:\n%s", n, section)
	}

	_, out, _ = run(t, false, "report", "samples/ec20-manual-flow.log")
	if !strings.Contains(out, "\nlatency\n  the log has no timestamps: latencies cannot be measured\n") {
		t.Errorf("untimed report:\n%s", out)
	}
}
