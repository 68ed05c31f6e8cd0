package export

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"atscope/dialect"
	"atscope/timeline"
)

// These tests run Wireshark's tshark once over one capture of every sample
// and excerpt log (tshark's start-up, not the packets, was most of the time
// when it ran per sample: 60 s on a busy 2-core machine, now 1-2 s). They
// skip when tshark is not installed, unless ATSCOPE_REQUIRE_TSHARK=1 (CI
// installs it), which makes a missing tshark a failure.

func needTshark(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("ATSCOPE_REQUIRE_TSHARK") == "1" {
			t.Fatal("tshark is required (ATSCOPE_REQUIRE_TSHARK=1) but not installed")
		}
		t.Skip("tshark not installed")
	}
	return path
}

// runTshark runs tshark over file with extra arguments and returns its
// standard output. Standard error is kept for the failure message only
// (tshark warns when run as root).
func runTshark(t *testing.T, tshark, file string, args ...string) string {
	t.Helper()
	all := append([]string{"-n", "-r", file}, args...)
	var out, errOut bytes.Buffer
	cmd := exec.Command(tshark, all...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(all, " "), err, errOut.String())
	}
	return out.String()
}

// The fields tshark prints of every frame, in one run over the capture of
// every log: problems first, the comment last (it may hold tabs).
var tsharkFields = []string{"frame.interface_id", "frame.number", "_ws.expert.severity", "_ws.malformed",
	"tcp.analysis.flags", "mqtt.msgtype", "frame.comment"}

// tsharkWarning is PI_WARN: an expert info at or above it is a problem.
const tsharkWarning = 0x00600000

var tsharkChecksums = []string{"-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"}

// tsharkLog is one log of the merged capture: the cited lines and the ops
// its packets stand for.
type tsharkLog struct {
	name     string
	src      []string // lines, 1-based
	sessions []*timeline.Session
	stats    PcapStats
	ops      map[string][]*dialect.Op
	got      map[*dialect.Op][]string
	counts   map[string]int
	packets  int
}

// TestPcapTshark writes every sample and the excerpt logs of testdata into
// one capture, a log per interface, and reads it with one tshark run:
// nothing malformed, no warnings, no TCP analysis flags, valid checksums,
// and per log every packet read, citing lines that show its op, with the
// MQTT messages each op stands for. Ports are the default (1883) and, in a
// second capture, as logged with the -d options OtherPorts gives.
func TestPcapTshark(t *testing.T) {
	tshark := needTshark(t)
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep-ports=%v", keep), func(t *testing.T) {
			t.Parallel()
			logs := tsharkLogs(t)
			var buf bytes.Buffer
			p, err := NewPcap(&buf, PcapOptions{Tool: testTool, KeepPorts: keep})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range logs {
				if l.stats, err = p.WriteLog(l.name, l.sessions); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "all.pcapng")
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			args := slices.Clone(tsharkChecksums)
			for _, port := range p.OtherPorts() {
				args = append(args, "-d", fmt.Sprintf("tcp.port==%d,mqtt", port))
			}
			if !keep && len(p.OtherPorts()) > 0 {
				t.Errorf("ports other than 1883 without KeepPorts: %v", p.OtherPorts())
			}
			args = append(args, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,")
			for _, f := range tsharkFields {
				args = append(args, "-e", f)
			}
			readTsharkFrames(t, runTshark(t, tshark, file, args...), logs)
			for _, l := range logs {
				if l.packets != l.stats.Packets {
					t.Errorf("%s: tshark reads %d packets, %d were written", l.name, l.packets, l.stats.Packets)
				}
				if fmt.Sprint(l.counts) != fmt.Sprint(l.stats.Messages) {
					t.Errorf("%s: tshark counts MQTT messages %v, the export wrote %v", l.name, l.counts, l.stats.Messages)
				}
				checkMessagesPerOp(t, l.sessions, l.got)
			}
		})
	}
}

// tsharkLogs are the samples and the constructed logs of testdata/excerpt.
func tsharkLogs(t *testing.T) []*tsharkLog {
	var logs []*tsharkLog
	add := func(name, path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sessions := decodeSessions(t, name, data)
		logs = append(logs, &tsharkLog{name: name, src: append([]string{""}, strings.Split(string(data), "\n")...),
			sessions: sessions, ops: opsByComment(sessions), got: map[*dialect.Op][]string{}, counts: map[string]int{}})
	}
	for _, base := range samples(t) {
		add("samples/"+base, filepath.Join("..", "samples", base))
	}
	excerpts, _ := filepath.Glob(filepath.Join("testdata", "excerpt", "*.log"))
	for _, path := range excerpts {
		add(filepath.ToSlash(path), path)
	}
	return logs
}

// readTsharkFrames checks each frame tshark printed and files it under its
// log (its interface).
func readTsharkFrames(t *testing.T, out string, logs []*tsharkLog) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		f := strings.SplitN(line, "\t", len(tsharkFields))
		if len(f) != len(tsharkFields) {
			t.Errorf("tshark line %q", line)
			continue
		}
		iface, _ := strconv.Atoi(f[0])
		if iface < 0 || iface >= len(logs) {
			t.Errorf("frame %s on interface %s: no such log", f[1], f[0])
			continue
		}
		l := logs[iface]
		l.packets++
		if tsharkProblem(f[2], f[3], f[4]) {
			t.Errorf("%s: frame %s: tshark finds problems (expert severities %s, malformed %q, analysis flags %q): %s",
				l.name, f[1], f[2], f[3], f[4], f[6])
		}
		op := citedOp(t, f[1], f[6], l.name, l.ops, l.src)
		for _, typ := range strings.Split(f[5], ",") {
			if typ == "" {
				continue
			}
			n, _ := strconv.Atoi(typ)
			msg := mqttPacketNames[byte(n)]
			l.counts[msg]++
			if op != nil {
				l.got[op] = append(l.got[op], msg)
			}
		}
	}
}

// tsharkProblem reports a malformed packet, an expert info of warning
// severity or worse, or any TCP analysis flag (retransmission, dup ACK,
// out of order, unseen segment...).
func tsharkProblem(severities, malformed, flags string) bool {
	for _, s := range strings.Split(severities, ",") {
		if n, err := strconv.Atoi(s); err == nil && n >= tsharkWarning {
			return true
		}
	}
	return malformed != "" || flags != ""
}

// opsByComment indexes ops by the start of their packets' comments:
// "file:line,line: kind".
func opsByComment(sessions []*timeline.Session) map[string][]*dialect.Op {
	m := map[string][]*dialect.Op{}
	for _, s := range sessions {
		for _, op := range s.Ops {
			m[commentKey(op)] = append(m[commentKey(op)], op)
		}
		for _, c := range s.Connections {
			if e := c.Ended; e != nil && e.Client == dialect.ModuleClient {
				if !slices.Contains(m[commentKey(e)], e) {
					m[commentKey(e)] = append(m[commentKey(e)], e)
				}
			}
		}
	}
	return m
}

func commentKey(op *dialect.Op) string {
	var ls []string
	for _, l := range op.Lines {
		ls = append(ls, strconv.Itoa(l))
	}
	kind := op.Kind.String()
	if op.Client == dialect.ModuleClient {
		kind = "module " + kind
	}
	return fmt.Sprintf("%s:%s: %s", op.File, strings.Join(ls, ","), kind)
}

// citedOp finds the op a packet's comment cites and checks that the cited
// lines of the log show it: one of them names the op's command or URC.
func citedOp(t *testing.T, frame, comment, file string, ops map[string][]*dialect.Op, src []string) *dialect.Op {
	t.Helper()
	if !strings.HasPrefix(comment, file+":") {
		t.Errorf("frame %s: comment %q does not cite %s", frame, comment, file)
		return nil
	}
	var found []*dialect.Op
	for key, list := range ops {
		if strings.HasPrefix(comment, key+" ") {
			found = list
		}
	}
	if len(found) == 0 {
		t.Errorf("frame %s: comment %q cites no op's lines", frame, comment)
		return nil
	}
	op := found[0]
	name := strings.ToUpper(strings.TrimLeft(op.Name, "+#^$"))
	shown := false
	for _, l := range op.Lines {
		if l > 0 && l < len(src) && strings.Contains(strings.ToUpper(src[l]), name) {
			shown = true
		}
	}
	if !shown {
		t.Errorf("frame %s: none of the lines %v shows %s (%q)", frame, op.Lines, op.Name, comment)
	}
	return op
}

// checkMessagesPerOp compares the MQTT messages tshark found for each op
// with what the op says: an op that ended well has its whole exchange; one
// without a known outcome has its request at most; a failed one has
// nothing, unless the broker's answer was the failure.
func checkMessagesPerOp(t *testing.T, sessions []*timeline.Session, got map[*dialect.Op][]string) {
	t.Helper()
	for _, s := range sessions {
		for _, op := range s.Ops {
			if op.Wire != nil {
				continue // a socket op writes the logged bytes it brought: TestPcapWireBytes holds them
			}
			have := slices.Clone(got[op])
			sort.Strings(have)
			want, alt := wantMessages(op)
			sort.Strings(want)
			sort.Strings(alt)
			if !slices.Equal(have, want) && (alt == nil || !slices.Equal(have, alt)) {
				t.Errorf("%s lines %v (%s %s): tshark shows %v, want %v (or %v)", op.Kind, op.Lines, op.Name, op.Status, have, want, alt)
			}
		}
	}
}

// wantMessages is the MQTT exchange an op stands for, and an alternative
// (nil when there is none), written from the op's own fields.
func wantMessages(op *dialect.Op) (want, alt []string) {
	ok := op.Status == dialect.StatusOK
	failed := op.Status == dialect.StatusFailed
	rep := func(s string, n int) []string {
		var out []string
		for range n {
			out = append(out, s)
		}
		return out
	}
	qosFlow := func(qos int) []string {
		switch qos {
		case 1:
			return []string{"PUBACK"}
		case 2:
			return []string{"PUBREC", "PUBREL", "PUBCOMP"}
		}
		return nil
	}
	switch op.Kind {
	case dialect.OpConnect:
		switch {
		case ok:
			return []string{"CONNECT", "CONNACK"}, nil
		case failed && op.HasConnack && op.Connack > 0:
			return []string{"CONNECT", "CONNACK"}, nil
		case failed:
			return nil, nil
		}
		return []string{"CONNECT"}, []string{}
	case dialect.OpSubscribe:
		rejected := len(op.Granted) > 0
		for _, g := range op.Granted {
			rejected = rejected && g == 128
		}
		switch {
		case ok || failed && rejected:
			return []string{"SUBSCRIBE", "SUBACK"}, nil
		case failed:
			return nil, nil
		}
		return []string{"SUBSCRIBE"}, []string{}
	case dialect.OpUnsubscribe:
		switch {
		case ok:
			return []string{"UNSUBSCRIBE", "UNSUBACK"}, nil
		case failed:
			return nil, nil
		}
		return []string{"UNSUBSCRIBE"}, []string{}
	case dialect.OpPublish:
		if failed {
			return nil, nil
		}
		qos := max(op.QoS, 0)
		sends := 1
		if qos > 0 {
			sends += min(op.Retries, maxRetransmissions)
		}
		req := rep("PUBLISH", sends)
		if ok {
			return append(req, qosFlow(qos)...), nil
		}
		return req, []string{}
	case dialect.OpReceive:
		if failed || op.Topic == "" {
			return nil, nil
		}
		qos := op.QoS
		if qos < 0 && op.MsgID > 0 {
			qos = 1
		}
		if ok {
			return append([]string{"PUBLISH"}, qosFlow(qos)...), nil
		}
		return append([]string{"PUBLISH"}, qosFlow(qos)...), []string{}
	case dialect.OpDisconnect:
		switch {
		case ok:
			return []string{"DISCONNECT"}, nil
		case failed:
			return nil, nil
		}
		return []string{"DISCONNECT"}, []string{}
	case dialect.OpLink:
		if dialect.KeepAliveOp(op) {
			if ok {
				return []string{"PINGREQ", "PINGRESP"}, nil
			}
			return []string{"PINGREQ"}, []string{} // none when the link was already down
		}
	}
	return nil, nil
}
