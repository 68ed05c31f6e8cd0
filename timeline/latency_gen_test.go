package timeline

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file writes Quectel AT logs with known delays for the latency and
// round-trip tests and the benchmark. Output is deterministic: same calls,
// same bytes.

// genStyle is the log shape the generator writes.
type genStyle int

const (
	genQCOM  genStyle = iota // [2024-05-30 09:23:10:053_S:] AT...  (QCOM)
	genTXRX                  // 2024-05-30 09:23:10,053 TX: AT...  (Python logging)
	genPlain                 // AT...  (a terminal capture without times)
)

type genLine struct {
	at   time.Time
	seq  int
	send bool
	text string
}

// logGen collects the lines of a log and writes them in time order. The
// host's lines are written at the current time (now); the module's
// asynchronous results are scheduled after a delay and land wherever that
// time falls, between later commands if need be, as on a real serial port.
// Lines with the same time keep the order they were added in, so one
// command's block (command, prompt, payload, OK) is never split.
type logGen struct {
	style genStyle
	now   time.Time
	lines []genLine
	size  int // approximate bytes so far
}

func newLogGen(style genStyle) *logGen {
	return &logGen{style: style, now: time.Date(2024, 5, 30, 8, 0, 0, 0, time.UTC)}
}

// advance moves the host's clock on.
func (g *logGen) advance(d time.Duration) { g.now = g.now.Add(d) }

func (g *logGen) add(at time.Time, send bool, text string) {
	g.lines = append(g.lines, genLine{at: at, seq: len(g.lines), send: send, text: text})
	g.size += len(text) + 32
}

// tx is a host line now; rx a module line now; rxAfter a module line d
// from now.
func (g *logGen) tx(text string)                       { g.add(g.now, true, text) }
func (g *logGen) rx(text string)                       { g.add(g.now, false, text) }
func (g *logGen) rxAfter(d time.Duration, text string) { g.add(g.now.Add(d), false, text) }
func (g *logGen) txrx(cmd string, d time.Duration, urc string) {
	g.tx(cmd)
	g.rx("OK")
	if d >= 0 {
		g.rxAfter(d, urc)
	}
}

// open, conn, sub, unsub, disc and closeNet are the Quectel commands with
// their OK now and their result URC d later (none when d < 0). The op's
// latency is d.
func (g *logGen) open(c int, d time.Duration) {
	g.txrx(fmt.Sprintf(`AT+QMTOPEN=%d,"mqtt.example.com",1883`, c), d, fmt.Sprintf("+QMTOPEN: %d,0", c))
}

func (g *logGen) conn(c int, d time.Duration, ret int) {
	g.txrx(fmt.Sprintf(`AT+QMTCONN=%d,"dev-%d","user","pass"`, c, c), d, fmt.Sprintf("+QMTCONN: %d,0,%d", c, ret))
}

func (g *logGen) sub(c, id int, topic string, d time.Duration) {
	g.txrx(fmt.Sprintf(`AT+QMTSUB=%d,%d,"%s",1`, c, id, topic), d, fmt.Sprintf("+QMTSUB: %d,%d,0,1", c, id))
}

func (g *logGen) disc(c int, d time.Duration) {
	g.txrx(fmt.Sprintf("AT+QMTDISC=%d", c), d, fmt.Sprintf("+QMTDISC: %d,0", c))
}

func (g *logGen) closeNet(c int, d time.Duration) {
	g.txrx(fmt.Sprintf("AT+QMTCLOSE=%d", c), d, fmt.Sprintf("+QMTCLOSE: %d,0", c))
}

// pub publishes with AT+QMTPUBEX and a prompt; the module takes the payload
// now (its OK is the op's Sent time) and reports result d later (none when
// d < 0). result 0 is acknowledged, 2 failed.
func (g *logGen) pub(c, id, qos int, topic, payload string, d time.Duration, result int) {
	g.tx(fmt.Sprintf(`AT+QMTPUBEX=%d,%d,%d,0,"%s",%d`, c, id, qos, topic, len(payload)))
	g.rx(">")
	g.tx(payload)
	g.rx("OK")
	if d >= 0 {
		g.rxAfter(d, fmt.Sprintf("+QMTPUBEX: %d,%d,%d", c, id, result))
	}
}

// recvAfter is a +QMTRECV push d from now.
func (g *logGen) recvAfter(d time.Duration, c, id int, topic, payload string) {
	g.rxAfter(d, fmt.Sprintf(`+QMTRECV: %d,%d,"%s","%s"`, c, id, topic, payload))
}

// stat is a +QMTSTAT link loss now. The client's results and pushes still
// due are dropped: a lost link delivers nothing more.
func (g *logGen) stat(c, code int) {
	pub, recv := fmt.Sprintf("+QMTPUBEX: %d,", c), fmt.Sprintf("+QMTRECV: %d,", c)
	horizon := g.now.Add(-time.Minute) // scheduled lines are never further ahead
	for i := len(g.lines) - 1; i >= 0 && g.lines[i].at.After(horizon); i-- {
		l := g.lines[i]
		if l.at.After(g.now) && !l.send && (strings.HasPrefix(l.text, pub) || strings.HasPrefix(l.text, recv)) {
			g.size -= len(l.text) + 32
			g.lines = slices.Delete(g.lines, i, i+1)
		}
	}
	g.rx(fmt.Sprintf("+QMTSTAT: %d,%d", c, code))
}

// bytes renders the log.
func (g *logGen) bytes() []byte {
	lines := slices.Clone(g.lines)
	slices.SortStableFunc(lines, func(a, b genLine) int { return a.at.Compare(b.at) })
	var b bytes.Buffer
	b.Grow(g.size)
	g.render(&b, lines)
	return b.Bytes()
}

// render writes lines in the generator's style.
func (g *logGen) render(b *bytes.Buffer, lines []genLine) {
	for _, l := range lines {
		switch g.style {
		case genQCOM:
			dir := 'R'
			if l.send {
				dir = 'S'
			}
			fmt.Fprintf(b, "[%s:%03d_%c:] %s\r\n", l.at.Format("2006-01-02 15:04:05"), l.at.Nanosecond()/1e6, dir, l.text)
		case genTXRX:
			dir := "RX"
			if l.send {
				dir = "TX"
			}
			fmt.Fprintf(b, "%s,%03d %s: %s\n", l.at.Format("2006-01-02 15:04:05"), l.at.Nanosecond()/1e6, dir, l.text)
		case genPlain:
			fmt.Fprintf(b, "%s\r\n", l.text)
		}
	}
}

// ms is n milliseconds.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// rng is a small deterministic generator (64-bit LCG, Knuth's MMIX
// constants), so generated logs never depend on math/rand's algorithms.
type rng uint64

func (r *rng) intn(n int) int {
	*r = *r*6364136223846793005 + 1442695040888963407
	return int((uint64(*r) >> 33) % uint64(n))
}

// genMultiClient writes a busy multi-client Quectel session of about size
// bytes: clients 0..clients-1 each open, connect and subscribe to their
// loopback topic and their command topic, then publish telemetry (QoS 0
// and 1), loop messages back, answer commands carrying a JSON id, and now
// and then lose the link and reconnect. Delays are random but
// deterministic.
func genMultiClient(style genStyle, clients, size int) []byte {
	g := newLogGen(style)
	r := rng(1)
	msgID := make([]int, clients)
	next := func(c int) int {
		msgID[c] = msgID[c]%65535 + 1
		return msgID[c]
	}
	connect := func(c int) {
		g.open(c, ms(300+r.intn(1500)))
		g.advance(ms(2000))
		g.conn(c, ms(150+r.intn(600)), 0)
		g.advance(ms(800))
		g.sub(c, next(c), fmt.Sprintf("fleet/dev-%d/loop", c), ms(80+r.intn(300)))
		g.advance(ms(400))
		g.sub(c, next(c), fmt.Sprintf("fleet/dev-%d/cmd/+", c), ms(80+r.intn(300)))
		g.advance(ms(400))
	}
	for c := range clients {
		connect(c)
	}
	cmdID := 1000
	for i := 0; g.size < size; i++ {
		c := i % clients
		kind := r.intn(20)
		switch {
		case i%997 == 996:
			// The broker drops the link: reopen, reconnect, resubscribe.
			g.advance(ms(50))
			g.stat(c, 1)
			g.advance(ms(500))
			connect(c)
		case kind < 2:
			// A command with an id; the device answers it.
			cmdID++
			topic := fmt.Sprintf("fleet/dev-%d/cmd/%d", c, cmdID)
			g.recvAfter(0, c, 0, topic, fmt.Sprintf(`{"method":"report","id":%d}`, cmdID))
			g.advance(ms(100 + r.intn(400)))
			reply := fmt.Sprintf(`{"id":%d,"code":200,"data":{"rssi":-%d}}`, cmdID, 60+r.intn(40))
			g.pub(c, next(c), 1, fmt.Sprintf("fleet/dev-%d/reply/%d", c, cmdID), reply, ms(80+r.intn(900)), 0)
		case kind < 7:
			// A loopback message: acknowledged, and received back.
			payload := fmt.Sprintf(`{"seq":%d,"ts":%d}`, i, g.now.UnixMilli())
			g.pub(c, next(c), 1, fmt.Sprintf("fleet/dev-%d/loop", c), payload, ms(60+r.intn(700)), 0)
			g.recvAfter(ms(90+r.intn(900)), c, 0, fmt.Sprintf("fleet/dev-%d/loop", c), payload)
		default:
			// Telemetry.
			qos := i % 2
			id := 0
			if qos > 0 {
				id = next(c)
			}
			payload := fmt.Sprintf(`{"seq":%d,"temp":%d.%d,"hum":%d,"bat":%d}`, i, 20+r.intn(15), r.intn(10), 30+r.intn(50), 3000+r.intn(1200))
			g.pub(c, id, qos, fmt.Sprintf("fleet/dev-%d/telemetry", c), payload, ms(40+r.intn(2500)), 0)
		}
		g.advance(ms(30 + r.intn(300)))
	}
	for c := range clients {
		g.disc(c, ms(100+r.intn(200)))
		g.advance(ms(400))
	}
	return g.bytes()
}
