package mqttstream

import (
	"bytes"
	"testing"
)

// BenchmarkStream decodes a session split into 64-byte appends.
func BenchmarkStream(b *testing.B) {
	one := wire(b, connect(), subscribe(), publish(1, 7, "dev-7/t", string(bytes.Repeat([]byte("x"), 200))), publish(0, 0, "dev-7/t", "21.5"))
	session := bytes.Repeat(one, 50)
	b.SetBytes(int64(len(session)))
	for b.Loop() {
		s := NewStream(ToBroker)
		for rest := session; len(rest) > 0; {
			n := min(64, len(rest))
			s.Write(rest[:n])
			rest = rest[n:]
		}
		s.Close()
		if len(s.Packets()) != 200 {
			b.Fatal("packets lost")
		}
	}
}
