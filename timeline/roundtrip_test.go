package timeline

import (
	"fmt"
	"strings"
	"testing"

	"atscope/dialect"
)

func TestMatchTopic(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/b", "a/b/c", false},
		{"a/b/c", "a/b", false},
		{"a/+", "a/b", true},
		{"a/+", "a/b/c", false},
		{"a/+", "a/", true}, // an empty level is a level
		{"+/+", "/x", true},
		{"+", "a/b", false},
		{"a/+/c", "a/b/c", true},
		{"a/+/c", "a/b/d", false},
		{"a/#", "a", true}, // # includes the parent [MQTT-4.7.1-2]
		{"a/#", "a/b/c", true},
		{"a/#", "ab", false},
		{"#", "a/b", true},
		{"#", "$SYS/x", false}, // [MQTT-4.7.2-1]
		{"+/x", "$SYS/x", false},
		{"$SYS/#", "$SYS/x", true},
		{"$share/g/a/+", "a/b", true},
		{"command/send/+", "command/send/1001", true},
		{"command/send/+", "command/reply/1001", false},
	}
	for _, tt := range tests {
		if got := MatchTopic(tt.filter, tt.topic); got != tt.want {
			t.Errorf("MatchTopic(%q, %q) = %v, want %v", tt.filter, tt.topic, got, tt.want)
		}
	}
}

func TestParseTopicRule(t *testing.T) {
	r, err := ParseTopicRule("up/+/q = down/+/a")
	if err != nil || r != (TopicRule{"up/+/q", "down/+/a"}) {
		t.Errorf("got %+v, %v", r, err)
	}
	for _, bad := range []string{"up/q", "=a", "a=", "a/#/b=c", "a+=b", "a=b#"} {
		if _, err := ParseTopicRule(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestIDLike(t *testing.T) {
	for s, want := range map[string]bool{
		"1001": true, "0": true, "3f2a9c1e": true, "123e4567-e89b-12d3-a456-426614174000": true,
		"loop": false, "set": false, "deadbeef": false, "node_0007": false, "": false, "1a": false,
	} {
		if got := idLike(s); got != want {
			t.Errorf("idLike(%q) = %v, want %v", s, got, want)
		}
	}
}

// roundTripLog is a three-client log with round trips of every kind, every
// delay known:
//
//   - client 0 subscribes dev/+/loop and client 1 dev/#. Client 0 publishes
//     "p1" on dev/a/loop: it comes back to client 0 after 100 ms and to
//     client 1 after 150 ms (two round trips of one request), then again to
//     client 0 (a duplicate: unpaired). "p2" never comes back (unmatched).
//   - client 2 subscribes cmd/2/req/+ and gets command 77 (JSON id and
//     topic level), answered on cmd/2/resp/77 after 400 ms; command 78 with
//     a JSON msgId only, answered on cmd/2/ack after 250 ms; command 79,
//     never answered; and "hello" on cmd/2/req/x, not a request.
//   - client 0 publishes {"id":5} on rpc/0/req (nobody subscribes to it);
//     client 1 gets {"id":5} first (another client: no pair), then client
//     0 gets its answer on rpc/0/resp after 300 ms.
//   - client 1 publishes telemetry nobody subscribes to (unpaired).
//   - client 0 publishes Q1 on up/0/q, answered A1 on down/0/a after 500 ms;
//     Q2, unanswered; Q3 answered A3 after 250 ms. Without a rule these
//     are unpaired; with --match-topic up/+/q=down/+/a they pair, the
//     latest request first.
func roundTripLog() []byte {
	g := newLogGen(genQCOM)
	for c := range 3 {
		g.open(c, ms(100))
		g.advance(ms(110))
		g.conn(c, ms(100), 0)
		g.advance(ms(110))
	}
	g.sub(0, 1, "dev/+/loop", ms(50))
	g.advance(ms(60))
	g.sub(1, 1, "dev/#", ms(50))
	g.advance(ms(60))
	g.sub(2, 1, "cmd/2/req/+", ms(50))
	g.advance(ms(60))
	g.sub(0, 2, "rpc/0/resp", ms(50))
	g.advance(ms(60))

	g.pub(0, 3, 1, "dev/a/loop", "p1", ms(80), 0)
	g.recvAfter(ms(100), 0, 1, "dev/a/loop", "p1")
	g.recvAfter(ms(150), 1, 1, "dev/a/loop", "p1")
	g.recvAfter(ms(170), 0, 2, "dev/a/loop", "p1")
	g.advance(ms(1000))
	g.pub(0, 4, 1, "dev/a/loop", "p2", ms(80), 0)
	g.advance(ms(1000))

	g.recvAfter(0, 2, 2, "cmd/2/req/77", `{"method":"reboot","id":77}`)
	g.advance(ms(400))
	g.pub(2, 2, 1, "cmd/2/resp/77", `{"id":77,"ok":true}`, ms(60), 0)
	g.advance(ms(1000))
	g.recvAfter(0, 2, 3, "cmd/2/req/78", `{"method":"get","msgId":"abc-1"}`)
	g.advance(ms(250))
	g.pub(2, 3, 1, "cmd/2/ack", `{"msgId":"abc-1","v":3}`, ms(60), 0)
	g.advance(ms(1000))
	g.recvAfter(0, 2, 4, "cmd/2/req/79", `{"method":"get","id":79}`)
	g.advance(ms(1000))
	g.recvAfter(0, 2, 5, "cmd/2/req/x", `hello`)
	g.advance(ms(1000))

	g.pub(0, 5, 1, "rpc/0/req", `{"id":5,"m":"time"}`, ms(60), 0)
	g.recvAfter(ms(100), 1, 2, "dev/b/x", `{"id":5,"r":2}`)
	g.recvAfter(ms(300), 0, 3, "rpc/0/resp", `{"id":5,"r":1}`)
	g.advance(ms(1000))

	g.pub(1, 2, 1, "tele/1", `{"t":21}`, ms(60), 0)
	g.advance(ms(1000))

	g.pub(0, 6, 1, "up/0/q", "Q1", ms(60), 0)
	g.recvAfter(ms(500), 0, 4, "down/0/a", "A1")
	g.advance(ms(1000))
	g.pub(0, 7, 1, "up/0/q", "Q2", ms(60), 0)
	g.advance(ms(1000))
	g.pub(0, 8, 1, "up/0/q", "Q3", ms(60), 0)
	g.recvAfter(ms(250), 0, 5, "down/0/a", "A3")
	g.advance(ms(1000))
	return g.bytes()
}

func tripRowText(r *RoundTripRow) string {
	s := r.Samples.Summary()
	out := fmt.Sprintf("%d %s %s -> %s", r.Client, r.Dir, r.RequestTopic, strings.Join(r.ResponseTopics, ","))
	if r.Answered > 0 {
		out += fmt.Sprintf(" by %s to %v", strings.Join(r.MatchedBy, ","), r.ResponseClients)
	}
	out += fmt.Sprintf(": count=%d answered=%d unmatched=%d", r.Count, r.Answered, r.Unmatched())
	if s.N > 0 {
		out += fmt.Sprintf(" n=%d min=%v p50=%v max=%v mean=%v", s.N, s.Min, s.P50, s.Max, s.Mean)
	}
	return out
}

func TestRoundTrips(t *testing.T) {
	sessions, _ := decodeLog(t, "rt.log", roundTripLog())
	tests := []struct {
		name     string
		rules    []TopicRule
		rows     []string
		unpaired string
	}{
		{
			name: "automatic",
			rows: []string{
				"0 publish-receive dev/a/loop -> dev/#,dev/+/loop by loopback to [0 1]: count=2 answered=1 unmatched=1 n=2 min=100ms p50=100ms max=150ms mean=125ms",
				"0 publish-receive rpc/0/req -> rpc/0/resp by json:id to [0]: count=1 answered=1 unmatched=0 n=1 min=300ms p50=300ms max=300ms mean=300ms",
				"1 receive-publish dev/# -> : count=1 answered=0 unmatched=1",
				"2 receive-publish cmd/2/req/+ -> cmd/2/ack,cmd/2/resp/+ by json:id+topic-suffix,json:msgId to [2]: count=3 answered=2 unmatched=1 n=2 min=250ms p50=250ms max=400ms mean=325ms",
			},
			unpaired: "0 publish 3, 0 receive 3, 1 publish 1, 2 receive 1",
		},
		{
			name:  "rule",
			rules: []TopicRule{{"up/+/q", "down/+/a"}},
			rows: []string{
				"0 publish-receive dev/a/loop -> dev/#,dev/+/loop by loopback to [0 1]: count=2 answered=1 unmatched=1 n=2 min=100ms p50=100ms max=150ms mean=125ms",
				"0 publish-receive rpc/0/req -> rpc/0/resp by json:id to [0]: count=1 answered=1 unmatched=0 n=1 min=300ms p50=300ms max=300ms mean=300ms",
				"0 publish-receive up/+/q -> down/+/a by match-topic to [0]: count=3 answered=2 unmatched=1 n=2 min=250ms p50=250ms max=500ms mean=375ms",
				"1 receive-publish dev/# -> : count=1 answered=0 unmatched=1",
				"2 receive-publish cmd/2/req/+ -> cmd/2/ack,cmd/2/resp/+ by json:id+topic-suffix,json:msgId to [2]: count=3 answered=2 unmatched=1 n=2 min=250ms p50=250ms max=400ms mean=325ms",
			},
			unpaired: "0 receive 1, 1 publish 1, 2 receive 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := FindRoundTrips(sessions, tt.rules)
			var rows []string
			for _, r := range res.Rows {
				rows = append(rows, tripRowText(r))
			}
			if g, w := strings.Join(rows, "\n"), strings.Join(tt.rows, "\n"); g != w {
				t.Errorf("rows: got\n%s\nwant\n%s", g, w)
			}
			var ups []string
			for _, u := range res.Unpaired {
				ups = append(ups, fmt.Sprintf("%d %s %d", u.Client, u.Op, u.Count))
			}
			if g := strings.Join(ups, ", "); g != tt.unpaired {
				t.Errorf("unpaired: got %s, want %s", g, tt.unpaired)
			}
		})
	}

	// The pairs themselves: which message answered which, in order.
	res := FindRoundTrips(sessions, []TopicRule{{"up/+/q", "down/+/a"}})
	var trips []string
	for _, rt := range res.Trips {
		d, _ := rt.Latency()
		trips = append(trips, fmt.Sprintf("%d:%s %q -> %d:%s %q %v %s", rt.Request.Client, rt.Request.Topic, rt.Request.Payload,
			rt.Response.Client, rt.Response.Topic, rt.Response.Payload, d, rt.MatchedBy))
	}
	want := []string{
		`0:dev/a/loop "p1" -> 0:dev/a/loop "p1" 100ms loopback`,
		`0:dev/a/loop "p1" -> 1:dev/a/loop "p1" 150ms loopback`,
		`2:cmd/2/req/77 "{\"method\":\"reboot\",\"id\":77}" -> 2:cmd/2/resp/77 "{\"id\":77,\"ok\":true}" 400ms json:id+topic-suffix`,
		`2:cmd/2/req/78 "{\"method\":\"get\",\"msgId\":\"abc-1\"}" -> 2:cmd/2/ack "{\"msgId\":\"abc-1\",\"v\":3}" 250ms json:msgId`,
		`0:rpc/0/req "{\"id\":5,\"m\":\"time\"}" -> 0:rpc/0/resp "{\"id\":5,\"r\":1}" 300ms json:id`,
		`0:up/0/q "Q1" -> 0:down/0/a "A1" 500ms match-topic`,
		`0:up/0/q "Q3" -> 0:down/0/a "A3" 250ms match-topic`,
	}
	if g, w := strings.Join(trips, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("trips: got\n%s\nwant\n%s", g, w)
	}
}

// TestRoundTripsCrossClient: a client publishes and another receives on
// its wildcard subscription; the publisher is not subscribed.
func TestRoundTripsCrossClient(t *testing.T) {
	g := newLogGen(genTXRX)
	for c := range 2 {
		g.open(c, ms(100))
		g.advance(ms(110))
		g.conn(c, ms(100), 0)
		g.advance(ms(110))
	}
	g.sub(1, 1, "site/+/temp", ms(50))
	g.advance(ms(60))
	for i, d := range []int{120, 80, 200} {
		payload := fmt.Sprintf(`{"t":%d}`, 20+i)
		g.pub(0, i+1, 0, "site/3/temp", payload, ms(40), 0)
		g.recvAfter(ms(d), 1, 0, "site/3/temp", payload)
		g.advance(ms(1000))
	}
	sessions, _ := decodeLog(t, "cross.log", g.bytes())
	res := FindRoundTrips(sessions, nil)
	var rows []string
	for _, r := range res.Rows {
		rows = append(rows, tripRowText(r))
	}
	want := "0 publish-receive site/3/temp -> site/+/temp by loopback to [1]: count=3 answered=3 unmatched=0 n=3 min=80ms p50=120ms max=200ms mean=133.333333ms"
	if g := strings.Join(rows, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	if len(res.Unpaired) != 0 {
		t.Errorf("unpaired: %+v", res.Unpaired)
	}
}

// TestRoundTripsUnsubscribed: after an unsubscribe a publish on the topic
// expects nothing, and a receive through a rejected subscription does not
// use its filter.
func TestRoundTripsUnsubscribed(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(100))
	g.advance(ms(110))
	g.conn(0, ms(100), 0)
	g.advance(ms(110))
	g.sub(0, 1, "a/+", ms(50))
	g.advance(ms(60))
	g.pub(0, 2, 1, "a/b", "x", ms(40), 0) // expects to come back: unmatched
	g.advance(ms(1000))
	g.txrx(`AT+QMTUNS=0,3,"a/+"`, ms(50), "+QMTUNS: 0,3,0")
	g.advance(ms(60))
	g.pub(0, 4, 1, "a/b", "y", ms(40), 0) // nobody listens: unpaired
	g.advance(ms(1000))
	sessions, _ := decodeLog(t, "unsub.log", g.bytes())
	res := FindRoundTrips(sessions, nil)
	var rows []string
	for _, r := range res.Rows {
		rows = append(rows, tripRowText(r))
	}
	if g, w := strings.Join(rows, "\n"), "0 publish-receive a/b -> : count=1 answered=0 unmatched=1"; g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
	if len(res.Unpaired) != 1 || res.Unpaired[0].Op != "publish" || res.Unpaired[0].Count != 1 {
		t.Errorf("unpaired: %+v", res.Unpaired)
	}
}

// TestRoundTripsFailedPublish: a link loss fails the publishes awaiting
// their PUBACK; one whose message came back before the loss is paired, the
// other counts nowhere (the op table has it as failed).
func TestRoundTripsFailedPublish(t *testing.T) {
	g := newLogGen(genQCOM)
	g.open(0, ms(100))
	g.advance(ms(110))
	g.conn(0, ms(100), 0)
	g.advance(ms(110))
	g.sub(0, 1, "loop/#", ms(50))
	g.advance(ms(60))
	g.pub(0, 2, 1, "loop/a", "x", -1, 0)
	g.recvAfter(ms(120), 0, 1, "loop/a", "x")
	g.advance(ms(200))
	g.pub(0, 3, 1, "loop/a", "y", -1, 0)
	g.advance(ms(200))
	g.stat(0, 1)
	sessions, _ := decodeLog(t, "failed.log", g.bytes())
	res := FindRoundTrips(sessions, nil)
	var rows []string
	for _, r := range res.Rows {
		rows = append(rows, tripRowText(r))
	}
	want := "0 publish-receive loop/a -> loop/# by loopback to [0]: count=1 answered=1 unmatched=0 n=1 min=120ms p50=120ms max=120ms mean=120ms"
	if g := strings.Join(rows, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	if len(res.Unpaired) != 0 {
		t.Errorf("unpaired: %+v", res.Unpaired)
	}
}

// TestSubscribedCached: the answers subscribed remembers, by topic or by
// the levels before a topic's id, are those of the filters themselves,
// with and without a filter that names an id.
func TestSubscribedCached(t *testing.T) {
	topics := []string{"a/b/c", "a/b/1001", "a/b/1002", "a/x/1001", "x/1001", "x/1002", "x/1001/y",
		"$SYS/1001", "a/b", "/1001", "a/b/3f2a9c1e", "dev/1/reply/77"}
	for _, filters := range [][]string{
		{"a/b/+", "x/#"},
		{"a/+/c", "+/1001"},
		{"a/b/1001", "x/+"},
		{"#"},
		{"+/+/+"},
		{"$share/g/a/b/+", "dev/+/reply/+"},
	} {
		m := NewRoundTripFinder(nil)
		m.Add(&dialect.Op{Kind: dialect.OpSubscribe, Topics: filters})
		for range 2 { // the second time from the caches
			for _, topic := range topics {
				msg := &message{topic: topic}
				if i := strings.LastIndexByte(topic, '/'); i >= 0 && idLike(topic[i+1:]) {
					msg.suffix = topic[i+1:]
				}
				if got, want := m.subscribed(msg), m.matchesFilter(topic); got != want {
					t.Errorf("filters %q, topic %q: subscribed %v, want %v", filters, topic, got, want)
				}
			}
		}
	}
}
