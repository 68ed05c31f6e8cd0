package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// Lane is a participant of a sequence diagram.
type Lane uint8

const (
	LaneHost   Lane = iota // the application driving the module
	LaneModule             // the cellular or Wi-Fi module
	LaneBroker             // the MQTT broker
)

var laneNames = [...]string{LaneHost: "host", LaneModule: "module", LaneBroker: "broker"}

func (l Lane) String() string { return laneNames[l] }

// Message is one arrow of a sequence diagram: an AT command, response,
// result or URC as logged, or an MQTT packet (or TCP step) that atscope
// infers the exchange stands for.
type Message struct {
	From, To Lane
	Text     string
	Line     int // the log line; 0 for an inferred packet
	Time     time.Time
	Timed    bool
	Packet   bool   // inferred, not logged
	Gap      int    // not an arrow: this many ops are left out here
	Failed   bool   // the failure of its op: drawn red
	Op       string // the kind of op it belongs to
	OpStart  bool   // the first message of its op
	kind     decode.Kind
	// order places the message among the client's others: four steps a
	// log line, so that an inferred packet sits just before or after the
	// line it comes with.
	order int
}

// Sequence is one client's diagram.
type Sequence struct {
	Client   int
	Title    string
	Messages []Message
	MoreOps  int // ops left out of the diagram, in all
}

// maxDiagramOps bounds the ops a client's diagram draws.
const maxDiagramOps = 150

// sequences draws every client's ops that its excerpt kept
// (diagramExcerpt), their messages in log order: ops that overlap (a
// message received while a publish waits for its answer) interleave as
// the log shows them. A gap between the parts of an excerpt is a message
// of its own, which says how many ops it leaves out.
func sequences(clients []*ClientSummary, diagrams map[int]*timeline.Excerpt[*dialect.Op], rec *Recorder) []Sequence {
	var out []Sequence
	for _, s := range clients {
		seq := Sequence{Client: s.Client, Title: s.Title()}
		if ex := diagrams[s.Client]; ex != nil {
			res := ex.Finish()
			for _, part := range res.Parts {
				if part.Skipped > 0 {
					line := firstLine(part.Ops[0])
					seq.Messages = append(seq.Messages, Message{Gap: part.Skipped, Line: line, order: 4*line - 3})
				}
				for _, op := range part.Ops {
					seq.Messages = append(seq.Messages, opMessages(op, rec)...)
				}
				seq.MoreOps += part.Skipped
			}
			seq.MoreOps += res.SkippedAfter
		}
		sort.SliceStable(seq.Messages, func(i, j int) bool { return seq.Messages[i].order < seq.Messages[j].order })
		out = append(out, seq)
	}
	return out
}

// opMessages are an op's logged exchange with its packets in place: the
// request after the host's last line, the answer before the module's first
// URC after it (or its last line), an incoming packet first.
func opMessages(op *dialect.Op, rec *Recorder) []Message {
	msgs := loggedMessages(op, rec)
	failed := op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout
	if failed && len(msgs) > 0 {
		msgs[len(msgs)-1].Failed = true
	}
	pre, req, resp := packets(op)
	lastHost := -1
	for i, m := range msgs {
		if m.From == LaneHost {
			lastHost = i
		}
	}
	if req != nil && lastHost >= 0 {
		req.Time, req.Timed, req.order = msgs[lastHost].Time, msgs[lastHost].Timed, msgs[lastHost].order+1
		msgs = insert(msgs, lastHost+1, *req)
	}
	if resp != nil && req != nil && lastHost >= 0 {
		at := len(msgs) - 1
		for i := lastHost + 2; i < len(msgs); i++ {
			if msgs[i].kind == decode.KindURC {
				at = i
				break
			}
		}
		if at > lastHost+1 {
			resp.Time, resp.Timed, resp.order = msgs[at].Time, msgs[at].Timed, msgs[at].order-1
			msgs = insert(msgs, at, *resp)
		}
	}
	if pre != nil && len(msgs) > 0 {
		pre.Time, pre.Timed, pre.order = msgs[0].Time, msgs[0].Timed, msgs[0].order-2
		msgs = insert(msgs, 0, *pre)
	}
	for i := range msgs {
		msgs[i].Op = op.Kind.String()
	}
	if len(msgs) > 0 {
		msgs[0].OpStart = true
	}
	return msgs
}

func insert(msgs []Message, i int, m Message) []Message {
	msgs = append(msgs, Message{})
	copy(msgs[i+1:], msgs[i:])
	msgs[i] = m
	return msgs
}

// loggedMessages are the op's events as arrows between host and module;
// an op whose events were not kept (a long log) gets one arrow for all.
func loggedMessages(op *dialect.Op, rec *Recorder) []Message {
	var msgs []Message
	if rec != nil {
		for _, seq := range op.Seqs {
			ev, ok := rec.events[seq]
			if !ok || ev.Kind == decode.KindEcho {
				continue
			}
			m := Message{From: LaneModule, To: LaneHost, Text: ev.Text, Line: ev.Line, Time: ev.Time, Timed: ev.Timed, kind: ev.Kind, order: 4 * ev.Line}
			if ev.Kind == decode.KindCommand || ev.Dir == decode.DirToModule {
				m.From, m.To = LaneHost, LaneModule
			}
			if ev.Kind == decode.KindPrompt {
				m.Text = ">"
			}
			if ev.Kind == decode.KindData {
				m.Text = timeline.Preview(ev.Text, 60)
			}
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		line := 0
		if len(op.Lines) > 0 {
			line = op.Lines[0]
		}
		text := strings.TrimSpace(op.Name + " " + timeline.Essentials(op))
		msgs = append(msgs, Message{From: LaneModule, To: LaneHost, Text: text, Line: line, Time: op.Start, Timed: op.Timed, order: 4 * line})
	}
	return msgs
}

// packets are the MQTT packets (and TCP steps) an op stands for: pre comes
// before its lines (from the broker), req after the host's request, resp
// before the module's answer. As in the pcap export, a failed op put
// nothing on the wire (the module refused it) unless the log shows the
// broker's refusal (a CONNACK code, a SUBACK of 0x80s); an op without a
// result (timeout, pending, unknown) shows its request and no answer.
func packets(op *dialect.Op) (pre, req, resp *Message) {
	failed := op.Status == dialect.StatusFailed
	if op.Client == dialect.ModuleClient || failed && !brokerRefused(op) && op.Kind != dialect.OpLink {
		return nil, nil, nil
	}
	ok := op.Status == dialect.StatusOK
	out := func(text string) *Message {
		return &Message{From: LaneModule, To: LaneBroker, Text: text, Packet: true}
	}
	in := func(text string, failed bool) *Message {
		return &Message{From: LaneBroker, To: LaneModule, Text: text, Packet: true, Failed: failed}
	}
	switch op.Kind {
	case dialect.OpOpen:
		req = out(strings.TrimSpace("TCP connect " + hostPort(op)))
		if ok {
			resp = in("TCP connected", false)
		}
	case dialect.OpConnect:
		req = out(strings.TrimSpace("CONNECT " + quoted("client id ", op.ClientID)))
		switch {
		case op.HasConnack:
			resp = in(fmt.Sprintf("CONNACK return code %d", op.Connack), op.Connack != 0)
		case ok:
			resp = in("CONNACK", false)
		}
	case dialect.OpSubscribe:
		req = out(strings.TrimSpace("SUBSCRIBE " + strings.Join(op.Topics, " ")))
		if failed {
			resp = in("SUBACK: refused (0x80)", true)
		} else if ok {
			resp = in("SUBACK", false)
		}
	case dialect.OpUnsubscribe:
		req = out(strings.TrimSpace("UNSUBSCRIBE " + strings.Join(op.Topics, " ")))
		if ok {
			resp = in("UNSUBACK", false)
		}
	case dialect.OpPublish:
		req = out(publishText(op))
		if ok && op.QoS == 1 {
			resp = in("PUBACK", false)
		} else if ok && op.QoS == 2 {
			resp = in("PUBREC · PUBREL · PUBCOMP", false)
		}
	case dialect.OpReceive:
		pre = in(publishText(op), false)
	case dialect.OpDisconnect:
		req = out("DISCONNECT")
	case dialect.OpClose:
		req = out("TCP close")
	case dialect.OpLink:
		if failed {
			pre = in("connection lost", true)
		}
	}
	return pre, req, resp
}

// brokerRefused reports a failure that is the broker's answer: a CONNACK
// code, or a SUBACK refusing every topic.
func brokerRefused(op *dialect.Op) bool {
	switch op.Kind {
	case dialect.OpConnect:
		return op.HasConnack
	case dialect.OpSubscribe:
		return len(op.Granted) > 0 && !slices.ContainsFunc(op.Granted, func(g int) bool { return g != subackRefused })
	}
	return false
}

// subackRefused is the SUBACK return code of a refused topic [MQTT 3.1.1
// §3.9.3].
const subackRefused = 0x80

func publishText(op *dialect.Op) string {
	s := "PUBLISH " + op.Topic
	if op.QoS >= 0 {
		s += fmt.Sprintf(" qos %d", op.QoS)
	}
	return strings.TrimSpace(s)
}

func hostPort(op *dialect.Op) string {
	if op.Host == "" {
		return ""
	}
	if op.Port > 0 {
		return fmt.Sprintf("%s:%d", op.Host, op.Port)
	}
	return op.Host
}

func quoted(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + fmt.Sprintf("%q", s)
}
