package mqttstream

import (
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// FuzzChunking feeds arbitrary bytes, with a gap at some offset, once whole
// and once cut into the chunk sizes the fuzzer picks: the decoder must not
// panic and both must give the same packets and problems.
func FuzzChunking(f *testing.F) {
	f.Add(wire(f, connect(), subscribe(), publish(2, 5, "x", "yz"), packets.NewControlPacket(packets.Pingreq)), []byte{1, 5, 3}, uint16(9), int8(2))
	f.Add(raw("10 1a 00 06 4d 51 54 54 04 02 00 3c 00 0e 50 75 62 53 75 62 43 6c 69 65 6e 74 2d 31 c0 00"), []byte{7}, uint16(40), int8(-1))
	f.Add([]byte("\x16\x03\x01\x00"), []byte{1}, uint16(1), int8(0))
	f.Add([]byte("POST / HTTP/1.1\r\n"), []byte{2}, uint16(0), int8(-1))
	f.Fuzz(func(t *testing.T, b, sizes []byte, gapAt uint16, gapLen int8) {
		at := min(int(gapAt), len(b))
		whole := feed(ToBroker, []step{data(b[:at]), lost(int(gapLen)), data(b[at:])}, 0)
		var steps []step
		for i, k := 0, 0; i < len(b); k++ {
			n := 1
			if len(sizes) > 0 {
				n = int(sizes[k%len(sizes)])%7 + 1
			}
			n = min(n, len(b)-i)
			if i < at && i+n > at {
				n = at - i
			}
			if i == at {
				steps = append(steps, lost(int(gapLen)))
			}
			steps = append(steps, data(b[i:i+n]))
			i += n
		}
		if at == len(b) {
			steps = append(steps, lost(int(gapLen)))
		}
		if chunked := feed(ToBroker, steps, 0); chunked != whole {
			t.Fatalf("chunked:\n%s\nwhole:\n%s", chunked, whole)
		}
	})
}
