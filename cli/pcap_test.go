package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pcapngMagic starts every pcapng file (a Section Header Block), and
// pcapMagic a classic pcap file with microsecond times, little-endian.
var (
	pcapngMagic = []byte{0x0a, 0x0d, 0x0d, 0x0a}
	pcapMagic   = []byte{0xd4, 0xc3, 0xb2, 0xa1}
)

func TestPcapToStdout(t *testing.T) {
	code, out, errOut := run(t, false, "pcap", "../samples/ec25-multiclient.log", "-o", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !bytes.HasPrefix([]byte(out), pcapngMagic) {
		t.Errorf("standard output is not pcapng: % x", out[:min(8, len(out))])
	}
	for _, want := range []string{"../samples/ec25-multiclient.log: ", " packets, 4 connections, ", "MQTT messages", "1 failed at the module", "wrote standard output"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "atscope "+Version) {
		t.Error("the section header does not name atscope and its version")
	}

	// The same input gives the same bytes.
	_, again, _ := run(t, false, "pcap", "../samples/ec25-multiclient.log", "-o", "-")
	if again != out {
		t.Error("two runs differ")
	}
}

func TestPcapToFileClassicAndClient(t *testing.T) {
	dir := t.TempDir()
	all := filepath.Join(dir, "all.pcapng")
	one := filepath.Join(dir, "one.pcap")
	if code, _, errOut := run(t, false, "pcap", "../samples/ec25-multiclient.log", "-o", all); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, out, errOut := run(t, false, "pcap", "--classic", "--client", "1", "../samples/ec25-multiclient.log", "-o", one)
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	if !strings.Contains(errOut, " 2 connections") {
		t.Errorf("client 1 has two connections:\n%s", errOut)
	}
	a, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(one)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a, pcapngMagic) || !bytes.HasPrefix(b, pcapMagic) {
		t.Errorf("file magics % x and % x", a[:4], b[:4])
	}
	if len(b) >= len(a) || bytes.Contains(b, []byte("ec25-multiclient.log:")) {
		t.Error("the classic capture of one client is not smaller and comment-free")
	}
}

func TestPcapUsage(t *testing.T) {
	for _, tc := range []struct {
		terminal bool
		args     []string
		want     string
	}{
		{false, []string{"pcap", "../samples/ec25-multiclient.log"}, "pcap needs -o FILE"},
		{true, []string{"pcap", "../samples/ec25-multiclient.log", "-o", "-"}, "refusing to write a capture to a terminal"},
		{false, []string{"pcap", "-o", "x.pcapng"}, "pcap needs at least one log file"},
	} {
		code, _, _ := run(t, tc.terminal, tc.args...)
		if code != exitUsage {
			t.Errorf("atscope %v: exit %d, want %d", tc.args, code, exitUsage)
		}
		var out, errOut bytes.Buffer
		if !tc.terminal {
			Main(tc.args, strings.NewReader(""), &out, &errOut)
			if !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("atscope %v: stderr %q, want %q", tc.args, errOut.String(), tc.want)
			}
		}
	}
}

func TestPcapUnreadableLog(t *testing.T) {
	code, out, errOut := run(t, false, "pcap", "../samples/ec25-multiclient.log", "no-such.log", "-o", "-")
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !bytes.HasPrefix([]byte(out), pcapngMagic) || !strings.Contains(errOut, "no-such.log") {
		t.Errorf("the readable log should still be written and the other reported:\n%s", errOut)
	}
}

func TestPcapRedact(t *testing.T) {
	_, plain, _ := run(t, false, "pcap", "../samples/ec25-multiclient.log", "-o", "-")
	_, redacted, errOut := run(t, false, "pcap", "--redact", "../samples/ec25-multiclient.log", "-o", "-")
	if !strings.Contains(plain, "fleet-pass-01") {
		t.Fatal("the CONNECT does not carry the logged password")
	}
	if strings.Contains(redacted, "fleet-pass-01") || !bytes.HasPrefix([]byte(redacted), pcapngMagic) {
		t.Errorf("--redact leaves the password in the capture:\n%s", errOut)
	}
}
