package timeline

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"atscope/dialect"
)

// Samples holds durations compactly, to the microsecond. Most logs time
// events to the millisecond, so a few thousand distinct values repeat: they
// are counted (a value and its count). Past maxDistinct distinct values,
// or once a sample is beyond the range counted (see valueCounts), every
// sample is kept, as an int32 (4 bytes a sample; 10 million samples
// are 40 MB) in blocks that are never copied to grow; a sample beyond the
// int32 range (about 35 minutes, seen only in connection uptimes) moves
// them all to int64. Percentiles are exact either way: the values are
// sorted once, when first asked for a statistic after the last Add.
type Samples struct {
	pending []int32      // samples not recorded yet (see Add)
	counts  valueCounts  // while there are few values
	keys    []valueCount // counts' values with their counts, sorted
	cum     []int        // samples at or below each of keys
	narrow  [][]int32    // every sample once counts is full; only the last block fills
	wide    []int64      // used instead of narrow once a sample does not fit
	n       int          // samples in all
	sum     int64        // microseconds
	sorted  bool
}

// maxDistinct bounds the values Samples counts before it keeps every
// sample; sampleBlock is how many samples a block holds (64 KiB), past the
// first, which grows to it.
const (
	maxDistinct = 4096
	sampleBlock = 16 << 10
)

// pendingBatch is how many samples Add gathers before recording them.
const pendingBatch = 1024

// Add records d, rounded down to the microsecond; negative durations count
// as zero. Samples are recorded a batch at a time: while a batch goes in,
// the table that counts them stays in the cache, where a sample at a
// time, among the work of every op, would find it gone.
func (s *Samples) Add(d time.Duration) {
	us := max(d.Microseconds(), 0)
	s.sum += us
	s.n++
	s.sorted = false
	if us > math.MaxInt32 {
		s.record(us)
		return
	}
	s.pending = append(s.pending, int32(us))
	if len(s.pending) == pendingBatch {
		s.recordPending()
	}
}

func (s *Samples) recordPending() {
	for _, us := range s.pending {
		s.record(int64(us))
	}
	s.pending = s.pending[:0]
}

func (s *Samples) record(us int64) {
	if s.counting() {
		if s.counts.add(us) {
			return
		}
		s.spill()
	}
	s.keep(us)
}

// counting reports whether the samples are counted by value rather than
// kept one by one.
func (s *Samples) counting() bool { return s.narrow == nil && s.wide == nil }

// spill moves the counted samples to the list of every sample.
func (s *Samples) spill() {
	counted := s.counts.sorted()
	s.counts, s.keys, s.cum = valueCounts{}, nil, nil
	s.narrow = [][]int32{make([]int32, 0, sampleBlock)}
	for _, c := range counted {
		for range c.n {
			s.keep(int64(c.v))
		}
	}
}

func (s *Samples) keep(us int64) {
	switch {
	case s.wide != nil:
		s.wide = append(s.wide, us)
	case us <= math.MaxInt32:
		k := len(s.narrow) - 1
		if b := s.narrow[k]; len(b) >= sampleBlock && len(b) == cap(b) {
			s.narrow, k = append(s.narrow, make([]int32, 0, sampleBlock)), k+1
		}
		s.narrow[k] = append(s.narrow[k], int32(us))
	default:
		s.wide = make([]int64, 0, s.n)
		for _, b := range s.narrow {
			for _, v := range b {
				s.wide = append(s.wide, int64(v))
			}
		}
		s.wide = append(s.wide, us)
		s.narrow = nil
	}
}

// Len is the number of samples.
func (s *Samples) Len() int { return s.n }

// sort sorts the values. Kept samples are joined into one block: one row at
// a time is doubled while it is sorted, never all of them.
func (s *Samples) sort() {
	if s.sorted {
		return
	}
	s.sorted = true
	s.recordPending()
	if s.counting() {
		s.keys = s.counts.sorted()
		s.cum = make([]int, len(s.keys))
		total := 0
		for i, c := range s.keys {
			total += int(c.n)
			s.cum[i] = total
		}
		return
	}
	if len(s.narrow) > 1 {
		all := make([]int32, 0, s.n)
		for _, b := range s.narrow {
			all = append(all, b...)
		}
		s.narrow = [][]int32{all}
	}
	if len(s.narrow) == 1 {
		slices.Sort(s.narrow[0])
	}
	slices.Sort(s.wide)
}

// at is the i-th smallest sample in microseconds; s must be sorted.
func (s *Samples) at(i int) int64 {
	switch {
	case s.counting():
		return int64(s.keys[sort.Search(len(s.cum), func(j int) bool { return s.cum[j] > i })].v)
	case s.wide != nil:
		return s.wide[i]
	}
	return int64(s.narrow[0][i])
}

// eachValue calls fn with the values in order, each with how many samples
// have it; s must be sorted.
func (s *Samples) eachValue(fn func(us int64, n int)) {
	if s.counting() {
		for _, c := range s.keys {
			fn(int64(c.v), int(c.n))
		}
		return
	}
	for i := range s.n {
		fn(s.at(i), 1)
	}
}

// Percentile is the nearest-rank p-th percentile (0 < p <= 100): the
// smallest sample that at least p percent of the samples do not exceed,
// that is the ⌈p·n/100⌉-th smallest. It is always a logged value, never
// interpolated. It returns 0 without samples.
func (s *Samples) Percentile(p int) time.Duration {
	n := s.Len()
	if n == 0 {
		return 0
	}
	s.sort()
	rank := (p*n + 99) / 100 // ⌈p·n/100⌉ in integers, so it is exact
	rank = min(max(rank, 1), n)
	return time.Duration(s.at(rank-1)) * time.Microsecond
}

// Min is the smallest sample.
func (s *Samples) Min() time.Duration { return s.Percentile(0) }

// Max is the largest sample.
func (s *Samples) Max() time.Duration { return s.Percentile(100) }

// Mean is the arithmetic mean, to the nanosecond.
func (s *Samples) Mean() time.Duration {
	n := s.Len()
	if n == 0 {
		return 0
	}
	return time.Duration(s.sum * 1000 / int64(n))
}

// Summary is the statistics of a set of samples.
type Summary struct {
	N                             int
	Min, P50, P90, P99, Max, Mean time.Duration
}

// Summary computes the statistics; N is 0 without samples.
func (s *Samples) Summary() Summary {
	if s.Len() == 0 {
		return Summary{}
	}
	return Summary{N: s.Len(), Min: s.Min(), P50: s.Percentile(50), P90: s.Percentile(90),
		P99: s.Percentile(99), Max: s.Max(), Mean: s.Mean()}
}

// Bucket is one bar of a histogram: the samples d with Lo <= d < Hi.
type Bucket struct {
	Lo, Hi time.Duration
	N      int
}

// Histogram counts the samples in buckets with 1-2-5 edges (1 ms, 2 ms,
// 5 ms, 10 ms, ...), from the bucket of the smallest sample to that of the
// largest; empty buckets in between are kept so the shape reads right.
func (s *Samples) Histogram() []Bucket {
	n := s.Len()
	if n == 0 {
		return nil
	}
	s.sort()
	var out []Bucket
	lo, hi := bucketOf(time.Duration(s.at(0)) * time.Microsecond)
	out = append(out, Bucket{Lo: lo, Hi: hi})
	s.eachValue(func(us int64, count int) {
		d := time.Duration(us) * time.Microsecond
		for d >= out[len(out)-1].Hi {
			lo = out[len(out)-1].Hi
			out = append(out, Bucket{Lo: lo, Hi: nextEdge(lo)})
		}
		out[len(out)-1].N += count
	})
	return out
}

// bucketOf is the 1-2-5 bucket that holds d. Durations under 1 ms share
// the bucket [0, 1 ms).
func bucketOf(d time.Duration) (lo, hi time.Duration) {
	lo = 0
	hi = time.Millisecond
	for d >= hi {
		lo, hi = hi, nextEdge(hi)
	}
	return lo, hi
}

// nextEdge is the 1-2-5 edge after e (e itself an edge, at least 1 ms):
// 1 → 2 → 5 → 10 → 20 → ...
func nextEdge(e time.Duration) time.Duration {
	if e < time.Millisecond {
		return time.Millisecond
	}
	m := e
	decade := time.Duration(1)
	for m >= 10*time.Millisecond {
		m /= 10
		decade *= 10
	}
	switch m {
	case time.Millisecond:
		return 2 * time.Millisecond * decade
	case 2 * time.Millisecond:
		return 5 * time.Millisecond * decade
	}
	return 10 * time.Millisecond * decade
}

// Row kinds that are not op kinds: the time from a connection's network
// open (or its one-step connect) to CONNACK, and how long the MQTT session
// then stayed up. ("setup" is taken: it is the op kind of vendor service
// steps such as SIMCom's CMQTTSTART.)
const (
	RowOpenToConnack = "open_to_connack"
	RowUptime        = "uptime"
)

// LatencyRow is the latency of one group of ops: one op kind of one client
// of one log, and of one topic when grouped by topic.
type LatencyRow struct {
	File   string
	Client int
	// Op is an op kind ("publish") or RowOpenToConnack or RowUptime.
	Op    string
	Topic string // with ByTopic; every topic of a subscribe, space-separated
	// Count is the number of ops (for RowOpenToConnack: network opens that
	// succeeded; for RowUptime: connections that reached CONNACK). OK,
	// Failed and Timeout count them by status; for RowOpenToConnack, OK
	// reached CONNACK and Failed was closed or lost before it; for
	// RowUptime, OK ended with a disconnect or close and Failed with a
	// link loss or module reset. Pending and unknown outcomes make up the
	// rest of Count.
	Count, OK, Failed, Timeout int
	// Samples are the measured latencies: an op only has one when the log
	// times both its request and its result.
	Samples Samples
}

// LatencyOptions say how to group ops.
type LatencyOptions struct {
	ByTopic bool // one row per topic as well as per client and op kind
}

// LatencyTable accumulates latency rows. Ops may be added in any order.
type LatencyTable struct {
	opt  LatencyOptions
	rows map[latencyKey]*LatencyRow
	file map[string]int // input order of files
	// upAtEnd are the uptimes that run to the end of the log.
	upAtEnd []openUptime
	// recent holds the last row of each client and op kind.
	recent recentKeys[latencyKey, *LatencyRow]
}

type latencyKey struct {
	file   string
	client int
	op     string
	topic  string
}

// NewLatencyTable returns an empty table.
func NewLatencyTable(opt LatencyOptions) *LatencyTable {
	return &LatencyTable{opt: opt, rows: map[latencyKey]*LatencyRow{}, file: map[string]int{}}
}

func (t *LatencyTable) row(file string, client int, op, topic string) *LatencyRow {
	if !t.opt.ByTopic {
		topic = ""
	}
	return t.rowOf(latencyKey{file, client, op, topic})
}

func (t *LatencyTable) rowOf(k latencyKey) *LatencyRow {
	r, ok := t.rows[k]
	if !ok {
		r = &LatencyRow{File: k.file, Client: k.client, Op: k.op, Topic: k.topic}
		t.rows[k] = r
		if _, ok := t.file[k.file]; !ok {
			t.file[k.file] = len(t.file)
		}
	}
	return r
}

// AddOp counts op and records its latency (dialect.Op.Latency).
func (t *LatencyTable) AddOp(op *dialect.Op) {
	r := t.opRow(op)
	r.Count++
	switch op.Status {
	case dialect.StatusOK:
		r.OK++
	case dialect.StatusFailed:
		r.Failed++
	case dialect.StatusTimeout:
		r.Timeout++
	}
	if d, ok := opLatency(op); ok {
		r.Samples.Add(d)
	}
}

// opLatency is op's latency as the table counts it: a command the module
// rejected at once has none (a connect answered ERROR in 0 ms is no
// connect time).
func opLatency(op *dialect.Op) (time.Duration, bool) {
	if op.Rejected() {
		return 0, false
	}
	return op.Latency()
}

// opRow is the row of op, looked up in recent first.
func (t *LatencyTable) opRow(op *dialect.Op) *LatencyRow {
	topic := ""
	if t.opt.ByTopic {
		topic = opTopic(op) // a subscribe's topics are joined: only when needed
	}
	return t.recent.get(op.Client, op.Kind, latencyKey{op.File, op.Client, op.Kind.String(), topic}, t.rowOf)
}

// opTopic is the topic an op is grouped under with ByTopic.
func opTopic(op *dialect.Op) string {
	if op.Topic != "" {
		return op.Topic
	}
	return strings.Join(op.Topics, " ")
}

// AddConnections records a session's connection set-up times (open to
// CONNACK) and uptimes. last is the last logged time of the log: the
// uptime of a connection still up at the end runs to it.
func (t *LatencyTable) AddConnections(s *Session, last time.Time) {
	for i, c := range s.Connections {
		t.AddConnection(s.File, s.Client, c, i == len(s.Connections)-1)
	}
	t.EndConnections(last)
}

// AddConnection records the set-up time and uptime of one connection of a
// client, as a ConnectionStream hands it on; final says it was the
// client's last. The uptime of a connection that no op ended (Ended nil)
// runs to the end of the log: it is recorded by EndConnections.
func (t *LatencyTable) AddConnection(file string, client int, c Connection, final bool) {
	if c.Opened == nil {
		return
	}
	setup := t.row(file, client, RowOpenToConnack, "")
	setup.Count++
	if c.Connected == nil {
		if c.Ended != nil || !final {
			setup.Failed++
		}
		return
	}
	setup.OK++
	if d, ok := SetupTime(c); ok {
		setup.Samples.Add(d)
	}
	up := t.row(file, client, RowUptime, "")
	up.Count++
	switch {
	case c.Ended == nil:
		if c.Connected.Timed {
			t.upAtEnd = append(t.upAtEnd, openUptime{up, c.Connected.End})
		}
		return
	case lostBy(c.Ended):
		up.Failed++
	default:
		up.OK++
	}
	if d, ok := c.Uptime(time.Time{}); ok {
		up.Samples.Add(d)
	}
}

// openUptime is a connection that was up when the log ended, or that a new
// one replaced: its uptime runs to the end of the log.
type openUptime struct {
	row  *LatencyRow
	from time.Time // the CONNACK
}

// EndConnections records the uptimes that run to the end of the log, last
// its last logged time.
func (t *LatencyTable) EndConnections(last time.Time) {
	for _, u := range t.upAtEnd {
		if !last.Before(u.from) {
			u.row.Samples.Add(last.Sub(u.from))
		}
	}
	t.upAtEnd = nil
}

// lostBy reports whether op ended a connection by losing it rather than by
// a disconnect or close the host asked for.
func lostBy(op *dialect.Op) bool {
	return op.Kind == dialect.OpLink || op.Client == dialect.ModuleClient || op.Status == dialect.StatusFailed
}

// SetupTime is the time from a connection's network open request (or its
// one-step connect request) to its CONNACK, when the log times both (not
// for a connection shown up by its traffic alone: no CONNACK is logged).
func SetupTime(c Connection) (time.Duration, bool) {
	if c.Opened == nil || c.Connected == nil || c.Up != UpLogged || !c.Opened.Timed || !c.Connected.Timed {
		return 0, false
	}
	from := c.Opened.Start
	if !c.Opened.Sent.IsZero() {
		from = c.Opened.Sent
	}
	if d := c.Connected.End.Sub(from); dialect.PlausibleDuration(d) {
		return d, true
	}
	return 0, false
}

// Rows returns the rows in order: file (as first added), client (the module
// first), op kind (in dialect.OpKinds order, then open_to_connack and
// uptime), topic.
func (t *LatencyTable) Rows() []*LatencyRow {
	out := make([]*LatencyRow, 0, len(t.rows))
	for _, r := range t.rows {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if t.file[a.File] != t.file[b.File] {
			return t.file[a.File] < t.file[b.File]
		}
		if a.Client != b.Client {
			return a.Client < b.Client
		}
		if ra, rb := rowRank(a.Op), rowRank(b.Op); ra != rb {
			return ra < rb
		}
		return a.Topic < b.Topic
	})
	return out
}

func rowRank(op string) int {
	for i, k := range dialect.OpKinds() {
		if k.String() == op {
			return i
		}
	}
	switch op {
	case RowOpenToConnack:
		return 100
	case RowUptime:
		return 101
	}
	return 200
}

// Latencies is the latency table of sessions (normally those of one log):
// every op, then every connection. last is the log's last logged time.
func Latencies(sessions []*Session, last time.Time, opt LatencyOptions) []*LatencyRow {
	t := NewLatencyTable(opt)
	for _, s := range sessions {
		for _, op := range s.Ops {
			t.AddOp(op)
		}
		if s.Client != dialect.ModuleClient {
			t.AddConnections(s, last)
		}
	}
	return t.Rows()
}

// Slowest returns the n ops of sessions with the longest latency, slowest
// first; ties go to the op that comes first in the log.
func Slowest(sessions []*Session, n int) []*dialect.Op {
	top := NewSlowestOps(n)
	for _, s := range sessions {
		for _, op := range s.Ops {
			top.Add(op)
		}
	}
	return top.Ops()
}

// SlowestOps keeps the n ops with the longest latency, in any order of
// adding.
type SlowestOps struct {
	n   int
	top []timedOp // sorted, slowest first, at most n
}

type timedOp struct {
	op *dialect.Op
	d  time.Duration
}

// NewSlowestOps keeps the n slowest ops.
func NewSlowestOps(n int) *SlowestOps { return &SlowestOps{n: n} }

func (a timedOp) slower(b timedOp) bool {
	if a.d != b.d {
		return a.d > b.d
	}
	return firstSeq(a.op) < firstSeq(b.op)
}

// Add considers op.
func (s *SlowestOps) Add(op *dialect.Op) {
	d, ok := opLatency(op)
	if !ok || s.n <= 0 {
		return
	}
	c := timedOp{op, d}
	if len(s.top) == s.n && !c.slower(s.top[s.n-1]) {
		return
	}
	i := sort.Search(len(s.top), func(i int) bool { return c.slower(s.top[i]) })
	if len(s.top) < s.n {
		s.top = append(s.top, timedOp{})
	}
	copy(s.top[i+1:], s.top[i:len(s.top)-1])
	s.top[i] = c
}

// Ops are the slowest ops, slowest first.
func (s *SlowestOps) Ops() []*dialect.Op {
	if s.n <= 0 {
		return nil
	}
	out := make([]*dialect.Op, len(s.top))
	for i, c := range s.top {
		out[i] = c.op
	}
	return out
}
