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

// These tests run Wireshark's tshark over the export of every sample. They
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

// decodeAs makes tshark dissect MQTT on the brokers' ports other than
// 1883 (ports are written as logged; Wireshark only knows 1883).
func decodeAs(pkts []*pkt) []string {
	ports := map[uint16]bool{}
	for _, p := range pkts {
		if p.syn && !p.ack && p.dst.Port() != mqttPort {
			ports[p.dst.Port()] = true
		}
	}
	var args []string
	for _, port := range slices.Sorted(mapKeys(ports)) {
		args = append(args, "-d", fmt.Sprintf("tcp.port==%d,mqtt", port))
	}
	return args
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// The display filter of what must not be there: malformed packets, expert
// infos of warning severity or worse (PI_WARN is 0x00600000), and any TCP
// analysis flag (retransmission, dup ACK, out of order, unseen segment...).
const tsharkProblems = `_ws.malformed || _ws.expert.severity >= 0x00600000 || tcp.analysis.flags`

var tsharkChecksums = []string{"-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"}

func TestPcapTshark(t *testing.T) {
	tshark := needTshark(t)
	dir := t.TempDir()
	for _, base := range samples(t) {
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			name, sessions := sampleSessions(t, base)
			data, stats := export(t, false, name, sessions)
			file := filepath.Join(dir, strings.TrimSuffix(base, ".log")+".pcapng")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, pkts := readCapture(t, data)
			da := decodeAs(pkts)

			// Nothing malformed, no warnings, no TCP analysis flags,
			// valid checksums.
			args := append(append(slices.Clone(da), tsharkChecksums...), "-Y", tsharkProblems,
				"-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message", "-e", "tcp.analysis.flags")
			if bad := strings.TrimSpace(runTshark(t, tshark, file, args...)); bad != "" {
				t.Errorf("tshark finds problems (frame, expert message, analysis flags):\n%s", bad)
			}

			// Every packet is read, and its comment cites the lines.
			args = append(slices.Clone(da), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
				"-e", "frame.number", "-e", "mqtt.msgtype", "-e", "frame.comment")
			out := runTshark(t, tshark, file, args...)
			var lines []string
			if out != "" {
				lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			}
			if len(lines) != stats.Packets {
				t.Errorf("tshark reads %d packets, %d were written", len(lines), stats.Packets)
			}
			src := sourceLines(t, base)
			ops := opsByComment(sessions)
			got := map[*dialect.Op][]string{}
			counts := map[string]int{}
			for _, line := range lines {
				f := strings.SplitN(line, "\t", 3)
				if len(f) != 3 {
					t.Errorf("tshark line %q", line)
					continue
				}
				op := citedOp(t, f[0], f[2], name, ops, src)
				for _, typ := range strings.Split(f[1], ",") {
					if typ == "" {
						continue
					}
					n, _ := strconv.Atoi(typ)
					msg := mqttPacketNames[byte(n)]
					counts[msg]++
					if op != nil {
						got[op] = append(got[op], msg)
					}
				}
			}
			if fmt.Sprint(counts) != fmt.Sprint(stats.Messages) {
				t.Errorf("tshark counts MQTT messages %v, the export wrote %v", counts, stats.Messages)
			}
			checkMessagesPerOp(t, sessions, got)
			t.Logf("MQTT messages: %v", counts)
		})
	}
}

// sourceLines reads a sample's lines (1-based).
func sourceLines(t *testing.T, base string) []string {
	data, err := os.ReadFile(filepath.Join("..", "samples", base))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{""}, strings.Split(string(data), "\n")...)
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
		case failed && strings.Contains(strings.ToUpper(op.Reason+op.Code), "CONNACK"):
			return []string{"CONNECT", "CONNACK"}, []string{"CONNECT"}
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
		if strings.Contains(strings.ToUpper(op.Name), "PING") {
			if ok {
				return []string{"PINGREQ", "PINGRESP"}, nil
			}
			return []string{"PINGREQ"}, []string{} // none when the link was already down
		}
	}
	return nil, nil
}
