package analyze

import (
	"bytes"
	"os"
	"testing"

	"atscope/decode"
)

// TestEventClientsPartitionALongLog: over a log longer than the order lag,
// the events handed on per client are each event once, in log order.
func TestEventClientsPartitionALongLog(t *testing.T) {
	one, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	in := bytes.Repeat(append(one, "AT\r\nOK\r\n"...), 400) // 2,800 events
	seen := map[int]int{}
	for _, client := range []int{-1, 0, 1} {
		last := -1
		src := FromReader("long.log", bytes.NewReader(in))
		_, err := Run(src, Options{Format: "auto", Dialect: "auto", EventClient: func(c int) bool { return c == client }},
			Sinks{Event: func(ev *decode.Event) error {
				if ev.Seq <= last {
					t.Fatalf("client %d: event %d after %d", client, ev.Seq, last)
				}
				last = ev.Seq
				seen[ev.Seq]++
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 2800 {
		t.Errorf("%d of 2800 events handed on", len(seen))
	}
	for seq, n := range seen {
		if n != 1 {
			t.Fatalf("event %d handed on %d times", seq, n)
		}
	}
}
