package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// OpKind is an MQTT-level operation, the same vocabulary for every dialect
// [ARCHITECTURE.md §3].
type OpKind uint8

const (
	OpOpen        OpKind = iota // network open where the dialect has it as a step (QMTOPEN, MIPSTART)
	OpConnect                   // MQTT CONNECT/CONNACK
	OpSubscribe                 // SUBSCRIBE/SUBACK
	OpUnsubscribe               // UNSUBSCRIBE/UNSUBACK
	OpPublish                   // PUBLISH out, with its PUBACK/PUBCOMP
	OpReceive                   // PUBLISH in
	OpDisconnect                // DISCONNECT
	OpClose                     // network close (QMTCLOSE, MIPCLOSE)
	OpSetup                     // vendor service steps (CMQTTSTART, CMQTTACCQ)
	OpLink                      // link and module state: +QMTSTAT, CLOSED, RDY, +CPIN, +CREG, PDP loss
)

var opNames = [...]string{
	OpOpen: "open", OpConnect: "connect", OpSubscribe: "subscribe", OpUnsubscribe: "unsubscribe",
	OpPublish: "publish", OpReceive: "receive", OpDisconnect: "disconnect", OpClose: "close",
	OpSetup: "setup", OpLink: "link",
}

func (k OpKind) String() string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return "op?"
}

// MarshalText makes OpKind a string in JSON.
func (k OpKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// OpKinds lists every kind in order.
func OpKinds() []OpKind {
	return []OpKind{OpOpen, OpConnect, OpSubscribe, OpUnsubscribe, OpPublish, OpReceive, OpDisconnect, OpClose, OpSetup, OpLink}
}

// Status is the outcome of an op.
type Status uint8

const (
	StatusPending Status = iota // the log ended before the result
	StatusOK                    // it worked
	StatusFailed                // it failed: Code and Reason say why
	StatusTimeout               // no result where one was due
	StatusUnknown               // the log does not show the outcome
)

var statusNames = [...]string{StatusPending: "pending", StatusOK: "ok", StatusFailed: "failed", StatusTimeout: "timeout", StatusUnknown: "unknown"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status?"
}

// MarshalText makes Status a string in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Statuses lists every status in order.
func Statuses() []Status {
	return []Status{StatusOK, StatusFailed, StatusTimeout, StatusPending, StatusUnknown}
}

// ModuleClient is the client of ops that concern the whole module rather
// than one MQTT client: a reset, SIM and registration state, PDP loss.
const ModuleClient = -1

// Will is a last-will message configured for a connection.
type Will struct {
	Topic   string
	Message string
	QoS     int
	Retain  bool
}

// Op is one MQTT operation and everything the log shows of it.
type Op struct {
	File    string
	Dialect string
	Client  int // the vendor's client index; ModuleClient for module-wide ops
	Kind    OpKind
	Status  Status
	// Abandoned says a link loss or module reset failed the op before its
	// result; AbandonedBy and AbandonedLine are the seq and line of the
	// event that did (-1 when not abandoned). (Beside Kind and Status so
	// that the Op stays in its size class: TestOpSize.)
	Abandoned bool
	// CodeFrom says where Code comes from: the vendor's own result (a
	// result URC or line, explained by the dialect's table), or a final
	// result code (ERROR, +CME ERROR, +CMS ERROR).
	CodeFrom      CodeSource
	AbandonedBy   int32
	AbandonedLine int
	Name          string // the vendor command or URC that shows it: "+QMTPUB", "CLOSED"
	Code          string // the vendor's result or error code, as logged (for display; see VendorCode)
	Reason        string // what Code means, in words (for display)
	// Start and End are the times of the first event and of the one that
	// gave the result; zero when the log has no times.
	Start, End time.Time
	Timed      bool // Start and End both come from the log
	// Sent is when the module took the request, for requests with a payload
	// after a prompt: the final OK after the payload (a person at a terminal
	// may type the payload long after the command). Zero otherwise; latency
	// is then measured from Start.
	Sent time.Time

	Topic      string
	Topics     []string // every topic of a subscribe or unsubscribe
	Requested  []int    // requested QoS per topic of a subscribe (-1 = not given)
	Granted    []int    // granted QoS per topic of a subscribe (128 = rejected)
	QoS        int      // -1 when not applicable or not logged
	MsgID      int      // the packet id as logged; -1 when the dialect has none
	Payload    string
	PayloadLen int // the declared or measured payload length; -1 when unknown
	Retries    int // retransmissions reported by the module

	Host   string
	Port   int
	TLS    bool
	Retain bool // (beside TLS and HasConnack: one word for the three)
	// HasConnack says the log shows the broker's CONNACK return code for
	// this connect, and Connack is that code (0 accepted, 1-5 refused
	// [MQTT 3.1.1 §3.2.2.3]).
	HasConnack bool
	Connack    uint8
	ClientID   string
	Username   string
	Password   string
	KeepAlive  int   // seconds; -1 when not configured
	Clean      *bool // clean session flag, when configured
	Version    int   // MQTT protocol level (3 = 3.1, 4 = 3.1.1, 5); 0 when not configured
	Will       *Will
	// Wire is the logged bytes a socket-level dialect's op brings to its
	// socket's streams (nil for the dialects of MQTT commands): exporters
	// write these, not a re-encoding of the op.
	Wire *Wire

	// Notes are deviations from the manual and other remarks a diagnosis
	// needs, each with its kind and numbers (see Note).
	Notes []Note
	// Seqs and Lines are the events that make up the op, in order.
	Seqs  []int
	Lines []int

	// seqBuf and lineBuf are where Seqs and Lines start, allocated with
	// the op: most ops have a handful of events, and growing both slices
	// from nothing cost more allocations than all the rest of the stage.
	seqBuf  [opEventsInline]int
	lineBuf [opEventsInline]int

	state   opState   // the machine's bookkeeping
	started *startLog // told when the op gets its first event
	// live is the op's index in started, -1 when not there; int32 so that
	// it shares a word with gotFinal. An Op is allocated with an 8-byte
	// header: at 696 bytes at most it fits the 704-byte size class, a word
	// more takes the 768-byte one (TestOpSize).
	live     int32
	gotFinal bool // the command's final result code was seen
	rejected bool // failed by its final result code (Rejected)
	// Automatic marks a connect the module made by itself after a loss (its
	// reconnect option), with no command: Retries counts its attempts.
	Automatic bool
	ping      bool // a socket-level dialect's PINGREQ (SocketPingOp)
}

// opEventsInline is how many events and lines an op holds before Seqs and
// Lines move to the heap: a Quectel publish has six events on eight lines.
const opEventsInline = 8

// newOp starts an op with the "not logged" markers set.
func newOp(file, dialect string, client int, kind OpKind, name string) *Op {
	return &Op{File: file, Dialect: dialect, Client: client, Kind: kind, Name: name, QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1, AbandonedBy: -1, AbandonedLine: -1, live: -1}
}

// Latency is the time from the request (its last host byte) to the result,
// when the log times both and the op has a result event of its own.
func (op *Op) Latency() (time.Duration, bool) {
	from := op.Start
	if !op.Sent.IsZero() {
		from = op.Sent
	}
	if !op.Timed || len(op.Seqs) < 2 || op.End.IsZero() || op.Status == StatusTimeout {
		return 0, false
	}
	if d := op.End.Sub(from); PlausibleDuration(d) && PlausibleDuration(op.End.Sub(op.Start)) {
		return d, true
	}
	return 0, false
}

// maxDuration is the longest an op can take: lines of one op more than a
// day apart come from a clock that jumped (a module clock reset, logs of two
// days glued together), not from the module.
const maxDuration = 24 * time.Hour

// PlausibleDuration reports whether d, the time between two lines of one
// op or connection, can be real: not negative, at most a day. time.Sub
// saturates, so a clock jump of centuries gives a huge d, never a wrap.
func PlausibleDuration(d time.Duration) bool { return d >= 0 && d <= maxDuration }

// checkDuration gives a timed op whose lines run backwards or span more
// than a day a NoteInvalid: its times say nothing of the module, and it has
// no latency (Latency).
func (op *Op) checkDuration() {
	if !op.Timed || op.End.IsZero() || len(op.Seqs) < 2 {
		return
	}
	switch d := op.End.Sub(op.Start); {
	case d < 0:
		op.noteAs(NoteInvalid, fmt.Sprintf("it ends %s before it starts: the log's clock went backwards; no latency", (-d).Round(time.Second)))
	case d > maxDuration:
		op.noteAs(NoteInvalid, fmt.Sprintf("it lasts %s, over a day: the log's clock jumped; no latency", d.Round(time.Hour)))
	}
}

// add records that ev is part of op.
func (op *Op) add(ev *decode.Event) {
	if op.Seqs == nil {
		op.Seqs, op.Lines = op.seqBuf[:0], op.lineBuf[:0]
	}
	op.Seqs = append(op.Seqs, ev.Seq)
	for l := ev.Pos.Line; l <= max(ev.Pos.Line, ev.EndLine); l++ {
		if n := len(op.Lines); n == 0 || op.Lines[n-1] < l {
			op.Lines = append(op.Lines, l)
		}
	}
	if ev.Length == decode.LengthInvalid && ev.IsCommand() {
		op.noteAs(NoteInvalid, ev.Problem) // the tokenizer's words on the declared length
	}
	if len(op.Seqs) == 1 {
		op.Start = ev.Time
		op.Timed = ev.TimeSrc == decode.TimeLog
		op.started.begin(op)
	}
}

// finish gives op its outcome from ev.
func (op *Op) finish(ev *decode.Event, st Status, code, reason string) {
	if ev != nil {
		if n := len(op.Seqs); n == 0 || op.Seqs[n-1] != ev.Seq {
			op.add(ev)
		}
		op.End = ev.Time
		op.Timed = op.Timed && ev.TimeSrc == decode.TimeLog
	}
	op.Status, op.Code, op.Reason = st, code, reason
	switch {
	case code == "":
		op.CodeFrom = CodeNone
	case op.CodeFrom != CodeNone: // set by a machine that held the code
	case ev != nil && ev.Kind == decode.KindResult:
		op.CodeFrom = codeSourceOf(ev)
	default:
		op.CodeFrom = CodeVendor
	}
	// Refused rather than tried: a command whose result was still to come
	// (a URC after the final result code) answered an error instead. A
	// synchronous command may answer ERROR after trying for seconds
	// (ESP-AT, SIM7080 connects): its time stays a sample.
	op.rejected = st == StatusFailed && ev != nil && ev.Kind == decode.KindResult && op.state.async
}

// CodeSource is where an op's Code comes from.
type CodeSource uint8

const (
	CodeNone   CodeSource = iota // no code
	CodeVendor                   // the vendor's result URC or line: the dialect's table explains it
	CodeFinal                    // a final result code: ERROR, NO CARRIER...
	CodeCME                      // +CME ERROR (3GPP TS 27.007 §9.2, and vendor extensions)
	CodeCMS                      // +CMS ERROR (3GPP TS 27.005 §3.2.5)
)

var codeSourceNames = [...]string{CodeNone: "none", CodeVendor: "vendor", CodeFinal: "final", CodeCME: "cme", CodeCMS: "cms"}

func (s CodeSource) String() string {
	if int(s) < len(codeSourceNames) {
		return codeSourceNames[s]
	}
	return "code?"
}

// MarshalText makes CodeSource a string in JSON.
func (s CodeSource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// codeSourceOf says where a code taken from the final result line ev comes
// from.
func codeSourceOf(ev *decode.Event) CodeSource {
	switch ev.Name {
	case "+CME ERROR":
		return CodeCME
	case "+CMS ERROR":
		return CodeCMS
	}
	return CodeFinal
}

// Rejected reports whether the module refused the command with its final
// result code (ERROR, +CME ERROR) instead of carrying it out: the time to
// the refusal is no latency of the operation (issue 15.6).
func (op *Op) Rejected() bool { return op.rejected }

// setConnack records the CONNACK return code the log shows; a negative rc
// is none.
func (op *Op) setConnack(rc int) {
	op.HasConnack, op.Connack = rc >= 0 && rc < 256, uint8(max(rc, 0))
}

// VendorCode is the number of the vendor's result code: the last field of
// Code when Code is a comma list of integers ("0,4" gives 4, "-116" -116).
// ok is false for any other Code ("ERROR", "busy", "").
func (op *Op) VendorCode() (code int, ok bool) {
	f, ok := op.CodeFields()
	if !ok {
		return 0, false
	}
	return f[len(f)-1], true
}

// CodeFields are all the numbers of Code when it is a comma list of
// integers (quotes and blanks ignored: `"3", 0`); ok is false otherwise.
func (op *Op) CodeFields() ([]int, bool) {
	if op.Code == "" {
		return nil, false
	}
	var out []int
	for f := range strings.SplitSeq(op.Code, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.Trim(strings.TrimSpace(f), `"`)))
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// oneTopic fills a subscribe or unsubscribe of one topic from args: the
// topic at index topic, noted when unquoted, and for a subscribe the QoS
// after it (-1 when not given).
func (op *Op) oneTopic(args []string, topic int) {
	if len(args) > topic {
		op.Topic, op.Topics = strArg(args, topic), []string{strArg(args, topic)}
		if !isQuoted(args[topic]) {
			op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
		}
	}
	if op.Kind == OpSubscribe {
		op.QoS = intArg(args, topic+1, -1)
		op.Requested = []int{op.QoS}
	}
}
