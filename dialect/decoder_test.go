package dialect

import (
	"strings"
	"testing"

	"atscope/decode"
)

// TestDecoderHoldsBoundedBytes feeds the pieces of one long line that no
// dialect claims: the decoder must stop holding them once they pass
// detectBytes, not at detectWindow events.
func TestDecoderHoldsBoundedBytes(t *testing.T) {
	d, err := NewDecoder("long.log", "auto")
	if err != nil {
		t.Fatal(err)
	}
	piece := strings.Repeat("A", 64<<10)
	most := 0
	for seq := range 1000 {
		ev := decode.Event{Seq: seq, Kind: decode.KindText, Pos: decode.Pos{File: "long.log", Line: 1}, Text: piece, Raw: []byte(piece)}
		d.Feed(&ev, func(*Op) {})
		most = max(most, d.heldBytes)
	}
	d.Close(func(*Op) {})
	if most > detectBytes+2*len(piece) {
		t.Errorf("held %d bytes of events, want at most about %d", most, detectBytes)
	}
}
