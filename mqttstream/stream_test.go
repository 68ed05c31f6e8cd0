package mqttstream

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// wire encodes packets with paho's encoder: the bytes a Paho-built client sends.
func wire(t testing.TB, cps ...packets.ControlPacket) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, cp := range cps {
		if err := cp.Write(&b); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func connect() *packets.ConnectPacket {
	c := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	c.ProtocolName, c.ProtocolVersion, c.CleanSession, c.Keepalive = "MQTT", 4, true, 60
	c.ClientIdentifier, c.UsernameFlag, c.Username, c.PasswordFlag, c.Password = "dev-7", true, "fleet", true, []byte("s3cret")
	c.WillFlag, c.WillTopic, c.WillMessage, c.WillQos, c.WillRetain = true, "dev-7/status", []byte("offline"), 1, true
	return c
}

func publish(qos byte, id uint16, topic, payload string) *packets.PublishPacket {
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.Qos, p.MessageID, p.TopicName, p.Payload = qos, id, topic, []byte(payload)
	return p
}

func subscribe() *packets.SubscribePacket {
	s := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	s.MessageID, s.Topics, s.Qoss = 2, []string{"dev-7/cmd", "fleet/#"}, []byte{1, 2}
	return s
}

func connack(code byte) *packets.ConnackPacket {
	c := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
	c.ReturnCode = code
	return c
}

func puback(id uint16) *packets.PubackPacket {
	a := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
	a.MessageID = id
	return a
}

// step is one append to a stream: bytes, or a gap (lost >= 0 known, < 0 unknown).
type step struct {
	data []byte
	gap  bool
	lost int
}

func data(b []byte) step      { return step{data: b} }
func lost(n int) step         { return step{gap: true, lost: n} }
func raw(s string) []byte     { b, _ := hex.DecodeString(strings.ReplaceAll(s, " ", "")); return b }
func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

// feed runs the steps, each data step split into chunks of at most size
// bytes (0: whole), and renders what came out.
func feed(dir Dir, steps []step, size int) string {
	s := NewStream(dir)
	for _, st := range steps {
		if st.gap {
			s.Lost(st.lost)
			continue
		}
		b := st.data
		for len(b) > 0 {
			n := len(b)
			if size > 0 {
				n = min(n, size)
			}
			s.Write(b[:n])
			b = b[n:]
		}
	}
	s.Close()
	var out strings.Builder
	fmt.Fprintf(&out, "protocol: %s\n", s.Protocol())
	for _, p := range s.Packets() {
		j, _ := json.Marshal(p)
		fmt.Fprintf(&out, "packet %s\n", j)
	}
	for _, p := range s.Problems() {
		fmt.Fprintf(&out, "problem %s\n", p)
	}
	return out.String()
}

func TestStreamGolden(t *testing.T) {
	session := wire(t, connect(), subscribe(), publish(0, 0, "dev-7/t", "21.5"), publish(1, 7, "dev-7/t", "21.6"),
		packets.NewControlPacket(packets.Pingreq), packets.NewControlPacket(packets.Disconnect))
	badName := raw("10 1a 00 06 4d 51 54 54 04 02 00 3c 00 0e 50 75 62 53 75 62 43 6c 69 65 6e 74 2d 31")
	pub := wire(t, publish(1, 9, "a/b", "hello world"))
	cases := []struct {
		name  string
		dir   Dir
		steps []step
	}{
		{"session", ToBroker, []step{data(session)}},
		{"broker", FromBroker, []step{data(wire(t, connack(0), puback(7), publish(1, 3, "dev-7/cmd", "on")))}},
		{"connack-refused", FromBroker, []step{data(wire(t, connack(5)))}},
		{"protocol-name-length-6", ToBroker, []step{data(badName), data(wire(t, packets.NewControlPacket(packets.Pingreq)))}},
		{"lost-byte-in-publish", ToBroker, []step{data(pub[:6]), lost(1), data(pub[7:]), data(wire(t, puback(4)))}},
		{"lost-unknown-then-resync", ToBroker, []step{data(pub[:6]), lost(-1), data(pub[9:]), data(session[len(session)-4:])}},
		{"starts-after-loss", FromBroker, []step{lost(-1), data(pub[5:]), data(wire(t, puback(7), puback(8)))}},
		{"cut-at-end", ToBroker, []step{data(session[:len(session)-10])}},
		{"garbage-then-packets", ToBroker, []step{data(cat(wire(t, puback(1)), []byte{0xff, 0xf0, 0x00}, wire(t, puback(2), puback(3))))}},
		{"tls", ToBroker, []step{data(raw("16 03 01 00 a5 01 00 00 a1 03 03"))}},
		{"http", ToBroker, []step{data([]byte("POST /api HTTP/1.1\r\nHost: x\r\n\r\n"))}},
		{"unknown", ToBroker, []step{data([]byte("hello\r\n"))}},
		{"subscribe-without-topic", ToBroker, []step{data(raw("82 02 00 01"))}},
		{"remaining-length-too-short", ToBroker, []step{data(raw("30 03 00 05 61")), data(wire(t, puback(1)))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := feed(c.dir, c.steps, 0)
			if byByte := feed(c.dir, c.steps, 1); byByte != got {
				t.Errorf("one byte at a time differs:\n%s\nall at once:\n%s", byByte, got)
			}
			golden(t, filepath.Join("testdata", c.name+".golden"), got)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n got: %s\nwant: %s", path, got, want)
	}
}

func TestSpans(t *testing.T) {
	s := NewStream(ToBroker)
	want := []Span{{0, 3}, {3, 5}, {5, 5}, {5, 7}}
	got := []Span{s.Write([]byte{1, 2, 3}), s.Lost(2), s.Lost(-1), s.Write([]byte{4, 5})}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("append %d: span %v, want %v", i, got[i], want[i])
		}
	}
}
