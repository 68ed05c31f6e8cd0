package dialect

import (
	"testing"

	"atscope/decode"
)

// TestProblemNoteReadsTypedLength checks that a payload-length problem is
// typed from the event's fields, whatever its wording.
func TestProblemNoteReadsTypedLength(t *testing.T) {
	tests := []struct {
		ev   decode.Event
		want Note
	}{
		{decode.Event{Length: decode.LengthLong, Have: 26, Declared: 20, Problem: "the host typed 6 bytes more"},
			Note{Kind: NotePayloadLength, Have: 26, Want: 20, Text: "the host typed 6 bytes more"}},
		{decode.Event{Length: decode.LengthShort, Have: 3, Declared: 9, Problem: "cut"},
			Note{Kind: NotePayloadLength, Have: 3, Want: 9, Text: "cut"}},
		{decode.Event{Length: decode.LengthInvalid, Problem: "length 1e30 is no byte count: the payload is read up to the module's answer"},
			Note{Kind: NoteRemark, Text: "length 1e30 is no byte count: the payload is read up to the module's answer"}},
		{decode.Event{Problem: "Ctrl-Z missing"}, Note{Kind: NoteRemark, Text: "Ctrl-Z missing"}},
	}
	for _, tt := range tests {
		if got := problemNote(&tt.ev); got != tt.want {
			t.Errorf("problemNote(%q) = %+v, want %+v", tt.ev.Problem, got, tt.want)
		}
	}
}
