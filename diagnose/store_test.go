package diagnose

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"atscope/internal/loggen"
)

// boundedRun diagnoses a log with the engine's budget set to keep ops (0:
// the default).
func boundedRun(t *testing.T, path, format string, keep int) *Engine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, _, err := runEngine(f, path, format, keep)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestBoundedMatchesUnbounded runs every sample and constructed log, and
// generated logs of the shapes with many failures, with a budget of a few
// ops, which drops the middle of every client's ops, and holds what a gap
// may change: nothing when no client has one; else no failure class is
// lost (every finding of the full run has one of the same rule, client
// and title but its counts: see classOfFinding), findings only leave out
// (no rule or client appears that the full run does not have), and no
// claim of a failure not recovered from, or of a client that never
// connected, that the full run does not make.
func TestBoundedMatchesUnbounded(t *testing.T) {
	paths, _ := filepath.Glob("../samples/*.log")
	more, _ := filepath.Glob("testdata/*.log")
	paths = append(paths, more...)
	for _, shape := range []string{"reconnect", "findings"} {
		p := filepath.Join(t.TempDir(), shape+".log")
		if err := os.WriteFile(p, loggen.Bytes(loggen.Options{Size: 300 << 10, Shape: shape}), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, keep := range []int{1, 2, 3, 5} {
		gaps := 0
		for _, p := range paths {
			if compareBounded(t, p, keep) {
				gaps++
			}
		}
		if gaps < 6 {
			t.Errorf("keep %d: only %d logs had a gap: the bounded path is not exercised", keep, gaps)
		}
	}
}

// compareBounded runs log p unbounded and with a budget of keep ops, and
// reports whether a client had a gap.
func compareBounded(t *testing.T, p string, keep int) bool {
	full, small := boundedRun(t, p, "", 0), boundedRun(t, p, "", keep)
	ff, sf := full.Findings(), small.Findings()
	if !slices.ContainsFunc(sf, func(f Finding) bool { return f.Rule == idPartial }) {
		if !slices.EqualFunc(ff, sf, sameText) {
			t.Errorf("%s, keep %d: no gap, yet other findings:\n%v\n%v", p, keep, titles(ff), titles(sf))
		}
		return false
	}
	for _, f := range ff {
		if !slices.ContainsFunc(sf, func(g Finding) bool { return classOfFinding(g) == classOfFinding(f) }) {
			t.Errorf("%s, keep %d: the bounded run lost %s for %s: %s", p, keep, f.Rule, clientName(f.Client), f.Title)
		}
	}
	for _, f := range sf {
		if f.Rule != idPartial && !slices.ContainsFunc(ff, func(g Finding) bool { return g.Rule == f.Rule && g.Client == f.Client }) {
			t.Errorf("%s, keep %d: bounded run found %s for %s, the full run did not: %s", p, keep, f.Rule, clientName(f.Client), f.Title)
		}
		if strings.Contains(f.Explanation, noReconnect) && !slices.ContainsFunc(ff, func(g Finding) bool { return strings.Contains(g.Explanation, noReconnect) }) {
			t.Errorf("%s, keep %d: bounded run says %q, the full run does not: %s", p, keep, noReconnect, f.Title)
		}
		for _, m := range againAtLine.FindAllString(f.Explanation, -1) {
			if !slices.ContainsFunc(ff, func(g Finding) bool { return g.Client == f.Client && strings.Contains(g.Explanation, m) }) {
				t.Errorf("%s, keep %d: bounded run says %q, a reconnect the full run never names: %s", p, keep, m, f.Explanation)
			}
		}
	}
	fv := full.Verdicts()
	for _, v := range small.Verdicts() {
		i := slices.IndexFunc(fv, func(w Verdict) bool { return w.Client == v.Client })
		if i < 0 {
			t.Errorf("%s, keep %d: verdict for %s only in the bounded run", p, keep, clientName(v.Client))
			continue
		}
		w := fv[i]
		if v.Back == 0 && w.Back != 0 && v.Line >= w.Line || strings.HasPrefix(v.Outcome, "never connected") && !strings.HasPrefix(w.Outcome, "never connected") {
			t.Errorf("%s, keep %d: bounded verdict %q, full %q", p, keep, v, w)
		}
		if v.Line == w.Line && v.Cause == "" && w.Cause != "" {
			t.Errorf("%s, keep %d: bounded verdict %q says no finding explains it, the full run's does: %q", p, keep, v, w)
		}
		if v.Line == w.Line && v.Back != w.Back && (!v.BackBy || v.Back < w.Back) {
			t.Errorf("%s, keep %d: bounded verdict %q names another reconnect than the full run's %q", p, keep, v, w)
		}
	}
	return true
}

// classOfFinding is what a finding is about, whatever its counts: its
// rule, client and title without "(N times)"; the rules of one finding
// per client count in their titles.
func classOfFinding(f Finding) [3]string {
	switch f.Rule {
	case idPubackMissing, idRetransmission, idPartial:
		return [3]string{f.Rule, clientName(f.Client)}
	}
	return [3]string{f.Rule, clientName(f.Client), timesIn.ReplaceAllString(f.Title, "(N times)")}
}

var timesIn = regexp.MustCompile(`\(\d+ times\)`)

const noReconnect = "The log shows no successful reconnect after it."

// againAtLine is a reconnect a finding names as the very one.
var againAtLine = regexp.MustCompile(`connected again at line \d+\.`)

func sameText(a, b Finding) bool {
	return a.Rule == b.Rule && a.Title == b.Title && a.Explanation == b.Explanation && slices.Equal(a.Lines, b.Lines)
}

// TestWatchedConnectionStaysWhole: connects answered ERROR (which the
// command rule watches, so the engine keeps them) keep the open before
// them, the connect after them and the link loss that ended their
// connection, however small the budget: the connections of the kept ops
// are the log's.
func TestWatchedConnectionStaysWhole(t *testing.T) {
	e := boundedRun(t, "testdata/watched-episodes.log", "", 1)
	if e.r.gapOf(0) == nil {
		t.Fatal("no gap: the budget was not exercised")
	}
	kept := map[int]bool{}
	for _, op := range e.r.byClient[0] {
		kept[firstLineOf(op)] = true
	}
	for _, l := range []int{31, 40, 49, 58} { // the connects answered ERROR
		for _, want := range []int{l, l - 3, l + 2, l + 5} { // it, the open, the connect, the loss
			if !kept[want] {
				t.Errorf("the op of line %d, in the connection of the watched connect at line %d, was dropped", want, l)
			}
		}
	}
}

// TestFailingStretchThroughGap: a client that lost its link and then only
// failed to open again, past a long log's budget, has its verdict dated
// at that last loss, as the full run has, not at the first failure the
// engine kept at the end of the failing run (the dropped ops between are
// all failures, though the gap also holds connects that worked long
// before), and the loss keeps its "no successful reconnect": the engine
// keeps each client's latest link loss.
func TestFailingStretchThroughGap(t *testing.T) {
	var b strings.Builder
	line := 0
	say := func(s string) { b.WriteString(s + "\n"); line++ }
	for range 20 {
		say(`AT+QMTOPEN=0,"mqtt.example.com",1883`)
		say("OK")
		say("+QMTOPEN: 0,0")
		say(`AT+QMTCONN=0,"dev-001","user","secret"`)
		say("OK")
		say("+QMTCONN: 0,0,0")
		say("+QMTSTAT: 0,1")
	}
	firstFailedOpen := line + 1
	for range 30 {
		say(`AT+QMTOPEN=0,"mqtt.example.com",1883`)
		say("OK")
		say("+QMTOPEN: 0,3")
	}
	p := filepath.Join(t.TempDir(), "stretch.log")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	full := boundedRun(t, p, "", 0)
	want := full.Verdicts()
	if len(want) != 1 || want[0].Line != firstFailedOpen-1 || !hasText(full.Findings(), noReconnect) {
		t.Fatalf("the full run: verdict %v, want it at the last loss (line %d) and a finding saying %q", want, firstFailedOpen-1, noReconnect)
	}
	for _, keep := range []int{2, 3, 5} {
		e := boundedRun(t, p, "", keep)
		if e.r.gapOf(0) == nil {
			t.Fatalf("keep %d: no gap: the budget was not exercised", keep)
		}
		fs := e.Findings()
		if v := e.Verdicts(); len(v) != 1 || v[0].Line != want[0].Line {
			t.Errorf("keep %d: verdict %v, want it dated at the last loss, as the full run's %v", keep, v, want)
		}
		if !hasText(fs, noReconnect) {
			t.Errorf("keep %d: no finding says %q of the last loss:\n%v", keep, noReconnect, titles(fs))
		}
	}
}

func hasText(fs []Finding, s string) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return strings.Contains(f.Explanation, s) })
}

// TestLastLossReconnectKept: the reconnect right after a client's latest
// link loss stays with it, so a verdict names it as the first reconnect
// ("at", not "by ... or earlier"), however many clean sessions follow and
// are dropped.
func TestLastLossReconnectKept(t *testing.T) {
	var b strings.Builder
	say := func(s ...string) { b.WriteString(strings.Join(s, "\n") + "\n") }
	session := func() {
		say(`AT+QMTOPEN=0,"mqtt.example.com",1883`, "OK", "+QMTOPEN: 0,0")
		say(`AT+QMTCONN=0,"dev-001","user","secret"`, "OK", "+QMTCONN: 0,0,0")
	}
	for range 10 {
		session()
		say("+QMTSTAT: 0,1")
	}
	for range 40 {
		session()
		say("AT+QMTDISC=0", "OK", "+QMTDISC: 0,0")
	}
	p := filepath.Join(t.TempDir(), "lastloss.log")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := boundedRun(t, p, "", 0).Verdicts()
	if len(want) != 1 || want[0].Back == 0 {
		t.Fatalf("the full run's verdict %v names no reconnect", want)
	}
	for _, keep := range []int{2, 3, 5} {
		e := boundedRun(t, p, "", keep)
		if e.r.gapOf(0) == nil {
			t.Fatalf("keep %d: no gap: the budget was not exercised", keep)
		}
		e.Findings()
		if v := e.Verdicts(); len(v) != 1 || v[0].Line != want[0].Line || v[0].Back != want[0].Back || v[0].BackBy {
			t.Errorf("keep %d: verdict %v, want %v", keep, v, want)
		}
	}
}
