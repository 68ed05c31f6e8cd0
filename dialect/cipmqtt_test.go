package dialect

import (
	"testing"

	"atscope/decode"
)

func TestParseCipPub(t *testing.T) {
	tests := []struct {
		args           string
		link, qos      int
		retain, dup    int
		topic, payload string
		bareQuotes     bool
	}{
		{`0,"$oc/devices/d1/sys/properties/report",2,0,0,"{"services": [{"service_id": "env","properties":{"temp":23}}]}"`,
			0, 2, 0, 0, "$oc/devices/d1/sys/properties/report", `{"services": [{"service_id": "env","properties":{"temp":23}}]}`, true},
		{`1,"a/b",0,1,1,"plain, with comma"`, 1, 0, 1, 1, "a/b", "plain, with comma", false},
		{`0,"a/b",1,0,0,unquoted`, 0, 1, 0, 0, "a/b", "unquoted", false},
		{`0,"a/b"`, 0, -1, 0, 0, "a/b", "", false},
	}
	for _, tt := range tests {
		p := parseCipPub(tt.args)
		if p.link != tt.link || p.qos != tt.qos || p.retain != tt.retain || p.dup != tt.dup || p.topic != tt.topic || p.payload != tt.payload || p.bareQuotes != tt.bareQuotes {
			t.Errorf("parseCipPub(%q) = %+v", tt.args, p)
		}
	}
}

func TestParseCipCfg(t *testing.T) {
	c := parseCipCfg(`"198.51.100.25",1883,"id-1","user-1","","pw-1",0,0,60`)
	if c.host != "198.51.100.25" || c.port != 1883 || c.clientID != "id-1" || c.user != "user-1" || c.password != "pw-1" || c.keepalive != 60 || c.odd {
		t.Errorf("parseCipCfg = %+v", c)
	}
	if c := parseCipCfg(`"h",1883,"id","u","x","p",1,0,60`); !c.odd {
		t.Errorf("odd arguments not flagged: %+v", c)
	}
	if c := parseCipCfg(`"h",1883`); c.keepalive != -1 || c.clientID != "" {
		t.Errorf("short form = %+v", c)
	}
}

func TestCipEvidence(t *testing.T) {
	// A rejected CIPMQTT command weighs less than an ESP-AT one, so a log
	// that falls back to ESP-AT is decided by what worked.
	cip := cipEvidence(&decode.Event{Name: "+CIPMQTTC"})
	esp := espatEvidence(&decode.Event{Name: "+MQTTCONN"})
	if cip <= 0 || cip >= esp {
		t.Errorf("cipmqtt evidence %d, espat %d", cip, esp)
	}
}
