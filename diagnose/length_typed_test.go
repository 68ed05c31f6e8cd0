package diagnose

import (
	"testing"

	"atscope/decode"
)

// TestPayloadLengthReadsTypedFields: the payload-length finding takes its
// numbers from the event's Length, Have and Declared, whatever the
// problem's wording.
func TestPayloadLengthReadsTypedFields(t *testing.T) {
	e := New("typed.log")
	events := []decode.Event{
		{Seq: 0, Kind: decode.KindCommand, Dir: decode.DirToModule, Name: "+XPUB", Args: `0,"t",20`, Text: `AT+XPUB=0,"t",20`, Pos: decode.Pos{Line: 1}},
		{Seq: 1, Kind: decode.KindPrompt, Dir: decode.DirFromModule, Text: ">", Pos: decode.Pos{Line: 2}},
		{Seq: 2, Kind: decode.KindData, Dir: decode.DirToModule, Text: "0123456789", Pos: decode.Pos{Line: 3},
			Problem: "the log holds fewer bytes than the command declared", Length: decode.LengthShort, Have: 10, Declared: 20},
		{Seq: 3, Kind: decode.KindResult, Dir: decode.DirFromModule, Name: "ERROR", Text: "ERROR", Pos: decode.Pos{Line: 4}},
	}
	for i := range events {
		e.Event(&events[i])
	}
	for _, f := range e.Findings() {
		if f.Rule == idPayloadLength {
			return
		}
	}
	t.Errorf("no payload-length finding for a payload of 10 bytes declared 20: %+v", e.Findings())
}
