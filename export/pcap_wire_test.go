package export

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"atscope/internal/mqttrec"
	"atscope/mqttstream"
)

// wireFields are what TestPcapWireBytes reads of each frame.
var wireFields = []string{"tcp.srcport", "tcp.payload", "_ws.expert.severity", "_ws.malformed", "tcp.analysis.flags", "mqtt.msgtype", "frame.comment"}

// tsharkStreams runs tshark over the capture of one log and returns the
// TCP payload each side sent, concatenated, and the MQTT messages tshark
// dissected. Frames tshark flags are errors, except "previous segment not
// captured" (and the peer's ACK of it) on a segment whose comment says the
// log lost bytes before it.
func tsharkStreams(t *testing.T, capture []byte) (toBroker, fromBroker []byte, messages, gaps int) {
	t.Helper()
	tshark := needTshark(t)
	file := filepath.Join(t.TempDir(), "wire.pcapng")
	if err := os.WriteFile(file, capture, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(slices.Clone(tsharkChecksums), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,")
	for _, f := range wireFields {
		args = append(args, "-e", f)
	}
	for _, line := range strings.Split(strings.TrimSuffix(runTshark(t, tshark, file, args...), "\n"), "\n") {
		f := strings.SplitN(line, "\t", len(wireFields))
		if len(f) != len(wireFields) {
			t.Fatalf("tshark line %q", line)
		}
		data, err := hex.DecodeString(strings.ReplaceAll(f[1], ":", ""))
		if err != nil {
			t.Fatalf("tcp.payload %q: %v", f[1], err)
		}
		if tsharkProblem(f[2], f[3], f[4]) {
			// The segment after a gap, and the peer's ACK of it, say
			// "previous segment not captured" and "ACKed unseen
			// segment": deliberately so.
			if f[3] == "" && strings.Contains(f[6], gapMark) {
				gaps++
			} else {
				t.Errorf("tshark flags a frame (severities %s, malformed %q, analysis flags %q): %s", f[2], f[3], f[4], f[6])
			}
		}
		if port, _ := strconv.Atoi(f[0]); port >= 49152 { // the device's ports are synthetic, 49152 and up
			toBroker = append(toBroker, data...)
		} else {
			fromBroker = append(fromBroker, data...)
		}
		if f[5] != "" {
			messages += strings.Count(f[5], ",") + 1
		}
	}
	return toBroker, fromBroker, messages, gaps
}

// TestPcapWireBytes renders the real paho/mosquitto session of
// internal/mqttrec as SIM800, Quectel (QISENDEX) and ESP-AT logs, exports
// each, and checks with tshark that each direction's TCP payload is exactly
// the recorded stream and that every MQTT packet is dissected without a
// warning.
func TestPcapWireBytes(t *testing.T) {
	raw, err := os.ReadFile("../internal/mqttrec/testdata/paho-session.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec mqttrec.Recording
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	packets := 0
	for _, dir := range []mqttstream.Dir{mqttstream.ToBroker, mqttstream.FromBroker} {
		s := mqttstream.NewStream(dir)
		s.Write(rec.Stream(dir))
		s.Close()
		packets += len(s.Packets())
	}
	for _, family := range []string{"sim800", "quectel", "espat"} {
		t.Run(family, func(t *testing.T) {
			name := "paho-session." + family + ".log"
			data, err := os.ReadFile("../internal/mqttrec/testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			capture, stats := export(t, false, name, decodeSessions(t, name, data))
			up, down, messages, gaps := tsharkStreams(t, capture)
			if !bytes.Equal(up, rec.Stream(mqttstream.ToBroker)) {
				t.Errorf("device's payload:\n got % x\nwant % x", up, rec.Stream(mqttstream.ToBroker))
			}
			if !bytes.Equal(down, rec.Stream(mqttstream.FromBroker)) {
				t.Errorf("broker's payload:\n got % x\nwant % x", down, rec.Stream(mqttstream.FromBroker))
			}
			if messages != packets {
				t.Errorf("tshark dissects %d MQTT messages, the session has %d", messages, packets)
			}
			if gaps != 0 {
				t.Errorf("%d frames flagged for a gap, the log lost nothing", gaps)
			}
			if stats.WireBytes != len(up)+len(down) {
				t.Errorf("stats count %d logged bytes, tshark reads %d", stats.WireBytes, len(up)+len(down))
			}
		})
	}
}

// TestPcapWireGap: a send whose payload the log cut short (14 of 27 bytes)
// shows its bytes, then a sequence jump of the 13 lost bytes before the
// next send, which tshark flags as "previous segment not captured" (and
// its ACK as "ACKed unseen segment"), and nothing else.
func TestPcapWireGap(t *testing.T) {
	const name = "testdata/wire/gap.log"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	capture, _ := export(t, false, name, decodeSessions(t, name, data))
	up, down, messages, gaps := tsharkStreams(t, capture)
	connect, _ := hex.DecodeString("101300044d5154540402003c00076761702d646576")
	publish := append([]byte{0x30, 0x19, 0, 5}, "gap/t0123456789"...)[:14]
	wantUp := slices.Concat(connect, publish, []byte{0xc0, 0})
	if !bytes.Equal(up, wantUp) {
		t.Errorf("device's payload:\n got % x\nwant % x", up, wantUp)
	}
	if wantDown := []byte{0x20, 2, 0, 0, 0xd0, 0}; !bytes.Equal(down, wantDown) {
		t.Errorf("broker's payload % x, want % x", down, wantDown)
	}
	if gaps != 2 || messages != 4 {
		t.Errorf("%d frames flagged for the gap, want 2 (the PINGREQ after it, its ACK); %d MQTT messages, want 4", gaps, messages)
	}
}

// TestPcapWireOpaque: sockets that carry TLS or HTTP are written as logged
// on their logged ports (8883, 80), where Wireshark does not take them for
// MQTT, and are not listed for -d tcp.port==N,mqtt; tshark flags nothing.
func TestPcapWireOpaque(t *testing.T) {
	const name = "../dialect/testdata/espat-tcp/tls-http.log"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []bool{false, true} {
		capture, p := exportWith(t, PcapOptions{KeepPorts: keep}, name, decodeSessions(t, name, data))
		if len(p.OtherPorts()) > 0 {
			t.Errorf("keep-ports=%v: other MQTT ports %v for streams that are not MQTT", keep, p.OtherPorts())
		}
		up, down, messages, gaps := tsharkStreams(t, capture)
		if messages != 0 || gaps != 0 || len(up) == 0 || len(down) == 0 || p.Stats().WireBytes != len(up)+len(down) {
			t.Errorf("keep-ports=%v: %d MQTT messages, %d gap frames, %d+%d bytes (%d written)", keep, messages, gaps, len(up), len(down), p.Stats().WireBytes)
		}
	}
}
