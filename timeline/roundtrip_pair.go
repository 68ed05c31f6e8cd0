package timeline

import (
	"slices"
	"strings"

	"atscope/dialect"
)

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
}

// pair records that resp answered req.
func (m *RoundTripFinder) pair(req, resp *message, reqTopic, respTopic, by string) {
	req.request = true
	resp.answer = true
	dir := tripDir(req.kind, resp.kind)
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
	return topic[:i+1] + "+"
}

// tripDir is the direction of a trip from req's op kind to resp's.
func tripDir(req, resp dialect.OpKind) string {
	switch {
	case req == dialect.OpPublish && resp == dialect.OpReceive:
		return PublishReceive
	case req == dialect.OpReceive && resp == dialect.OpPublish:
		return ReceivePublish
	}
	return req.String() + "-" + resp.String()
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
