package diagnose

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// ruleCases are constructed logs in testdata/: each rule has at least one
// that fires it and one that must not. want is a piece of the title of the
// rule's finding (fire) or "" (quiet: no finding of the rule).
var ruleCases = []struct {
	rule, file, format string
	fire               bool
	want               string
	not                string // a piece no title of the rule may hold
	keep               int    // the engine's budget of ops (0: the default)
}{
	{rule: idPayloadLength, file: "payload-length.fire.log", fire: true, want: "announced 20 payload bytes but only 10"},
	{rule: idPayloadLength, file: "payload-length.quiet.log"},
	{rule: idPrompt, file: "prompt-unanswered.fire.log", fire: true, want: "got a command instead of the payload"},
	{rule: idPrompt, file: "prompt-unanswered.quiet.log"},
	{rule: idCtrlZ, file: "ctrlz-missing.fire.log", fire: true, want: "has no Ctrl-Z"},
	{rule: idCtrlZ, file: "ctrlz-missing.quiet.log"},
	{rule: idConnectWindow, file: "connect-window.fire.log", fire: true, want: "5.4 s after the open"},
	{rule: idConnectWindow, file: "connect-window.quiet.log"},
	{rule: idBeforeNetwork, file: "connect-before-network.fire.log", fire: true, want: "not registered"},
	{rule: idBeforeNetwork, file: "connect-before-network.quiet.log"},
	{rule: idBeforeNetwork, file: "connect-before-network.quiet2.log"}, // AT+QIACT=1 answered OK activated it
	{rule: idBeforeNetwork, file: "connect-before-network.quiet3.log"}, // LTE-M: +CGREG: 0,4 says nothing
	{rule: idHostDown, file: "host-network-down.fire.log", fire: true, want: "switched the radio off (AT+CFUN=0)"},
	{rule: idHostDown, file: "host-network-down.fire2.log", fire: true, want: "(AT+QIDEACT=1)"},
	{rule: idKeepalive, file: "host-network-down.fire2.log"}, // no keep-alive or NAT story
	{rule: idHostDown, file: "host-network-down.fire3.log", fire: true, want: "restarted the module (AT+CFUN=1,1)"},
	{rule: idOpFailed, file: "host-network-down.fire3.log"},
	{rule: idHostDown, file: "host-network-down.quiet.log"},
	{rule: idKeepalive, file: "host-network-down.fire.log"},
	{rule: idOpFailed, file: "host-network-down.fire.log"},
	{rule: idPDPLost, file: "pdp-lost.fire.log", fire: true, want: "The network deactivated the PDP context"},
	{rule: idPDPLost, file: "pdp-lost.quiet.log"},
	{rule: idPDPLost, file: "pdp-lost.quiet2.log"}, // WIFI DISCONNECT during AT+CWJAP is the join
	{rule: idVendor, file: "pdp-lost.quiet2.log"},
	{rule: idModuleReset, file: "module-reset.fire.log", fire: true, want: "restarted (RDY) in the middle"},
	{rule: idModuleReset, file: "module-reset.quiet.log"},
	{rule: idSubRejected, file: "subscribe-rejected.fire.log", fire: true, want: `"$sys/other"`},
	{rule: idSubRejected, file: "subscribe-rejected.quiet.log"},
	{rule: idOverLimit, file: "over-limit.fire.log", fire: true, want: "over ESP-AT's limit"},
	{rule: idOverLimit, file: "over-limit.quiet.log"},
	{rule: idDeviation, file: "manual-deviation.fire.log", fire: true, want: "AT+QMTSUB deviates from the manual and was answered ERROR"},
	{rule: idDeviation, file: "manual-deviation.fire2.log", format: "raw", fire: true, want: "curly quote"},
	{rule: idDeviation, file: "manual-deviation.fire3.log", fire: true, want: "AT+QMTCONN contains curly quote"},
	{rule: idOpFailed, file: "manual-deviation.fire3.log"}, // the curly quotes explain the ERROR
	{rule: idDeviation, file: "manual-deviation.quiet.log"},
	{rule: idKeepalive, file: "keepalive.fire.log", fire: true, want: "keep-alive off"},
	{rule: idKeepalive, file: "keepalive.fire2.log", fire: true, want: "lost its link when its keep-alive exchange failed"},
	{rule: idKeepalive, file: "keepalive.quiet.log"},
	// the host's PINGREQ, on time, unanswered: not an idle link
	{rule: idKeepalive, file: "keepalive-ping.fire.log", fire: true, want: "PINGREQ got no PINGRESP", not: "without traffic"},
	// a module of MQTT commands pings unlogged: a minute of AT silence proves nothing
	{rule: idKeepalive, file: "keepalive.quiet2.log"},
	{rule: idVendor, file: "quectel-qmtopen.fire.log", fire: true, want: "failed to parse the domain name"},
	{rule: idVendor, file: "quectel-qmtopen.quiet.log"},
	{rule: idVendor, file: "quectel-qmtconn.fire.log", fire: true, want: "bad user name or password"},
	{rule: idVendor, file: "quectel-qmtconn.quiet.log"},
	{rule: idVendor, file: "quectel-qmtstat.fire.log", fire: true, want: "+QMTSTAT: 0,7"},
	{rule: idVendor, file: "quectel-qmtstat.quiet.log"},
	{rule: idVendor, file: "quectel-result.fire.log", fire: true, want: "failed to send"},
	{rule: idVendor, file: "quectel-result.quiet.log"},
	{rule: idVendor, file: "simcom-cmqtt-error.fire.log", fire: true, want: "AT+CMQTTCONNECT failed"},
	{rule: idVendor, file: "simcom-cmqtt-error.quiet.log"},
	{rule: idVendor, file: "simcom-connlost.fire.log", fire: true, want: "+CMQTTCONNLOST: 0,2"},
	{rule: idVendor, file: "simcom-connlost.quiet.log"},
	{rule: idVendor, file: "espat-err-code.fire.log", fire: true, want: "AT+MQTTCONN failed"},
	{rule: idVendor, file: "espat-err-code.quiet.log"},
	{rule: idVendor, file: "ublox-umqtter.fire.log", fire: true, want: "+UUMQTTC: 0,101"},
	{rule: idVendor, file: "ublox-umqtter.quiet.log"},
	{rule: idVendor, file: "luat-failure.fire.log", fire: true, want: "CONNECT FAIL"},
	{rule: idVendor, file: "luat-failure.quiet.log"},
	{rule: idVendor, file: "nordic-result.fire.log", fire: true, want: "-111"},
	{rule: idVendor, file: "nordic-result.quiet.log"},
	{rule: idVendor, file: "tencent-result.fire.log", fire: true, want: "AT+TCMQTTCONN failed"},
	{rule: idVendor, file: "tencent-result.quiet.log"},
	{rule: idCME, file: "cme-error.fire.log", fire: true, want: "+CME ERROR: 10 (SIM not inserted)"},
	{rule: idCME, file: "cme-error.fire2.log", fire: true, want: "(code 10)"},
	{rule: idCME, file: "cme-error.fire3.log", fire: true, want: "invalid parameters"},
	{rule: idCME, file: "cme-error.quiet.log"},
	{rule: idCommandError, file: "command-error.fire.log", fire: true, want: "AT+QMTSTAT was answered ERROR"},
	{rule: idCommandError, file: "command-error.quiet.log"},
	{rule: idCommandError, file: "command-error.fire2.log", fire: true, want: "6 commands were answered ERROR", not: "AT+GM was"}, // one finding for the mistyped ones
	{rule: idCommandError, file: "command-error.quiet2.log", fire: true, want: "AT+FOO was answered ERROR", not: "QISEND"},        // AT+QISEND: SEND OK is success
	{rule: idOpFailed, file: "op-failed.fire.log", fire: true, want: "AT+QMTPUBEX failed"},
	{rule: idOpFailed, file: "op-failed.quiet.log"},
	{rule: idTimeout, file: "op-timeout.fire.log", fire: true, want: "AT+QMTSUB got no result"},
	{rule: idTimeout, file: "op-timeout.quiet.log"},
	{rule: idPubackMissing, file: "puback-missing.fire.log", fire: true, want: "never acknowledged"},
	{rule: idPubackMissing, file: "puback-missing.quiet.log"},
	{rule: idRetransmission, file: "retransmission.fire.log", fire: true, want: "resent 1 packet"},
	{rule: idRetransmission, file: "retransmission.quiet.log"},
	{rule: idRetransmission, file: "retransmission.quiet2.log"}, // the module's own reconnect attempts
	{rule: idUnsubscribed, file: "receive-unsubscribed.fire.log", fire: true, want: `"other/dev-002"`},
	{rule: idUnsubscribed, file: "receive-unsubscribed.fire2.log", fire: true, want: `client 0 received on 7 topics that no subscription`}, // one finding, not one per topic
	{rule: idUnsubscribed, file: "receive-unsubscribed.quiet.log"},
	{rule: idUnsubscribed, file: "receive-unsubscribed.quiet2.log"}, // echo off: the subscribe's topic is not shown
	{rule: idUnsubscribed, file: "receive-unsubscribed.quiet3.log"}, // AT+TCMQTTSUB? lists the topic
	{rule: idBufferOverflow, file: "receive-buffer-overflow.fire.log", fire: true, want: "Luat receive cache overflowed"},
	{rule: idBufferOverflow, file: "receive-buffer-overflow.fire2.log", fire: true, want: "Quectel receive buffer of client 0"},
	{rule: idBufferOverflow, file: "receive-buffer-overflow.quiet.log"},
	{rule: idReconnectStorm, file: "reconnect-storm.fire.log", fire: true, want: "6 connection attempts"},
	{rule: idReconnectStorm, file: "reconnect-storm.quiet.log"},
	{rule: idDuplicateID, file: "duplicate-client-id.fire.log", fire: true, want: `"dev-001" is used by 2 clients`},
	{rule: idDuplicateID, file: "duplicate-client-id.quiet.log"},
	{rule: idWill, file: "will-message.fire.log", fire: true, want: `will on "status/dev-001"`},
	{rule: idWill, file: "will-message.quiet.log"},
	{rule: idPartial, file: "reconnect-storm.fire.log", keep: 2, fire: true, want: "were counted, not diagnosed"},
	{rule: idPartial, file: "reconnect-storm.fire.log"}, // under the budget: diagnosed in full
	// Socket-level MQTT (the host's library over the module's TCP socket).
	{rule: idVendor, file: "socket-connack.fire.log", fire: true, want: "CONNACK refused: not authorized"},
	{rule: idVendor, file: "socket-connack.quiet.log"},
	{rule: idOpFailed, file: "socket-send-fail.fire.log", fire: true, want: "the module could not send the data (SEND FAIL)"},
	{rule: idOpFailed, file: "socket-send-fail.quiet.log"},
	{rule: idVendor, file: "socket-closed-after-connect.fire.log", fire: true, want: "closed right after MQTT CONNECT"},
	{rule: idVendor, file: "socket-closed-after-connect.quiet.log"},
	{rule: idSockSendClosed, file: "socket-send-closed.fire.log", fire: true, want: "sent on socket 0 after it closed (line 17)"},
	{rule: idOpFailed, file: "socket-send-closed.fire.log"},
	{rule: idSockSendClosed, file: "socket-send-closed.quiet.log"},
	{rule: idSockEarly, file: "socket-before-connack.fire.log", fire: true, want: "sent 1 packet before the broker's CONNACK, and the CONNECT was refused"},
	{rule: idSockEarly, file: "socket-before-connack.quiet.log"},
	{rule: idSockPing, file: "socket-keepalive.fire.log", fire: true, want: "sent no PINGREQ for 40"},
	{rule: idKeepalive, file: "socket-keepalive.fire.log"}, // explained by socket-no-pingreq
	{rule: idSockPing, file: "socket-keepalive.quiet.log"},
	{rule: idSockMalformed, file: "socket-malformed.fire.log", fire: true, want: "damaged or malformed on socket 0"},
	{rule: idSockMalformed, file: "socket-malformed.quiet.log"},
	{rule: idSockTLS, file: "socket-tls.fire.log", fire: true, want: "socket 0 (line 9) carries TLS, which the log cannot show decoded"},
	{rule: idSockTLS, file: "socket-tls.quiet.log"},
	{rule: idSockUnread, file: "socket-unread.fire.log", fire: true, want: "4 bytes received on socket 0 were never read"},
	{rule: idSockUnread, file: "socket-unread.quiet.log"},
	{rule: idSockUnread, file: "socket-unread.fire2.log", fire: true, want: "data received on socket 0 was never read"},     // +CIPRXGET: 1, never read
	{rule: idSockUnread, file: "socket-unread.fire3.log", fire: true, want: "2 bytes received on socket 0 were never read"}, // read with 2 left
	{rule: idSockUnread, file: "socket-unread.quiet2.log"},
	{rule: idNotText, file: "not-text.fire.log", fire: true, want: "not a text log"},
	{rule: idNotText, file: "not-text.quiet.log"},
	{rule: idNotUnderstood, file: "not-understood.fire.log", fire: true, want: "no dialect recognised MQTT traffic"},
	{rule: idNotUnderstood, file: "not-understood.fire2.log", fire: true, want: "3 of its 5 lines were not recognised"},
	{rule: idNotUnderstood, file: "not-understood.fire3.log", fire: true, want: "though 2 of them hold AT commands"},
	{rule: idNotUnderstood, file: "connect-before-network.quiet.log"},
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.file, func(t *testing.T) {
			fs := boundedRun(t, filepath.Join("testdata", tc.file), tc.format, tc.keep).Findings()
			var mine []Finding
			for _, f := range fs {
				if f.Rule == tc.rule {
					mine = append(mine, f)
				}
			}
			switch {
			case tc.fire && len(mine) == 0:
				t.Errorf("%s did not fire; findings: %v", tc.rule, titles(fs))
			case tc.fire && !slices.ContainsFunc(mine, func(f Finding) bool { return strings.Contains(f.Title, tc.want) }):
				t.Errorf("%s fired, but no title holds %q: %v", tc.rule, tc.want, titles(mine))
			case !tc.fire && len(mine) > 0:
				t.Errorf("%s fired on a log that must not fire it: %v", tc.rule, titles(mine))
			}
			for _, f := range mine {
				if tc.not != "" && strings.Contains(f.Title, tc.not) {
					t.Errorf("%s: a title holds %q: %s", tc.rule, tc.not, f.Title)
				}
				if f.Explanation == "" || f.Advice == "" || len(f.Lines) == 0 || f.File == "" {
					t.Errorf("finding without explanation, advice, lines or file: %+v", f)
				}
			}
		})
	}
}

// TestEveryRuleTested holds the promise that each rule has a log that fires
// it and one that must not.
func TestEveryRuleTested(t *testing.T) {
	for _, r := range Rules() {
		fire, quiet := false, false
		for _, tc := range ruleCases {
			if tc.rule == r.ID {
				fire = fire || tc.fire
				quiet = quiet || !tc.fire
			}
		}
		if !fire || !quiet {
			t.Errorf("rule %s needs a firing and a quiet case (fire %v, quiet %v)", r.ID, fire, quiet)
		}
		if r.Title == "" || r.Doc == "" {
			t.Errorf("rule %s has no title or doc", r.ID)
		}
	}
}

func titles(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+": "+f.Title)
	}
	return out
}

// TestSamples runs every rule over the project's samples: no panic, every
// finding complete, lines sorted, and the order most severe first.
func TestSamples(t *testing.T) {
	paths, _ := filepath.Glob("../samples/*.log")
	if len(paths) == 0 {
		t.Skip("no samples")
	}
	for _, p := range paths {
		fs, err := diagnoseFile(p, "")
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for i, f := range fs {
			if f.Title == "" || f.Explanation == "" || f.Advice == "" || len(f.Lines) == 0 {
				t.Errorf("%s: incomplete finding %+v", p, f)
			}
			if !slices.IsSorted(f.Lines) {
				t.Errorf("%s: lines not sorted: %v", p, f.Lines)
			}
			if strings.ContainsFunc(f.Title+f.Explanation, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) {
				t.Errorf("%s: control bytes in the finding's text: %q", p, f.Title)
			}
			if i > 0 && fs[i-1].Severity < f.Severity {
				t.Errorf("%s: findings not most severe first", p)
			}
		}
	}
}

// TestSampleFindings checks what support engineers agree the samples show.
func TestSampleFindings(t *testing.T) {
	for _, tc := range []struct {
		file, rule, want string
	}{
		{"ec200-5s-window.log", idConnectWindow, "5.0 s after the open"},
		{"bc26-huawei-qcom.log", idPayloadLength, "announced 512 payload bytes but only 108"},
		{"bc26-huawei-qcom.log", idCommandError, "AT+CGACT was answered ERROR"},
		{"ec25-multiclient.log", idVendor, "bad user name or password"},
		{"ec25-multiclient.log", idRetransmission, "resent 1 packet"},
		{"bg96-damaged.log", idModuleReset, "restarted (RDY)"},
		{"air780-luat-reconnect.log", idPDPLost, "NW PDN DEACT"},
	} {
		p := filepath.Join("..", "samples", tc.file)
		if _, err := os.Stat(p); err != nil {
			continue // samples are edited by others; a missing one is not this test's business
		}
		fs, err := diagnoseFile(p, "")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Rule == tc.rule && strings.Contains(f.Title, tc.want) }) {
			t.Errorf("%s: no %s finding with %q: %v", tc.file, tc.rule, tc.want, titles(fs))
		}
	}
}

func TestTopicMatch(t *testing.T) {
	for _, tc := range []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/+", "a/b", true},
		{"a/+", "a/b/c", false},
		{"a/#", "a", true},
		{"a/#", "a/b/c", true},
		{"#", "a/b", true},
		{"+/+", "a/b", true},
		{"+", "a/b", false},
		{"a/+/c", "a/x/c", true},
		{"a/+/c", "a/x/d", false},
		{"#", "$SYS/x", false},
		{"+/x", "$SYS/x", false},
		{"$SYS/#", "$SYS/x", true},
		{"a/b", "a/B", false},
		{"a//c", "a//c", true},
		{"a/+/c", "a//c", true},
	} {
		if got := TopicMatch(tc.filter, tc.topic); got != tc.want {
			t.Errorf("TopicMatch(%q, %q) = %v, want %v", tc.filter, tc.topic, got, tc.want)
		}
	}
}

// TestSyntheticOps feeds ops directly, as a dialect machine would emit
// them, for vendor codes no log here shows.
func TestSyntheticOps(t *testing.T) {
	e := New("synthetic.log")
	ev := decode.Event{Seq: 1, Kind: decode.KindURC, Name: "#XMQTTEVT", Args: "0,-116", Text: "#XMQTTEVT: 0,-116", Pos: decode.Pos{Line: 3}}
	e.Event(&ev)
	op := &dialect.Op{File: "synthetic.log", Dialect: "nordic", Kind: dialect.OpConnect, Name: "#XMQTTCON", Status: dialect.StatusFailed,
		Code: "0,-116", Reason: "connect failed: error -116 (ETIMEDOUT: timed out)", Seqs: []int{1}, Lines: []int{3}, QoS: -1, MsgID: -1, PayloadLen: -1}
	e.Op(op)
	fs := e.Findings()
	if len(fs) != 1 || fs[0].Rule != idVendor || !strings.Contains(fs[0].Advice, "unreachable") {
		t.Errorf("nordic -116: %+v", fs)
	}
	var nilEngine *Engine
	nilEngine.Event(&ev)
	nilEngine.Op(op)
	if nilEngine.Findings() != nil {
		t.Error("a nil engine has findings")
	}
}
