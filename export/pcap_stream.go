package export

import (
	"container/heap"
	"maps"
	"math"
	"slices"
	"time"

	"atscope/dialect"
	"atscope/mqttstream"
	"atscope/timeline"
)

// A log's packets are made as its ops come, in log order, and written as
// soon as no packet still to come can sort before them, so that memory
// stays bounded however long the log:
//
//   - The first holdOps ops are held until the clock is known (whether the
//     log has times, which year its days are shown in) and placed before
//     any packet is made; a shorter log is held whole, so that its capture
//     is what a look at the whole log would make.
//   - Each client's ops are cut into connections as they come
//     (timeline.Cutter), and each op is placed in the connection it falls
//     in. A connection's stream (addresses, ports) is made once its connect
//     says where it goes, or when it ends without one.
//   - Ops become packets in the order they came, once the log has gone past
//     their last event: an op without a logged time of its own is placed at
//     the latest logged time before it, which may be that of an op that
//     starts after it.
//   - Packets wait in a heap ordered by time, then event, then client,
//     connection and order of making, as a sort of the whole log would
//     order them; those earlier than any packet still to come are numbered
//     and written.
//
// Beyond what is held, three things a look at the whole log would do
// differently: a packet id derived for an op without one avoids the ids
// logged so far in its connection, not those logged later; in a log whose
// times go backwards, or that holds back more than maxHeldSegs packets (a
// client that goes quiet after a module reset, whose connection the reset
// may yet end), packets can be written slightly out of time order, which
// Wireshark sorts on request; and the clock is made from the first ops.
const (
	holdOps     = 4096
	maxHeldSegs = 1 << 16
)

// PcapLog writes the packets of one log as its ops come.
type PcapLog struct{ lx *logExport }

// Log starts the packets of the log file. Give it every op of the log, in
// log order (timeline.Orderer), the module's included: module-wide losses
// end connections. wants picks the clients whose packets are written and
// whose times place the ops the log does not time; nil wants every client.
func (p *Pcap) Log(file string, wants func(client int) bool) *PcapLog {
	if wants == nil {
		wants = func(int) bool { return true }
	}
	return &PcapLog{&logExport{p: p, file: file, wants: wants, stats: newPcapStats(), clients: map[int]*clientExport{}, hold: holdOps}}
}

// Add takes the log's next op.
func (l *PcapLog) Add(op *dialect.Op) error {
	lx := l.lx
	if lx.clk == nil {
		lx.held = append(lx.held, op)
		if len(lx.held) >= lx.hold {
			lx.start()
		}
		return lx.err
	}
	lx.add(op)
	lx.flush(false)
	return lx.err
}

// Close ends the log and returns what it gave.
func (l *PcapLog) Close() (PcapStats, error) {
	lx := l.lx
	if lx.clk == nil {
		lx.whole = true
		lx.start()
	}
	lx.end()
	lx.flush(true)
	lx.p.stats.add(lx.stats)
	return lx.stats, lx.err
}

// WriteLog writes the packets of one log's sessions, every client's and
// the module's (whose losses end connections). It returns what this log
// gave.
func (p *Pcap) WriteLog(file string, sessions []*timeline.Session) (PcapStats, error) {
	l := p.Log(file, nil)
	for _, op := range timeline.InLogOrder(sessions) {
		if err := l.Add(op); err != nil {
			return l.lx.stats, err
		}
	}
	return l.Close()
}

// logExport builds the packets of one log.
type logExport struct {
	p     *Pcap
	file  string
	wants func(int) bool
	clk   *clock // nil while the first ops are held
	stats PcapStats
	err   error
	ifIdx int // the log's pcapng interface
	// scratch is where comments are made.
	scratch []byte

	held    []*dialect.Op // ops before the clock is known
	hold    int           // how many: holdOps
	clients map[int]*clientExport
	losses  []*dialect.Op // module-wide losses so far
	pos     int           // first event of the latest op
	lastAt  time.Time     // request time of the latest op: later ops come no earlier

	todo []action // what is still to become packets, in order
	segs segHeap  // packets made and not yet written
	// whole is set when the log was held whole: refused connects then
	// become streams last (later), as a look at the whole log makes them,
	// which numbers their ports after the client's other connections.
	whole bool
	later []action
}

// clientExport is one client's connections.
type clientExport struct {
	client  int
	cut     timeline.Cutter
	taken   int         // module-wide losses given to cut
	conns   int         // connections begun, refused connects aside
	refused int         // connections of refused connects
	cur     *connExport // the connection of cut.Current()
	prev    *dialect.Op // the client's latest op
	closing *connExport // ended by a disconnect: a close right after it carries its FIN
}

// connExport is one connection, a TCP stream once its address is known.
type connExport struct {
	cx     *clientExport
	c      *timeline.Connection // while up; ended once over
	ended  *timeline.Connection
	index  int // in the client's order; refused connects after every other
	ids    *idAlloc
	st     *stream
	lo     tkey       // the handshake's answer: no later packet of the stream goes before it
	shaken bool       // the handshake is made
	gen    int        // packets made, for their order
	segs   []*segment // packets made and not yet written, for the FIN's clamp
	closer *dialect.Op
	// pickedUp is a connection the log shows by its traffic alone
	// (timeline.Connection.Up): up when the log starts, or after an open or
	// connect whose outcome is not logged (after). Its stream has no
	// handshake, and note goes in the comment of its first packet.
	pickedUp bool
	after    *dialect.Op
	note     string
	// wired are the socket-level ops whose bytes are written; gap and
	// gapNote the loss per side that its next segment shows (pcap_wire.go).
	wired   map[*dialect.Op]bool
	gap     [2]uint32
	gapNote [2]string
	mq      [2]*mqttstream.Stream // each side's bytes decoded, to count its messages
}

// refusedBase numbers the connections of refused connects after a
// client's others, as a look at the whole log makes them last.
const refusedBase = 1 << 30

// actionKind is a step from ops to packets.
type actionKind uint8

const (
	actOpen  actionKind = iota // a connection's stream and handshake
	actOp                      // an op's packets
	actClose                   // a connection's end
)

// action waits in todo until it can be done: until the log has gone past
// the last event its times may come from, and, for a stream, until its
// connect says where it goes.
type action struct {
	kind actionKind
	cn   *connExport
	op   *dialect.Op // actOp: the op; actOpen: the op that opened; actClose: the FIN's op, if any
}

// start makes the clock from the held ops, writes the log's interface and
// places the held ops.
func (lx *logExport) start() {
	var wanted []*dialect.Op
	for _, op := range lx.held {
		if lx.wants(op.Client) {
			wanted = append(wanted, op)
		}
	}
	lx.clk = newClock(wanted)
	if lx.p.classic == nil {
		lx.ifIdx, lx.err = lx.p.addInterface(lx.iface())
	}
	held := lx.held
	lx.held = nil
	for _, op := range held {
		lx.add(op)
	}
	lx.flush(false)
}

// add places the next op, in log order.
func (lx *logExport) add(op *dialect.Op) {
	lx.pos = max(lx.pos, firstSeq(op))
	if lx.wants(op.Client) {
		lx.clk.know(op)
		if at := lx.clk.request(op); at.After(lx.lastAt) {
			lx.lastAt = at
		}
	}
	switch {
	case op.Client == dialect.ModuleClient:
		if timeline.EndsLinks(op) {
			lx.losses = append(lx.losses, op)
		}
	case lx.wants(op.Client):
		lx.place(lx.client(op.Client), op)
	}
}

func (lx *logExport) client(c int) *clientExport {
	cx, ok := lx.clients[c]
	if !ok {
		cx = &clientExport{client: c}
		lx.clients[c] = cx
	}
	return cx
}

// place cuts the client's connections with op and queues what op makes.
func (lx *logExport) place(cx *clientExport, op *dialect.Op) {
	lx.takeLosses(cx, firstSeq(op))
	pending := cx.closing
	cx.closing = nil
	ended, ok, started := cx.cut.Add(op)
	if started && ok && ended.Ended == op {
		// op showed a connection up and ended it (a disconnect first in an
		// excerpt): its stream begins, then ends with op.
		up := ended
		up.Ended = nil
		cx.cur, started = lx.begin(cx, &up, cx.conns), false
		cx.conns++
	}
	if ok {
		lx.ended(cx, ended)
	}
	inside := true
	switch {
	case started:
		cx.cur = lx.begin(cx, cx.cut.Current(), cx.conns)
		cx.conns++
		if op.Kind != dialect.OpOpen {
			lx.inside(cx.cur, op) // a connect that opens the network itself
		}
	case ok && ended.Ended == op:
		if op.Kind == dialect.OpDisconnect {
			lx.inside(cx.closing, op)
		}
	case cx.cur != nil:
		lx.inside(cx.cur, op)
	default:
		inside = false
	}
	if pending != nil {
		// A close right after the disconnect that ended a connection
		// carries that connection's FIN exchange (Luat MDISCONNECT then
		// MIPCLOSE; Quectel QMTDISC then QMTCLOSE).
		if !inside && op.Kind == dialect.OpClose && op.Status != dialect.StatusFailed && cx.prev == pending.closer {
			pending.closer, inside = op, true
		}
		lx.queue(action{kind: actClose, cn: pending, op: pending.closer})
	}
	if !inside {
		lx.outside(cx, op)
	}
	cx.prev = op
}

// takeLosses gives the client's cutter the module-wide losses before seq.
func (lx *logExport) takeLosses(cx *clientExport, seq int) {
	for ; cx.taken < len(lx.losses) && firstSeq(lx.losses[cx.taken]) < seq; cx.taken++ {
		if ended, ok := cx.cut.Loss(lx.losses[cx.taken]); ok {
			lx.ended(cx, ended)
		}
	}
}

// begin starts a connection and queues its stream: at its open or connect,
// or, for one the log shows by its traffic alone, at the first op the
// broker answered.
func (lx *logExport) begin(cx *clientExport, c *timeline.Connection, index int) *connExport {
	cn := &connExport{cx: cx, c: c, index: index, ids: newIDAlloc()}
	at := c.Opened
	if c.Up != timeline.UpLogged {
		cn.pickedUp, cn.after, at = true, c.Unanswered, c.Connected
	}
	lx.queue(action{kind: actOpen, cn: cn, op: at})
	return cn
}

// inside queues an op of a connection.
func (lx *logExport) inside(cn *connExport, op *dialect.Op) {
	cn.ids.note(op)
	lx.queue(action{kind: actOp, cn: cn, op: op})
}

// ended queues the end of the client's current connection, unless a
// disconnect ended it: a close may follow and carry its FIN.
func (lx *logExport) ended(cx *clientExport, c timeline.Connection) {
	cn := cx.cur
	cx.cur = nil
	cn.ended, cn.closer = &c, c.Ended
	if c.Ended != nil && c.Ended.Kind == dialect.OpDisconnect {
		cx.closing = cn
		return
	}
	lx.queue(action{kind: actClose, cn: cn, op: cn.closer})
}

// outside handles an op outside every connection: a refused connect shows
// that a stream existed; other ops put nothing on the wire.
func (lx *logExport) outside(cx *clientExport, op *dialect.Op) {
	if op.Kind == dialect.OpConnect {
		if refusedConnect(op) {
			c := &timeline.Connection{Opened: op}
			cn := &connExport{cx: cx, c: c, ended: c, index: refusedBase + cx.refused, ids: newIDAlloc()}
			cx.refused++
			cn.ids.note(op)
			acts := []action{{kind: actOpen, cn: cn, op: op}, {kind: actOp, cn: cn, op: op}, {kind: actClose, cn: cn}}
			if lx.whole {
				lx.later = append(lx.later, acts...)
			} else {
				lx.todo = append(lx.todo, acts...)
			}
			return
		}
	}
	lx.skip(lx.reasonOutside(op))
}

// end ends the log: connections still up end without a FIN.
func (lx *logExport) end() {
	for _, c := range sortedClients(lx.clients) {
		cx := lx.clients[c]
		if up, ok := cx.cut.End(); ok {
			lx.ended(cx, up)
		}
		if cx.closing != nil {
			lx.queue(action{kind: actClose, cn: cx.closing, op: cx.closing.closer})
			cx.closing = nil
		}
	}
	lx.todo = append(lx.todo, lx.later...)
	lx.pos = math.MaxInt
}

func sortedClients(m map[int]*clientExport) []int { return slices.Sorted(maps.Keys(m)) }

func (lx *logExport) queue(a action) { lx.todo = append(lx.todo, a) }

// ready reports whether an action can be done now.
func (lx *logExport) ready(a action) bool {
	switch a.kind {
	case actOpen:
		if a.cn.c.Connected == nil && a.cn.ended == nil {
			return false // where it goes is not known yet
		}
	case actClose:
		if a.op == nil {
			return true
		}
	}
	return lx.pos > lastSeq(a.op)
}

// flush does the actions that are ready, in order, and writes the packets
// that no packet still to come can go before; at the end, all of them.
func (lx *logExport) flush(all bool) {
	done := 0
	for done < len(lx.todo) && lx.err == nil && (all || lx.ready(lx.todo[done])) {
		lx.do(lx.todo[done])
		lx.todo[done] = action{}
		done++
	}
	lx.todo = lx.todo[done:]
	if len(lx.todo) == 0 {
		lx.todo = nil
	}
	lx.clk.prune(lx.floor())
	mark := lx.watermark(all)
	for lx.segs.Len() > 0 && lx.err == nil && (all || lx.segs.first().at.Before(mark) || lx.segs.Len() > maxHeldSegs) {
		sg := heap.Pop(&lx.segs).(*segment)
		sg.written = true
		lx.write(sg)
	}
}

func (lx *logExport) do(a action) {
	switch a.kind {
	case actOpen:
		lx.open(a.cn)
	case actOp:
		lx.op(a.cn, a.op)
	case actClose:
		lx.close(a.cn)
	}
}

// watermark is a time no packet still to come goes before, in a log whose
// times go forward: the earliest request of what is still to do, of a
// module-wide loss that may yet end a connection, and of the ops to come.
func (lx *logExport) watermark(all bool) time.Time {
	if all {
		return maxTime
	}
	mark := lx.lastAt
	earlier := func(op *dialect.Op) {
		if op != nil {
			if at := lx.clk.request(op); at.Before(mark) {
				mark = at
			}
		}
	}
	lx.eachWaiting(earlier)
	for _, cx := range lx.clients {
		if c := cx.cut.Current(); c != nil && c.Connected != nil && cx.taken < len(lx.losses) {
			earlier(lx.losses[cx.taken])
		}
		if cx.closing != nil {
			earlier(cx.closing.closer)
		}
	}
	return mark
}

// eachWaiting calls fn with the op of every action still to do.
func (lx *logExport) eachWaiting(fn func(*dialect.Op)) {
	for _, a := range lx.todo {
		fn(a.op)
	}
	for _, a := range lx.later {
		fn(a.op)
	}
}

// floor is the first event whose time an op still to do may ask for.
func (lx *logExport) floor() int {
	floor := lx.pos
	lx.eachWaiting(func(op *dialect.Op) {
		if op != nil {
			floor = min(floor, firstSeq(op))
		}
	})
	for _, cx := range lx.clients {
		if cx.taken < len(lx.losses) {
			floor = min(floor, firstSeq(lx.losses[cx.taken]))
		}
		if cx.closing != nil {
			floor = min(floor, firstSeq(cx.closing.closer))
		}
	}
	return floor
}
