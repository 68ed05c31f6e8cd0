package redact

import (
	"fmt"
	"strings"
	"testing"

	"atscope/decode"
)

// TestLeaksPrefilter: the checks that skip text holding no secret find
// what Leaks finds over the same text, a secret holding a line break
// across an event's text and raw bytes included.
func TestLeaksPrefilter(t *testing.T) {
	r := New(Secrets)
	r.Add("pass-word-77", Password)
	r.Add("two\nlines-pw", Password) // a payload that held a line break
	for _, tc := range []struct {
		text, raw string
		want      string
	}{
		{"AT+X=1", "AT+X=1\r\n", "[]"},
		{`AT+QMTCONN=0,"c","u","pass-word-77"`, "", "[<password-1>]"},
		{"", "+QMTRECV: 0,1,\"t\",\"pass-word-77\"", "[<password-1>]"},
		{"payload two", "lines-pw", "[<password-2>]"},
	} {
		ev := decode.Event{Text: tc.text, Raw: []byte(tc.raw)}
		if got := placeholders(r.EventLeaks(&ev)); got != tc.want {
			t.Errorf("EventLeaks(%q, %q) = %s, want %s", tc.text, tc.raw, got, tc.want)
		}
		if got, want := placeholders(r.LeaksBytes([]byte(tc.raw))), placeholders(r.Leaks(tc.raw)); got != want {
			t.Errorf("LeaksBytes(%q) = %s, Leaks says %s", tc.raw, got, want)
		}
	}
}

// TestCopyLineStarts: a secret that starts a line, or runs over a line
// break, is replaced however the copy cuts its search into lines.
func TestCopyLineStarts(t *testing.T) {
	log := "AT+QMTCONN=0,\"c\",\"u\",\"pass-word-1\"\r\nOK\r\npass-word-1 again\r\nsplit pass-w\r\nord-1 here\r\n"
	r, out := redactLog(t, "t.log", []byte(log))
	if leaks := r.Leaks(string(out)); len(leaks) > 0 {
		t.Errorf("copy still holds %v:\n%s", leaks, out)
	}
	if len(out) != len(log) {
		t.Errorf("copy is %d bytes, the log %d", len(out), len(log))
	}
}

func placeholders(secrets []Secret) string {
	var out []string
	for _, s := range secrets {
		out = append(out, s.Placeholder)
	}
	return fmt.Sprint(out)
}

// naiveIndexFold is what indexFold computes, the slow way.
func naiveIndexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// naiveIdentityWord is what identityWord computes, the slow way.
func naiveIdentityWord(s string) Kind {
	u := strings.ToUpper(s)
	for _, k := range []Kind{IMEI, ICCID, IMSI} {
		if strings.Contains(u, strings.ToUpper(string(k))) {
			return k
		}
	}
	return ""
}

// TestFastScans: the scans that look for words and commands in every line
// find what the slow ways find.
func TestFastScans(t *testing.T) {
	texts := []string{"", "AT+CIMI", "xat+cimi=?", "AT+CIM", "+CIMI AT+cImI\r\n", "at+qcimi", "AT+CIMİ", "ıMEI: 1", "imsi iccid",
		"IMSI then IMEI", "icci", "ICCID", "+QMTRECV: 0,1,\"t\",\"{\\\"id\\\":1}\"", "ſ AT+CIMI", "IMEIx"}
	for _, text := range texts {
		for _, sub := range append(imsiCommands, "IMEI", "kelvin", "Straße") {
			if got, want := indexFold(text, sub), naiveIndexFold(text, sub); got != want {
				t.Errorf("indexFold(%q, %q) = %d, want %d", text, sub, got, want)
			}
		}
		if got, want := identityWord(text), naiveIdentityWord(text); got != want {
			t.Errorf("identityWord(%q) = %q, want %q", text, got, want)
		}
	}
}

// FuzzFastScans: as TestFastScans, for any text.
func FuzzFastScans(f *testing.F) {
	f.Add("AT+CIMI", "at+cimi?")
	f.Add("IMEI", "ıMEI ICCID")
	f.Fuzz(func(t *testing.T, sub, text string) {
		if got, want := indexFold(text, sub), naiveIndexFold(text, sub); got != want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", text, sub, got, want)
		}
		if got, want := identityWord(text), naiveIdentityWord(text); got != want {
			t.Errorf("identityWord(%q) = %q, want %q", text, got, want)
		}
	})
}
