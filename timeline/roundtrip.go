package timeline

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"atscope/dialect"
)

// Round trips pair a message with the message that answers it, without help
// from the user:
//
//   - loopback (publish → receive): a client publishes, and a client of the
//     same log that is subscribed to the topic (wildcards + and # count)
//     later receives a message on that topic with the same payload. The
//     receiver may be another client of the same log: two clients of one
//     module looping messages to each other are one test. A publish that
//     two subscribed clients receive makes two round trips (one request).
//   - by id (publish → receive and receive → publish): the answer carries
//     the request's id, in a JSON field of the payload (id, msgid, mid,
//     messageId, requestId, ...; the same field name on both sides) or as
//     the last level of the topic (command/send/1001 → command/reply/1001).
//     A topic-level id counts only where the received side came in through
//     a subscription with a wildcard at that level (command/send/+). Ids
//     pair within one client: answers come back over the connection that
//     asked, and unrelated clients reuse small ids.
//   - user rules (--match-topic A=B): a message on a topic matching A and
//     the next message on a topic matching B, from any client of the log.
//
// Each answer pairs with the latest unanswered request before it that it
// matches: a lost answer then leaves its own request unanswered instead of
// shifting every later pair. Requests that expected an answer (a publish
// on a topic some client subscribes to, a message with a JSON id, a
// received message with a wildcard topic id, or a message on a rule's
// request topic) and got none are counted as unmatched. Messages that are
// neither request nor answer are counted as unpaired.

// Round-trip directions, named after the request's and the answer's op.
const (
	PublishReceive = "publish-receive"
	ReceivePublish = "receive-publish"
)

// What paired a round trip (RoundTrip.MatchedBy joins them with "+").
const (
	ByLoopback    = "loopback"     // same topic and payload
	ByJSONPrefix  = "json:"        // + the field name: "json:id"
	ByTopicSuffix = "topic-suffix" // the last topic level
	ByRule        = "match-topic"  // a --match-topic rule
)

// RoundTrip is a request and the message that answered it.
type RoundTrip struct {
	Dir               string // PublishReceive, ReceivePublish, or for rules any "<op>-<op>"
	Request, Response *dialect.Op
	// RequestTopic and ResponseTopic are what the trip is grouped under:
	// a received message's side shows the subscription filter that
	// delivered it; a published side shows its topic, with the id level
	// written as + when a topic-level id paired it; rules show their
	// filters.
	RequestTopic, ResponseTopic string
	MatchedBy                   string // ByLoopback, "json:id", ... joined with "+"
}

// Latency is the time from the request to its answer: from a publish's
// send (dialect.Op.Sent, else its command) or a receive's first line, to
// the same point of the answer. ok is false without logged times.

func (rt *RoundTrip) Latency() (time.Duration, bool) {
	if rt.Request == nil || rt.Response == nil {
		return 0, false
	}
	return tripLatency(clockOf(rt.Request), clockOf(rt.Response))
}

// msgClock is what the latency of a round trip needs of its ops.
type msgClock struct {
	timed       bool
	when, start time.Time // msgTime and Start
}

func clockOf(op *dialect.Op) msgClock { return msgClock{op.Timed, msgTime(op), op.Start} }

func tripLatency(req, resp msgClock) (time.Duration, bool) {
	if !req.timed || !resp.timed {
		return 0, false
	}
	to, from := resp.when, req.when
	if from.After(to) {
		from = req.start
	}
	if from.After(to) {
		return 0, false
	}
	return to.Sub(from), true
}

// msgTime is when a message left (a publish: when the module took the
// payload, else its command) or arrived (a receive: its first line).
func msgTime(op *dialect.Op) time.Time {
	if op.Kind == dialect.OpPublish && !op.Sent.IsZero() {
		return op.Sent
	}
	return op.Start
}

// RoundTripRow is the round trips of one group: the requests of one
// client, direction and request topic.
type RoundTripRow struct {
	File            string
	Client          int   // the client that sent or received the request
	ResponseClients []int // the clients that answered, sorted
	Dir             string
	RequestTopic    string
	ResponseTopics  []string // sorted
	MatchedBy       []string // sorted
	// Count is the number of requests, Answered those answered at least
	// once; Count-Answered are unmatched.
	Count, Answered int
	// Samples has one latency per round trip: a loopback that two clients
	// received gives two.
	Samples Samples
}

// Unmatched is the number of requests that got no answer in the log.
func (r *RoundTripRow) Unmatched() int { return r.Count - r.Answered }

// Unpaired counts the messages of one client and op kind (publish or
// receive) that are in no round trip: neither a request nor an answer.
type Unpaired struct {
	File   string
	Client int
	Op     string
	Count  int
}

// RoundTrips is what FindRoundTrips found.
type RoundTrips struct {
	Trips    []RoundTrip // every pair, in the order of the answers (FindRoundTrips only)
	Rows     []*RoundTripRow
	Unpaired []Unpaired
}

// FindRoundTrips pairs the messages of sessions (those of one log, or of
// several: logs never pair with each other) by the rules above.
func FindRoundTrips(sessions []*Session, rules []TopicRule) *RoundTrips {
	var files []string
	byFile := map[string][]*dialect.Op{}
	for _, s := range sessions {
		if _, ok := byFile[s.File]; !ok {
			files = append(files, s.File)
		}
		byFile[s.File] = append(byFile[s.File], s.Ops...)
	}
	res := &RoundTrips{}
	for _, f := range files {
		ops := byFile[f]
		slices.SortStableFunc(ops, func(a, b *dialect.Op) int { return cmp.Compare(firstSeq(a), firstSeq(b)) })
		rf := NewRoundTripFinder(rules)
		rf.keepTrips = true
		for _, op := range ops {
			rf.Add(op)
		}
		r := rf.Result()
		res.Trips = append(res.Trips, r.Trips...)
		res.Rows = append(res.Rows, r.Rows...)
		res.Unpaired = append(res.Unpaired, r.Unpaired...)
	}
	return res
}

// maxPending bounds the unanswered requests kept under one key; older ones
// stay counted as unmatched. maxWaiting bounds the requests kept in all: a
// request that has waited while this many newer ones came is taken as
// final, so that memory stays bounded however long the log.
const (
	maxPending = 1024
	maxWaiting = 1 << 12
)

// RoundTripFinder pairs the messages of one log as its ops come, in log
// order (see Orderer), keeping only the requests that may still be
// answered:
//
//	rf := timeline.NewRoundTripFinder(rules)
//	for each op in log order: rf.Add(op)
//	res := rf.Result()
type RoundTripFinder struct {
	rules []TopicRule
	subs  map[int][]string // active subscription filters per client, in order
	// filters are the active filters of every client, without repeats.
	filters []string
	// idFilters: some filter has an id-like level (see subscribed).
	idFilters bool
	// heard caches subscribed per topic, and heardParent per the levels
	// before the id of a topic with an id level, until the subscriptions
	// change (subscribedcache.go).
	heard, heardParent map[string]bool

	waiting waitLists // requests by what answers them
	fifo    []ticket  // requests in the order they began to wait, from head
	head    int
	live    int // requests waiting
	// window is how long, in log time, a request may wait for its
	// answer; 0 for as long as the log lasts.
	window time.Duration
	// lastLevels is the id-like last level each client last used under a
	// topic's other levels, for each op kind: one that repeats is a
	// constant (the client number in telemetry/3), not an id. Levels and
	// parents are kept as hashes (levelSeed): nothing to copy or keep.
	lastLevels map[levelKey]uint64
	levelSeed  maphash.Seed

	// Messages are reused once done with (messagepool.go).
	free []*message // messages done with
	slab []message  // messages never used

	keepTrips      bool
	trips          []RoundTrip
	file           string
	rows           map[rowKey]*RoundTripRow
	unpaired       map[upKey]*int
	recentRows     recentKeys[rowKey, *RoundTripRow]
	recentUnpaired recentKeys[upKey, *int]
}

type rowKey struct {
	client int
	dir    string
	topic  string
}

type levelKey struct {
	client int
	kind   dialect.OpKind
	parent uint64 // hash of the levels before the last
}

type upKey struct {
	client int
	op     dialect.OpKind // not its name: cheaper to hash
}

// DefaultWindow is how long a request waits for its answer, in log time,
// before it is counted as unanswered and dropped (latency --window).
const DefaultWindow = 10 * time.Minute

// NewRoundTripFinder returns a finder with the user's --match-topic rules,
// whose requests wait DefaultWindow.
func NewRoundTripFinder(rules []TopicRule) *RoundTripFinder {
	return &RoundTripFinder{rules: rules, window: DefaultWindow, subs: map[int][]string{},
		heard: map[string]bool{}, heardParent: map[string]bool{}, waiting: newWaitLists(),
		lastLevels: map[levelKey]uint64{}, levelSeed: maphash.MakeSeed(),
		rows: map[rowKey]*RoundTripRow{}, unpaired: map[upKey]*int{}}
}

// message is a publish or receive being paired: what pairing needs of its
// op, which is only kept when the finder keeps its trips.
type message struct {
	op      *dialect.Op
	client  int
	kind    dialect.OpKind
	topic   string
	payload string
	clock   msgClock

	ids    []jsonID // id fields of a JSON payload
	suffix string   // an id-like last topic level
	levels int      // topic levels, with a suffix
	filter string   // receive: the subscription filter that delivered it
	// wildLast: the filter has a wildcard at the topic's last level, so
	// that level varies per message (worked out with a suffix only).
	wildLast bool

	request  bool   // expects an answer
	rule     int    // index of the rule whose request it is, or -1
	dir      string // request direction, once known
	answered bool   // paired with an answer by id, suffix or rule
	gotBy    []int  // loopback: the clients that received it back
	answer   bool   // it answered a request
	// tentative: a failed publish, paired only if its message comes back
	tentative bool
	trips     []trip      // the answers it got, for requests
	waits     []*waitList // the lists it waits in
	done      bool        // counted in the rows
	life      uint64      // bumped each time the message is reused

	// Room for what most messages need, where the slices above start: in
	// the message, next to what expiring it reads anyway, rather than on
	// cache lines of their own.
	room struct {
		waits [2]*waitList
		trips [1]trip
		gotBy [2]int
		ids   [1]jsonID
	}
}

// label is what paired a trip: a rule, a JSON id field, the topic suffix.
type label struct {
	rule    bool
	idField string
	suffix  bool
}

// trip is what a request's row needs of one of its answers.
type trip struct {
	dir, reqTopic, respTopic, by string
	respClient                   int
	d                            time.Duration
	timed                        bool
}

// waitKey names a list of requests waiting for the same kind of answer:
// loopback by topic and payload, a JSON id, a topic-level id, a rule.
type waitKey struct {
	kind   waitKind
	client int
	a, b   string // topic and payload; id field and value; suffix
	n      int    // topic levels; rule index
}

type waitKind uint8

const (
	waitLoop waitKind = iota
	waitPubID
	waitPubSuffix
	waitRcvID
	waitRcvSuffix
	waitRule
)

// Add takes the next op of the log.
func (m *RoundTripFinder) Add(op *dialect.Op) {
	switch op.Kind {
	case dialect.OpSubscribe:
		if op.Status != dialect.StatusFailed {
			for i, t := range op.Topics {
				if i < len(op.Granted) && op.Granted[i] >= 128 {
					continue // rejected [MQTT-3.9.3]
				}
				if !slices.Contains(m.subs[op.Client], t) {
					m.subs[op.Client] = append(m.subs[op.Client], t)
				}
			}
			m.gatherFilters()
		}
		return
	case dialect.OpUnsubscribe:
		if op.Status != dialect.StatusFailed {
			m.subs[op.Client] = slices.DeleteFunc(m.subs[op.Client], func(f string) bool { return slices.Contains(op.Topics, f) })
			m.gatherFilters()
		}
		return
	case dialect.OpPublish, dialect.OpReceive:
	default:
		return
	}
	failed := op.Status == dialect.StatusFailed
	if failed && op.Kind == dialect.OpReceive {
		return // never arrived
	}
	m.file = op.File
	// A failed publish may still have left (a link loss abandons the
	// publishes awaiting their PUBACK): it is paired if its message comes
	// back, but neither answers a request nor counts as unmatched.
	msg := m.newMessage()
	msg.client, msg.kind, msg.topic, msg.payload = op.Client, op.Kind, op.Topic, op.Payload
	msg.clock, msg.rule, msg.tentative = clockOf(op), -1, failed
	m.expire(msg.clock) // what waited past the window answers nothing now
	msg.ids = appendJSONIDs(msg.ids, op.Payload)
	if m.keepTrips {
		msg.op = op
	}
	if i := strings.LastIndexByte(op.Topic, '/'); i >= 0 && idLike(op.Topic[i+1:]) && m.varies(msg, i) {
		msg.suffix = op.Topic[i+1:]
		msg.levels = strings.Count(op.Topic, "/") + 1
	}
	if op.Kind == dialect.OpReceive {
		msg.filter = m.delivering(op.Client, op.Topic)
		msg.wildLast = msg.suffix != "" && wildAtLevel(msg.filter, msg.levels)
	}

	switch {
	case !msg.tentative && m.ruleAnswer(msg) || m.ruleRequest(msg):
	case op.Kind == dialect.OpPublish:
		m.publish(msg)
	default:
		m.receive(msg)
	}
	if len(msg.waits) == 0 {
		m.finish(msg)
	}
	m.expire(msg.clock)
}

// forgetLevel takes the earlier messages of msg's topic out of the list
// that waits for an answer by its last level, now known to be constant.
func (m *RoundTripFinder) forgetLevel(msg *message, level string) {
	kind := waitPubSuffix
	if msg.kind == dialect.OpReceive {
		kind = waitRcvSuffix
	}
	l := m.waiting.find(waitKey{kind: kind, client: msg.client, a: level, n: strings.Count(msg.topic, "/") + 1})
	if l == nil {
		return
	}
	for i := 0; i < len(l.msgs); {
		if x := l.msgs[i]; x.topic == msg.topic {
			l.msgs = slices.Delete(l.msgs, i, i+1)
			x.suffix, x.levels, x.wildLast = "", 0, false
			if x.kind == dialect.OpReceive && len(x.trips) == 0 {
				x.request = len(x.ids) > 0 // the level asked for nothing
			}
			m.leave(x, l)
			continue
		}
		i++
	}
	m.waiting.dropIfEmpty(l)
}

// SetWindow sets how long, in log time, a request may wait for its
// answer before it is counted as unanswered; 0 waits as long as the log
// lasts (within maxWaiting).
func (m *RoundTripFinder) SetWindow(d time.Duration) { m.window = d }

// varies reports whether the last level of msg's topic (after the / at i)
// differs from the last one its client used under the same other levels
// with the same op kind: an id changes from message to message, a
// constant level (a client number) does not.
func (m *RoundTripFinder) varies(msg *message, i int) bool {
	k := levelKey{msg.client, msg.kind, maphash.String(m.levelSeed, msg.topic[:i])}
	level := msg.topic[i+1:]
	h := maphash.String(m.levelSeed, level)
	last, seen := m.lastLevels[k]
	if seen && last == h {
		m.forgetLevel(msg, level)
		return false
	}
	if !seen && len(m.lastLevels) >= 4096 {
		clear(m.lastLevels) // many topics: keep the memory small
	}
	m.lastLevels[k] = h
	return true
}

// delivering is the subscription filter of client that matches topic: an
// exact one first, else the first that matches.
func (m *RoundTripFinder) delivering(client int, topic string) string {
	subs := m.subs[client]
	if slices.Contains(subs, topic) {
		return topic
	}
	for _, f := range subs {
		if MatchTopic(f, topic) {
			return f
		}
	}
	return ""
}

// gatherFilters updates filters after a subscription changed, and forgets
// what they matched.
func (m *RoundTripFinder) gatherFilters() {
	clear(m.heard)
	clear(m.heardParent)
	m.filters = m.filters[:0]
	for _, subs := range m.subs {
		for _, f := range subs {
			if !slices.Contains(m.filters, f) {
				m.filters = append(m.filters, f)
			}
		}
	}
	m.idFilters = slices.ContainsFunc(m.filters, hasIDLevel)
}

// matchesFilter reports whether a filter of some client matches topic.
func (m *RoundTripFinder) matchesFilter(topic string) bool {
	return slices.ContainsFunc(m.filters, func(f string) bool { return MatchTopic(f, topic) })
}
