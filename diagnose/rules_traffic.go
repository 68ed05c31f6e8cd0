package diagnose

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Rules about MQTT traffic: results that never came, acknowledgements,
// retransmissions, subscriptions and receive buffers.

// timeoutRule: operations whose result never came.
type timeoutRule struct{ base }

func (timeoutRule) finish(r *run) {
	type group struct{ ops []*dialect.Op }
	var order []string
	groups := map[string]*group{}
	for _, op := range r.ops {
		if !timedOut(op) || r.claimed[op] {
			continue
		}
		key := fmt.Sprint(op.Client, op.Kind, r.command(op))
		g, ok := groups[key]
		if !ok {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op)
	}
	for _, k := range order {
		g := groups[k]
		op := g.ops[0]
		var lines, first []int
		for _, o := range g.ops {
			lines = append(lines, o.Lines...)
			first = append(first, firstLineOf(o))
		}
		n := len(g.ops) + r.gapOf(op.Client).counted(foldTimeout, op.Kind, r.command(op)) // with those dropped
		sev := Warning
		if op.Kind == dialect.OpConnect || op.Kind == dialect.OpOpen {
			sev = Error
		}
		title := fmt.Sprintf("%s got no result", r.command(op))
		if n > 1 {
			title = fmt.Sprintf("%s got no result (%d times)", r.command(op), n)
		}
		why := fmt.Sprintf("The %s of %s (%s) never got its outcome: %s.", op.Kind, target(op), lineListOf(first, n), reasonOf(op))
		why += r.laterSuccess(op)
		if next := r.linkLossAfter(op); next != nil {
			why += fmt.Sprintf(" The link was lost afterwards (%s, line %d).", resultTextOp(r, next), firstLineOf(next))
		}
		r.add(Finding{Rule: idTimeout, Severity: sev, Client: op.Client, Title: title, Explanation: why,
			Advice: timeoutAdvice(op),
			Lines:  lines})
		r.claim(g.ops...)
	}
}

// timedOut reports an op whose result never came, of those the timeout
// rule explains (a QoS 1/2 publish is puback-missing's).
func timedOut(op *dialect.Op) bool {
	return op.Status == dialect.StatusTimeout && !(op.Kind == dialect.OpPublish && op.QoS >= 1)
}

func timeoutAdvice(op *dialect.Op) string {
	switch op.Kind {
	case dialect.OpConnect:
		return "Check that the broker is reachable and that the credentials and client ID are right: some brokers drop a bad CONNECT without answering. Check TLS settings for port 8883."
	case dialect.OpOpen:
		return "Check registration, the PDP context, the host and the port; a firewall that drops packets makes the open time out instead of fail."
	}
	return dialect.PacketTimeoutAdvice
}

// acked reports a dialect that shows publish acknowledgements, and
// ackEvidence what shows them, from the dialect's table.
func acked(d string) bool {
	f, ok := dialect.FactsOf(d)
	return ok && f.Acked
}

func ackEvidence(d string) string {
	if f, ok := dialect.FactsOf(d); ok && f.AckEvidence != "" {
		return f.AckEvidence
	}
	return "with a result line"
}

// pubackRule: QoS 1/2 publishes never acknowledged.
type pubackRule struct{ base }

func (pubackRule) finish(r *run) {
	byClient := map[int][]*dialect.Op{}
	var clients []int
	for _, op := range r.ops {
		if !unacked(op) || r.claimed[op] {
			continue
		}
		if _, ok := byClient[op.Client]; !ok {
			clients = append(clients, op.Client)
		}
		byClient[op.Client] = append(byClient[op.Client], op)
	}
	for _, c := range clients {
		ops := byClient[c]
		var lines, first []int
		n, abandoned := len(ops), 0 // with those the engine dropped
		if g := r.gapOf(c); g != nil {
			n, abandoned = n+g.unacked, g.unackedAbandoned
		}
		for _, op := range ops {
			lines = append(lines, op.Lines...)
			first = append(first, firstLineOf(op))
			if op.Abandoned {
				abandoned++
			}
		}
		why := fmt.Sprintf("For QoS 1 the broker answers PUBACK, for QoS 2 PUBREC and PUBCOMP, and the module reports them (%s). %s of %s got no acknowledgement (%s): the broker may not have received %s.",
			ackEvidence(ops[0].Dialect), plural(n, "publish", "publishes"), clientName(c), lineListOf(first, n), map[bool]string{true: "it", false: "them"}[n == 1])
		if loss := r.linkLossAfter(ops[len(ops)-1]); loss != nil && abandoned == 0 {
			why += fmt.Sprintf(" The link was lost afterwards (%s, line %d).", resultTextOp(r, loss), firstLineOf(loss))
		}
		switch {
		case abandoned == 1 && n == 1:
			why += " It was abandoned when the link went down: the module forgets pending messages at a link loss and does not send them again."
		case abandoned > 0:
			why += fmt.Sprintf(" %d were abandoned when the link went down: the module forgets pending messages at a link loss and does not send them again.", abandoned)
		}
		title := fmt.Sprintf("%d QoS 1/2 publishes of %s were never acknowledged", n, clientName(c))
		if n == 1 {
			title = fmt.Sprintf("A QoS %d publish of %s was never acknowledged", ops[0].QoS, clientName(c))
		}
		r.add(Finding{Rule: idPubackMissing, Severity: Warning, Client: c,
			Title:       title,
			Explanation: why,
			Advice:      "Publish again after reconnecting (the application must keep unacknowledged messages); check that the broker allows QoS 1/2 on the topic and the module's timeout settings.",
			Lines:       lines})
		r.claim(ops...)
	}
}

// unacked reports a QoS 1 or 2 publish without its acknowledgement, in a
// dialect that shows them.
func unacked(op *dialect.Op) bool {
	return op.Kind == dialect.OpPublish && op.QoS >= 1 && acked(op.Dialect) &&
		(op.Status == dialect.StatusTimeout || op.Status == dialect.StatusUnknown || op.Status == dialect.StatusFailed && op.Abandoned)
}

// retransmissionRule: the module reported retransmissions.
type retransmissionRule struct{ base }

func (retransmissionRule) finish(r *run) {
	byClient := map[int][]*dialect.Op{}
	var clients []int
	for _, op := range r.ops {
		if op.Retries <= 0 || !carriesPacketID(op) {
			continue // (a module's own reconnect attempts are not MQTT retransmissions)
		}
		if _, ok := byClient[op.Client]; !ok {
			clients = append(clients, op.Client)
		}
		byClient[op.Client] = append(byClient[op.Client], op)
	}
	for _, c := range clients {
		ops := byClient[c]
		var lines []int
		var parts []string
		total, more := 0, 0 // with the ops the engine dropped
		if g := r.gapOf(c); g != nil {
			total, more = g.retries, g.retried
		}
		for _, op := range ops {
			lines = append(lines, op.Lines...)
			total += op.Retries
			if len(parts) == maxRetriedNamed {
				more++
				continue
			}
			st := "then acknowledged"
			if op.Status != dialect.StatusOK {
				st = "and never acknowledged"
			}
			parts = append(parts, fmt.Sprintf("the %s at line %d (%s, %s)", op.Kind, firstLineOf(op), plural(op.Retries, "retransmission", "retransmissions"), st))
		}
		if more > 0 {
			parts = append(parts, "and "+plural(more, "more operation", "more operations"))
		}
		r.add(Finding{Rule: idRetransmission, Severity: Warning, Client: c,
			Title:       fmt.Sprintf("%s resent %s", clientName(c), plural(total, "packet", "packets")),
			Explanation: fmt.Sprintf("No acknowledgement came within the module's packet timeout (%s), so it sent the packet again with the DUP flag: %s. For QoS 1 the receiver may get the message twice.", dialect.RetransmitWait, strings.Join(parts, "; ")),
			Advice:      dialect.RetransmitAdvice,
			Lines:       lines})
	}
}

// maxRetriedNamed is how many retransmitted ops a finding names.
const maxRetriedNamed = 10

// carriesPacketID reports an op whose packet the module resends with the
// DUP flag when its acknowledgement is late [MQTT-3.3.1-1].
func carriesPacketID(op *dialect.Op) bool {
	return op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe
}

// subRejectedRule: a SUBACK with 0x80 (granted QoS 128).
type subRejectedRule struct{ base }

func (subRejectedRule) finish(r *run) {
	for _, op := range r.ops {
		if op.Kind != dialect.OpSubscribe {
			continue
		}
		var bad []string
		for i, g := range op.Granted {
			if g == 128 || g == 0x80 {
				t := "?"
				if i < len(op.Topics) {
					t = op.Topics[i]
				}
				bad = append(bad, strconv.Quote(t))
			}
		}
		if len(bad) == 0 {
			continue // the machines put the broker's 0x80 in Granted
		}
		f := r.factsOf(op)
		r.add(Finding{Rule: idSubRejected, Severity: Error, Client: op.Client,
			Title:       fmt.Sprintf("The broker rejected the subscription to %s", strings.Join(bad, ", ")),
			Explanation: fmt.Sprintf("The SUBACK at line %d grants QoS 128 (0x80, failure [MQTT 3.1.1 §3.9.3]) for %s: the broker refused the topic filter. Usually the device may not subscribe to it (platforms allow only the device's own topics), or the filter is malformed.", lastLineOf(op), strings.Join(bad, ", ")),
			Advice:      "Check the topic's permissions on the platform and its exact form (product key, device name, case, the $ prefix, wildcards); subscribe to one topic at a time to see which one is refused.",
			Lines:       op.Lines, Marks: resultMark(f)})
		r.claim(op)
	}
}

// unsubscribedRule: messages received on a topic that no subscription of
// the connection covers. Receives that went well are routine ops: the rule
// follows each client's ops in log order.
type unsubscribedRule struct {
	base
	clients map[int]*subscriptions
	// listed are topics that an answer to a read command names (a
	// subscription query such as AT+TCMQTTSUB? lists the filters).
	listed  []string
	reading bool
}

// maxListed bounds the topics kept from read answers.
const maxListed = 200

func (u *unsubscribedRule) event(_ *run, ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		u.reading = ev.Form == decode.FormRead
	case decode.KindResult:
		u.reading = false
	case decode.KindResponse:
		if !u.reading || len(u.listed) >= maxListed {
			return
		}
		for _, a := range strings.Split(ev.Args, ",") {
			if t := strings.TrimSpace(a); len(t) > 2 && strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`) {
				u.listed = append(u.listed, t[1:len(t)-1])
			}
		}
	}
}

// subscriptions is what a client is subscribed to, and the messages it
// received that no subscription covered.
type subscriptions struct {
	filters          []string
	connected, clean bool
	// hidden says the connection's subscribes are not all visible: the
	// connect command or a subscribe's topic is not in the log (echo off).
	hidden bool
	misses misses
}

// misses are the messages a client received on topics no subscription
// covered: per topic (the first maxMissTopics) a count and the first
// lines, and in all a count and the first lines, so that a million
// distinct topics take no more room than a thousand.
type misses struct {
	byTopic  map[string]*topicMisses
	order    []string
	messages int // in all
	other    int // on topics past maxMissTopics
	lines    []int
}

type topicMisses struct {
	n     int
	first []int // up to missLines
}

const (
	maxMissTopics = 1000
	missLines     = 5
	// maxMissLines bounds the lines of a client's finding: a million
	// messages list their first ones.
	maxMissLines = 1000
)

func (m *misses) add(topic string, line int) {
	m.messages++
	if len(m.lines) < maxMissLines {
		m.lines = append(m.lines, line)
	}
	t := m.byTopic[topic]
	if t == nil {
		if len(m.order) >= maxMissTopics {
			m.other++
			return
		}
		if m.byTopic == nil {
			m.byTopic = map[string]*topicMisses{}
		}
		topic = strings.Clone(topic)
		t = &topicMisses{}
		m.byTopic[topic] = t
		m.order = append(m.order, topic)
	}
	t.n++
	if len(t.first) < missLines {
		t.first = append(t.first, line)
	}
}

func (u *unsubscribedRule) inOrder(r *run, op *dialect.Op) {
	if op.Client == dialect.ModuleClient {
		return
	}
	if u.clients == nil {
		u.clients = map[int]*subscriptions{}
	}
	c := u.clients[op.Client]
	if c == nil {
		c = &subscriptions{clean: true}
		u.clients[op.Client] = c
	}
	switch op.Kind {
	case dialect.OpConnect:
		if op.Status == dialect.StatusOK {
			c.connected = true
			c.clean = op.Clean == nil || *op.Clean
			if c.clean {
				c.filters = nil
				c.hidden = r.factsOf(op).command.Seq < 0
			}
		}
	case dialect.OpSubscribe:
		if op.Status == dialect.StatusFailed {
			return
		}
		for i, t := range op.Topics {
			if i < len(op.Granted) && op.Granted[i] >= 128 {
				continue
			}
			c.filters = append(c.filters, t)
		}
		if len(op.Topics) == 0 && op.Topic != "" {
			c.filters = append(c.filters, op.Topic)
		}
		if len(op.Topics) == 0 && op.Topic == "" {
			c.hidden = true
		}
	case dialect.OpUnsubscribe:
		if op.Status == dialect.StatusOK {
			c.filters = slices.DeleteFunc(c.filters, func(f string) bool { return slices.Contains(op.Topics, f) || f == op.Topic })
		}
	case dialect.OpReceive:
		if !c.connected || !c.clean || c.hidden || op.Topic == "" || op.Status != dialect.StatusOK {
			return
		}
		covers := func(f string) bool { return TopicMatch(f, op.Topic) }
		if slices.ContainsFunc(c.filters, covers) || slices.ContainsFunc(u.listed, covers) {
			return
		}
		c.misses.add(op.Topic, firstLineOf(op))
	}
}

func (u *unsubscribedRule) finish(r *run) {
	for _, s := range r.clientSessions() {
		c := u.clients[s.Client]
		if c == nil || c.misses.messages == 0 {
			continue
		}
		subs := "none"
		if len(c.filters) > 0 {
			var q []string
			for _, f := range c.filters {
				q = append(q, strconv.Quote(f))
			}
			subs = strings.Join(q, ", ")
		}
		m := &c.misses
		title := fmt.Sprintf("%s received on %q, which no subscription in the log covers", clientName(s.Client), m.order[0])
		arrived := fmt.Sprintf("%s (%s)", plural(m.messages, "message arrived", "messages arrived"), lineListOf(m.lines, m.messages))
		if len(m.order) > 1 {
			topics := plural(len(m.order), "topic", "topics")
			if m.other > 0 {
				topics = fmt.Sprintf("more than %d topics", len(m.order))
			}
			title = fmt.Sprintf("%s received on %s that no subscription in the log covers", clientName(s.Client), topics)
			arrived = fmt.Sprintf("%s on %s: %s", plural(m.messages, "message arrived", "messages arrived"), topics, m.examples())
		}
		r.add(Finding{Rule: idUnsubscribed, Severity: Warning, Client: s.Client,
			Title:       title,
			Explanation: fmt.Sprintf("%s. A broker sends a client only what matches one of its subscriptions; the filters subscribed in this clean-session connection are %s. Either the subscription was made in an earlier session the broker kept, or the platform subscribes devices to some topics by itself (Aliyun RRPC and system topics, for example), or a filter has a typo.", arrived, subs),
			Advice:      "Subscribe to every topic the device handles, explicitly, after each CONNACK of a clean session; check the filters for typos ('+' matches one level, '#' all the rest, case matters).",
			Lines:       m.lines})
	}
}

// maxExamples is how many topics a grouped finding names.
const maxExamples = 3

// examples names the first topics with their lines: `"a/b" (line 12),
// "a/c" (lines 14 and 20) and 7 more`.
func (m *misses) examples() string {
	var parts []string
	for _, t := range m.order[:min(len(m.order), maxExamples)] {
		tm := m.byTopic[t]
		parts = append(parts, fmt.Sprintf("%q (%s)", t, lineListOf(tm.first, tm.n)))
	}
	s := strings.Join(parts, ", ")
	if len(m.order) > maxExamples {
		msgs := m.other
		for _, t := range m.order[maxExamples:] {
			msgs += m.byTopic[t].n
		}
		topics := plural(len(m.order)-maxExamples, "other topic", "other topics")
		if m.other > 0 {
			topics = "other topics"
		}
		s += fmt.Sprintf(", and %s on %s", plural(msgs, "message", "messages"), topics)
	}
	return s
}

// TopicMatch reports whether an MQTT topic filter matches a topic name
// [MQTT 3.1.1 §4.7]: '+' matches one level, '#' (last) the rest including
// the parent level; filters starting with a wildcard do not match topics
// starting with '$' [MQTT-4.7.2-1].
func TopicMatch(filter, topic string) bool {
	if filter == topic {
		return true
	}
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fl {
		if f == "#" {
			return i == len(fl)-1
		}
		if i >= len(tl) {
			return false
		}
		if f != "+" && f != tl[i] {
			return false
		}
	}
	return len(fl) == len(tl)
}
