package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/dialect"
)

func TestParseBound(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Bound
		bad  bool
	}{
		{in: "+5m", want: Bound{After: 5 * time.Minute, Relative: true}},
		{in: "+90s", want: Bound{After: 90 * time.Second, Relative: true}},
		{in: "2024-05-30T09:23:10Z", want: Bound{At: time.Date(2024, 5, 30, 9, 23, 10, 0, time.UTC)}},
		{in: "2024-05-30 09:23:10.5", want: Bound{At: time.Date(2024, 5, 30, 9, 23, 10, 5e8, time.UTC)}},
		{in: "09:23:10", want: Bound{At: time.Date(0, 1, 1, 9, 23, 10, 0, time.UTC)}},
		{in: "+-5m", bad: true}, {in: "+5", bad: true}, {in: "yesterday", bad: true}, {in: "", bad: true},
	} {
		got, err := ParseBound(tc.in)
		if (err != nil) != tc.bad || !tc.bad && (!got.At.Equal(tc.want.At) || got.After != tc.want.After || got.Relative != tc.want.Relative) {
			t.Errorf("ParseBound(%q) = %+v, %v; want %+v (error: %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestParseLines(t *testing.T) {
	for _, tc := range []struct {
		in       string
		from, to int
		bad      bool
	}{
		{in: "500-900", from: 500, to: 900}, {in: "500-", from: 500}, {in: "-900", to: 900},
		{in: "7-7", from: 7, to: 7}, {in: "9-7", bad: true}, {in: "-", bad: true}, {in: "500", bad: true},
		{in: "0-5", bad: true}, {in: "a-b", bad: true},
	} {
		from, to, err := ParseLines(tc.in)
		if (err != nil) != tc.bad || from != tc.from || to != tc.to {
			t.Errorf("ParseLines(%q) = %d, %d, %v; want %d, %d (error: %v)", tc.in, from, to, err, tc.from, tc.to, tc.bad)
		}
	}
}

func TestParseOps(t *testing.T) {
	if got, err := ParseOps("publish, receive"); err != nil || len(got) != 2 || got[0].String() != "publish" {
		t.Errorf("ParseOps = %v, %v", got, err)
	}
	if _, err := ParseOps("publsh"); err == nil || !strings.Contains(err.Error(), `unknown op "publsh"`) {
		t.Errorf("a mistyped op gives %v", err)
	}
}

// filtered runs the fixture with f and returns the lines of its events and
// the kinds of its ops, and the Log.
func filtered(t *testing.T, f Filter) (lines []int, ops []string, l *Log) {
	t.Helper()
	src, err := Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	l, err = Run(src, Options{Format: "auto", Dialect: "auto", Findings: true, Filter: f}, Sinks{
		Event: func(ev *decode.Event) error { lines = append(lines, ev.Pos.Line); return nil },
		Op:    func(op *dialect.Op) { ops = append(ops, op.Kind.String()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines, ops, l
}

// TestFilter: the fixture opens (lines 1-3, 10:00:00-10:00:01.1) and
// fails to connect (lines 4-5, 10:00:02); each filter keeps its part of
// the events, ops and findings.
func TestFilter(t *testing.T) {
	for _, tc := range []struct {
		name     string
		f        Filter
		lines    string
		ops      string
		findings int
	}{
		{"none", Filter{}, "1 2 3 4 5", "open connect", 2},
		{"lines", Filter{FromLine: 4, ToLine: 5}, "4 5", "connect", 1},
		{"lines from", Filter{FromLine: 3}, "3 4 5", "connect", 2},
		{"op", Filter{Ops: []dialect.OpKind{dialect.OpKinds()[0]}}, "1 2 3 4 5", "open", 2},
		{"since +2s", Filter{Since: Bound{After: 2 * time.Second, Relative: true}}, "4 5", "connect", 1},
		{"until time of day", Filter{Until: Bound{At: time.Date(0, 1, 1, 10, 0, 1, 0, time.UTC)}}, "1 2", "open", 1},
	} {
		lines, ops, l := filtered(t, tc.f)
		if got := strings.Trim(fmt.Sprint(lines), "[]"); got != tc.lines {
			t.Errorf("%s: lines %s, want %s", tc.name, got, tc.lines)
		}
		if got := strings.Join(ops, " "); got != tc.ops {
			t.Errorf("%s: ops %q, want %q", tc.name, got, tc.ops)
		}
		if len(l.Findings) != tc.findings {
			t.Errorf("%s: %d findings, want %d", tc.name, len(l.Findings), tc.findings)
		}
	}
}

// TestTimeFilterOnUntimedLog: a time window over a log without timestamps
// keeps nothing and says why.
func TestTimeFilterOnUntimedLog(t *testing.T) {
	var warned []string
	src := FromReader("untimed.log", strings.NewReader("AT\r\nOK\r\n"))
	l, err := Run(src, Options{Format: "auto", Dialect: "auto", Filter: Filter{Since: Bound{Relative: true, After: time.Second}},
		Warn: func(s string) { warned = append(warned, s) }}, Sinks{Event: func(*decode.Event) error {
		t.Error("an event passed a time window over an untimed log")
		return nil
	}})
	if err != nil || len(l.Warnings) != 1 || len(warned) != 1 || !strings.HasPrefix(warned[0], "untimed.log: ") {
		t.Errorf("warnings %q, warned %q, err %v", l.Warnings, warned, err)
	}
}

// TestForcedDialectWithoutEvidence: a --dialect the log shows no
// operation of warns; the right one does not.
func TestForcedDialectWithoutEvidence(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		warns   bool
	}{{"simcom", true}, {"quectel", false}, {"auto", false}} {
		src, err := Open(fixture)
		if err != nil {
			t.Fatal(err)
		}
		l, err := Run(src, Options{Format: "auto", Dialect: tc.dialect}, Sinks{Op: func(*dialect.Op) {}})
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		if warned := len(l.Warnings) > 0; warned != tc.warns {
			t.Errorf("--dialect %s: warnings %q, want a warning: %v", tc.dialect, l.Warnings, tc.warns)
		}
	}
}

// TestFilterVerdicts: a verdict is of the whole log; in a window that does
// not hold the failure it dates, it says so instead of answering for lines
// outside the window. The fixture's verdict dates its failure at line 1
// (the open that failed, which the failed connect follows).
func TestFilterVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Filter
		want string
	}{
		{"none", Filter{}, "at 10:00:00 (L1)"},
		{"holding it", Filter{ToLine: 3}, "at 10:00:00 (L1)"},
		{"after it", Filter{FromLine: 4, ToLine: 5}, "no verdict in the window (the whole log's dates a failure at line 1)"},
		{"since +2s", Filter{Since: Bound{After: 2 * time.Second, Relative: true}}, "no verdict in the window"},
	} {
		_, _, l := filtered(t, tc.f)
		vs := l.Verdicts()
		if len(vs) != 1 || !strings.Contains(vs[0].String(), tc.want) {
			t.Errorf("%s: verdicts %v, want one saying %q", tc.name, vs, tc.want)
		}
	}
}
