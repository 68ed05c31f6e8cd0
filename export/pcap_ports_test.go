package export

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"atscope/dialect"
)

func TestBrokerPort(t *testing.T) {
	for _, c := range []struct {
		logged    int
		tls, keep bool
		port      uint16
		note      string
	}{
		{1883, false, false, 1883, ""},
		{1883, false, true, 1883, ""},
		{1884, false, false, 1883, "logged port 1884: shown on port 1883"},
		{1884, false, true, 1884, ""},
		{8883, false, false, 1883, "logged port 8883 (MQTT over TLS): shown as plain MQTT on port 1883"},
		{8883, false, true, 8883, "logged port 8883 (MQTT over TLS): shown as plain MQTT]"},
		{8883, true, false, 1883, "logged port 8883 with TLS: shown as the plain MQTT inside, on port 1883"},
		{1883, true, false, 1883, "logged port 1883 with TLS"},
		{9082, true, true, 9082, "logged port 9082 with TLS: shown as the plain MQTT inside]"},
		{0, false, true, 1883, "port not logged: 1883 assumed"},
		{70000, false, false, 1883, "port not logged: 1883 assumed"},
	} {
		port, note := brokerPort(c.logged, c.tls, c.keep)
		if port != c.port || c.note == "" && note != "" || !strings.Contains(note, c.note) {
			t.Errorf("brokerPort(%d, tls %v, keep %v) = %d %q, want %d %q", c.logged, c.tls, c.keep, port, note, c.port, c.note)
		}
	}
}

// TestPcapPorts: a broker on a port Wireshark does not know as MQTT is
// shown on 1883 with the logged port in the handshake's comments, or kept
// with --keep-ports, and then listed for -d tcp.port==N,mqtt.
func TestPcapPorts(t *testing.T) {
	ok := dialect.StatusOK
	ops := func() []*dialect.Op {
		return []*dialect.Op{
			with(mk(0, 10, dialect.OpConnect, "c", ok), func(o *dialect.Op) { o.Host, o.Port = "198.51.100.9", 1884 }),
			with(mk(1, 20, dialect.OpConnect, "c", ok), func(o *dialect.Op) { o.Host, o.Port = "198.51.100.10", 9082 }),
			with(mk(2, 30, dialect.OpConnect, "c", ok), func(o *dialect.Op) { o.Host, o.Port = "198.51.100.11", 1883 }),
		}
	}
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep=%v", keep), func(t *testing.T) {
			data, p := exportWith(t, PcapOptions{KeepPorts: keep}, "t.log", sessionsOf(ops()...))
			r, pkts := readCapture(t, data)
			checkTCP(t, pkts)
			var syns []*pkt
			for _, pk := range pkts {
				if pk.syn && !pk.ack {
					syns = append(syns, pk)
				}
			}
			if len(syns) != 3 {
				t.Fatalf("%d SYNs, want 3", len(syns))
			}
			for i, logged := range []uint16{1884, 9082, 1883} {
				want, note := logged, ""
				if !keep {
					want = mqttPort
					if logged != mqttPort {
						note = fmt.Sprintf("[logged port %d: shown on port 1883, where Wireshark dissects MQTT]", logged)
					}
				}
				if got := syns[i].dst; got != netip.AddrPortFrom(got.Addr(), want) {
					t.Errorf("stream %d goes to %v, want port %d", i, got, want)
				}
				if !strings.HasSuffix(syns[i].comment, note) || note == "" && strings.Contains(syns[i].comment, "logged port") {
					t.Errorf("stream %d SYN comment %q, want it to end %q", i, syns[i].comment, note)
				}
			}
			wantPorts, policy := "[]", "brokers are shown on port 1883"
			if keep {
				wantPorts, policy = "[1884 9082]", "open the file with -d tcp.port==N,mqtt"
			}
			if got := fmt.Sprint(p.OtherPorts()); got != wantPorts {
				t.Errorf("OtherPorts() = %s, want %s", got, wantPorts)
			}
			if c := r.SectionInfo().Comment; !strings.Contains(c, policy) {
				t.Errorf("section comment does not say %q: %s", policy, c)
			}
		})
	}
}
