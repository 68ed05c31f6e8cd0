package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Input that is no log, or a damaged one, run through every command that
// reads logs: none may panic or hang, each names the file and says what is
// wrong, and a log that cannot be read fails the command (exit 1) while the
// other logs are still read.

// session is a short Quectel session; cases damage it or put it beside
// bad input, to show that what can be read still is.
const session = "AT+QMTOPEN=0,\"broker.example.com\",1883\r\nOK\r\n\r\n+QMTOPEN: 0,0\r\n" +
	"AT+QMTCONN=0,\"dev-1\"\r\nOK\r\n\r\n+QMTCONN: 0,0,0\r\n" +
	"AT+QMTPUBEX=0,0,0,0,\"t/1\",5\r\n> hello\r\nOK\r\n\r\n+QMTPUBEX: 0,0,0\r\n"

// logCommands are the commands that read logs, writing into buffers.
func logCommands(t *testing.T) [][]string {
	return [][]string{
		{"events"}, {"events", "--json"}, {"timeline"}, {"timeline", "--json"}, {"latency"},
		{"diagnose"}, {"diagnose", "--json"}, {"report"}, {"pcap", "-o", filepath.Join(t.TempDir(), "out.pcapng")},
	}
}

type badInput struct {
	name  string
	files map[string][]byte // written to a temporary directory
	args  []string          // the logs, in that directory
	code  int
	// stderr must hold each of these, for every command.
	stderr []string
	// say maps a command ("events --json") to what its output, stdout
	// and stderr, must hold.
	say map[string]string
}

var badInputs = []badInput{
	{
		name: "empty file", files: map[string][]byte{"empty.log": nil}, args: []string{"empty.log"},
		stderr: []string{"atscope: warning: empty.log: the log is empty"},
		say: map[string]string{"events": "empty.log (raw): 0 lines, 0 events", "timeline": "empty.log: the log is empty\n",
			"report": "verdict   not understood: the log is empty;", "diagnose": "not understood: the log is empty;"},
	},
	{
		name: "random bytes", files: map[string][]byte{"random.bin": randomBytes(64 << 10)}, args: []string{"random.bin"},
		say: map[string]string{"diagnose": "The input is not a text log", "report": "verdict   not understood: the input is not a text log: "},
	},
	{
		name: "NUL bytes in a text log", files: map[string][]byte{"nul.log": withNULs(session)}, args: []string{"nul.log"},
		say: map[string]string{"timeline": "connect", "timeline --json": `"op":"publish"`},
	},
	{
		name: "invalid UTF-8 and GBK mixed", files: map[string][]byte{"mixed.log": mixedEncodings(session)}, args: []string{"mixed.log"},
		say: map[string]string{"events": "mixed.log (sscom)", "timeline": "open        broker.example.com:1883  ok", "timeline --json": `"op":"receive"`},
	},
	{
		name:  "directory and missing file beside a good log",
		files: map[string][]byte{"good.log": []byte(session)},
		args:  []string{"adir", "missing.log", "good.log"}, code: exitFailure,
		stderr: []string{"adir", "is a directory", "missing.log: no such file or directory", "2 of 3 logs could not be read"},
		say:    map[string]string{"timeline": "open        broker.example.com:1883  ok"},
	},
	{
		name:  "pcap that is not a USB capture",
		files: map[string][]byte{"eth.pcap": ethernetPcap()},
		args:  []string{"eth.pcap"}, code: exitFailure,
		stderr: []string{"eth.pcap: not a USB capture: link type Ethernet (1); want usbmon", "1 of 1 logs could not be read"},
	},
	{
		name:  "Saleae CSV with a row missing columns",
		files: map[string][]byte{"cut.csv": []byte("name,type,start_time,duration,data\n\"TX\",\"data\",0.1,8e-05,\"A\"\n\"TX\",\"data\",0.2\n\"TX\",\"data\",0.3,8e-05,\"T\"\n")},
		args:  []string{"cut.csv"},
		say:   map[string]string{"events": "3\t\t\ttext\t\tsaleae: the row has 3 of the header's 5 columns"},
	},
}

func TestBadInput(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir) // messages name the files as given
			for _, cmd := range logCommands(t) {
				code, out, errOut := runMain(append(cmd, tc.args...), nil)
				checkBadInput(t, tc, cmd, code, out, errOut)
			}
		})
	}
}

// checkBadInput checks one command's run over a bad input.
func checkBadInput(t *testing.T, tc badInput, cmd []string, code int, out, errOut string) {
	t.Helper()
	if code != tc.code {
		t.Errorf("%v: exit %d, want %d; stderr:\n%s", cmd, code, tc.code, errOut)
	}
	for _, want := range tc.stderr {
		if !strings.Contains(errOut, want) {
			t.Errorf("%v: stderr does not say %q:\n%s", cmd, want, errOut)
		}
	}
	if !strings.Contains(out+errOut, tc.args[len(tc.args)-1]) && !slices.Contains(cmd, "--json") {
		t.Errorf("%v: the output does not name the log:\n%s%s", cmd, out, errOut)
	}
	if want, ok := tc.say[strings.Join(cmd, " ")]; ok && !strings.Contains(out+errOut, want) {
		t.Errorf("%v: the output does not say %q:\n%s%s", cmd, want, out, errOut)
	}
	if slices.Contains(cmd, "--json") {
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if line != "" && !json.Valid([]byte(line)) {
				t.Errorf("%v: not JSON: %q", cmd, line)
			}
		}
	}
}

// runMain runs atscope as the binary does, with stdin, and returns the
// exit code, stdout and stderr.
func runMain(args []string, stdin io.Reader) (int, string, string) {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	code := Main(args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestUnreadableFile: a file the user may not read is named with the
// reason, and the other logs are still read. Root reads any file.
func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read a file of mode 000")
	}
	dir := t.TempDir()
	locked, good := filepath.Join(dir, "locked.log"), filepath.Join(dir, "good.log")
	for _, p := range []string{locked, good} {
		if err := os.WriteFile(p, []byte(session), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range logCommands(t) {
		code, out, errOut := runMain(append(cmd, locked, good), nil)
		checkBadInput(t, badInput{args: []string{locked, good}, code: exitFailure,
			stderr: []string{locked, "permission denied", "1 of 2 logs could not be read"}}, cmd, code, out, errOut)
	}
}

// TestTruncatedGzip: a .gz log cut short is an error that names the file;
// what came before the cut is still decoded.
func TestTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Repeat(session, 50)))
	zw.Close()
	dir := t.TempDir()
	whole, cut := filepath.Join(dir, "whole.log.gz"), filepath.Join(dir, "cut.log.gz")
	if err := os.WriteFile(whole, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, buf.Bytes()[:buf.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := runMain([]string{"events", whole}, nil); !strings.Contains(out, "+QMTOPEN") {
		t.Skip("gzip input has not landed: a .gz log is not decoded")
	}
	for _, cmd := range logCommands(t) {
		code, out, errOut := runMain(append(cmd, cut), nil)
		checkBadInput(t, badInput{args: []string{cut}, code: exitFailure, stderr: []string{cut + ": ", "1 of 1 logs could not be read"}},
			cmd, code, out, errOut)
	}
}

// TestHugeLine streams a 100 MB line without a line end through the
// commands, and checks that the heap stays far below the input's size.
func TestHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB per command")
	}
	for _, cmd := range [][]string{{"report", "-"}, {"pcap", "-o", "-", "-"}} {
		in := &hugeLine{prefix: []byte("AT+QMTPUB=0,0,0,0,\"t\","), left: 100 << 20}
		var errOut bytes.Buffer
		if code := Main(cmd, in, io.Discard, &errOut); code != exitOK {
			t.Errorf("%v: exit %d: %s", cmd, code, errOut.String())
		}
		if in.left > 0 {
			t.Errorf("%v: stopped with %d bytes unread", cmd, in.left)
		}
		if in.peak > 64<<20 {
			t.Errorf("%v: heap in use reached %d MB reading a 100 MB line", cmd, in.peak>>20)
		}
	}
}

// hugeLine is a reader of one long line: prefix, then 'x' up to left
// bytes. It samples the heap in use every 4 MB it hands out.
type hugeLine struct {
	prefix     []byte
	left, seen int
	peak       uint64
}

func (h *hugeLine) Read(p []byte) (int, error) {
	if h.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), h.left)
	k := copy(p[:n], h.prefix)
	h.prefix = h.prefix[k:]
	for i := k; i < n; i++ {
		p[i] = 'x'
	}
	h.left -= n
	if h.seen += n; h.seen >= 4<<20 {
		h.seen = 0
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapInuse)
	}
	return n, nil
}

// randomBytes is n bytes of a fixed-seed generator.
func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(9, 9))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// withNULs puts NUL bytes inside and between the lines of a log, as a
// serial line with noise, or a tool padding its buffer, writes them.
func withNULs(log string) []byte {
	s := strings.ReplaceAll(log, "\r\n\r\n", "\r\n\x00\x00\r\n")
	s = strings.Replace(s, "OK\r\n", "O\x00K\r\n", 1)
	return []byte("\x00\x00\x00" + s + "\x00")
}

// mixedEncodings writes a log as SSCOM saves it in GBK (发→◇ and 收←◆
// before each block), with a comment in GBK and one in UTF-8, and a payload
// of bytes that are no encoding at all.
func mixedEncodings(log string) []byte {
	const send, recv = "\xb7\xa2\xa1\xfa\xa1\xf3", "\xca\xd5\xa1\xfb\xa1\xf4"
	b := []byte("// \xb5\xf7\xca\xd4 (GBK), // 调试 (UTF-8)\r\n")
	for i, line := range strings.SplitAfter(log, "\r\n") {
		mark := recv
		if strings.HasPrefix(line, "AT") {
			mark = send
		}
		b = fmt.Appendf(b, "[10:00:%02d.000]%s\r\n%s", i, mark, line)
	}
	return append(b, "[10:00:59.000]"+recv+"\r\n+QMTRECV: 0,1,\"t/1\",\"\xff\xfe\xe2\x28\xa1\"\r\n"...)
}

// ethernetPcap is a classic pcap file holding one Ethernet frame.
func ethernetPcap() []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xA1B2C3D4) // magic
	b = le.AppendUint16(b, 2)             // version 2.4
	b = le.AppendUint16(b, 4)             //
	b = le.AppendUint64(b, 0)             // time zone, accuracy
	b = le.AppendUint32(b, 65535)         // snap length
	b = le.AppendUint32(b, 1)             // LINKTYPE_ETHERNET
	b = le.AppendUint32(b, 1_700_000_000) // seconds
	b = le.AppendUint32(b, 0)             // microseconds
	b = le.AppendUint32(b, 60)            // captured length
	b = le.AppendUint32(b, 60)            // original length
	return append(b, make([]byte, 60)...) // the frame
}
