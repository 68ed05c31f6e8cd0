package redact

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
)

// TestRegressions reads the constructed logs of issue 15 points 10-13:
// what must be hidden is gone and what is not secret stays byte for byte.
func TestRegressions(t *testing.T) {
	for _, tc := range []struct {
		file       string
		hide, keep []string
	}{
		// 10: credentials in any layout (ANSI codes, indentation, CR-only
		// ends, CR LF shown as dots), an IMEI in a topic, an ICCID in a
		// payload, the IMSI after AT+CIMI.
		{"layouts.log",
			[]string{"ansi-user", "ansi-pass-01", "indent-user", "indent-pass-02", "wifi-pass-03", "dot-pass-04",
				"460011234567890", "490154203237518", "8944500102198304826"},
			[]string{"\x1b[36m[10:00:00.000] >> \x1b[0mAT+QMTCONN=0,\"dev-7\",", "\"lab\"", "..OK..AT+CIMI..", "\"dev/", "/up\""}},
		// 11: only secret bytes change: client index, keep-alive and clean
		// session stay; an access point's MAC is no password; a client ID
		// holding the user name stays whole.
		{"only-secret-bytes.log", []string{`"alice"`, `"pw1"`},
			[]string{`AT+QMTCONN=0,"meter-1",60,0,1` + "\r\n", `AT+QMTCONN=0,"alice-meter","`, `"aa:bb:cc:00:11:22",6,-58`,
				"+QMTCONN: 0,0,0", `"alice-meter/cmd"`}},
		// 13: a logic-analyzer CSV and a gzip log.
		{"capture.csv", []string{"csv-user", "csv-pass-77"}, []string{"csv-dev"}},
		{"compressed.log.gz", []string{"gz-user", "gz-pass-99"}, []string{`"gz-dev"`, "+QMTCONN: 0,0,0"}},
		// Issue 20 C4: a user name that reads as a word ("fleet", "ops") is
		// replaced in its argument only; a distinctive one everywhere; a
		// password equal to the user name wherever it stands alone.
		{"word-user.log", []string{`"fleet"`, "fleet-pass-0001", "Acct-Fleet-7", "pw-002", `"ops"`, "Long-Password-0003"},
			[]string{`"fleet/ec-01/loop"`, `/ec-02/up",21` + "\r\n"}},
		{"same-user-password.log", []string{`"test"`, "test/", `"test"}`}, []string{`/latest",15` + "\r\n", `> {"mode":"`}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			r, copy := redactLog(t, tc.file, data)
			checkCopy(t, tc.file, data, r, copy)
			text := string(copy)
			if strings.HasSuffix(tc.file, ".csv") {
				text = string(serialBytes(t, tc.file, copy))
			}
			for _, s := range tc.hide {
				if strings.Contains(text, s) {
					t.Errorf("%q is still in the copy:\n%s", s, text)
				}
			}
			for _, s := range tc.keep {
				if !strings.Contains(text, s) {
					t.Errorf("%q was changed:\n%s", s, text)
				}
			}
		})
	}
}

// TestOneRoleEach: a value that is both user name and password is listed
// (and counted) in both roles, under one placeholder.
func TestOneRoleEach(t *testing.T) {
	data, err := os.ReadFile("testdata/same-user-password.log")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range learnLog(t, "same-user-password.log", data).Secrets() {
		got = append(got, fmt.Sprintf("%s %s %s", s.Value, s.Kind, s.Placeholder))
	}
	if want := "[test user <user-1> test password <user-1>]"; fmt.Sprint(got) != want {
		t.Errorf("learned %v, want %v", got, want)
	}
}

// TestOpKeepsLengths (issue 20 A6): an op's topic and payload keep their
// byte length, so sizes, JSON and pcapng lengths are the logged ones.
func TestOpKeepsLengths(t *testing.T) {
	data, err := os.ReadFile("testdata/same-user-password.log")
	if err != nil {
		t.Fatal(err)
	}
	r := learnLog(t, "same-user-password.log", data)
	op := &dialect.Op{Kind: dialect.OpPublish, Topic: "test/latest", Payload: `{"mode":"test"}`, Topics: []string{"test/+"},
		Will: &dialect.Will{Topic: "test/will", Message: "test"}}
	r.Op(op)
	for _, tc := range []struct{ got, want string }{
		{op.Topic, "<u1>/latest"}, {op.Payload, `{"mode":"<u1>"}`}, {op.Topics[0], "<u1>/+"},
		{op.Will.Topic, "<u1>/will"}, {op.Will.Message, "<u1>"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestOneScheme (issue 20 C4): every placeholder in a copy is the short
// tag padded with '*', or '*' only; never the long "<password-1>" form.
func TestOneScheme(t *testing.T) {
	data, err := os.ReadFile("testdata/word-user.log")
	if err != nil {
		t.Fatal(err)
	}
	_, copy := redactLog(t, "word-user.log", data)
	want := []string{`"<u1>*"`, `"<p1>***********"`, `"<u2>********"`, `"<p2>**"`, `"***"`, `"<p3>**************"`}
	for _, w := range want {
		if !bytes.Contains(copy, []byte(w)) {
			t.Errorf("%s is not in the copy:\n%s", w, copy)
		}
	}
	if bytes.Contains(copy, []byte("<user-")) || bytes.Contains(copy, []byte("<password-")) {
		t.Errorf("a long placeholder in the copy:\n%s", copy)
	}
}

// TestUndecoded: a file with no AT exchange is not trusted; the samples are.
func TestUndecoded(t *testing.T) {
	r, _ := redactLog(t, "notes.txt", []byte("Meeting notes\nThe modem was slow.\nTry again tomorrow.\n"))
	if r.Undecoded() == "" {
		t.Error("a file without AT commands counts as decoded")
	}
	for _, f := range []string{"../samples/ec25-multiclient.log", "../samples/ec200-thingscloud-ticket.log", "../samples/ec21-mqtt-saleae.csv"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := redactLog(t, f, data); r.Undecoded() != "" {
			t.Errorf("%s: %s", f, r.Undecoded())
		}
	}
}

// TestShapes: numbers are secrets by shape only when they fit it.
func TestShapes(t *testing.T) {
	r := New(Secrets)
	r.learnText("ts 490154203237519 490154203237518 8944500102198304826 89445 AT+CIMI=? 460011234567890")
	got := map[string]Kind{}
	for _, s := range r.Secrets() {
		got[s.Value] = s.Kind
	}
	want := map[string]Kind{"490154203237518": IMEI, "8944500102198304826": ICCID}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("learned %v, want %v", got, want)
	}
}

// BenchmarkCopy learns and redacts logs with n distinct credentials, and
// one with n client indexes: the time per byte must not grow with n.
func BenchmarkCopy(b *testing.B) {
	for _, n := range []int{1000, 4000, 20000} {
		var log strings.Builder
		for i := range n {
			fmt.Fprintf(&log, "AT+QMTCONN=%d,\"client-%06d\",\"user-%06d\",\"secret-pass-%06d\"\r\nOK\r\n+QMTCONN: %d,0,0\r\n", i, i, i, i, i)
		}
		data := []byte(log.String())
		b.Run(fmt.Sprintf("learn+copy/secrets=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				redactLog(b, "bench.log", data)
			}
		})
		benchCopy(b, fmt.Sprintf("secrets=%d", n), data)
	}
	// Generated logs of the shapes of issue 17: two secrets, many lines.
	for _, shape := range []string{"steady", "urc"} {
		data := loggen.Bytes(loggen.Options{Shape: shape, Size: 8 << 20})
		b.Run("learn/shape="+shape, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				learnLog(b, "bench.log", data)
			}
		})
		benchCopy(b, "shape="+shape, data)
	}
}

// benchCopy measures the copy alone, the secrets of data learned.
func benchCopy(b *testing.B, name string, data []byte) {
	r := learnLog(b, "bench.log", data)
	b.Run("copy/"+name, func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for range b.N {
			if _, err := r.Copy(io.Discard, bytes.NewReader(data), "bench.log", "auto", decode.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
