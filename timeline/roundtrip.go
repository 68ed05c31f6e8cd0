package timeline

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
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

// TopicRule pairs requests on topics that match the filter Request with
// answers on topics that match Response (--match-topic A=B).
type TopicRule struct {
	Request, Response string
}

// ParseTopicRule parses "A=B".
func ParseTopicRule(s string) (TopicRule, error) {
	a, b, ok := strings.Cut(s, "=")
	if !ok {
		return TopicRule{}, fmt.Errorf("%q: want REQUEST_TOPIC=RESPONSE_TOPIC", s)
	}
	r := TopicRule{Request: strings.TrimSpace(a), Response: strings.TrimSpace(b)}
	for _, f := range []string{r.Request, r.Response} {
		if err := ValidFilter(f); err != nil {
			return TopicRule{}, fmt.Errorf("%q: %w", s, err)
		}
	}
	return r, nil
}

// ValidFilter checks an MQTT topic filter: not empty, + only as a whole
// level, # only as the whole last level [MQTT-4.7.1-2] [MQTT-4.7.1-3].
func ValidFilter(f string) error {
	if f == "" {
		return fmt.Errorf("empty topic filter")
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		switch {
		case l == "#" && i != len(levels)-1:
			return fmt.Errorf("topic filter %q: # must be the last level", f)
		case l != "+" && l != "#" && strings.ContainsAny(l, "+#"):
			return fmt.Errorf("topic filter %q: wildcards must fill a whole level", f)
		}
	}
	return nil
}

// MatchTopic reports whether topic matches the MQTT filter: + matches one
// level, # the rest (including the parent: "a/#" matches "a"), and a
// wildcard first level does not match topics starting with $ [MQTT-4.7.2-1].
// A shared subscription "$share/group/filter" matches like its filter.
func MatchTopic(filter, topic string) bool {
	if rest, ok := strings.CutPrefix(filter, "$share/"); ok {
		if _, f, ok := strings.Cut(rest, "/"); ok {
			filter = f
		}
	}
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		fl, frest, fmore := cutLevel(filter)
		if fl == "#" {
			return true
		}
		tl, trest, tmore := cutLevel(topic)
		if fl != "+" && fl != tl {
			return false
		}
		switch {
		case !fmore && !tmore:
			return true
		case !tmore:
			return frest == "#" // "a/#" matches "a"
		case !fmore:
			return false
		}
		filter, topic = frest, trest
	}
}

// cutLevel is strings.Cut(s, "/"), which MatchTopic calls often enough
// for the general search behind strings.Cut to show.
func cutLevel(s string) (level, rest string, more bool) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

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
	// change.
	heard, heardParent map[string]bool

	waiting waitLists // requests by what answers them
	fifo    []ticket  // requests in the order they began to wait
	live    int       // requests waiting

	// Messages are reused once done with: a log has millions of messages
	// but only a few thousand wait at a time.
	free []*message // messages done with
	slab []message  // messages never used

	// Strings made from others, made once: trip directions, what paired
	// a trip, topics with their id level written +.
	dirs     memo[[2]dialect.OpKind]
	labels   memo[label]
	idLevels memo[string]

	keepTrips bool
	trips     []RoundTrip
	file      string
	rows      map[rowKey]*RoundTripRow
	unpaired  map[upKey]*int
	// The last row and unpaired count of each client and op kind, which
	// most messages count in.
	recentRows     recentKeys[rowKey, *RoundTripRow]
	recentUnpaired recentKeys[upKey, *int]
}

type rowKey struct {
	client int
	dir    string
	topic  string
}

type upKey struct {
	client int
	op     dialect.OpKind // not its name: cheaper to hash
}

// NewRoundTripFinder returns a finder with the user's --match-topic rules.
func NewRoundTripFinder(rules []TopicRule) *RoundTripFinder {
	return &RoundTripFinder{rules: rules, subs: map[int][]string{}, heard: map[string]bool{}, heardParent: map[string]bool{}, waiting: newWaitLists(),
		dirs: memo[[2]dialect.OpKind]{}, labels: memo[label]{}, idLevels: memo[string]{},
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

// ticket is a message's place in the queue of those that wait, valid while
// the message lives the life it began to wait in.
type ticket struct {
	msg  *message
	life uint64
}

func (t ticket) valid() bool { return t.msg.life == t.life }

// newMessage is an empty message, reusing one done with when it can: the
// slices keep their room.
func (m *RoundTripFinder) newMessage() *message {
	if n := len(m.free); n > 0 {
		msg := m.free[n-1]
		m.free = m.free[:n-1]
		return msg
	}
	if len(m.slab) == 0 {
		m.slab = newSlab(256)
	}
	msg := &m.slab[0]
	m.slab = m.slab[1:]
	return msg
}

// newSlab makes n messages at once, their slices in their room.
func newSlab(n int) []message {
	msgs := make([]message, n)
	for i := range msgs {
		msg := &msgs[i]
		msg.waits, msg.trips = msg.room.waits[:0], msg.room.trips[:0]
		msg.gotBy, msg.ids = msg.room.gotBy[:0], msg.room.ids[:0]
	}
	return msgs
}

// finish counts a message that can no longer change, and keeps it for
// reuse: nothing refers to it any more but stale tickets.
func (m *RoundTripFinder) finish(msg *message) {
	m.count(msg)
	*msg = message{ids: msg.ids[:0], gotBy: msg.gotBy[:0], trips: msg.trips[:0], waits: msg.waits[:0], life: msg.life + 1}
	m.free = append(m.free, msg)
}

// memo holds strings made from others, so that each is made once. It
// forgets them all past a bound: the keys come from the log.
type memo[K comparable] map[K]string

func (c memo[K]) get(k K, make func() string) string {
	if s, ok := c[k]; ok {
		return s
	}
	if len(c) >= 1024 {
		clear(c)
	}
	s := make()
	c[k] = s
	return s
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
	msg.ids = appendJSONIDs(msg.ids, op.Payload)
	if m.keepTrips {
		msg.op = op
	}
	if i := strings.LastIndexByte(op.Topic, '/'); i >= 0 && idLike(op.Topic[i+1:]) {
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
	m.expire()
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

// hasIDLevel reports whether a filter has a level that looks like an id.
func hasIDLevel(filter string) bool {
	for l := range strings.SplitSeq(filter, "/") {
		if idLike(l) {
			return true
		}
	}
	return false
}

// subscribed reports whether any client is subscribed to msg's topic.
// Topics with an id level are many, each seen once or twice: they are
// remembered by the levels before the id instead, which decide alone
// while no filter names an id (a wildcard matches every id, another level
// none).
func (m *RoundTripFinder) subscribed(msg *message) bool {
	cache, key := m.heard, msg.topic
	if msg.suffix != "" {
		if m.idFilters {
			return m.matchesFilter(msg.topic)
		}
		cache, key = m.heardParent, msg.topic[:len(msg.topic)-len(msg.suffix)]
	}
	if yes, ok := cache[key]; ok {
		return yes
	}
	yes := m.matchesFilter(msg.topic)
	if len(cache) >= 1024 {
		clear(cache) // many topics: keep the cache small
	}
	cache[key] = yes
	return yes
}

// matchesFilter reports whether a filter of some client matches topic.
func (m *RoundTripFinder) matchesFilter(topic string) bool {
	return slices.ContainsFunc(m.filters, func(f string) bool { return MatchTopic(f, topic) })
}

func (m *RoundTripFinder) ruleAnswer(msg *message) bool {
	for ri, r := range m.rules {
		if !MatchTopic(r.Response, msg.topic) {
			continue
		}
		l := m.waiting.find(waitKey{kind: waitRule, n: ri})
		if l == nil {
			continue
		}
		reqs := l.msgs
		// The latest unanswered request with the same JSON id, else the
		// latest unanswered one.
		pick, byID := -1, ""
		for i := len(reqs) - 1; i >= 0 && byID == ""; i-- {
			if reqs[i].answered {
				continue
			}
			if f := sharedID(reqs[i].ids, msg.ids); f != "" {
				pick, byID = i, f
			} else if pick < 0 {
				pick = i
			}
		}
		if pick < 0 {
			continue
		}
		req := reqs[pick]
		req.answered = true
		m.pair(req, msg, r.Request, r.Response, m.matchedBy(label{rule: true, idField: byID}))
		m.trimAnswered(l)
		m.waiting.dropIfEmpty(l)
		return true
	}
	return false
}

func (m *RoundTripFinder) ruleRequest(msg *message) bool {
	for ri, r := range m.rules {
		if MatchTopic(r.Request, msg.topic) {
			msg.request, msg.rule = true, ri
			msg.dir = PublishReceive // until an answer says otherwise
			if msg.kind == dialect.OpReceive {
				msg.dir = ReceivePublish
			}
			m.wait(waitKey{kind: waitRule, n: ri}, msg)
			return true
		}
	}
	return false
}

// publish answers a received request, and is a request itself when a
// client is subscribed to its topic or it carries a JSON id.
func (m *RoundTripFinder) publish(msg *message) {
	var req *message
	if !msg.tentative {
		var by label
		req, by = m.requestByID(msg, waitRcvID, waitRcvSuffix, msg.suffix != "")
		if req != nil {
			req.answered = true
			respTopic := msg.topic
			if by.suffix {
				respTopic = m.withIDLevel(msg.topic)
			}
			m.pair(req, msg, m.receivedTopic(req), respTopic, m.matchedBy(by))
		}
	}

	// A publish is a loopback request whenever a client is subscribed to
	// its topic, even when it answered a request itself; its ids are the
	// answer's, so they ask for nothing more.
	loopback := m.subscribed(msg)
	if loopback {
		m.wait(waitKey{kind: waitLoop, a: msg.topic, b: msg.payload}, msg)
	}
	if req == nil {
		for _, id := range msg.ids {
			m.wait(waitKey{kind: waitPubID, client: msg.client, a: id.field, b: id.value}, msg)
		}
		if msg.suffix != "" {
			m.wait(waitKey{kind: waitPubSuffix, client: msg.client, a: msg.suffix, n: msg.levels}, msg)
		}
	}
	if loopback || (req == nil && len(msg.ids) > 0) {
		msg.request, msg.dir = true, PublishReceive
	}
}

// receive answers a publish (loopback, or by id), or is a request itself
// when it carries an id.
func (m *RoundTripFinder) receive(msg *message) {
	// Loopback: the latest publish of this topic and payload that this
	// client has not received yet.
	pubs := m.waitingFor(waitKey{kind: waitLoop, a: msg.topic, b: msg.payload})
	for i := len(pubs) - 1; i >= 0; i-- {
		if !slices.Contains(pubs[i].gotBy, msg.client) {
			req := pubs[i]
			req.gotBy = append(req.gotBy, msg.client)
			m.pair(req, msg, req.topic, m.receivedTopic(msg), ByLoopback)
			return
		}
	}
	if req, by := m.requestByID(msg, waitPubID, waitPubSuffix, msg.suffix != "" && msg.wildLast); req != nil {
		req.answered = true
		reqTopic := req.topic
		if by.suffix {
			reqTopic = m.withIDLevel(reqTopic)
		}
		m.pair(req, msg, reqTopic, m.receivedTopic(msg), m.matchedBy(by))
		return
	}
	for _, id := range msg.ids {
		m.wait(waitKey{kind: waitRcvID, client: msg.client, a: id.field, b: id.value}, msg)
	}
	if msg.suffix != "" && msg.wildLast {
		m.wait(waitKey{kind: waitRcvSuffix, client: msg.client, a: msg.suffix, n: msg.levels}, msg)
	}
	if len(msg.ids) > 0 || (msg.suffix != "" && msg.wildLast) {
		msg.request, msg.dir = true, ReceivePublish
	}
}

// requestByID finds the request that msg answers by id: the latest
// unanswered one of its client with one of its JSON ids (in the idKind
// lists), else, if bySuffix, with its topic suffix (suffixKind). by says
// what paired them: the id, the suffix, or both.
func (m *RoundTripFinder) requestByID(msg *message, idKind, suffixKind waitKind, bySuffix bool) (req *message, by label) {
	for _, id := range msg.ids {
		if req = latestUnanswered(m.waitingFor(waitKey{kind: idKind, client: msg.client, a: id.field, b: id.value})); req != nil {
			by.idField = id.field
			break
		}
	}
	switch {
	case !bySuffix:
	case req == nil:
		req = latestUnanswered(m.waitingFor(waitKey{kind: suffixKind, client: msg.client, a: msg.suffix, n: msg.levels}))
		by.suffix = req != nil
	default:
		// The received side's filter must have a wildcard at the id level.
		by.suffix = req.suffix == msg.suffix && req.levels == msg.levels && (req.wildLast || msg.wildLast)
	}
	return req, by
}

// matchedBy is the MatchedBy of a trip that l paired.
func (m *RoundTripFinder) matchedBy(l label) string {
	return m.labels.get(l, func() string {
		var by []string
		if l.rule {
			by = append(by, ByRule)
		}
		if l.idField != "" {
			by = append(by, ByJSONPrefix+l.idField)
		}
		if l.suffix {
			by = append(by, ByTopicSuffix)
		}
		return strings.Join(by, "+")
	})
}

// pair records that resp answered req.
func (m *RoundTripFinder) pair(req, resp *message, reqTopic, respTopic, by string) {
	req.request = true
	resp.answer = true
	dir := m.dirs.get([2]dialect.OpKind{req.kind, resp.kind}, func() string { return req.kind.String() + "-" + resp.kind.String() })
	t := trip{dir: dir, reqTopic: reqTopic, respTopic: respTopic, by: by, respClient: resp.client}
	t.d, t.timed = tripLatency(req.clock, resp.clock)
	req.trips = append(req.trips, t)
	if m.keepTrips {
		m.trips = append(m.trips, RoundTrip{Dir: dir, Request: req.op, Response: resp.op,
			RequestTopic: reqTopic, ResponseTopic: respTopic, MatchedBy: by})
	}
}

// receivedTopic is how a received message's topic is shown: the filter
// that delivered it, else the topic.
func (m *RoundTripFinder) receivedTopic(msg *message) string {
	if msg.filter != "" {
		return msg.filter
	}
	if msg.suffix != "" && msg.wildLast {
		return m.withIDLevel(msg.topic)
	}
	return msg.topic
}

// withIDLevel writes a topic's last level (an id) as +.
func (m *RoundTripFinder) withIDLevel(topic string) string {
	i := strings.LastIndexByte(topic, '/')
	if i < 0 {
		return topic
	}
	parent := topic[:i+1]
	return m.idLevels.get(parent, func() string { return parent + "+" })
}

// count adds a message that can no longer change to the rows or to the
// unpaired counts.
func (m *RoundTripFinder) count(msg *message) {
	if msg.done {
		return
	}
	msg.done = true
	if msg.tentative && len(msg.trips) == 0 {
		return // counted as failed in the op table
	}
	if !msg.request {
		if !msg.answer {
			*m.recentUnpaired.get(msg.client, msg.kind, upKey{msg.client, msg.kind}, m.unpairedCount)++
		}
		return
	}
	dir, topic := msg.dir, msg.topic
	switch {
	case len(msg.trips) > 0:
		dir, topic = msg.trips[0].dir, msg.trips[0].reqTopic
	case msg.rule >= 0:
		topic = m.rules[msg.rule].Request
	case msg.kind == dialect.OpReceive:
		topic = m.receivedTopic(msg)
	}
	r := m.row(msg, dir, topic)
	r.Count++
	if len(msg.trips) > 0 {
		r.Answered++
	}
	for _, t := range msg.trips {
		r.ResponseClients = addSorted(r.ResponseClients, t.respClient)
		r.ResponseTopics = addSorted(r.ResponseTopics, t.respTopic)
		r.MatchedBy = addSorted(r.MatchedBy, t.by)
		if t.timed {
			r.Samples.Add(t.d)
		}
	}
}

// row is the row of a request of msg's client.
func (m *RoundTripFinder) row(msg *message, dir, topic string) *RoundTripRow {
	return m.recentRows.get(msg.client, msg.kind, rowKey{msg.client, dir, topic}, m.rowOf)
}

func (m *RoundTripFinder) rowOf(k rowKey) *RoundTripRow {
	r, ok := m.rows[k]
	if !ok {
		r = &RoundTripRow{File: m.file, Client: k.client, Dir: k.dir, RequestTopic: k.topic}
		m.rows[k] = r
	}
	return r
}

// unpairedCount is where the unpaired messages of a client and op kind are
// counted.
func (m *RoundTripFinder) unpairedCount(k upKey) *int {
	n, ok := m.unpaired[k]
	if !ok {
		n = new(int)
		m.unpaired[k] = n
	}
	return n
}

// Result ends the log: every request still waiting is final.
func (m *RoundTripFinder) Result() *RoundTrips {
	for _, t := range m.fifo {
		if t.valid() {
			m.count(t.msg)
		}
	}
	m.fifo, m.waiting, m.live = nil, newWaitLists(), 0
	res := &RoundTrips{Trips: m.trips}
	keys := make([]rowKey, 0, len(m.rows))
	for k := range m.rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.client != b.client {
			return a.client < b.client
		}
		if a.dir != b.dir {
			return a.dir < b.dir
		}
		return a.topic < b.topic
	})
	for _, k := range keys {
		res.Rows = append(res.Rows, m.rows[k])
	}
	ups := make([]upKey, 0, len(m.unpaired))
	for k := range m.unpaired {
		ups = append(ups, k)
	}
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].client != ups[j].client {
			return ups[i].client < ups[j].client
		}
		return ups[i].op.String() < ups[j].op.String()
	})
	for _, k := range ups {
		res.Unpaired = append(res.Unpaired, Unpaired{File: m.file, Client: k.client, Op: k.op.String(), Count: *m.unpaired[k]})
	}
	return res
}

func addSorted[T int | string](s []T, v T) []T {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}

// wait adds a request to the list k, dropping the answered ones at the end
// and the oldest beyond maxPending.
func (m *RoundTripFinder) wait(k waitKey, msg *message) {
	l := m.waiting.get(k)
	m.trimAnswered(l)
	for len(l.msgs) >= maxPending {
		oldest := l.msgs[0]
		l.msgs = l.msgs[1:]
		m.leave(oldest, l)
	}
	if len(msg.waits) == 0 {
		m.fifo = append(m.fifo, ticket{msg, msg.life})
		m.live++
	}
	msg.waits = append(msg.waits, l)
	l.msgs = append(l.msgs, msg)
}

// waitingFor is the requests waiting in the list k, oldest first.
func (m *RoundTripFinder) waitingFor(k waitKey) []*message {
	if l := m.waiting.find(k); l != nil {
		return l.msgs
	}
	return nil
}

// trimAnswered drops the answered requests at the end of l.
func (m *RoundTripFinder) trimAnswered(l *waitList) {
	for n := len(l.msgs); n > 0 && l.msgs[n-1].answered; n = len(l.msgs) {
		last := l.msgs[n-1]
		l.msgs = l.msgs[:n-1]
		m.leave(last, l)
	}
}

// leave notes that msg no longer waits in l (the caller takes it out); a
// message that waits nowhere is final.
func (m *RoundTripFinder) leave(msg *message, l *waitList) {
	msg.waits = slices.DeleteFunc(msg.waits, func(w *waitList) bool { return w == l })
	if len(msg.waits) == 0 {
		m.live--
		m.finish(msg)
	}
}

// expire takes the oldest requests out of every list while more than
// maxWaiting wait, and compacts the queue of those that no longer wait.
func (m *RoundTripFinder) expire() {
	for m.live > maxWaiting && len(m.fifo) > 0 {
		t := m.fifo[0]
		m.fifo = m.fifo[1:]
		for msg := t.msg; t.valid() && len(msg.waits) > 0; {
			l := msg.waits[0]
			l.msgs = slices.DeleteFunc(l.msgs, func(x *message) bool { return x == msg })
			m.leave(msg, l)
			m.waiting.dropIfEmpty(l)
		}
	}
	if len(m.fifo) > 2*maxWaiting || len(m.fifo) > 64 && len(m.fifo) > 2*m.live {
		m.fifo = slices.DeleteFunc(m.fifo, func(t ticket) bool { return !t.valid() })
	}
}

func latestUnanswered(list []*message) *message {
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].answered {
			return list[i]
		}
	}
	return nil
}

// sharedID is the field of an id that a and b share, or "".
func sharedID(a, b []jsonID) string {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x.field
			}
		}
	}
	return ""
}

// wildAtLevel reports whether filter has a wildcard at level n (1-based) of
// a topic: a + there, or a # at or before it.
func wildAtLevel(filter string, n int) bool {
	for i := 0; filter != ""; i++ {
		l, rest, _ := strings.Cut(filter, "/")
		if l == "#" {
			return true
		}
		if i == n-1 {
			return l == "+"
		}
		filter = rest
	}
	return false
}

// idLike reports whether a topic level looks like a per-message id: digits,
// or a hex or UUID string of at least 8 characters with a digit in it.
func idLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	digits, hex := true, true
	hasDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			hasDigit = true
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '-':
			digits = false
		default:
			return false
		}
	}
	return digits || (hex && hasDigit && len(s) >= 8)
}
