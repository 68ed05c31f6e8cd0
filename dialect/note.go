package dialect

import (
	"regexp"
	"strconv"
	"strings"

	"atscope/decode"
)

// NoteKind says what a note of an op is about, so that consumers act on the
// kind and its numbers, never on the wording of Text.
type NoteKind uint8

const (
	// NoteRemark is context for a reader ("payload shown in hex, decoded").
	NoteRemark NoteKind = iota
	// NoteDeviation is the host deviating from the manual: an unquoted
	// host or topic, a missing msgID, arguments out of order.
	NoteDeviation
	// NotePayloadLength is a payload (or message, topic) whose length
	// differs from the one declared: Have bytes, Want declared.
	NotePayloadLength
	// NoteLimit is a value over a limit of the module or its manual
	// (topic, message or command line length).
	NoteLimit
	// NoteNotLogged is an op known from its result or acknowledgement
	// alone: the command is not in the log.
	NoteNotLogged
	// NoteMalformed is an MQTT packet a socket dialect found damaged or
	// malformed, or bytes of its stream that the log lost.
	NoteMalformed
	// NoteOpaque is a socket stream that is not MQTT (TLS, HTTP, unknown):
	// kept as socket data, not decoded.
	NoteOpaque
	// NoteInvalid is a number that cannot be what it stands for: a declared
	// payload length that is no byte count ("-1", "1e30"), a duration that
	// is negative or over a day (a clock jump between the op's lines).
	NoteInvalid
	// NoteUnread is received data that a socket's module announced and
	// the host never read (passive receive): Have bytes.
	NoteUnread
	// NoteLate is a final result that came after the op's deadline, while
	// the module was still busy with the command: Have is the time it took
	// and Want the manual's limit, in milliseconds.
	NoteLate
)

var noteKindNames = [...]string{
	NoteRemark: "remark", NoteDeviation: "deviation", NotePayloadLength: "payload_length",
	NoteLimit: "limit", NoteNotLogged: "not_logged", NoteMalformed: "malformed", NoteOpaque: "opaque",
	NoteInvalid: "invalid", NoteUnread: "unread", NoteLate: "late",
}

func (k NoteKind) String() string {
	if int(k) < len(noteKindNames) {
		return noteKindNames[k]
	}
	return "note?"
}

// MarshalText makes NoteKind a string in JSON.
func (k NoteKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Note is one remark on an op. Text is the human sentence, for display only.
type Note struct {
	Kind NoteKind
	// Have and Want are the numbers of a NotePayloadLength (bytes seen,
	// bytes declared) and of a NoteLate (milliseconds taken, allowed);
	// zero for the other kinds.
	Have, Want int
	Text       string
}

// NoteTexts lists the Text of every note, in order.
func (op *Op) NoteTexts() []string {
	if len(op.Notes) == 0 {
		return nil
	}
	out := make([]string, len(op.Notes))
	for i, n := range op.Notes {
		out[i] = n.Text
	}
	return out
}

// HasNote says whether op has a note of kind k.
func (op *Op) HasNote(k NoteKind) bool {
	for _, n := range op.Notes {
		if n.Kind == k {
			return true
		}
	}
	return false
}

// noteAs adds a note of kind k once.
func (op *Op) noteAs(k NoteKind, s string) { op.addNote(Note{Kind: k, Text: s}) }

// noteLength adds a NotePayloadLength note once: have bytes seen, want
// declared.
func (op *Op) noteLength(have, want int, s string) {
	op.addNote(Note{Kind: NotePayloadLength, Have: have, Want: want, Text: s})
}

// note adds a note whose text was composed elsewhere (decode's
// Event.Problem, the notes a parser collected), its kind read from the
// wording those use.
func (op *Op) note(s string) { op.addNote(classifyNote(s)) }

// noteProblem notes what decode found wrong with ev's bytes: a payload
// length that differs from the declared one from the event's typed fields,
// any other problem by its wording.
func (op *Op) noteProblem(ev *decode.Event) { op.addNote(problemNote(ev)) }

// problemNote is the note for ev.Problem.
func problemNote(ev *decode.Event) Note {
	if ev.Length == decode.LengthShort || ev.Length == decode.LengthLong {
		return Note{Kind: NotePayloadLength, Have: int(ev.Have), Want: int(ev.Declared), Text: ev.Problem}
	}
	return classifyNote(ev.Problem)
}

// addNote adds n once.
func (op *Op) addNote(n Note) {
	for _, o := range op.Notes {
		if o.Text == n.Text {
			return
		}
	}
	op.Notes = append(op.Notes, n)
}

// lengthWords matches "payload is 108 bytes, length says 512" and its
// variants from the tokenizer (decode's Event.Problem) and the dialects.
var lengthWords = regexp.MustCompile(`(?:payload|message|topic) is (\d+) bytes, (?:the )?(?:length|command|\+CMQTTRXSTART) says (\d+)`)

// classifyNote gives a note composed elsewhere its kind: decode's
// Event.Problem ("payload is 12 bytes, length says 20") and the notes the
// argument parsers collect as text. The machines give every note they
// write themselves its kind (noteAs, noteLength); this reads the shapes
// those texts use, in one place, so that consumers get the kind with the
// note. decode's Event.Problem about a payload's length carries its numbers
// and goes through problemNote instead.
func classifyNote(s string) Note {
	n := Note{Kind: NoteRemark, Text: s}
	l := strings.ToLower(s)
	switch {
	case lengthWords.MatchString(s):
		m := lengthWords.FindStringSubmatch(s)
		n.Kind = NotePayloadLength
		n.Have, _ = strconv.Atoi(m[1])
		n.Want, _ = strconv.Atoi(m[2])
	case strings.Contains(s, "at most") || strings.Contains(s, "limits"):
		n.Kind = NoteLimit
	case strings.HasPrefix(l, "the command is not in the log"):
		n.Kind = NoteNotLogged
	case isDeviationText(l):
		n.Kind = NoteDeviation
	}
	return n
}

// isDeviationText says whether a lower-case note says the host deviated
// from the manual.
func isDeviationText(l string) bool {
	switch {
	case strings.HasPrefix(l, "abandoned"), strings.HasPrefix(l, "the broker rejected"), l == "command in lower case",
		strings.HasPrefix(l, "old sara-r4 syntax"), strings.Contains(l, " in the log"), strings.HasPrefix(l, "at+umqtter"),
		strings.HasPrefix(l, "the link was already down"), strings.Contains(l, "after connect ok"):
		return false
	}
	for _, m := range []string{"manual", "not in quotes", "outside", "swapped", "out of the manual's order", "extra protocol argument",
		"no msgid", "without a qos", "no qos", "no valid qos", "bare '\"'", "not an esp-at", "supports linkid 0 only", "deviate",
		"dup flag set on a first send", "not documented", "not the seed", "later versions", "oldest slm syntax"} {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}
