package report

import (
	"cmp"
	"slices"
	"time"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/timeline"
)

// collector takes a log's ops as they stream by, in log order
// (analyze.Options.Ordered), and keeps what a report shows of them within
// bounds that do not grow with the log: each client's summary, the
// latency tables (analyze.LatencyStream), an excerpt of each client's ops
// for its sequence diagram (diagramExcerpt), the first ops of the log for the HTML
// timeline, a decimated series of latencies per client and op kind, the
// latencies pooled by kind (for diff, when asked), and, for the text report, every
// op's timeline line spilled to a temporary file past a few dozen KiB
// (textTimeline).
type collector struct {
	keep    func(int) bool
	conns   *timeline.ConnectionStream
	latency *analyze.LatencyStream
	clients map[int]*ClientSummary
	seen    map[int]bool // every client of the log, kept or not

	diagrams map[int]*timeline.Excerpt[*dialect.Op] // each kept client's ops its diagram draws
	table    []*dialect.Op                          // the log's first maxTimelineRows ops of kept clients
	total    int                                    // ops of kept clients
	points   map[pointKey]*series
	pooled   map[string]*timeline.Samples
	text     *textTimeline // nil: no text timeline
}

// diagramExcerpt is what a client's sequence diagram draws: its first
// maxDiagramOps ops, then, of a longer log, the ops around its first
// failures and its last ops. The failures are those of the ops' status:
// the findings are known only once the log is read, and a diagram draws
// the ops with their events, which are not read again.
var diagramExcerpt = timeline.ExcerptOptions{Head: maxDiagramOps, Tail: 5, Around: 2, MaxProblems: 5}

func failedOrTimedOut(op *dialect.Op) bool {
	return op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout
}

// pointKey names a latency plot: a client's op kind.
type pointKey struct {
	client int
	op     string
}

func newCollector(keep func(int) bool, text *textTimeline, pooled bool) *collector {
	if keep == nil {
		keep = func(int) bool { return true }
	}
	c := &collector{keep: keep, clients: map[int]*ClientSummary{}, seen: map[int]bool{},
		diagrams: map[int]*timeline.Excerpt[*dialect.Op]{}, points: map[pointKey]*series{}, text: text}
	if pooled {
		c.pooled = map[string]*timeline.Samples{}
	}
	c.latency = analyze.NewLatencyStream(analyze.LatencyOptions{Top: 3, Client: keep})
	c.conns = timeline.NewConnectionStream(func(_ string, client int, conn timeline.Connection, _ bool) {
		if s := c.clients[client]; s != nil {
			s.connection(conn)
		}
	})
	return c
}

// Add takes the log's next op; it fits analyze.Sinks.Op.
func (c *collector) Add(op *dialect.Op) {
	c.seen[op.Client] = true
	c.latency.Add(op)
	s := c.clients[op.Client]
	if s == nil && c.keep(op.Client) {
		s = newClientSummary(op.File, op.Client)
		c.clients[op.Client] = s
	}
	c.conns.Add(op) // after the summary exists: it counts the connection op ends
	if s == nil {
		return
	}
	s.add(op)
	c.total++
	ex := c.diagrams[op.Client]
	if ex == nil {
		ex = timeline.NewExcerpt(diagramExcerpt, failedOrTimedOut).WithCopy(detach)
		c.diagrams[op.Client] = ex
	}
	ex.Add(op)
	if len(c.table) < maxTimelineRows {
		c.table = append(c.table, detach(op))
	}
	if d, ok := op.Latency(); ok {
		k := pointKey{op.Client, op.Kind.String()}
		if c.points[k] == nil {
			c.points[k] = &series{}
		}
		c.points[k].add(point{at: op.Start, ms: float64(d.Microseconds()) / 1000, failed: op.Status != dialect.StatusOK, line: firstLine(op)})
		c.pool(k.op, d)
	}
	if c.text != nil {
		c.text.add(op, c.conns.Current(op.File, op.Client))
	}
}

// pool adds a latency to its op kind's pool, when the report keeps them.
func (c *collector) pool(kind string, d time.Duration) {
	if c.pooled == nil {
		return
	}
	if c.pooled[kind] == nil {
		c.pooled[kind] = &timeline.Samples{}
	}
	c.pooled[kind].Add(d)
}

// windowed says the run kept part of the log's lines (--lines, --since,
// --until): the clients' summaries end with the window, not the log.
func (c *collector) windowed(yes bool) {
	for _, s := range c.clients {
		s.windowed = yes
	}
}

// summaries are the kept clients' summaries in the order of
// Assembler.Sessions: the module first, then clients by index.
func (c *collector) summaries() []*ClientSummary {
	out := make([]*ClientSummary, 0, len(c.clients))
	for _, s := range c.clients {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *ClientSummary) int { return cmp.Compare(a.Client, b.Client) })
	return out
}

// allClients are every client of the log, in order, kept or not.
func (c *collector) allClients() []int {
	out := make([]int, 0, len(c.seen))
	for k := range c.seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func firstLine(op *dialect.Op) int {
	if len(op.Lines) == 0 {
		return 0
	}
	return op.Lines[0]
}
