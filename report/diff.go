package report

import (
	"slices"
	"strings"
	"unicode"

	"atscope/dialect"
	"atscope/timeline"
)

// Diff compares two logs of the same device, before and after a change
// (firmware, broker, APN): op counts, latency percentiles per op kind, and
// the findings that appeared or vanished. Clients are pooled: the same
// device may number its clients differently after the change.
type Diff struct {
	Before   Side          `json:"before"`
	After    Side          `json:"after"`
	Counts   []CountDiff   `json:"op_counts"`
	Latency  []LatencyDiff `json:"latency"`
	Appeared []Finding     `json:"findings_appeared"`
	Vanished []Finding     `json:"findings_vanished"`
	Kept     []Finding     `json:"findings_in_both"`
}

// Side is what a diff says of one log.
type Side struct {
	File     string   `json:"file"`
	Dialect  string   `json:"dialect"`
	Span     string   `json:"span"`
	Headline []string `json:"headline"`
	Timed    bool     `json:"timed"`
}

// CountDiff is how many ops of a kind ended with a status, before and after.
type CountDiff struct {
	Op     string `json:"op"`
	Status string `json:"status"`
	Before int    `json:"before"`
	After  int    `json:"after"`
}

// LatencyDiff is an op kind's latency before and after, in milliseconds;
// nil where a side has no timed op of the kind.
type LatencyDiff struct {
	Op     string      `json:"op"`
	Before Percentiles `json:"before"`
	After  Percentiles `json:"after"`
}

// Percentiles of one side.
type Percentiles struct {
	N   int      `json:"n"`
	P50 *float64 `json:"p50_ms,omitempty"`
	P90 *float64 `json:"p90_ms,omitempty"`
	P99 *float64 `json:"p99_ms,omitempty"`
	Max *float64 `json:"max_ms,omitempty"`
}

// Compare makes the diff of two reports.
func Compare(before, after *Report) *Diff {
	d := &Diff{Before: sideOf(before), After: sideOf(after)}
	d.Counts = countDiffs(pooledCounts(before), pooledCounts(after))
	d.Latency = latencyDiffs(pooledLatency(before), pooledLatency(after))
	d.Appeared, d.Vanished, d.Kept = findingDiffs(before.Findings, after.Findings)
	return d
}

func sideOf(r *Report) Side {
	return Side{File: r.File, Dialect: r.Dialect, Span: r.Span, Headline: r.Headline(), Timed: r.timed}
}

type countKey struct{ op, status string }

// pooledCounts counts every client's ops by kind and status.
func pooledCounts(r *Report) map[countKey]int {
	out := map[countKey]int{}
	for _, c := range r.OpCounts {
		out[countKey{c.Op, c.Status}] += c.N
	}
	return out
}

// countDiffs lists the counts of both sides in the order of op kinds and
// statuses.
func countDiffs(before, after map[countKey]int) []CountDiff {
	out := []CountDiff{}
	for _, k := range dialect.OpKinds() {
		for _, st := range dialect.Statuses() {
			key := countKey{k.String(), st.String()}
			if b, a := before[key], after[key]; b > 0 || a > 0 {
				out = append(out, CountDiff{Op: key.op, Status: key.status, Before: b, After: a})
			}
		}
	}
	return out
}

// pooledLatency is every client's op latencies by kind.
func pooledLatency(r *Report) map[string]*timeline.Samples {
	if r.ops == nil {
		return map[string]*timeline.Samples{}
	}
	return r.ops.pooled
}

func latencyDiffs(before, after map[string]*timeline.Samples) []LatencyDiff {
	out := []LatencyDiff{}
	for _, k := range dialect.OpKinds() {
		b, a := before[k.String()], after[k.String()]
		if b == nil && a == nil {
			continue
		}
		out = append(out, LatencyDiff{Op: k.String(), Before: percentilesOf(b), After: percentilesOf(a)})
	}
	return out
}

func percentilesOf(s *timeline.Samples) Percentiles {
	if s == nil || s.Len() == 0 {
		return Percentiles{}
	}
	sum := s.Summary()
	return Percentiles{N: sum.N, P50: msPtr(sum.P50), P90: msPtr(sum.P90), P99: msPtr(sum.P99), Max: msPtr(sum.Max)}
}

// findingDiffs sorts the findings into those only after, only before, and
// in both. Two findings are the same when their rule, severity and title
// agree with the numbers left out: a client index, a count or a time may
// differ between two logs of the same trouble.
func findingDiffs(before, after []Finding) (appeared, vanished, kept []Finding) {
	keys := func(fs []Finding) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = findingKey(f)
		}
		return out
	}
	bk, ak := keys(before), keys(after)
	appeared, vanished, kept = []Finding{}, []Finding{}, []Finding{}
	for i, f := range after {
		if slices.Contains(bk, ak[i]) {
			kept = append(kept, f)
		} else {
			appeared = append(appeared, f)
		}
	}
	for i, f := range before {
		if !slices.Contains(ak, bk[i]) {
			vanished = append(vanished, f)
		}
	}
	return appeared, vanished, kept
}

func findingKey(f Finding) string {
	title := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '#'
		}
		return r
	}, f.Title)
	return f.Rule + "\x00" + f.Severity + "\x00" + title
}
