package analyze

import (
	"slices"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// Latency is what the latency tables show of one log.
type Latency struct {
	File    string
	Timed   bool // the log has timestamps
	Rows    []*timeline.LatencyRow
	Trips   *timeline.RoundTrips
	Slowest []*dialect.Op
	// Clients are every client of the log, whichever LatencyOptions.Client
	// counts, the module-wide context as dialect.ModuleClient.
	Clients []int
}

// LatencyOptions say how to group and pair a log's latencies.
type LatencyOptions struct {
	ByTopic bool                 // a row per topic as well
	Rules   []timeline.TopicRule // request and answer topics paired explicitly
	Top     int                  // how many of the slowest ops to keep
	// Client says which clients count; nil: all.
	Client func(int) bool
	// Window is how long, in log time, a request waits for its answer
	// (RunLatency): 0 is timeline.DefaultWindow, a negative one until the
	// log ends.
	Window time.Duration
}

func (o LatencyOptions) wants(client int) bool { return o.Client == nil || o.Client(client) }

// latencyAcc accumulates a log's latencies op by op, in log order, keeping
// no op but the slowest: the tables, round trips and slowest ops.
type latencyAcc struct {
	table   *timeline.LatencyTable
	trips   *timeline.RoundTripFinder
	slowest *timeline.SlowestOps
}

func newLatencyAcc(o LatencyOptions) *latencyAcc {
	return &latencyAcc{
		table:   timeline.NewLatencyTable(timeline.LatencyOptions{ByTopic: o.ByTopic}),
		trips:   timeline.NewRoundTripFinder(o.Rules),
		slowest: timeline.NewSlowestOps(o.Top),
	}
}

func (a *latencyAcc) add(op *dialect.Op) {
	a.table.AddOp(op)
	a.trips.Add(op)
	a.slowest.Add(op)
}

// result ends the log; sessions give the connections (open to CONNACK,
// uptime) up to the log's last logged time.
func (a *latencyAcc) result(l *Log, sessions []*timeline.Session) *Latency {
	for _, s := range sessions {
		if s.Client != dialect.ModuleClient {
			a.table.AddConnections(s, l.Last)
		}
	}
	a.table.EndConnections(l.Last)
	return &Latency{File: l.File, Timed: l.Timed, Rows: a.table.Rows(), Trips: a.trips.Result(), Slowest: a.slowest.Ops()}
}

// LatencyOf is the latency of a log whose ops were kept in sessions (a
// report).
func LatencyOf(l *Log, sessions []*timeline.Session, o LatencyOptions) *Latency {
	acc := newLatencyAcc(o)
	for _, op := range timeline.InLogOrder(sessions) {
		acc.add(op)
	}
	return acc.result(l, sessions)
}

// LatencyStream is the latency of a log taken op by op, in log order,
// keeping no op: ops are counted and timed as they come, connections are
// cut as they come (timeline.ConnectionStream: each client's current one
// is kept), and requests wait for their answer within o.Window. RunLatency
// feeds one; a command that does more with the ops (a report) feeds its own.
type LatencyStream struct {
	o     LatencyOptions
	acc   *latencyAcc
	conns *timeline.ConnectionStream
	seen  map[int]bool
}

// NewLatencyStream starts the latency of one log.
func NewLatencyStream(o LatencyOptions) *LatencyStream {
	s := &LatencyStream{o: o, acc: newLatencyAcc(o), seen: map[int]bool{}}
	if o.Window != 0 {
		s.acc.trips.SetWindow(max(o.Window, 0))
	}
	s.conns = timeline.NewConnectionStream(func(file string, client int, c timeline.Connection, final bool) {
		if o.wants(client) {
			s.acc.table.AddConnection(file, client, c, final)
		}
	})
	return s
}

// Add takes the log's next op, in log order (Options.Ordered).
func (s *LatencyStream) Add(op *dialect.Op) {
	s.seen[op.Client] = true
	s.conns.Add(op)
	if s.o.wants(op.Client) {
		s.acc.add(op)
	}
}

// Result ends the log l.
func (s *LatencyStream) Result(l *Log) *Latency {
	s.conns.End()
	res := s.acc.result(l, nil)
	for c := range s.seen {
		res.Clients = append(res.Clients, c)
	}
	slices.Sort(res.Clients)
	return res
}

// RunLatency runs src through the pipeline for its latency, keeping no op
// (LatencyStream). The Latency is nil when there is nothing to show; see
// Run for the error.
func RunLatency(src *Source, opt Options, o LatencyOptions) (*Latency, error) {
	ls := NewLatencyStream(o)
	opt.Ordered = true
	l, err := Run(src, opt, Sinks{Op: ls.Add})
	if l == nil {
		return nil, err
	}
	return ls.Result(l), err
}
