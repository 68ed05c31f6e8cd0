package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// socatPair starts socat with two linked pseudo-terminals, a and b in
// dir: what is written to one is read from the other. It skips without
// socat, unless ATSCOPE_REQUIRE_SOCAT=1 (CI).
func socatPair(t *testing.T, a, b string) {
	t.Helper()
	if _, err := exec.LookPath("socat"); err != nil {
		if os.Getenv("ATSCOPE_REQUIRE_SOCAT") == "1" {
			t.Fatal("socat is not installed and ATSCOPE_REQUIRE_SOCAT=1")
		}
		t.Skip("socat is not installed")
	}
	cmd := exec.Command("socat", "-d", "-d", "pty,raw,echo=0,link="+a, "pty,raw,echo=0,link="+b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitForPath(t, a, &stderr)
	waitForPath(t, b, &stderr)
}

func waitForPath(t *testing.T, path string, log *bytes.Buffer) {
	t.Helper()
	for end := time.Now().Add(liveWait); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear; %s", path, log)
}

// serialEnd is one end of a serial line in a test: what it sent, and what
// it received, read as it comes.
type serialEnd struct {
	f    *os.File
	mu   sync.Mutex
	got  []byte
	cond *sync.Cond
	used int // got[:used] is consumed by expect
	sent []byte
}

func openEnd(t *testing.T, path string) *serialEnd {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscallNoctty, 0)
	must(t, err)
	e := &serialEnd{f: f}
	e.cond = sync.NewCond(&e.mu)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			e.mu.Lock()
			e.got = append(e.got, buf[:n]...)
			e.cond.Broadcast()
			e.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { f.Close() })
	return e
}

func (e *serialEnd) send(t *testing.T, b []byte) time.Time {
	t.Helper()
	_, err := e.f.Write(b)
	must(t, err)
	e.sent = append(e.sent, b...)
	return time.Now()
}

// until waits for what is received to hold stop after what was consumed,
// consumes up to its end and returns what came before it.
func (e *serialEnd) until(t *testing.T, stop []byte) []byte {
	t.Helper()
	timer := time.AfterFunc(liveWait, func() { e.mu.Lock(); e.cond.Broadcast(); e.mu.Unlock() })
	defer timer.Stop()
	start := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for {
		if i := bytes.Index(e.got[e.used:], stop); i >= 0 {
			b := e.got[e.used : e.used+i]
			e.used += i + len(stop)
			return b
		}
		if time.Since(start) > liveWait {
			t.Fatalf("%q never came; got %q", stop, e.got[e.used:])
		}
		e.cond.Wait()
	}
}

// received is everything received, once it is n bytes long.
func (e *serialEnd) received(t *testing.T, n int) []byte {
	t.Helper()
	for end := time.Now().Add(liveWait); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		e.mu.Lock()
		got := bytes.Clone(e.got)
		e.mu.Unlock()
		if len(got) >= n {
			return got
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return bytes.Clone(e.got)
}

// quectelStep is one exchange of a scripted Quectel MQTT session: the
// application's command and payload, the modem's answers, and the op that
// the last answer completes.
type quectelStep struct {
	command string
	payload string // after the "> " prompt
	answers []string
	op      string // the op's "op" field
}

var quectelSession = []quectelStep{
	{`AT+QMTOPEN=0,"broker.example.com",1883`, "", []string{"\r\nOK\r\n", "\r\n+QMTOPEN: 0,0\r\n"}, "open"},
	{`AT+QMTCONN=0,"tap-test","user","secret"`, "", []string{"\r\nOK\r\n", "\r\n+QMTCONN: 0,0,0\r\n"}, "connect"},
	{`AT+QMTSUB=0,1,"t/in",1`, "", []string{"\r\nOK\r\n", "\r\n+QMTSUB: 0,1,0,1\r\n"}, "subscribe"},
	// A counted payload with a NUL, a 0xff and a CR LF; a Ctrl-Z ended one.
	{`AT+QMTPUBEX=0,2,1,0,"t/out",7`, "a\x00\xff\r\nz!", []string{"\r\nOK\r\n", "\r\n+QMTPUBEX: 0,2,0\r\n"}, "publish"},
	{`AT+QMTPUB=0,3,1,0,"t/out"`, "hello\x1a", []string{"\r\nOK\r\n", "\r\n+QMTPUB: 0,3,0\r\n"}, "publish"},
	{"", "", []string{"\r\n+QMTRECV: 0,4,\"t/in\",\"hi\"\r\n"}, "receive"},
	{`AT+QMTDISC=0`, "", []string{"\r\nOK\r\n", "\r\n+QMTDISC: 0,0\r\n"}, "disconnect"},
}

// TestTapBetweenApplicationAndModem runs tap between a scripted
// application and a scripted Quectel modem, each on a socat
// pseudo-terminal, and checks that each side receives exactly what the
// other sent, that each op is printed within liveBound of its result, and
// that timeline on the capture gives the ops tap printed.
func TestTapBetweenApplicationAndModem(t *testing.T) {
	dir := t.TempDir()
	modemDev, tapPort, app, capture := filepath.Join(dir, "modem"), filepath.Join(dir, "ttyUSB2"), filepath.Join(dir, "app"), filepath.Join(dir, "capture.log")
	socatPair(t, modemDev, tapPort)
	modem := openEnd(t, modemDev)
	c := startLive(t, "tap", "--port", tapPort, "--pty", app, "-o", capture, "--json")
	waitForPath(t, app, &c.stderr)
	host := openEnd(t, app)
	var live []string
	var passed time.Duration // the longest a command took from the application to the modem
	for _, step := range quectelSession {
		if step.command != "" {
			sent := host.send(t, []byte(step.command+"\r"))
			if got := modem.until(t, []byte("\r")); string(got) != step.command {
				t.Fatalf("the modem got %q, want %q", got, step.command)
			}
			passed = max(passed, time.Since(sent))
		}
		if step.payload != "" {
			modem.send(t, []byte("\r\n> "))
			host.until(t, []byte("> "))
			host.send(t, []byte(step.payload))
			if got := modem.until(t, []byte(step.payload)); len(got) != 0 {
				t.Fatalf("the modem got %q before the payload", got)
			}
		}
		var result time.Time
		for _, a := range step.answers {
			result = modem.send(t, []byte(a))
			host.until(t, []byte(a))
		}
		l := c.next(t, `"op":"`+step.op+`"`)
		checkDelay(t, step.op, result, l)
		live = append(live, l.text)
	}
	t.Logf("through the tap and two socat pairs, a command took at most %s", passed)
	if got := modem.received(t, len(host.sent)); !bytes.Equal(got, host.sent) {
		t.Errorf("the modem received %q, the application sent %q", got, host.sent)
	}
	if got := host.received(t, len(modem.sent)); !bytes.Equal(got, modem.sent) {
		t.Errorf("the application received %q, the modem sent %q", got, modem.sent)
	}
	c.interrupt(t)
	if _, err := os.Lstat(app); err == nil {
		t.Errorf("the --pty link %s is left after Ctrl-C", app)
	}
	_, after, stderr := run(t, false, "timeline", "--json", capture)
	if want, got := opSummaries(t, live), opSummaries(t, strings.Split(strings.TrimSpace(after), "\n")); !slicesEqual(got, want) {
		t.Errorf("timeline on the capture:\n%s\nwant what tap printed:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
	}
}

// opSummaries are the fields of JSON ops that must agree, one string each.
func opSummaries(t *testing.T, lines []string) []string {
	t.Helper()
	var out []string
	for _, l := range lines {
		var op map[string]any
		must(t, json.NewDecoder(bufio.NewReader(strings.NewReader(l))).Decode(&op))
		delete(op, "file") // tap names the capture as it is written: the same path
		// Live, an event is handed on once the line is quiet: the blank line
		// that starts the modem's next answer is its own event, where a read
		// of the whole file gives it to the event before: an op's last line
		// may differ. They must start on the same line.
		lines := op["lines"].([]any)
		op["lines"] = lines[0]
		b, _ := json.Marshal(op)
		out = append(out, string(b))
	}
	return out
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }
