package dialect

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"atscope/decode"
)

// exampleFacts is a command set of the common shapes only (the worked
// example of README-dev-dialect.md): a connect and a subscribe answered
// by OK then a result URC, a publish answered by its final result, a
// receive URC and a link-loss URC.
var exampleFacts = Facts{
	Commands: []Command{
		{Name: "+XMQCONN", Op: OpConnect, Result: ResultURC, Args: []ArgRole{ArgClient, ArgHost, ArgPort, ArgClientID},
			Codes: []Code{{N: 1, Meaning: "broker not reached"}}, Cite: "example"},
		{Name: "+XMQSUB", Op: OpSubscribe, Result: ResultURC, Args: []ArgRole{ArgClient, ArgMsgID, ArgTopic, ArgQoS}, CodeField: 1,
			Codes: []Code{{N: 2, Meaning: "failed to send"}}, Cite: "example"},
		{Name: "+XMQPUB", Op: OpPublish, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgTopic, ArgQoS, ArgPayload}, Cite: "example"},
		{Name: "+XMQCFG", NotOp: true, Cite: "example"},
		{Name: "+XMQRECV", URC: true, Op: OpReceive, Result: ResultUnsolicited, Args: []ArgRole{ArgClient, ArgTopic, ArgPayload}, Cite: "example"},
		{Name: "+XMQLOST", URC: true, Op: OpLink, Result: ResultUnsolicited, Args: []ArgRole{ArgClient, ArgOther},
			Codes: []Code{{N: 1, Meaning: "closed by the peer"}}, CodeField: 1, Cite: "example"},
	},
}

func tableOps(t *testing.T, log string) []*Op {
	t.Helper()
	cr, _, err := decode.Open(bytes.NewReader([]byte(log)), "t.log", "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := newTableMachine("t.log", "example", &exampleFacts, time.Minute)
	var ops []*Op
	emit := func(op *Op) { ops = append(ops, op) }
	tok := decode.NewTokenizer(cr, nil)
	for tok.Next() {
		ev := tok.Event()
		m.Feed(&ev, emit)
	}
	m.Close(emit)
	return ops
}

// TestTableMachine: the common shapes run from the table alone.
func TestTableMachine(t *testing.T) {
	log := strings.Join([]string{
		`AT+XMQCFG="keepalive",60`, "OK",
		`AT+XMQCONN=0,"broker.example.com",1883,"dev1"`, "OK", "+XMQCONN: 0,0",
		`AT+XMQSUB=0,7,"a/b",1`, "OK", "+XMQSUB: 0,7,0",
		`AT+XMQSUB=0,8,"c/d",1`, "OK", "+XMQSUB: 0,8,2",
		`AT+XMQPUB=0,"a/b",0,"hello"`, "OK",
		`+XMQRECV: 0,"a/b","hi"`,
		`AT+XMQPUB=0,"a/b",1,"x"`, "ERROR",
		`AT+XMQCONN=1,"h",1883,"dev2"`, "OK",
		"+XMQLOST: 1,1", "",
	}, "\r\n")
	var got []string
	for _, op := range tableOps(t, log) {
		got = append(got, fmt.Sprintf("%s %s c%d %s code=%q %q host=%s:%d id=%s topic=%s qos=%d msgid=%d payload=%q abandoned=%v",
			op.Name, op.Kind, op.Client, op.Status, op.Code, op.Reason, op.Host, op.Port, op.ClientID, op.Topic, op.QoS, op.MsgID, op.Payload, op.Abandoned))
	}
	want := []string{
		`+XMQCONN connect c0 ok code="0" "" host=broker.example.com:1883 id=dev1 topic= qos=-1 msgid=-1 payload="" abandoned=false`,
		`+XMQSUB subscribe c0 ok code="0" "" host=:0 id= topic=a/b qos=1 msgid=7 payload="" abandoned=false`,
		`+XMQSUB subscribe c0 failed code="2" "failed to send" host=:0 id= topic=c/d qos=1 msgid=8 payload="" abandoned=false`,
		`+XMQPUB publish c0 ok code="" "" host=:0 id= topic=a/b qos=0 msgid=-1 payload="hello" abandoned=false`,
		`+XMQRECV receive c0 ok code="" "" host=:0 id= topic=a/b qos=-1 msgid=-1 payload="hi" abandoned=false`,
		`+XMQPUB publish c0 failed code="ERROR" "the module rejected the command (syntax, parameters or state)" host=:0 id= topic=a/b qos=1 msgid=-1 payload="x" abandoned=false`,
		`+XMQLOST link c1 failed code="1" "closed by the peer" host=:0 id= topic= qos=-1 msgid=-1 payload="" abandoned=false`,
		`+XMQCONN connect c1 failed code="" "abandoned: +XMQLOST 1,1" host=h:1883 id=dev2 topic= qos=-1 msgid=-1 payload="" abandoned=true`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzTableMachine: the table machine never panics and its ops point at
// lines of the input.
func FuzzTableMachine(f *testing.F) {
	f.Add([]byte("AT+XMQCONN=0,\"h\",1883,\"d\"\r\nOK\r\n+XMQCONN: 0,1\r\n+XMQLOST: 0,1\r\n"))
	f.Add([]byte("AT+XMQSUB=0,1,\"t\"\r\n+XMQSUB: 9\r\n+XMQSUB:\r\n+XMQRECV: 0\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := bytes.Count(in, []byte("\n")) + 1
		for _, op := range tableOps(t, string(in)) {
			for _, l := range op.Lines {
				if l < 1 || l > lines {
					t.Fatalf("op %s points at line %d of %d", op.Kind, l, lines)
				}
			}
		}
	})
}

// TestHooksOfNone: a dialect without Hooks (the table machine's kind) can
// be forced with --dialect: asking its hooks answers nothing, no panic.
func TestHooksOfNone(t *testing.T) {
	h := hooksOf(&Dialect{Name: "xmq"})
	ev := decode.Event{Kind: decode.KindCommand, Name: "+XMQPUB", Args: `0,"t",5`}
	if f := h.Payload(&ev); f.Kind != decode.FrameUnknown {
		t.Errorf("Payload = %+v", f)
	}
	if in, follow := h.Tail(&ev); in != 0 || follow != 0 {
		t.Errorf("Tail = %d, %d", in, follow)
	}
	if _, _, ok := h.Bare("XMQ READY"); ok {
		t.Error("Bare answered")
	}
}

// TestCodeVerdict: the verdict of a numeric result code that the table
// machine and the Quectel outcomes share.
func TestCodeVerdict(t *testing.T) {
	codes := []Code{{N: 0, Meaning: "done", Normal: true}, {N: 1, Meaning: "retrying", Normal: true}, {N: 2, Meaning: "failed to send"}, {N: 10, Thru: 19, Meaning: "busy"}}
	for _, tc := range []struct {
		n      int
		reason string
		st     Status
	}{
		{0, "", StatusOK},
		{1, "", StatusOK},
		{2, "failed to send", StatusFailed},
		{12, "busy", StatusFailed},
		{-9, "result -9 (not in the manual)", StatusFailed},
	} {
		reason, st := codeVerdict(codes, tc.n)
		if reason != tc.reason || st != tc.st {
			t.Errorf("codeVerdict(%d) = %q, %v; want %q, %v", tc.n, reason, st, tc.reason, tc.st)
		}
	}
	if reason, st := codeVerdict(nil, 0); reason != "" || st != StatusOK {
		t.Errorf("codeVerdict(nil, 0) = %q, %v; want success", reason, st)
	}
}

// TestTakePayload: the prompt shape's payload joins the pending command's
// op, with its time as Sent and a note when its length disagrees with the
// command's.
func TestTakePayload(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		declared int
		payload  string
		notes    int
	}{
		{"length agrees", 5, "hello", 0},
		{"length disagrees", 9, "hello", 1},
		{"no length declared", -1, "hello", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTracker("t.log", "example")
			tr.command(&decode.Event{Kind: decode.KindCommand, Name: "+XMQPUB", Text: "AT+XMQPUB"})
			op := tr.op(0, OpPublish, "+XMQPUB")
			op.PayloadLen = tc.declared
			tr.cmd.op = op
			got := tr.takePayload(&decode.Event{Kind: decode.KindData, Text: tc.payload, Time: at})
			if got != op || op.Payload != tc.payload || op.PayloadLen != len(tc.payload) || !op.Sent.Equal(at) {
				t.Fatalf("op = %+v", op)
			}
			if len(op.Notes) != tc.notes || tc.notes == 1 && (op.Notes[0].Kind != NotePayloadLength || op.Notes[0].Want != tc.declared) {
				t.Errorf("notes = %+v, want %d payload-length note(s)", op.Notes, tc.notes)
			}
		})
	}
	idle := newTracker("t.log", "example")
	if op := idle.takePayload(&decode.Event{Kind: decode.KindData, Text: "x"}); op != nil {
		t.Errorf("a payload with no command took op %+v", op)
	}
}
