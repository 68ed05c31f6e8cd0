package export

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// mqttFixture is one packet and the bytes it must encode to, each field
// annotated, in the style of mochi-mqtt's packets/tpackets.go.
type mqttFixture struct {
	desc  string
	level byte
	pk    mqttPacket
	raw   []byte
}

var mqttFixtures = []mqttFixture{
	{
		desc: "connect 3.1.1 clean, no user", level: mqttLevel311,
		pk: mqttPacket{Type: mqttConnect, ClientID: "ec25", KeepAlive: 60, Clean: true},
		raw: []byte{
			mqttConnect << 4, 16, // fixed header, remaining length
			0, 4, 'M', 'Q', 'T', 'T', // protocol name
			4,     // protocol level
			0x02,  // connect flags: clean session
			0, 60, // keep alive
			0, 4, 'e', 'c', '2', '5', // client identifier
		},
	},
	{
		desc: "connect 3.1.1 user, password, will qos 1 retain", level: mqttLevel311,
		pk: mqttPacket{Type: mqttConnect, ClientID: "c", Username: "u", Password: "pw", UsernameFlag: true, PasswordFlag: true,
			KeepAlive: 120, Will: &mqttWill{Topic: "w", Message: []byte("off"), QoS: 1, Retain: true}},
		raw: []byte{
			mqttConnect << 4, 28,
			0, 4, 'M', 'Q', 'T', 'T',
			4,
			0b1110_1100, // user name, password, will retain, will qos 1, will flag; not clean
			0, 120,
			0, 1, 'c', // client identifier
			0, 1, 'w', // will topic
			0, 3, 'o', 'f', 'f', // will message
			0, 1, 'u', // user name
			0, 2, 'p', 'w', // password
		},
	},
	{
		desc: "connect 3.1 (MQIsdp)", level: mqttLevel31,
		pk: mqttPacket{Type: mqttConnect, ClientID: "a", KeepAlive: 30, Clean: true},
		raw: []byte{
			mqttConnect << 4, 15,
			0, 6, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name of 3.1
			3, // protocol level 3
			0x02,
			0, 30,
			0, 1, 'a',
		},
	},
	{
		desc: "connect 5.0 with will, empty properties", level: mqttLevel5,
		pk: mqttPacket{Type: mqttConnect, ClientID: "a", KeepAlive: 10, Clean: true, Will: &mqttWill{Topic: "t", Message: []byte("m")}},
		raw: []byte{
			mqttConnect << 4, 21,
			0, 4, 'M', 'Q', 'T', 'T',
			5,
			0b0000_0110, // will flag, clean start
			0, 10,
			0,         // property length
			0, 1, 'a', // client identifier
			0,         // will property length
			0, 1, 't', // will topic
			0, 1, 'm', // will payload
		},
	},
	{
		desc: "connect with an empty client id and invalid UTF-8 user name", level: mqttLevel311,
		pk: mqttPacket{Type: mqttConnect, Username: "a\xffb", UsernameFlag: true, Clean: true},
		raw: []byte{
			mqttConnect << 4, 19,
			0, 4, 'M', 'Q', 'T', 'T',
			4,
			0x82, // user name, clean
			0, 0,
			0, 0, // empty client identifier
			0, 5, 'a', 0xef, 0xbf, 0xbd, 'b', // U+FFFD for the bad byte
		},
	},
	{
		desc: "connack accepted", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttConnack},
		raw: []byte{mqttConnack << 4, 2, 0, 0},
	},
	{
		desc: "connack refused, bad user name or password, session present dropped", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttConnack, Code: 4, SessionPresent: true},
		raw: []byte{mqttConnack << 4, 2, 0, 4},
	},
	{
		desc: "connack 5.0 session present", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttConnack, SessionPresent: true},
		raw: []byte{mqttConnack << 4, 3, 1, 0, 0}, // flags, reason code, property length
	},
	{
		desc: "publish qos 0", level: mqttLevel311,
		pk: mqttPacket{Type: mqttPublish, Topic: "a/b", Payload: []byte("hi")},
		raw: []byte{
			mqttPublish << 4, 7,
			0, 3, 'a', '/', 'b', // topic name
			'h', 'i', // payload
		},
	},
	{
		desc: "publish qos 1 dup retain", level: mqttLevel311,
		pk: mqttPacket{Type: mqttPublish, Topic: "t", QoS: 1, Dup: true, Retain: true, ID: 0x0102, Payload: []byte("x")},
		raw: []byte{
			mqttPublish<<4 | 0b1011, 6, // dup, qos 1, retain
			0, 1, 't',
			1, 2, // packet identifier
			'x',
		},
	},
	{
		desc: "publish qos 0 ignores dup", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPublish, Topic: "t", Dup: true},
		raw: []byte{mqttPublish << 4, 3, 0, 1, 't'},
	},
	{
		desc: "publish qos 2, 5.0", level: mqttLevel5,
		pk: mqttPacket{Type: mqttPublish, Topic: "t", QoS: 2, ID: 7, Payload: []byte("p")},
		raw: []byte{
			mqttPublish<<4 | 0b0100, 7,
			0, 1, 't',
			0, 7,
			0, // property length
			'p',
		},
	},
	{
		desc: "puback", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPuback, ID: 2},
		raw: []byte{mqttPuback << 4, 2, 0, 2},
	},
	{
		desc: "pubrec", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPubrec, ID: 3},
		raw: []byte{mqttPubrec << 4, 2, 0, 3},
	},
	{
		desc: "pubrel has flags 0010", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPubrel, ID: 3},
		raw: []byte{mqttPubrel<<4 | 0b0010, 2, 0, 3},
	},
	{
		desc: "pubcomp", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPubcomp, ID: 3},
		raw: []byte{mqttPubcomp << 4, 2, 0, 3},
	},
	{
		desc: "puback 5.0 leaves the success reason code out", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttPuback, ID: 0xFFFF},
		raw: []byte{mqttPuback << 4, 2, 0xFF, 0xFF},
	},
	{
		desc: "subscribe two filters", level: mqttLevel311,
		pk: mqttPacket{Type: mqttSubscribe, ID: 1, Filters: []string{"a", "b/#"}, Codes: []byte{1, 2}},
		raw: []byte{
			mqttSubscribe<<4 | 0b0010, 12,
			0, 1, // packet identifier
			0, 1, 'a', 1, // filter, requested qos
			0, 3, 'b', '/', '#', 2,
		},
	},
	{
		desc: "subscribe 5.0, missing requested qos is 0", level: mqttLevel5,
		pk: mqttPacket{Type: mqttSubscribe, ID: 9, Filters: []string{"x"}},
		raw: []byte{
			mqttSubscribe<<4 | 0b0010, 7,
			0, 9,
			0,            // property length
			0, 1, 'x', 0, // filter, subscription options
		},
	},
	{
		desc: "suback with a refusal", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttSuback, ID: 1, Codes: []byte{1, 0x80}},
		raw: []byte{mqttSuback << 4, 4, 0, 1, 1, 0x80},
	},
	{
		desc: "suback turns a code outside the spec into 0x80", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttSuback, ID: 1, Codes: []byte{7}},
		raw: []byte{mqttSuback << 4, 3, 0, 1, 0x80},
	},
	{
		desc: "suback 5.0", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttSuback, ID: 4, Codes: []byte{0}},
		raw: []byte{mqttSuback << 4, 4, 0, 4, 0, 0}, // id, property length, reason code
	},
	{
		desc: "unsubscribe", level: mqttLevel311,
		pk: mqttPacket{Type: mqttUnsubscribe, ID: 5, Filters: []string{"a", "bc"}},
		raw: []byte{
			mqttUnsubscribe<<4 | 0b0010, 9,
			0, 5,
			0, 1, 'a',
			0, 2, 'b', 'c',
		},
	},
	{
		desc: "unsubscribe 5.0", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttUnsubscribe, ID: 5, Filters: []string{"a"}},
		raw: []byte{mqttUnsubscribe<<4 | 0b0010, 6, 0, 5, 0, 0, 1, 'a'},
	},
	{
		desc: "unsuback", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttUnsuback, ID: 5},
		raw: []byte{mqttUnsuback << 4, 2, 0, 5},
	},
	{
		desc: "unsuback 5.0 with reason codes", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttUnsuback, ID: 5, Codes: []byte{0, 0}},
		raw: []byte{mqttUnsuback << 4, 5, 0, 5, 0, 0, 0},
	},
	{
		desc: "pingreq", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPingreq},
		raw: []byte{mqttPingreq << 4, 0},
	},
	{
		desc: "pingresp", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttPingresp},
		raw: []byte{mqttPingresp << 4, 0},
	},
	{
		desc: "disconnect", level: mqttLevel311,
		pk:  mqttPacket{Type: mqttDisconnect},
		raw: []byte{mqttDisconnect << 4, 0},
	},
	{
		desc: "disconnect 5.0, normal disconnection", level: mqttLevel5,
		pk:  mqttPacket{Type: mqttDisconnect},
		raw: []byte{mqttDisconnect << 4, 0},
	},
}

func TestMQTTEncode(t *testing.T) {
	seen := map[byte]bool{}
	for _, f := range mqttFixtures {
		t.Run(fmt.Sprintf("%s %s", mqttPacketNames[f.pk.Type], f.desc), func(t *testing.T) {
			got, err := f.pk.encode(f.level)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, f.raw) {
				t.Errorf("encode:\n got % x\nwant % x", got, f.raw)
			}
		})
		seen[f.pk.Type] = true
	}
	for typ, name := range mqttPacketNames {
		if !seen[typ] {
			t.Errorf("no fixture for %s", name)
		}
	}
}

func TestMQTTEncodeErrors(t *testing.T) {
	long := strings.Repeat("x", 0x10000)
	cases := []struct {
		desc  string
		level byte
		pk    mqttPacket
		want  error
	}{
		{"publish without a topic", 4, mqttPacket{Type: mqttPublish}, errMQTTNoTopic},
		{"publish to a wildcard", 4, mqttPacket{Type: mqttPublish, Topic: "a/+"}, errMQTTWildcard},
		{"publish qos 3", 4, mqttPacket{Type: mqttPublish, Topic: "a", QoS: 3, ID: 1}, errMQTTQoS},
		{"publish qos 1 without an id", 4, mqttPacket{Type: mqttPublish, Topic: "a", QoS: 1}, errMQTTPacketID},
		{"puback without an id", 4, mqttPacket{Type: mqttPuback}, errMQTTPacketID},
		{"subscribe without filters", 4, mqttPacket{Type: mqttSubscribe, ID: 1}, errMQTTNoFilters},
		{"subscribe with an empty filter", 4, mqttPacket{Type: mqttSubscribe, ID: 1, Filters: []string{""}}, errMQTTNoTopic},
		{"publish to a topic of NULs, empty once written", 4, mqttPacket{Type: mqttPublish, Topic: "\x00"}, errMQTTNoTopic},
		{"unsubscribe from a filter of NULs", 4, mqttPacket{Type: mqttUnsubscribe, ID: 1, Filters: []string{"\x00\x00"}}, errMQTTNoTopic},
		{"subscribe qos 3", 4, mqttPacket{Type: mqttSubscribe, ID: 1, Filters: []string{"a"}, Codes: []byte{3}}, errMQTTQoS},
		{"unsubscribe without filters", 4, mqttPacket{Type: mqttUnsubscribe, ID: 1}, errMQTTNoFilters},
		{"topic too long", 4, mqttPacket{Type: mqttPublish, Topic: long}, errMQTTString},
		{"client id too long", 4, mqttPacket{Type: mqttConnect, ClientID: long}, errMQTTString},
		{"will qos 3", 4, mqttPacket{Type: mqttConnect, Will: &mqttWill{Topic: "w", QoS: 3}}, errMQTTQoS},
		{"password without a user name", 4, mqttPacket{Type: mqttConnect, Password: "pw", PasswordFlag: true}, errMQTTPassword},
		{"protocol level 6", 6, mqttPacket{Type: mqttDisconnect}, errMQTTLevel},
		{"reserved type 15", 4, mqttPacket{Type: 15}, errMQTTType},
	}
	for _, c := range cases {
		t.Run(c.desc, func(t *testing.T) {
			_, err := c.pk.encode(c.level)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// TestMQTTRemainingLength checks the boundaries of the variable-length
// encoding [§2.2.3, Table 2.4].
func TestMQTTRemainingLength(t *testing.T) {
	cases := []struct {
		n    int
		want []byte
	}{
		{0, []byte{0x00}},
		{127, []byte{0x7F}},
		{128, []byte{0x80, 0x01}},
		{16_383, []byte{0xFF, 0x7F}},
		{16_384, []byte{0x80, 0x80, 0x01}},
		{2_097_151, []byte{0xFF, 0xFF, 0x7F}},
		{2_097_152, []byte{0x80, 0x80, 0x80, 0x01}},
		{mqttMaxRemaining, []byte{0xFF, 0xFF, 0xFF, 0x7F}},
	}
	for _, c := range cases {
		if got := appendVarInt(nil, c.n); !bytes.Equal(got, c.want) {
			t.Errorf("appendVarInt(%d) = % x, want % x", c.n, got, c.want)
		}
	}
	// A 200-byte payload takes a two-byte Remaining Length.
	pk := mqttPacket{Type: mqttPublish, Topic: "t", Payload: bytes.Repeat([]byte{'a'}, 200)}
	got, err := pk.encode(mqttLevel311)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{mqttPublish << 4, 0xCB, 0x01, 0, 1, 't'}; !bytes.Equal(got[:6], want) || len(got) != 206 {
		t.Errorf("publish of 200 bytes starts % x (len %d), want % x (len 206)", got[:6], len(got), want)
	}
}

// mqttReadBack is what a packet should read back as after encoding: the
// packet less what the encoder must leave out or mend (see mqttwire.go
// for the rule each line follows).
func mqttReadBack(pk mqttPacket, level byte) mqttPacket {
	want := mqttPacket{Type: pk.Type}
	switch pk.Type {
	case mqttConnect:
		want.Clean, want.KeepAlive, want.ClientID = pk.Clean, pk.KeepAlive, mqttText(pk.ClientID)
		want.UsernameFlag, want.PasswordFlag = pk.UsernameFlag, pk.PasswordFlag
		if pk.UsernameFlag {
			want.Username = mqttText(pk.Username)
		}
		if pk.PasswordFlag {
			want.Password = pk.Password
		}
		if w := pk.Will; w != nil {
			want.Will = &mqttWill{Topic: mqttText(w.Topic), Message: w.Message, QoS: w.QoS, Retain: w.Retain}
		}
	case mqttConnack:
		want.Code, want.SessionPresent = pk.Code, pk.SessionPresent && pk.Code == 0
	case mqttPublish:
		want.QoS, want.Retain, want.Dup, want.Topic, want.Payload = pk.QoS, pk.Retain, pk.Dup && pk.QoS > 0, mqttText(pk.Topic), pk.Payload
		if pk.QoS > 0 {
			want.ID = pk.ID
		}
	case mqttPuback, mqttPubrec, mqttPubrel, mqttPubcomp:
		want.ID = pk.ID
	case mqttSubscribe:
		want.ID = pk.ID
		for i, f := range pk.Filters {
			want.Filters = append(want.Filters, mqttText(f))
			want.Codes = append(want.Codes, byteAt(pk.Codes, i))
		}
	case mqttSuback:
		want.ID = pk.ID
		for _, c := range pk.Codes {
			if c > 2 {
				c = mqttSubackFailure
			}
			want.Codes = append(want.Codes, c)
		}
	case mqttUnsubscribe:
		want.ID = pk.ID
		for _, f := range pk.Filters {
			want.Filters = append(want.Filters, mqttText(f))
		}
	case mqttUnsuback:
		want.ID = pk.ID
		if level == mqttLevel5 {
			want.Codes = pk.Codes
		}
	}
	return want
}

// byteAt is v[i], or 0 past its end.
func byteAt(v []byte, i int) byte {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// checkRoundTrip encodes pk and reads it back with the strict decoder.
// An encoder error must be one of the documented ones.
func checkRoundTrip(t *testing.T, pk mqttPacket, level byte) {
	t.Helper()
	raw, err := pk.encode(level)
	if err != nil {
		for _, known := range []error{errMQTTString, errMQTTTooLong, errMQTTNoTopic, errMQTTWildcard, errMQTTNoFilters,
			errMQTTPacketID, errMQTTQoS, errMQTTType, errMQTTLevel, errMQTTPassword} {
			if errors.Is(err, known) {
				return
			}
		}
		t.Fatalf("encode: undocumented error %v", err)
	}
	got, n, err := decodeMQTT(raw, level)
	if err != nil {
		t.Fatalf("level %d: % x does not decode: %v", level, raw, err)
	}
	if n != len(raw) {
		t.Fatalf("level %d: % x decodes as %d bytes", level, raw, n)
	}
	if got, want := mqttDump(got), mqttDump(mqttReadBack(pk, level)); got != want {
		t.Fatalf("level %d: % x reads back as\n%s\nwant\n%s", level, raw, got, want)
	}
}

// mqttDump shows a packet's fields, the will's too, for comparison.
func mqttDump(pk mqttPacket) string {
	var will mqttWill
	if pk.Will != nil {
		will = *pk.Will
	}
	hasWill := pk.Will != nil
	pk.Will = nil
	return fmt.Sprintf("%+v will %v %+v", pk, hasWill, will)
}

// TestMQTTRoundTrip reads every fixture back with the strict decoder.
func TestMQTTRoundTrip(t *testing.T) {
	for _, f := range mqttFixtures {
		t.Run(fmt.Sprintf("%s %s", mqttPacketNames[f.pk.Type], f.desc), func(t *testing.T) {
			checkRoundTrip(t, f.pk, f.level)
		})
	}
}

// TestMQTTDecodeRefuses checks that the decoder refuses what the
// specification forbids, so that a round trip means something.
func TestMQTTDecodeRefuses(t *testing.T) {
	for _, c := range []struct {
		desc  string
		level byte
		raw   []byte
	}{
		{"cut short", 4, []byte{mqttPuback << 4, 2, 0}},
		{"bytes left over", 4, []byte{mqttPuback << 4, 3, 0, 1, 9}},
		{"remaining length not shortest", 4, []byte{mqttPingreq << 4, 0x80, 0x00}},
		{"remaining length of five bytes", 4, []byte{mqttPingreq << 4, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{"reserved flags", 4, []byte{mqttPuback<<4 | 1, 2, 0, 1}},
		{"pubrel flags 0000", 4, []byte{mqttPubrel << 4, 2, 0, 1}},
		{"packet identifier 0", 4, []byte{mqttPuback << 4, 2, 0, 0}},
		{"publish qos 3", 4, []byte{mqttPublish<<4 | 0b0110, 5, 0, 1, 't', 0, 1}},
		{"publish dup on qos 0", 4, []byte{mqttPublish<<4 | 0b1000, 3, 0, 1, 't'}},
		{"publish wildcard", 4, []byte{mqttPublish << 4, 3, 0, 1, '#'}},
		{"topic not UTF-8", 4, []byte{mqttPublish << 4, 3, 0, 1, 0xFF}},
		{"topic with NUL", 4, []byte{mqttPublish << 4, 4, 0, 2, 'a', 0}},
		{"connect 3.1.1 named MQIsdp", 4, []byte{mqttConnect << 4, 14, 0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 4, 2, 0, 0, 0, 0}},
		{"connect reserved flag", 4, []byte{mqttConnect << 4, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 3, 0, 0, 0, 0}},
		{"connect password without user", 4, []byte{mqttConnect << 4, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 0, 0, 0, 0, 0}},
		{"connack session present on refusal", 4, []byte{mqttConnack << 4, 2, 1, 5}},
		{"subscribe without filters", 4, []byte{mqttSubscribe<<4 | 2, 2, 0, 1}},
		{"subscribe reserved option bits", 4, []byte{mqttSubscribe<<4 | 2, 6, 0, 1, 0, 1, 'a', 4}},
		{"suback code 3", 4, []byte{mqttSuback << 4, 3, 0, 1, 3}},
		{"reserved type 15", 4, []byte{15 << 4, 0}},
	} {
		if _, _, err := decodeMQTT(c.raw, c.level); err == nil {
			t.Errorf("%s: % x decodes", c.desc, c.raw)
		}
	}
}

// FuzzMQTTRoundTrip builds packets of every type from any values, and
// checks that the encoder either refuses one with a documented error or
// writes bytes that the strict decoder reads back as the packet.
func FuzzMQTTRoundTrip(f *testing.F) {
	f.Add(byte(mqttConnect), byte(1), byte(0xFE), uint16(60), "client", "user\xff", "pass", []byte("will"))
	f.Add(byte(mqttPublish), byte(2), byte(0x03), uint16(7), "a/b", "", "", []byte("payload"))
	f.Add(byte(mqttSubscribe), byte(1), byte(0), uint16(1), "a,b/#,", "", "", []byte{0, 1, 2, 3})
	f.Add(byte(mqttSuback), byte(2), byte(0), uint16(1), "", "", "", []byte{0, 0x80, 9})
	f.Add(byte(mqttUnsuback), byte(2), byte(0), uint16(1), "", "", "", []byte{0x11})
	f.Add(byte(mqttConnack), byte(2), byte(0x10), uint16(0x86), "", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, typ, level, bits byte, n uint16, a, b, c string, data []byte) {
		pk := mqttPacket{
			Type: typ % 16, Dup: bits&1 != 0, QoS: bits >> 1 & 3, Retain: bits&8 != 0, Clean: bits&16 != 0,
			UsernameFlag: bits&32 != 0, PasswordFlag: bits&64 != 0, SessionPresent: bits&1 != 0,
			ID: n, KeepAlive: n, Code: byte(n),
			ClientID: a, Username: b, Password: c, Topic: a, Payload: data, Codes: data,
		}
		if a != "" {
			pk.Filters = strings.Split(a, ",")
		}
		if bits&128 != 0 {
			pk.Will = &mqttWill{Topic: b, Message: data, QoS: bits >> 1 & 3, Retain: bits&8 != 0}
		}
		checkRoundTrip(t, pk, mqttLevel31+level%4)
	})
}
