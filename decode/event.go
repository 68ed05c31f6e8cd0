package decode

import "time"

// Kind classifies an Event.
type Kind uint8

const (
	KindText     Kind = iota // unclassified text, kept and never dropped: "[app] connecting"
	KindCommand              // host to module: "AT+QMTOPEN=0,\"broker\",1883"
	KindEcho                 // the module's echo of a command (ATE1)
	KindResponse             // information text answering the pending command: "+CPIN: READY"
	KindResult               // final result code: "OK", "ERROR", "+CME ERROR: 767"
	KindURC                  // unsolicited result code: "+QMTOPEN: 0,0", "CONNECT OK"
	KindPrompt               // the data prompt "> ", which has no line end
	KindData                 // payload bytes after a prompt or announced by a URC
)

var kindNames = [...]string{
	KindText: "text", KindCommand: "command", KindEcho: "echo", KindResponse: "response",
	KindResult: "result", KindURC: "urc", KindPrompt: "prompt", KindData: "data",
}

func (k Kind) String() string { return enumName(kindNames[:], int(k)) }

// MarshalText makes Kind a string in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Kinds lists every kind, in order.
func Kinds() []Kind {
	return []Kind{KindCommand, KindEcho, KindResponse, KindResult, KindURC, KindPrompt, KindData, KindText}
}

// Form is the syntax form of a command [ITU-T V.250 §5.3, 3GPP TS 27.007 §4].
type Form uint8

const (
	FormNone  Form = iota // not a command
	FormExec              // AT+QMTDISC
	FormRead              // AT+QMTOPEN?
	FormTest              // AT+QMTOPEN=?
	FormWrite             // AT+QMTOPEN=0,"host",1883
)

var formNames = [...]string{FormNone: "", FormExec: "exec", FormRead: "read", FormTest: "test", FormWrite: "write"}

func (f Form) String() string { return enumName(formNames[:], int(f)) }

// Event is one token of an AT exchange.
//
// Its one-byte fields are together, which keeps it small: every event is
// copied several times on its way from the tokenizer to a command.
//
// Its strings share one copy of a few KiB of the log's lines (one
// allocation for many events): a consumer that keeps a string long after
// the event, such as an op kept for the whole log, should keep a
// strings.Clone of it, or it keeps those KiB alive.
type Event struct {
	Seq         int // 0-based index in the event stream
	Kind        Kind
	Dir         Dir
	DirInferred bool // Dir was inferred, not logged
	TimeSrc     TimeSource
	Form        Form // for commands and echoes
	// Note marks text that the log tool or a person added (a heading, an
	// annotation, a banner), as opposed to unrecognised serial text.
	Note bool
	// AnswerTo is FormRead or FormTest on a response or final result that
	// answers a read ("AT+QMTOPEN?") or test ("AT+QMTOPEN=?") command:
	// "+QMTOPEN: (0-5),\"host_name\",(1-65536)" lists what the command
	// takes, it reports no operation. FormNone otherwise.
	AnswerTo Form
	// Length says, with Have and Declared, what a Problem about a declared
	// payload length says in words.
	Length  LengthIssue
	Pos     Pos // where the event's first byte is
	EndLine int // the line of its last byte
	Time    time.Time
	// Name is the upper-case command or code name: "+QMTOPEN" (commands
	// without "AT"), "E" for ATE0, "OK", "+CME ERROR", "CONNECT OK". Empty
	// for data, prompts and text.
	Name string
	Args string // what follows "=" of a command or ": " of a response/URC
	// Text is the event without line ends and surrounding blanks; for data,
	// the payload exactly.
	Text string
	// Raw is every serial byte of the event, line ends and the blank lines
	// after it included, so that the Raw of all events is the whole input.
	Raw []byte
	// Problem says what was wrong with the bytes, if anything: "payload is 12
	// bytes, length says 20", "Ctrl-Z missing".
	Problem string
	// Have and Declared are a payload's length as seen in the log and as
	// its command or URC declared it, with LengthShort and LengthLong
	// (int32: payloads are under 256 KiB, and every event is copied often).
	Have, Declared int32
}

// AnswersQuery reports whether e answers a read or test command: no dialect
// makes an operation of it.
func (e *Event) AnswersQuery() bool { return e.AnswerTo == FormRead || e.AnswerTo == FormTest }

// LengthIssue is what is wrong with a declared payload length.
type LengthIssue uint8

const (
	LengthOK      LengthIssue = iota // nothing, or no declared length
	LengthShort                      // the payload is shorter: the module waits for the rest
	LengthLong                       // the host typed more: the module takes Declared bytes, the rest as a command
	LengthInvalid                    // the declared length is no byte count ("-1", "1e30")
)

var lengthNames = [...]string{LengthOK: "ok", LengthShort: "short", LengthLong: "long", LengthInvalid: "invalid"}

func (l LengthIssue) String() string { return enumName(lengthNames[:], int(l)) }

// MarshalText makes LengthIssue a string in JSON.
func (l LengthIssue) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// IsCommand reports whether e is a command or its echo.
func (e *Event) IsCommand() bool { return e.Kind == KindCommand || e.Kind == KindEcho }
