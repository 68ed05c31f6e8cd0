package cli

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/export"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

// latencyOptions are the flags of `atscope latency`.
type latencyOptions struct {
	sessionOptions
	by         string
	top        int
	hist       bool
	matchTopic []string
	window     time.Duration

	rules []timeline.TopicRule // parsed --match-topic
}

func newLatencyCmd(io *IO) *cobra.Command {
	opts := &latencyOptions{}
	cmd := &cobra.Command{
		Use:   "latency <log>...",
		Short: "Latency per client and operation, round trips, and the slowest operations",
		Long: `Show how long each kind of MQTT operation took, per client: count, how many
ended ok, failed or timed out, and the minimum, 50th, 90th and 99th percentile
(nearest rank, exact), maximum and mean time in milliseconds from the request
(a publish's payload, once the module took it) to its result. Two more rows per
client: open_to_connack (network open to CONNACK) and uptime (CONNACK to the
close, link loss or end of the log).

Round trips pair messages without help: a publish that comes back on a
subscribed topic with the same payload (loopback, across the clients of one
log too), and requests and answers that carry the same id (a JSON id field
such as id, msgid, mid or requestId, or the last topic level, as in
command/send/1001 → command/reply/1001). --match-topic REQ=RESP pairs a
request topic filter with an answer topic filter explicitly. Unanswered
requests are counted as unmatched, other messages as unpaired.

A log without timestamps shows counts only.`,
		Example: `  atscope latency samples/ec25-multiclient.log
  atscope latency --by topic --top 5 samples/ec600s-aliyun-qcom.log
  atscope latency --match-topic 'dev/+/rpc/req=dev/+/rpc/resp' device.log
  atscope latency --json samples/*.log | jq 'select(.op=="publish") | .p99_ms'`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return latencyRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print JSON Lines, one object per row")
	f.BoolVar(&opts.csv, "csv", false, "print CSV with a header line, one record per row")
	f.StringVar(&opts.by, "by", "op", "group by op (client and op kind) or by topic as well")
	completeValues(cmd, "by", "op", "topic")
	f.IntVar(&opts.top, "top", 0, "list the `N` slowest operations with their lines")
	f.BoolVar(&opts.hist, "hist", false, "draw a text histogram of each latency distribution")
	f.DurationVar(&opts.window, "window", timeline.DefaultWindow, "count a request unanswered after `DURATION` of log time without its answer (0: until the log ends)")
	f.StringArrayVar(&opts.matchTopic, "match-topic", nil, "pair requests on topic filter `REQ` with answers on filter RESP (REQ=RESP; repeatable)")
	return cmd
}

func (o *latencyOptions) validate() error {
	switch o.by {
	case "op", "topic":
	default:
		return usagef("unknown --by %q: want op or topic%s", o.by, didYouMean(o.by, []string{"op", "topic"}))
	}
	if o.json && o.csv {
		return usagef("--json and --csv exclude each other")
	}
	if o.top < 0 {
		return usagef("--top %d: want a positive number", o.top)
	}
	if o.window < 0 {
		return usagef("--window %v: want a positive duration, or 0", o.window)
	}
	if o.csv && o.top > 0 {
		return usagef("--top does not fit the CSV columns: use --json or the table")
	}
	if o.hist && (o.json || o.csv) {
		return usagef("--hist draws on the table output: leave out --json and --csv")
	}
	o.rules = nil
	for _, s := range o.matchTopic {
		r, err := timeline.ParseTopicRule(s)
		if err != nil {
			return usagef("--match-topic %v", err)
		}
		o.rules = append(o.rules, r)
	}
	return nil
}

// latencyOptions is the options of the pipeline's latency for the flags.
func (o *latencyOptions) latencyOptions() analyze.LatencyOptions {
	return analyze.LatencyOptions{ByTopic: o.by == "topic", Rules: o.rules, Top: o.top, Client: o.wants,
		Window: cmp.Or(o.window, -1)} // 0 (until the log ends) is negative there
}

func latencyRun(io *IO, opts *latencyOptions, paths []string) error {
	if err := opts.validate(); err != nil {
		return err
	}
	if _, err := colorOn(io, opts.color); err != nil {
		return err
	}
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	color, _ := colorOn(io, opts.color)
	st := timeline.Style{Color: color}
	var cw *csv.Writer
	if opts.csv {
		cw = csv.NewWriter(out)
		if err := cw.Write(latencyCSVHeader); err != nil {
			return err
		}
		cw.Flush() // the header comes even when no log can be read
	}
	first := true
	work := func(src *analyze.Source, opt analyze.Options) (*analyze.Latency, bool, error) {
		res, err := analyze.RunLatency(src, opt, opts.latencyOptions())
		if res != nil {
			if note := opts.client.missing(res.File, res.Clients); note != "" {
				opt.Warn(note)
			}
		}
		return res, res != nil, err
	}
	return eachLogParallel(io, paths, &opts.input, work, func(res *analyze.Latency) error {
		switch {
		case opts.json:
			return writeLatencyJSON(out, res)
		case opts.csv:
			for _, rec := range latencyRecords(res) {
				if err := cw.Write(rec.csv()); err != nil {
					return err
				}
			}
			cw.Flush()
			return cw.Error()
		}
		if !first {
			fmt.Fprintln(out)
		}
		first = false
		return writeLatencyTables(&IO{Out: out, IsTerminal: io.IsTerminal}, res, opts, st)
	})
}

// writeLatencyTables writes one log's tables: per client and op kind (and
// topic), round trips, unpaired messages, histograms and slowest ops.
func writeLatencyTables(tio *IO, res *analyze.Latency, opts *latencyOptions, st timeline.Style) error {
	w := tio.Out
	fmt.Fprintf(w, "%s\n", bold(st, res.File))
	if len(res.Rows) == 0 {
		fmt.Fprintln(w, "  no MQTT operations")
		return nil
	}
	if !res.Timed {
		fmt.Fprintln(w, "  the log has no timestamps: latencies cannot be measured, so only the counts are shown")
	}
	byTopic := opts.by == "topic"
	header := []string{"client", "op"}
	if byTopic {
		header = append(header, "topic")
	}
	header = append(header, "count", "ok", "failed", "timeout")
	if res.Timed {
		header = append(header, msColumns...)
	}
	t := newTable(tio, header...)
	for _, r := range res.Rows {
		cells := []string{clientName(r.Client), r.Op}
		if byTopic {
			cells = append(cells, dash(r.Topic))
		}
		cells = append(cells, itoa(r.Count), itoa(r.OK), itoa(r.Failed), itoa(r.Timeout))
		if res.Timed {
			cells = append(cells, msCells(r.Samples.Summary())...)
		}
		if err := t.row(cells...); err != nil {
			return err
		}
	}
	if err := t.alignNumbersFrom("count").flush(); err != nil {
		return err
	}

	if len(res.Trips.Rows) > 0 {
		fmt.Fprintf(w, "\n%s\n", bold(st, "round trips"))
		header := []string{"client", "round trip", "request topic", "response topic", "matched by", "count", "answered", "unmatched"}
		if res.Timed {
			header = append(header, msColumns...)
		}
		t := newTable(tio, header...)
		for _, r := range res.Trips.Rows {
			cells := []string{tripClients(r), r.Dir, r.RequestTopic, dash(strings.Join(r.ResponseTopics, ", ")),
				dash(strings.Join(r.MatchedBy, ", ")), itoa(r.Count), itoa(r.Answered), itoa(r.Unmatched())}
			if res.Timed {
				cells = append(cells, msCells(r.Samples.Summary())...)
			}
			if err := t.row(cells...); err != nil {
				return err
			}
		}
		if err := t.alignNumbersFrom("count").flush(); err != nil {
			return err
		}
	}
	if len(res.Trips.Unpaired) > 0 {
		fmt.Fprintf(w, "\nnot in a round trip: %s\n", unpairedSummary(res.Trips.Unpaired))
	}

	if opts.hist && res.Timed {
		writeHistograms(w, res, tio.IsTerminal, byTopic)
	}
	if opts.top > 0 {
		fmt.Fprintf(w, "\n%s\n", bold(st, "slowest operations"))
		writeSlowest(w, res, st, "  ")
	}
	return nil
}

var msColumns = []string{"min ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms"}

func msCells(s timeline.Summary) []string {
	if s.N == 0 {
		return []string{"-", "-", "-", "-", "-", "-"}
	}
	return []string{fmtMS(s.Min), fmtMS(s.P50), fmtMS(s.P90), fmtMS(s.P99), fmtMS(s.Max), fmtMS(s.Mean)}
}

// fmtMS renders a duration in milliseconds for a table, to 0.1 ms.
func fmtMS(d time.Duration) string {
	return strconv.FormatFloat(math.Round(float64(d)/1e5)/10, 'f', -1, 64)
}

// millis is a duration in milliseconds for JSON and CSV, to the microsecond.
func millis(d time.Duration) float64 {
	return math.Round(float64(d)/1e3) / 1e3
}

func clientName(c int) string {
	if c == dialect.ModuleClient {
		return "module"
	}
	return strconv.Itoa(c)
}

// tripClients is "0" when client 0 answered its own requests, "0→1" when
// another client did.
func tripClients(r *timeline.RoundTripRow) string {
	s := clientName(r.Client)
	if len(r.ResponseClients) == 0 || (len(r.ResponseClients) == 1 && r.ResponseClients[0] == r.Client) {
		return s
	}
	var to []string
	for _, c := range r.ResponseClients {
		to = append(to, clientName(c))
	}
	return s + "→" + strings.Join(to, ",")
}

func unpairedSummary(ups []timeline.Unpaired) string {
	var parts []string
	for i := 0; i < len(ups); {
		c := ups[i].Client
		var counts []string
		for ; i < len(ups) && ups[i].Client == c; i++ {
			many := ups[i].Op + "s"
			if strings.HasSuffix(ups[i].Op, "sh") {
				many = ups[i].Op + "es" // publishes
			}
			counts = append(counts, plural(ups[i].Count, ups[i].Op, many))
		}
		name := "client " + clientName(c)
		if c == dialect.ModuleClient {
			name = "module"
		}
		parts = append(parts, name+": "+strings.Join(counts, ", "))
	}
	return strings.Join(parts, " · ")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// writeHistograms draws each distribution with at least two samples.
func writeHistograms(w io.Writer, res *analyze.Latency, terminal, byTopic bool) {
	bar := "#"
	if terminal {
		bar = "█"
	}
	draw := func(title string, s *timeline.Samples) {
		if s.Len() < 2 {
			return
		}
		fmt.Fprintf(w, "\n%s (%s)\n", title, plural(s.Len(), "sample"))
		buckets := s.Histogram()
		most := 0
		for _, b := range buckets {
			most = max(most, b.N)
		}
		labels := make([]string, len(buckets))
		width := 0
		for i, b := range buckets {
			labels[i] = fmt.Sprintf("%s–%s ms", fmtMS(b.Lo), fmtMS(b.Hi))
			width = max(width, len([]rune(labels[i])))
		}
		for i, b := range buckets {
			n := (b.N*40 + most - 1) / most
			fmt.Fprintf(w, "  %*s  %s %d\n", width, labels[i], strings.Repeat(bar, n), b.N)
		}
	}
	for _, r := range res.Rows {
		title := "client " + clientName(r.Client)
		if r.Client == dialect.ModuleClient {
			title = "module"
		}
		title += " " + r.Op
		if byTopic && r.Topic != "" {
			title += " " + strconv.Quote(r.Topic)
		}
		draw(title, &r.Samples)
	}
	for _, r := range res.Trips.Rows {
		draw(fmt.Sprintf("round trip %s %s %s", tripClients(r), r.Dir, r.RequestTopic), &r.Samples)
	}
}

// writeSlowest lists the slowest ops, each with where to find it and its
// timeline line.
func writeSlowest(w io.Writer, res *analyze.Latency, st timeline.Style, indent string) {
	if len(res.Slowest) == 0 {
		fmt.Fprintf(w, "%sno operation with a measured latency\n", indent)
		return
	}
	for i, op := range res.Slowest {
		d, _ := op.Latency()
		first := 0
		if len(op.Lines) > 0 {
			first = op.Lines[0]
		}
		fmt.Fprintf(w, "%s%d. %s  %s %s  %s:%d (%s)\n", indent, i+1, timeline.FormatMillis(d),
			sessionName(op.Client), op.Kind, res.File, first, lineRange(op.Lines))
		fmt.Fprintf(w, "%s   %s\n", indent, timeline.OpLine(op, st))
	}
}

func sessionName(client int) string {
	if client == dialect.ModuleClient {
		return "module"
	}
	return "client " + strconv.Itoa(client)
}

// latencyRecord is one row of `atscope latency --json` and --csv. The
// field names are a contract: scripts rely on them.
type latencyRecord struct {
	File            string   `json:"file"`
	Kind            string   `json:"kind"` // op, connection, roundtrip, unpaired
	Client          int      `json:"client"`
	ResponseClients []int    `json:"response_clients,omitempty"`
	Op              string   `json:"op"`
	Topic           string   `json:"topic,omitempty"`
	RequestTopic    *string  `json:"request_topic,omitempty"`
	ResponseTopic   *string  `json:"response_topic,omitempty"`
	MatchedBy       *string  `json:"matched_by,omitempty"`
	Count           int      `json:"count"`
	OK              int      `json:"ok"`
	Failed          int      `json:"failed"`
	Timeout         int      `json:"timeout"`
	Unmatched       *int     `json:"unmatched,omitempty"`
	Samples         int      `json:"samples"`
	MinMS           *float64 `json:"min_ms,omitempty"`
	P50MS           *float64 `json:"p50_ms,omitempty"`
	P90MS           *float64 `json:"p90_ms,omitempty"`
	P99MS           *float64 `json:"p99_ms,omitempty"`
	MaxMS           *float64 `json:"max_ms,omitempty"`
	MeanMS          *float64 `json:"mean_ms,omitempty"`
}

func (r *latencyRecord) setStats(s timeline.Summary) {
	r.Samples = s.N
	if s.N == 0 {
		return
	}
	ms := func(d time.Duration) *float64 { v := millis(d); return &v }
	r.MinMS, r.P50MS, r.P90MS, r.P99MS, r.MaxMS, r.MeanMS = ms(s.Min), ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), ms(s.Mean)
}

// latencyRecords are the rows of one log as records, in table order.
func latencyRecords(res *analyze.Latency) []*latencyRecord {
	var out []*latencyRecord
	for _, r := range res.Rows {
		kind := "op"
		if r.Op == timeline.RowOpenToConnack || r.Op == timeline.RowUptime {
			kind = "connection"
		}
		rec := &latencyRecord{File: r.File, Kind: kind, Client: r.Client, Op: r.Op, Topic: r.Topic,
			Count: r.Count, OK: r.OK, Failed: r.Failed, Timeout: r.Timeout}
		rec.setStats(r.Samples.Summary())
		out = append(out, rec)
	}
	for _, r := range res.Trips.Rows {
		req, resp, by := r.RequestTopic, strings.Join(r.ResponseTopics, ","), strings.Join(r.MatchedBy, ",")
		un := r.Unmatched()
		rec := &latencyRecord{File: r.File, Kind: "roundtrip", Client: r.Client, ResponseClients: r.ResponseClients,
			Op: r.Dir, RequestTopic: &req, ResponseTopic: &resp, MatchedBy: &by,
			Count: r.Count, OK: r.Answered, Unmatched: &un}
		rec.setStats(r.Samples.Summary())
		out = append(out, rec)
	}
	for _, u := range res.Trips.Unpaired {
		out = append(out, &latencyRecord{File: u.File, Kind: "unpaired", Client: u.Client, Op: u.Op, Count: u.Count})
	}
	return out
}

var latencyCSVHeader = []string{"file", "kind", "client", "response_clients", "op", "topic", "request_topic",
	"response_topic", "matched_by", "count", "ok", "failed", "timeout", "unmatched", "samples",
	"min_ms", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms"}

func (r *latencyRecord) csv() []string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	unmatched := ""
	if r.Unmatched != nil {
		unmatched = itoa(*r.Unmatched)
	}
	var clients []string
	for _, c := range r.ResponseClients {
		clients = append(clients, itoa(c))
	}
	return []string{r.File, r.Kind, itoa(r.Client), strings.Join(clients, " "), r.Op, r.Topic, str(r.RequestTopic),
		str(r.ResponseTopic), str(r.MatchedBy), itoa(r.Count), itoa(r.OK), itoa(r.Failed), itoa(r.Timeout),
		unmatched, itoa(r.Samples), num(r.MinMS), num(r.P50MS), num(r.P90MS), num(r.P99MS), num(r.MaxMS), num(r.MeanMS)}
}

// slowestRecord is one of the --top ops in JSON: the op as `atscope
// timeline --json` writes it, with kind "slowest" and its rank.
type slowestRecord struct {
	Kind string `json:"kind"`
	Rank int    `json:"rank"`
	export.OpRecord
}

func writeLatencyJSON(out io.Writer, res *analyze.Latency) error {
	jl := export.NewJSONLines(out)
	for _, rec := range latencyRecords(res) {
		if err := jl.Write(rec); err != nil {
			return err
		}
	}
	for i, op := range res.Slowest {
		if err := jl.Write(slowestRecord{Kind: "slowest", Rank: i + 1, OpRecord: export.NewOpRecord(op)}); err != nil {
			return err
		}
	}
	return nil
}

// writeLatencySection is the latency part of `atscope report`: a compact
// table per client and op kind, and the 3 slowest ops.
func writeLatencySection(w io.Writer, res *analyze.Latency, st timeline.Style) {
	fmt.Fprintf(w, "\n%s\n", bold(st, "latency"))
	if !res.Timed {
		fmt.Fprintln(w, "  the log has no timestamps: latencies cannot be measured")
		return
	}
	// Counts by status are in the client summaries above: only the ops
	// with measured times, and not the uptimes (the summaries give them).
	rows := [][]string{{"client", "op", "timed", "p50 ms", "p90 ms", "p99 ms", "max ms"}}
	for _, r := range res.Rows {
		s := r.Samples.Summary()
		if s.N == 0 || r.Op == timeline.RowUptime {
			continue
		}
		rows = append(rows, []string{clientName(r.Client), r.Op, itoa(s.N), fmtMS(s.P50), fmtMS(s.P90), fmtMS(s.P99), fmtMS(s.Max)})
	}
	if len(rows) == 1 {
		fmt.Fprintln(w, "  no operation with a measured latency")
		return
	}
	writeAligned(w, "  ", rows, 2)
	for _, r := range res.Trips.Rows {
		if r.Answered == 0 {
			continue
		}
		s := r.Samples.Summary()
		line := fmt.Sprintf("  round trip %s %s %s → %s (%s): %d of %d answered", tripClients(r), r.Dir, r.RequestTopic,
			strings.Join(r.ResponseTopics, ", "), strings.Join(r.MatchedBy, ", "), r.Answered, r.Count)
		if s.N > 0 {
			line += fmt.Sprintf(", p50 %s ms, max %s ms", fmtMS(s.P50), fmtMS(s.Max))
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "  slowest:")
	writeSlowest(w, res, st, "    ")
}

// writeAligned writes rows as columns two spaces apart, the first left
// columns left-aligned and the others (numbers) right-aligned.
func writeAligned(w io.Writer, indent string, rows [][]string, left int) {
	renderTable(w, indent, nil, rows, left)
}
