// Package loggen writes realistic AT logs of busy MQTT devices, for
// benchmarks, load tests and `atscope generate`: several clients publishing
// telemetry, looping messages back, answering commands that carry a JSON id,
// losing the link now and then and reconnecting, with the module's
// asynchronous results landing between later commands as on a real serial
// port.
//
// Output is deterministic (same options, same bytes) and streamed: memory
// stays small however large the log, so a 1 GB log can be written to a pipe.
//
//	err := loggen.Write(w, loggen.Options{Dialect: "quectel", Format: "qcom", Clients: 6, Size: 200 << 20})
package loggen

import (
	"bufio"
	"bytes"
	"container/heap"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// Options say what to write.
type Options struct {
	// Dialect is the module's AT command set: quectel (AT+QMT*, the
	// default), simcom (AT+CMQTT*) or espat (ESP-AT AT+MQTT*).
	Dialect string
	// Format is the log tool's format: qcom (Quectel's QCOM with times,
	// the default), raw (a terminal capture, no times or directions) or
	// stamped ("[HH:MM:SS.mmm] " before every line).
	Format string
	// Clients is the number of MQTT clients, up to the dialect's limit
	// (quectel 6, simcom 2, espat 1); 0 means the limit.
	Clients int
	// Size is roughly how many bytes to write; the log ends with every
	// client disconnecting once it is reached. 0 means 1 MiB.
	Size int64
	// Seed varies the random delays and payloads.
	Seed uint64
	// Shape is the kind of traffic, one of Shapes ("" means steady):
	// steady sessions, reconnect storms with unanswered commands,
	// URC-heavy receives, many short-lived clients, or many findings.
	Shape string
}

// Dialects and Formats list the accepted names, defaults first.
var (
	Dialects = []string{"quectel", "simcom", "espat"}
	Formats  = []string{"qcom", "raw", "stamped"}
)

var maxClients = map[string]int{"quectel": 6, "simcom": 2, "espat": 1}

// Write writes a log to w.
func Write(w io.Writer, opt Options) error {
	opt, err := opt.normalize()
	if err != nil {
		return err
	}
	g := newGen(w, opt)
	switch opt.Dialect {
	case "quectel":
		g.run(quectelScript{})
	case "simcom":
		g.run(simcomScript{})
	case "espat":
		g.run(espatScript{})
	}
	return g.close()
}

// Bytes returns a log in memory, for tests and benchmarks. It panics on
// options Write rejects, a programming error.
func Bytes(opt Options) []byte {
	var b bytes.Buffer
	b.Grow(int(opt.Size) + 4096)
	if err := Write(&b, opt); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// Validate reports options that Write rejects.
func (o Options) Validate() error {
	_, err := o.normalize()
	return err
}

func (o Options) normalize() (Options, error) {
	if o.Dialect == "" {
		o.Dialect = Dialects[0]
	}
	if o.Format == "" {
		o.Format = Formats[0]
	}
	limit, ok := maxClients[o.Dialect]
	if !ok {
		return o, fmt.Errorf("unknown dialect %q: want one of %v", o.Dialect, Dialects)
	}
	if !slices.Contains(Formats, o.Format) {
		return o, fmt.Errorf("unknown format %q: want one of %v", o.Format, Formats)
	}
	switch {
	case o.Clients == 0:
		o.Clients = limit
	case o.Clients < 0 || o.Clients > limit:
		return o, fmt.Errorf("%d clients: %s has 1 to %d", o.Clients, o.Dialect, limit)
	}
	if o.Shape == "" {
		o.Shape = Shapes[0]
	}
	if _, ok := shapes[o.Shape]; !ok {
		return o, fmt.Errorf("unknown shape %q: want one of %v", o.Shape, Shapes)
	}
	if o.Size <= 0 {
		o.Size = 1 << 20
	}
	return o, nil
}

// lineKind is who wrote a line and how.
type lineKind uint8

const (
	hostLine   lineKind = iota // a command the host sent (echoed where the log shows echoes)
	moduleLine                 // a response, result or URC
	promptLine                 // the "> " data prompt
	dataLine                   // payload bytes after a prompt
)

// line is one line of the log, scheduled at a time. client and epoch let a
// link loss cancel what the lost link would still have delivered.
type line struct {
	at     time.Time
	seq    int
	kind   lineKind
	text   string
	cont   bool // continues the block of the line before: no CR LF of its own before it
	client int
	epoch  int // -1: never cancelled
}

// gen holds the clock, the scheduled module lines and the output.
type gen struct {
	opt    Options
	w      *bufio.Writer
	out    []byte // the line being rendered
	n      int64  // bytes written
	err    error
	now    time.Time
	seq    int
	due    lineHeap
	epochs []int // per client: bumped by a link loss
	ids    msgIDs
	cmdID  int // the last command id the broker sent
	r      rng
	render func(g *gen, l *line)
	clock  clockCache
	shape  shape
	left   []int // per client: operations until it reconnects (shapes of short connections)
	conns  []int // per client: connections so far (shapes with a client ID per connection)
}

func newGen(w io.Writer, opt Options) *gen {
	g := &gen{
		opt: opt, w: bufio.NewWriterSize(w, 64<<10), now: time.Date(2024, 5, 30, 8, 0, 0, 0, time.UTC),
		epochs: make([]int, opt.Clients), ids: make(msgIDs, opt.Clients), cmdID: 1000, r: rng(opt.Seed*0x9E3779B97F4A7C15 + 1),
		shape: shapes[opt.Shape], conns: make([]int, opt.Clients),
	}
	g.render = map[string]func(*gen, *line){"qcom": renderQCOM, "raw": renderRaw, "stamped": renderStamped}[opt.Format]
	return g
}

// full reports whether the log has reached its size.
func (g *gen) full() bool { return g.n >= g.opt.Size || g.err != nil }

// advance moves the host's clock on, writing the module lines due by then.
func (g *gen) advance(d time.Duration) {
	g.now = g.now.Add(d)
	g.flushDue(g.now)
}

// flushDue writes the scheduled lines due at or before t, in time order.
func (g *gen) flushDue(t time.Time) {
	for len(g.due) > 0 && !g.due[0].at.After(t) {
		l := heap.Pop(&g.due).(*line)
		if l.epoch < 0 || l.epoch == g.epochs[l.client] {
			g.write(l)
		}
	}
}

// now-lines: a command block is written at once, after what was due.
func (g *gen) tx(text string)      { g.emit(hostLine, text) }
func (g *gen) rx(text string)      { g.emit(moduleLine, text) }
func (g *gen) prompt()             { g.emit(promptLine, "> ") }
func (g *gen) data(payload string) { g.emit(dataLine, payload) }

func (g *gen) emit(k lineKind, text string) {
	g.flushDue(g.now)
	g.write(&line{at: g.now, seq: g.next(), kind: k, text: text, epoch: -1})
}

// later schedules module lines of client d from now, sent as one block; a
// link loss of the client before then cancels them.
func (g *gen) later(d time.Duration, client int, texts ...string) {
	for i, text := range texts {
		heap.Push(&g.due, &line{at: g.now.Add(d), seq: g.next(), kind: moduleLine, text: text, cont: i > 0, client: client, epoch: g.epochs[client]})
	}
}

// lose drops what client's link would still have delivered.
func (g *gen) lose(client int) { g.epochs[client]++ }

func (g *gen) next() int { g.seq++; return g.seq }

func (g *gen) write(l *line) {
	if g.err != nil {
		return
	}
	g.out = g.out[:0]
	g.render(g, l)
	n, err := g.w.Write(g.out)
	g.n += int64(n)
	g.err = err
}

// close writes what is still due and flushes.
func (g *gen) close() error {
	g.flushDue(g.now.Add(time.Hour))
	if err := g.w.Flush(); g.err == nil {
		g.err = err
	}
	return g.err
}

// ms is a random delay of lo to lo+spread milliseconds.
func (g *gen) ms(lo, spread int) time.Duration {
	return time.Duration(lo+g.r.intn(spread+1)) * time.Millisecond
}

// script is how a dialect says each part of a session: the module set-up,
// a client's connect (open, connect, subscribe to its loop and command
// topics), a publish whose result comes d ms or more later, a message the
// broker pushes d ms or more from now, a link loss, and the client's end.
type script interface {
	preamble(g *gen)
	connect(g *gen, c int)
	pub(g *gen, c, qos int, topic, payload string, d int)
	recv(g *gen, c, d int, topic, payload string)
	lose(g *gen, c int)
	end(g *gen, c int)
}

// lossEvery is how many steps pass between link losses.
const lossEvery = 997

func (g *gen) run(s script) {
	s.preamble(g)
	for c := range g.opt.Clients {
		s.connect(g, c)
	}
	for i := 0; !g.full(); i++ {
		g.shape.step(g, s, i)
	}
	for c := range g.opt.Clients {
		s.end(g, c)
	}
}

// step is one message of client c: of 20, 2 are commands the device
// answers (a JSON id, and the id as the reply topic's last level), 5
// messages looped back through the broker, and the rest telemetry at QoS
// 0 and 1 in turn.
func (g *gen) step(s script, c, i int) {
	dev := fmt.Sprintf("fleet/dev-%d/", c)
	switch k := g.r.intn(20); {
	case k < 2:
		g.cmdID++
		s.recv(g, c, 0, dev+"cmd/"+strconv.Itoa(g.cmdID), command(g.cmdID))
		g.advance(g.ms(100, 400))
		s.pub(g, c, 1, dev+"reply/"+strconv.Itoa(g.cmdID), reply(g, g.cmdID), 80)
	case k < 7:
		payload := loopback(g, i)
		s.pub(g, c, 1, dev+"loop", payload, 60)
		s.recv(g, c, 90, dev+"loop", payload)
	default:
		s.pub(g, c, i%2, dev+"telemetry", telemetry(g, i), 40)
	}
}

// signal is the signal-quality poll hosts run now and then.
func signal(g *gen) {
	g.tx("AT+CSQ")
	g.rx(fmt.Sprintf("+CSQ: %d,99", 14+g.r.intn(3)*5))
	g.rx("OK")
}

// modemPreamble is the SIM and network check before MQTT.
func modemPreamble(g *gen) {
	for _, x := range [][]string{
		{"AT", "OK"},
		{"AT+CPIN?", "+CPIN: READY", "OK"},
		{"AT+CSQ", "+CSQ: 19,99", "OK"},
		{"AT+CEREG?", "+CEREG: 0,1", "OK"},
	} {
		g.tx(x[0])
		for _, r := range x[1:] {
			g.rx(r)
		}
		g.advance(g.ms(100, 200))
	}
}

// Payloads of the three kinds of traffic.
func telemetry(g *gen, i int) string {
	return fmt.Sprintf(`{"seq":%d,"temp":%d.%d,"hum":%d,"bat":%d}`, i, 20+g.r.intn(15), g.r.intn(10), 30+g.r.intn(50), 3000+g.r.intn(1200))
}

func loopback(g *gen, i int) string {
	return fmt.Sprintf(`{"seq":%d,"ts":%d}`, i, g.now.UnixMilli())
}

func command(id int) string { return fmt.Sprintf(`{"method":"report","id":%d}`, id) }

func reply(g *gen, id int) string {
	return fmt.Sprintf(`{"id":%d,"code":200,"data":{"rssi":-%d}}`, id, 60+g.r.intn(40))
}

// lineHeap orders scheduled lines by time, then by when they were
// scheduled.
type lineHeap []*line

func (h lineHeap) Len() int { return len(h) }
func (h lineHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h lineHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *lineHeap) Push(x any)   { *h = append(*h, x.(*line)) }
func (h *lineHeap) Pop() any {
	old := *h
	l := old[len(old)-1]
	*h = old[:len(old)-1]
	return l
}

// rng is a small deterministic generator (64-bit LCG, Knuth's MMIX
// constants), so that logs never depend on math/rand's algorithms.
type rng uint64

func (r *rng) intn(n int) int {
	*r = *r*6364136223846793005 + 1442695040888963407
	return int((uint64(*r) >> 33) % uint64(n))
}
