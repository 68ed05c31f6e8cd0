package loggen

import (
	"fmt"
	"strconv"
)

// Shapes lists the accepted Options.Shape values, the default first:
//
//   - steady: the clients stay connected, lose the link every 997 steps,
//     and answer the commands they receive (a JSON id, and the id as the
//     reply topic's last level);
//   - reconnect: issue 17's independent log: each client disconnects (or
//     loses the link) every 20 to 70 operations; 35 % of the traffic is
//     downlink commands carrying a random JSON id the device never
//     answers; telemetry goes to telemetry/<client>, whose constant last
//     level is no id;
//   - urc: nine receives in ten, on about a million distinct topics under
//     one # subscription;
//   - clients: short sessions of a few operations, each with a client ID
//     of its own: thousands of MQTT clients over the module's slots;
//   - findings: failed and retransmitted publishes, receives on topics
//     never subscribed and reconnect storms: many findings.
var Shapes = []string{"steady", "reconnect", "urc", "clients", "findings"}

// shape is how one kind of log goes on after every client connected.
type shape struct {
	subs     []string // the topic levels each connection subscribes to under fleet/dev-<c>/
	step     func(g *gen, s script, i int)
	freshIDs bool // each connection has a client ID of its own
	failing  bool // publishes fail or are retransmitted now and then
}

var shapes = map[string]shape{
	"steady":    {subs: []string{"loop", "cmd/+"}, step: steadyStep},
	"reconnect": {subs: []string{"cmd/+", "zone/#"}, step: reconnectStep},
	"urc":       {subs: []string{"loop", "zone/#"}, step: urcStep},
	"clients":   {subs: []string{"loop", "cmd/+"}, step: shortStep(2, 5, 0), freshIDs: true},
	"findings":  {subs: []string{"loop", "cmd/+"}, step: shortStep(3, 5, 5), failing: true},
}

// steadyStep is one step of the steady shape: the clients take turns, a
// link loss every lossEvery steps, a signal poll every 200.
func steadyStep(g *gen, s script, i int) {
	c := i % g.opt.Clients
	if i%lossEvery == lossEvery-1 {
		g.advance(g.ms(20, 50))
		g.lose(c)
		s.lose(g, c)
		g.advance(g.ms(400, 200))
		s.connect(g, c)
		return
	}
	if i%200 == 199 {
		signal(g)
	}
	g.step(s, c, i)
	g.advance(g.ms(30, 300))
}

// reconnectStep is one step of the reconnect shape: a random client
// reconnects when its operations run out, or receives a command it never
// answers, a state change, or publishes telemetry.
func reconnectStep(g *gen, s script, i int) {
	c := g.r.intn(g.opt.Clients)
	if g.reconnectDue(s, c, 20, 50) {
		return
	}
	dev := fmt.Sprintf("fleet/dev-%d/", c)
	switch k := g.r.intn(100); {
	case k < 35:
		id := fmt.Sprintf("%08x%08x", g.r.intn(1<<30), g.r.intn(1<<30))
		s.recv(g, c, 0, dev+"cmd/set", fmt.Sprintf(`{"id":"%s","method":"setConfig","params":{"interval":%d}}`, id, 10+g.r.intn(50)))
	case k < 65:
		s.recv(g, c, 0, zoneTopic(g, dev, 100000), state(g))
	default:
		payload := fmt.Sprintf(`{"seq":%d,"rssi":-%d,"temp":%d.%d}`, i, 50+g.r.intn(50), 15+g.r.intn(20), g.r.intn(10))
		s.pub(g, c, 1, "telemetry/"+strconv.Itoa(c), payload, 40)
	}
	g.advance(g.ms(20, 200))
}

// urcStep is one step of the urc shape: nine state changes pushed for
// one telemetry publish.
func urcStep(g *gen, s script, i int) {
	c := i % g.opt.Clients
	if g.r.intn(10) == 0 {
		s.pub(g, c, i%2, fmt.Sprintf("fleet/dev-%d/telemetry", c), telemetry(g, i), 40)
	} else {
		s.recv(g, c, 0, zoneTopic(g, fmt.Sprintf("fleet/dev-%d/", c), 1000000/g.opt.Clients), state(g))
	}
	g.advance(g.ms(5, 40))
}

// shortStep makes the step of the clients and findings shapes: the
// steady traffic of a random client, each connection ending after lo to
// lo+spread operations, and, when strayEvery > 0, a receive on a topic
// never subscribed one step in strayEvery.
func shortStep(lo, spread, strayEvery int) func(g *gen, s script, i int) {
	return func(g *gen, s script, i int) {
		c := g.r.intn(g.opt.Clients)
		if g.reconnectDue(s, c, lo, spread) {
			return
		}
		if strayEvery > 0 && g.r.intn(strayEvery) == 0 {
			s.recv(g, c, 0, fmt.Sprintf("fleet/dev-%d/other/%d", c, g.r.intn(1000)), state(g))
		} else {
			g.step(s, c, i)
		}
		g.advance(g.ms(30, 300))
	}
}

// reconnectDue counts an operation of client c down and, when its
// connection's operations ran out, ends the connection (a link loss one
// time in three, else a disconnect), connects again and gives the new
// connection lo to lo+spread operations. It reports whether it did.
func (g *gen) reconnectDue(s script, c, lo, spread int) bool {
	if g.left == nil { // the first connections
		g.left = make([]int, g.opt.Clients)
		for c := range g.left {
			g.left[c] = lo + g.r.intn(spread+1)
		}
	}
	if g.left[c]--; g.left[c] >= 0 {
		return false
	}
	g.advance(g.ms(20, 50))
	if g.r.intn(3) == 0 {
		g.lose(c)
		s.lose(g, c)
	} else {
		s.end(g, c)
	}
	g.advance(g.ms(200, 200))
	s.connect(g, c)
	g.left[c] = lo + g.r.intn(spread+1)
	return true
}

// clientID is the MQTT client ID of client c's current connection.
func (g *gen) clientID(c int) string {
	if !g.shape.freshIDs {
		return fmt.Sprintf("dev-%d", c)
	}
	g.conns[c]++
	return fmt.Sprintf("dev-%d-%d", c, g.conns[c])
}

// pubResult is the result code of a publish: 0 but in the findings
// shape, where 3 in 10 fail (2) and 2 in 10 were retransmitted (1).
func (g *gen) pubResult() int {
	if !g.shape.failing {
		return 0
	}
	switch k := g.r.intn(10); {
	case k < 3:
		return 2
	case k < 5:
		return 1
	}
	return 0
}

// zoneTopic is one of n sensors' state topic in ten zones under dev.
func zoneTopic(g *gen, dev string, n int) string {
	return fmt.Sprintf("%szone/%d/sensor-%d/state", dev, g.r.intn(10), g.r.intn(n))
}

func state(g *gen) string {
	return fmt.Sprintf(`{"v":%d,"ts":%d}`, g.r.intn(1000), g.now.UnixMilli())
}
