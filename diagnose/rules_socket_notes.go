package diagnose

import (
	"fmt"
	"slices"
	"strings"

	"atscope/dialect"
)

// Socket findings read from the notes the socket dialects put on their
// ops, by kind: damaged packets, streams that are TLS, data left unread.

// maxNotesQuoted caps the notes a finding quotes.
const maxNotesQuoted = 5

// sockNotesRule makes one finding per client of the socket ops that carry
// a note of its kind; found says what to tell.
type sockNotesRule struct {
	base
	id    string
	kind  dialect.NoteKind
	ops   map[int][]*dialect.Op
	order []int
	tell  func(c int, ops []*dialect.Op, notes []dialect.Note) Finding
	// abandoned are the client's latest ops that an event abandoned (its
	// socket's close): when that close carries the note, the finding
	// names them too, as what the note explains (unread CONNACKs).
	abandoned map[int][]*dialect.Op
	named     map[int][]int // their lines, per client
}

// maxAbandoned bounds the abandoned ops kept per client.
const maxAbandoned = 16

func (k *sockNotesRule) op(r *run, op *dialect.Op) {
	if !socketOp(op) {
		return
	}
	if k.abandoned == nil {
		k.abandoned, k.named = map[int][]*dialect.Op{}, map[int][]int{}
	}
	if op.Abandoned {
		if len(k.abandoned[op.Client]) < maxAbandoned {
			k.abandoned[op.Client] = append(k.abandoned[op.Client], op)
		}
		return
	}
	gone := k.abandoned[op.Client]
	delete(k.abandoned, op.Client)
	if !op.HasNote(k.kind) {
		return
	}
	for _, a := range gone {
		if slices.Contains(op.Seqs, int(a.AbandonedBy)) {
			k.named[op.Client] = append(k.named[op.Client], a.Lines...)
		}
	}
	if k.kind == dialect.NoteOpaque && !op.TLS {
		return // HTTP or unknown bytes: not a failure of the session
	}
	if k.ops == nil {
		k.ops = map[int][]*dialect.Op{}
	}
	if _, ok := k.ops[op.Client]; !ok {
		k.order = append(k.order, op.Client)
	}
	k.ops[op.Client] = append(k.ops[op.Client], op)
}

func (k *sockNotesRule) finish(r *run) {
	for _, c := range k.order {
		ops := k.ops[c]
		var notes []dialect.Note
		var lines []int
		for _, op := range ops {
			lines = append(lines, op.Lines...)
			for _, n := range op.Notes {
				if n.Kind == k.kind {
					notes = append(notes, n)
				}
			}
		}
		f := k.tell(c, ops, notes)
		f.Rule, f.Client, f.Lines = k.id, c, append(lines, k.named[c]...)
		r.add(f)
	}
}

func noteList(notes []dialect.Note) string {
	var parts []string
	for i, n := range notes {
		if i == maxNotesQuoted {
			parts = append(parts, fmt.Sprintf("and %d more", len(notes)-maxNotesQuoted))
			break
		}
		parts = append(parts, n.Text)
	}
	return strings.Join(parts, "; ")
}

func tellMalformed(c int, ops []*dialect.Op, notes []dialect.Note) Finding {
	return Finding{Severity: Warning,
		Title:       fmt.Sprintf("%s damaged or malformed on socket %d", plural(len(notes), "packet or byte run", "packets or byte runs"), c),
		Explanation: fmt.Sprintf("The socket's bytes do not all make well-formed MQTT packets: %s. Either the log lost bytes (a serial capture that dropped some, a length that does not match the payload) or the device's library built a wrong packet, which a broker answers by closing the connection.", noteList(notes)),
		Advice:      "Compare the declared send lengths with the payloads; if the log is complete, check the MQTT library's packet building (protocol name and level, remaining length, string lengths) against MQTT 3.1.1 §2-3."}
}

func tellTLS(c int, ops []*dialect.Op, _ []dialect.Note) Finding {
	return Finding{Severity: Warning,
		Title:       fmt.Sprintf("socket %d (line %d) carries TLS, which the log cannot show decoded", c, firstLineOf(ops[0])),
		Explanation: "The device runs TLS itself over the module's plain TCP socket (port 8883 as a rule): the log holds encrypted records, so the MQTT session inside (CONNECT, its refusal, the publishes) cannot be read from it, and atscope does not guess.",
		Advice:      "To debug the MQTT session, use the module's own TLS MQTT commands (they log the MQTT steps and results), or connect to a plain test port (1883) of a test broker; or log the MQTT packets on the host before encryption."}
}

func tellUnread(c int, ops []*dialect.Op, notes []dialect.Note) Finding {
	total, unsized := 0, false
	for _, n := range notes {
		if n.Have < 0 {
			unsized = true // announced without a size
		} else {
			total += n.Have
		}
	}
	what := plural(total, "byte", "bytes")
	if unsized {
		what = "data"
		if total > 0 {
			what = "at least " + what
		}
	}
	verb := map[bool]string{false: "were", true: "was"}[what == "data"]
	return Finding{Severity: Warning,
		Title:       fmt.Sprintf("%s received on socket %d %s never read by the host", what, c, verb),
		Explanation: fmt.Sprintf("The module announced received data that it keeps in its buffer until the host reads it (passive or buffered receive), and the host did not read %s before the socket closed or the log ended: broker packets (CONNACK, SUBACK, PUBACK, messages, PINGRESP) in it never reached the MQTT library, which then times out or misses messages.", what),
		Advice:      "Read the socket's buffer after every receive notice until it says nothing is left; in buffered modes, poll it from the MQTT library's loop."}
}
