package diagnose

import (
	"strings"
	"testing"

	"atscope/decode"
)

// TestPayloadLengthTyped: the payload-length rule reads the tokenizer's
// typed lengths (Event.Length, Have, Declared), whatever its Problem
// says in words (issue 13: no consumer parses prose).
func TestPayloadLengthTyped(t *testing.T) {
	tests := []struct {
		length     decode.LengthIssue
		have, decl int32
		want       string // a word of the title, "" for no finding
	}{
		{decode.LengthShort, 5, 20, "announced 20 payload bytes but only 5 were sent"},
		{decode.LengthLong, 30, 20, "20"},
		{decode.LengthInvalid, 5, 0, ""},
		{decode.LengthOK, 5, 20, ""},
	}
	for _, tt := range tests {
		e := New("typed.log")
		cmd := decode.Event{Seq: 1, Kind: decode.KindCommand, Dir: decode.DirToModule, Name: "+XPUB", Form: decode.FormWrite,
			Args: "0,20", Text: "AT+XPUB=0,20", Pos: decode.Pos{Line: 1}}
		data := decode.Event{Seq: 2, Kind: decode.KindData, Dir: decode.DirToModule, Text: "hello", Pos: decode.Pos{Line: 2},
			Problem: "reworded: the count differs", Length: tt.length, Have: tt.have, Declared: tt.decl}
		e.Event(&cmd)
		e.Event(&data)
		var got []string
		for _, f := range e.Findings() {
			if f.Rule == idPayloadLength {
				got = append(got, f.Title)
			}
		}
		if tt.want == "" && len(got) > 0 || tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)) {
			t.Errorf("%v %d/%d: findings %q, want one with %q", tt.length, tt.have, tt.decl, got, tt.want)
		}
	}
}
