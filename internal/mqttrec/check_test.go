package mqttrec

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"atscope/mqttstream"
)

// The session the live test drives, and what its packets must say.
const (
	clientID  = "atscope-rec"
	user      = "fleet"
	password  = "s3cret"
	willTopic = "atscope/rec/status"
	cmdFilter = "atscope/rec/cmd/#"
)

var published = []struct {
	qos     byte
	payload string
}{{0, "zero"}, {1, "one"}, {2, "two"}}

// decode feeds one direction of a recording to mqttstream chunk by chunk,
// as the proxy read it, or all at once.
func decode(r Recording, dir mqttstream.Dir, whole bool) ([]mqttstream.Packet, []mqttstream.Problem) {
	s := mqttstream.NewStream(dir)
	if whole {
		s.Write(r.Stream(dir))
	} else {
		for _, c := range r.Chunks {
			if c.Dir == dir {
				s.Write(c.Data)
			}
		}
	}
	s.Close()
	return s.Packets(), s.Problems()
}

// checkRecording holds mqttstream's packets of a recording against paho's
// own reader run over each whole stream, packet by packet and byte by byte,
// and against the session the client was told to run.
func checkRecording(t *testing.T, r Recording) {
	t.Helper()
	var all []mqttstream.Packet
	for _, dir := range []mqttstream.Dir{mqttstream.ToBroker, mqttstream.FromBroker} {
		stream := r.Stream(dir)
		got, problems := decode(r, dir, false)
		if whole, _ := decode(r, dir, true); !reflect.DeepEqual(whole, got) {
			t.Errorf("%s: chunked and whole decoding differ:\n%v\n%v", dir, got, whole)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", dir, p)
		}
		want := pahoRead(t, stream)
		if len(got) != len(want) {
			t.Fatalf("%s: %d packets decoded, paho reads %d", dir, len(got), len(want))
		}
		var at int64
		for i, p := range got {
			var enc bytes.Buffer
			want[i].Write(&enc)
			if p.Start != at || !p.Complete || len(p.Problems) > 0 || !bytes.Equal(stream[p.Start:p.End], enc.Bytes()) {
				t.Errorf("%s packet %d: %s [%d,%d) complete=%t problems=%v; paho: %s", dir, i, p.Kind, p.Start, p.End, p.Complete, p.Problems, want[i])
			}
			at = p.End
		}
		if at != int64(len(stream)) {
			t.Errorf("%s: packets end at %d, the stream at %d", dir, at, len(stream))
		}
		all = append(all, got...)
	}
	checkScript(t, all)
}

func pahoRead(t *testing.T, stream []byte) []packets.ControlPacket {
	var out []packets.ControlPacket
	r := bytes.NewReader(stream)
	for {
		cp, err := packets.ReadPacket(r)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("paho cannot read the recorded stream: %v", err)
		}
		out = append(out, cp)
	}
}

// summary is what a packet says, without the ids and order the client and
// broker choose.
func summary(p mqttstream.Packet) string {
	s := p.Dir.String() + " " + p.Kind.String()
	switch p.Kind {
	case mqttstream.Connect:
		s += fmt.Sprintf(" id=%s user=%s pass=%s keepalive=%d clean=%t will=%+v", p.ClientID, p.Username, p.Password, p.KeepAlive, p.CleanSession, *p.Will)
	case mqttstream.Connack:
		s += fmt.Sprintf(" code=%d", p.ReturnCode)
	case mqttstream.Publish:
		s += fmt.Sprintf(" qos=%d topic=%s payload=%s", p.QoS, p.Topic, p.Payload)
	case mqttstream.Subscribe, mqttstream.Unsubscribe:
		s += fmt.Sprintf(" %v", p.Topics)
	case mqttstream.Suback:
		s += fmt.Sprintf(" granted=%v", p.Granted)
	}
	return s
}

func checkScript(t *testing.T, got []mqttstream.Packet) {
	t.Helper()
	to, from := mqttstream.ToBroker.String()+" ", mqttstream.FromBroker.String()+" "
	want := []string{
		to + fmt.Sprintf("CONNECT id=%s user=%s pass=%s keepalive=1 clean=true will=%+v", clientID, user, password,
			mqttstream.Will{Topic: willTopic, Message: []byte("offline"), QoS: 1, Retain: true}),
		from + "CONNACK code=0",
		to + fmt.Sprintf("SUBSCRIBE [{%s 2}]", cmdFilter), from + "SUBACK granted=[2]",
		to + "PUBACK", from + "PUBACK", // QoS 1 out and back
		to + "PUBREC", to + "PUBREL", to + "PUBCOMP", from + "PUBREC", from + "PUBREL", from + "PUBCOMP", // QoS 2
		to + fmt.Sprintf("UNSUBSCRIBE [{%s 0}]", cmdFilter), from + "UNSUBACK",
		to + "PINGREQ", from + "PINGRESP", to + "DISCONNECT",
	}
	for _, p := range published {
		topic := fmt.Sprintf("atscope/rec/cmd/q%d", p.qos)
		want = append(want, fmt.Sprintf("%sPUBLISH qos=%d topic=%s payload=%s", to, p.qos, topic, p.payload),
			fmt.Sprintf("%sPUBLISH qos=%d topic=%s payload=%s", from, p.qos, topic, p.payload))
	}
	var have []string
	pinged := map[mqttstream.Kind]bool{}
	for _, p := range got {
		if p.Kind == mqttstream.Pingreq || p.Kind == mqttstream.Pingresp {
			if pinged[p.Kind] { // the keep-alive may ping more than once
				continue
			}
			pinged[p.Kind] = true
		}
		have = append(have, summary(p))
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(have, want) {
		t.Errorf("packets:\n%q\nwant:\n%q", have, want)
	}
}
