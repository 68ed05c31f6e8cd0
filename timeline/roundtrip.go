package timeline

import (
	"cmp"
	"encoding/json"
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
		fl, frest, fmore := strings.Cut(filter, "/")
		if fl == "#" {
			return true
		}
		tl, trest, tmore := strings.Cut(topic, "/")
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
	return tripLatency(rt.Request, rt.Response)
}

func tripLatency(req, resp *dialect.Op) (time.Duration, bool) {
	if req == nil || resp == nil || !req.Timed || !resp.Timed {
		return 0, false
	}
	to := msgTime(resp)
	from := msgTime(req)
	if from.After(to) {
		from = req.Start
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
	Trips    []RoundTrip // every pair, in the order of the answers
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
		m := newMatcher(rules)
		for _, op := range ops {
			m.add(op)
		}
		m.finish(res)
	}
	return res
}

// maxPending bounds the unanswered requests kept under one key; older ones
// stay counted as unmatched.
const maxPending = 1024

// message is a publish or receive being paired.
type message struct {
	op     *dialect.Op
	ids    []jsonID // id fields of a JSON payload
	suffix string   // an id-like last topic level
	levels int      // topic levels
	filter string   // receive: the subscription filter that delivered it
	// wildLast: the filter has a wildcard at the topic's last level, so
	// that level varies per message.
	wildLast bool

	request  bool   // expects an answer
	rule     int    // index of the rule whose request it is, or -1
	dir      string // request direction, once known
	answered bool   // paired with an answer by id, suffix or rule
	gotBy    []int  // loopback: the clients that received it back
	answer   bool   // it answered a request
	// tentative: a failed publish, paired only if its message comes back
	tentative bool
	trips     []int // indexes into the result's trips, for requests
}

type jsonID struct{ field, value string }

type idKey struct {
	client int
	field  string
	value  string
}

type suffixKey struct {
	client int
	suffix string
	levels int
}

type loopKey struct{ topic, payload string }

type matcher struct {
	rules []TopicRule
	subs  map[int][]string // active subscription filters per client, in order

	loop      map[loopKey][]*message
	pubIDs    map[idKey][]*message
	pubSuffix map[suffixKey][]*message
	rcvIDs    map[idKey][]*message
	rcvSuffix map[suffixKey][]*message
	ruleReqs  [][]*message

	msgs  []*message // every publish and receive, in log order
	trips []RoundTrip
}

func newMatcher(rules []TopicRule) *matcher {
	return &matcher{
		rules: rules, subs: map[int][]string{},
		loop: map[loopKey][]*message{}, pubIDs: map[idKey][]*message{}, pubSuffix: map[suffixKey][]*message{},
		rcvIDs: map[idKey][]*message{}, rcvSuffix: map[suffixKey][]*message{}, ruleReqs: make([][]*message, len(rules)),
	}
}

func (m *matcher) add(op *dialect.Op) {
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
		}
		return
	case dialect.OpUnsubscribe:
		if op.Status != dialect.StatusFailed {
			m.subs[op.Client] = slices.DeleteFunc(m.subs[op.Client], func(f string) bool { return slices.Contains(op.Topics, f) })
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
	// A failed publish may still have left (a link loss abandons the
	// publishes awaiting their PUBACK): it is paired if its message comes
	// back, but neither answers a request nor counts as unmatched.
	msg := &message{op: op, rule: -1, ids: jsonIDs(op.Payload), levels: strings.Count(op.Topic, "/") + 1, tentative: failed}
	if i := strings.LastIndexByte(op.Topic, '/'); i >= 0 && idLike(op.Topic[i+1:]) {
		msg.suffix = op.Topic[i+1:]
	}
	if op.Kind == dialect.OpReceive {
		msg.filter = m.delivering(op.Client, op.Topic)
		msg.wildLast = wildAtLevel(msg.filter, msg.levels)
	}
	m.msgs = append(m.msgs, msg)

	if !msg.tentative && m.ruleAnswer(msg) || m.ruleRequest(msg) {
		return
	}
	if op.Kind == dialect.OpPublish {
		m.publish(msg)
	} else {
		m.receive(msg)
	}
}

// delivering is the subscription filter of client that matches topic: an
// exact one first, else the first that matches.
func (m *matcher) delivering(client int, topic string) string {
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

// subscribed reports whether any client is subscribed to topic.
func (m *matcher) subscribed(topic string) bool {
	for _, subs := range m.subs {
		for _, f := range subs {
			if MatchTopic(f, topic) {
				return true
			}
		}
	}
	return false
}

func (m *matcher) ruleAnswer(msg *message) bool {
	for ri, r := range m.rules {
		if !MatchTopic(r.Response, msg.op.Topic) {
			continue
		}
		reqs := m.ruleReqs[ri]
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
		by := ByRule
		if byID != "" {
			by += "+" + ByJSONPrefix + byID
		}
		m.pair(req, msg, r.Request, r.Response, by)
		m.ruleReqs[ri] = trimAnswered(reqs)
		return true
	}
	return false
}

func (m *matcher) ruleRequest(msg *message) bool {
	for ri, r := range m.rules {
		if MatchTopic(r.Request, msg.op.Topic) {
			msg.request, msg.rule = true, ri
			msg.dir = PublishReceive // until an answer says otherwise
			if msg.op.Kind == dialect.OpReceive {
				msg.dir = ReceivePublish
			}
			m.ruleReqs[ri] = pushPending(m.ruleReqs[ri], msg)
			return true
		}
	}
	return false
}

// publish answers a received request, and is a request itself when a
// client is subscribed to its topic or it carries a JSON id.
func (m *matcher) publish(msg *message) {
	op := msg.op
	var req *message
	var by []string
	for _, id := range msg.ids {
		if msg.tentative {
			break
		}
		if r := latestUnanswered(m.rcvIDs[idKey{op.Client, id.field, id.value}]); r != nil {
			req = r
			by = append(by, ByJSONPrefix+id.field)
			break
		}
	}
	if msg.suffix != "" && !msg.tentative {
		sk := suffixKey{op.Client, msg.suffix, msg.levels}
		if req == nil {
			if r := latestUnanswered(m.rcvSuffix[sk]); r != nil {
				req = r
				by = append(by, ByTopicSuffix)
			}
		} else if req.suffix == msg.suffix && req.levels == msg.levels && req.wildLast {
			by = append(by, ByTopicSuffix)
		}
	}
	if req != nil {
		req.answered = true
		respTopic := op.Topic
		if slices.Contains(by, ByTopicSuffix) {
			respTopic = withIDLevel(op.Topic)
		}
		m.pair(req, msg, receivedTopic(req), respTopic, strings.Join(by, "+"))
	}

	// A publish is a loopback request whenever a client is subscribed to
	// its topic, even when it answered a request itself; its ids are the
	// answer's, so they ask for nothing more.
	loopback := m.subscribed(op.Topic)
	if loopback {
		k := loopKey{op.Topic, op.Payload}
		m.loop[k] = pushPending(m.loop[k], msg)
	}
	if req == nil {
		for _, id := range msg.ids {
			k := idKey{op.Client, id.field, id.value}
			m.pubIDs[k] = pushPending(m.pubIDs[k], msg)
		}
		if msg.suffix != "" {
			k := suffixKey{op.Client, msg.suffix, msg.levels}
			m.pubSuffix[k] = pushPending(m.pubSuffix[k], msg)
		}
	}
	if loopback || (req == nil && len(msg.ids) > 0) {
		msg.request, msg.dir = true, PublishReceive
	}
}

// receive answers a publish (loopback, or by id), or is a request itself
// when it carries an id.
func (m *matcher) receive(msg *message) {
	op := msg.op
	// Loopback: the latest publish of this topic and payload that this
	// client has not received yet.
	k := loopKey{op.Topic, op.Payload}
	if pubs := m.loop[k]; len(pubs) > 0 {
		for i := len(pubs) - 1; i >= 0; i-- {
			if !slices.Contains(pubs[i].gotBy, op.Client) {
				req := pubs[i]
				req.gotBy = append(req.gotBy, op.Client)
				m.pair(req, msg, req.op.Topic, receivedTopic(msg), ByLoopback)
				return
			}
		}
	}
	var req *message
	var by []string
	for _, id := range msg.ids {
		if r := latestUnanswered(m.pubIDs[idKey{op.Client, id.field, id.value}]); r != nil {
			req = r
			by = append(by, ByJSONPrefix+id.field)
			break
		}
	}
	if msg.suffix != "" && msg.wildLast {
		sk := suffixKey{op.Client, msg.suffix, msg.levels}
		if req == nil {
			if r := latestUnanswered(m.pubSuffix[sk]); r != nil {
				req = r
				by = append(by, ByTopicSuffix)
			}
		} else if req.suffix == msg.suffix && req.levels == msg.levels {
			by = append(by, ByTopicSuffix)
		}
	}
	if req != nil {
		req.answered = true
		reqTopic := req.op.Topic
		if slices.Contains(by, ByTopicSuffix) {
			reqTopic = withIDLevel(reqTopic)
		}
		m.pair(req, msg, reqTopic, receivedTopic(msg), strings.Join(by, "+"))
		return
	}
	for _, id := range msg.ids {
		k := idKey{op.Client, id.field, id.value}
		m.rcvIDs[k] = pushPending(m.rcvIDs[k], msg)
	}
	if msg.suffix != "" && msg.wildLast {
		k := suffixKey{op.Client, msg.suffix, msg.levels}
		m.rcvSuffix[k] = pushPending(m.rcvSuffix[k], msg)
	}
	if len(msg.ids) > 0 || (msg.suffix != "" && msg.wildLast) {
		msg.request, msg.dir = true, ReceivePublish
	}
}

// pair records that resp answered req.
func (m *matcher) pair(req, resp *message, reqTopic, respTopic, by string) {
	req.request = true
	resp.answer = true
	req.trips = append(req.trips, len(m.trips))
	m.trips = append(m.trips, RoundTrip{
		Dir: req.op.Kind.String() + "-" + resp.op.Kind.String(), Request: req.op, Response: resp.op,
		RequestTopic: reqTopic, ResponseTopic: respTopic, MatchedBy: by,
	})
}

// receivedTopic is how a received message's topic is shown: the filter
// that delivered it, else the topic.
func receivedTopic(msg *message) string {
	if msg.filter != "" {
		return msg.filter
	}
	if msg.suffix != "" && msg.wildLast {
		return withIDLevel(msg.op.Topic)
	}
	return msg.op.Topic
}

// withIDLevel writes a topic's last level (an id) as +.
func withIDLevel(topic string) string {
	if i := strings.LastIndexByte(topic, '/'); i >= 0 {
		return topic[:i+1] + "+"
	}
	return topic
}

// finish turns the requests into rows and counts the unpaired messages.
func (m *matcher) finish(res *RoundTrips) {
	type rowKey struct {
		client int
		dir    string
		topic  string
	}
	rows := map[rowKey]*RoundTripRow{}
	var order []rowKey
	type upKey struct {
		client int
		op     string
	}
	unpaired := map[upKey]int{}
	base := len(res.Trips)
	res.Trips = append(res.Trips, m.trips...)
	for _, msg := range m.msgs {
		if msg.tentative && len(msg.trips) == 0 {
			continue // counted as failed in the op table
		}
		if !msg.request {
			if !msg.answer {
				unpaired[upKey{msg.op.Client, msg.op.Kind.String()}]++
			}
			continue
		}
		dir, topic := msg.dir, msg.op.Topic
		switch {
		case len(msg.trips) > 0:
			t := m.trips[msg.trips[0]]
			dir, topic = t.Dir, t.RequestTopic
		case msg.rule >= 0:
			topic = m.rules[msg.rule].Request
		case msg.op.Kind == dialect.OpReceive:
			topic = receivedTopic(msg)
		}
		k := rowKey{msg.op.Client, dir, topic}
		r, ok := rows[k]
		if !ok {
			r = &RoundTripRow{File: msg.op.File, Client: msg.op.Client, Dir: dir, RequestTopic: topic}
			rows[k] = r
			order = append(order, k)
		}
		r.Count++
		if len(msg.trips) > 0 {
			r.Answered++
		}
		for _, ti := range msg.trips {
			t := &res.Trips[base+ti]
			r.ResponseClients = addSorted(r.ResponseClients, t.Response.Client)
			r.ResponseTopics = addSorted(r.ResponseTopics, t.ResponseTopic)
			r.MatchedBy = addSorted(r.MatchedBy, t.MatchedBy)
			if d, ok := t.Latency(); ok {
				r.Samples.Add(d)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.client != b.client {
			return a.client < b.client
		}
		if a.dir != b.dir {
			return a.dir < b.dir
		}
		return a.topic < b.topic
	})
	for _, k := range order {
		res.Rows = append(res.Rows, rows[k])
	}
	var ups []upKey
	for k := range unpaired {
		ups = append(ups, k)
	}
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].client != ups[j].client {
			return ups[i].client < ups[j].client
		}
		return ups[i].op < ups[j].op
	})
	file := ""
	if len(m.msgs) > 0 {
		file = m.msgs[0].op.File
	}
	for _, k := range ups {
		res.Unpaired = append(res.Unpaired, Unpaired{File: file, Client: k.client, Op: k.op, Count: unpaired[k]})
	}
}

func addSorted[T int | string](s []T, v T) []T {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}

// pushPending adds a request to a pending list, dropping the oldest beyond
// maxPending and the answered ones at the end.
func pushPending(list []*message, msg *message) []*message {
	list = trimAnswered(list)
	if len(list) >= maxPending {
		list = slices.Delete(list, 0, len(list)-maxPending+1)
	}
	return append(list, msg)
}

// trimAnswered drops answered requests from the end of a list.
func trimAnswered(list []*message) []*message {
	for len(list) > 0 && list[len(list)-1].answered {
		list = list[:len(list)-1]
	}
	return list
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
	if filter == "" {
		return false
	}
	for i, l := range strings.Split(filter, "/") {
		if l == "#" {
			return true
		}
		if i == n-1 {
			return l == "+"
		}
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

// idFields are the JSON field names that carry a request id, lower case
// without _ and -: id, msgId, msg_id, mid, messageId, requestId, reqId,
// cmdId, commandId, correlationId, transactionId, rpcId.
var idFields = map[string]bool{
	"id": true, "msgid": true, "mid": true, "messageid": true, "requestid": true, "reqid": true,
	"cmdid": true, "commandid": true, "correlationid": true, "transactionid": true, "rpcid": true,
}

var idFieldSeparators = strings.NewReplacer("_", "", "-", "")

// jsonIDs are the id fields at the top level of a JSON object payload, as
// field name (as written) and value (a string's text, a number as written).
func jsonIDs(payload string) []jsonID {
	p := strings.TrimSpace(payload)
	// Every id field name ends in "id": skip the JSON parser for payloads
	// without `d"` (most telemetry).
	if len(p) < 2 || p[0] != '{' || !strings.Contains(p, `d"`) && !strings.Contains(p, `D"`) {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(p), &obj) != nil {
		return nil
	}
	var out []jsonID
	for k, raw := range obj {
		norm := strings.ToLower(idFieldSeparators.Replace(k))
		if !idFields[norm] {
			continue
		}
		var v any
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if d.Decode(&v) != nil {
			continue
		}
		switch v := v.(type) {
		case string:
			if v != "" {
				out = append(out, jsonID{k, v})
			}
		case json.Number:
			out = append(out, jsonID{k, v.String()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].field < out[j].field })
	return out
}
