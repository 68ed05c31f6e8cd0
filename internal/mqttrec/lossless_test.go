package mqttrec

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"strconv"
	"testing"

	"atscope/mqttstream"
)

// framing says where a family's log carries payload: a header whose first
// group is the byte count (raw bytes follow) or the hex text itself.
type framing struct {
	dir mqttstream.Dir
	re  *regexp.Regexp
	hex bool
}

var framings = map[string][]framing{
	"sim800": {
		{mqttstream.ToBroker, regexp.MustCompile(`^AT\+CIPSEND=(\d+)\r\r\n> `), false},
		{mqttstream.FromBroker, regexp.MustCompile(`^\r\n\+IPD,(\d+):`), false},
	},
	"quectel": {
		{mqttstream.ToBroker, regexp.MustCompile(`^AT\+QISENDEX=0,"([0-9A-F]*)"\r`), true},
		{mqttstream.FromBroker, regexp.MustCompile(`^\r\n\+QIURC: "recv",0,(\d+)\r\n`), false},
	},
	"espat": {
		{mqttstream.ToBroker, regexp.MustCompile(`^AT\+CIPSEND=(\d+)\r\n\r\nOK\r\n\r\n>`), false},
		{mqttstream.FromBroker, regexp.MustCompile(`^\r\n\+IPD,(\d+):`), false},
	},
}

// extract walks a rendered log and collects each direction's payload, skipping
// payload bytes by count so MQTT bytes never read as AT text.
func extract(t *testing.T, log []byte, fs []framing) map[mqttstream.Dir][]byte {
	out := map[mqttstream.Dir][]byte{}
	for i := 0; i < len(log); {
		matched := false
		for _, f := range fs {
			m := f.re.FindSubmatchIndex(log[i:])
			if m == nil {
				continue
			}
			arg := string(log[i+m[2] : i+m[3]])
			i += m[1]
			if f.hex {
				b, err := hex.DecodeString(arg)
				if err != nil {
					t.Fatal(err)
				}
				out[f.dir] = append(out[f.dir], b...)
			} else {
				n, _ := strconv.Atoi(arg)
				out[f.dir] = append(out[f.dir], log[i:i+n]...)
				i += n
			}
			matched = true
			break
		}
		if !matched {
			i++
		}
	}
	return out
}

// TestRenderedLogsCarryTheRecording: each family's log holds exactly the
// recorded bytes of both directions, in order.
func TestRenderedLogsCarryTheRecording(t *testing.T) {
	r := loadRecording(t)
	for _, f := range Families {
		got := extract(t, Render(r, f, renderHost, renderPort), framings[f.Name])
		for _, dir := range []mqttstream.Dir{mqttstream.ToBroker, mqttstream.FromBroker} {
			if !bytes.Equal(got[dir], r.Stream(dir)) {
				t.Errorf("%s %s: the log carries %d bytes, the recording %d", f.Name, dir, len(got[dir]), len(r.Stream(dir)))
			}
		}
	}
}
