package redact

import (
	"bytes"
	"testing"

	"atscope/decode"
)

// FuzzScanCommands: any text gives arguments inside it, never a panic.
func FuzzScanCommands(f *testing.F) {
	for _, s := range []string{
		`AT+QMTCONN=0,"c","u","p"`, "\x1b[32mAT+CWJAP=“lab”,“pw”\x1b[0m\r", `+UMQTT: 4,"u","p"`,
		`AT+SMCONF="PASSWORD","x"..OK..`, `AT+X="open\r\n`, `AT+X=\`, "at+cpin=1234", `AT#XMQTTCON=1,"","","h",1`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		scanCommands(text, nil, func(name string, answer bool, args []argSpan) {
			rolesOf(name, make([]string, len(args)), answer, nil)
			for _, a := range args {
				if a.start < 0 || a.start > a.end || a.end > len(text) {
					t.Fatalf("%s: span %d-%d outside %d bytes", name, a.start, a.end, len(text))
				}
			}
		})
	})
}

// FuzzCopy: whatever the log, the copy is as long as it, holds none of the
// secrets learned from it where their scope says so, and never panics.
func FuzzCopy(f *testing.F) {
	f.Add([]byte("AT+QMTCONN=0,\"c\",\"user\",\"pass-word-1\"\r\nOK\r\n"))
	f.Add([]byte("[10:00:00.000] AT+QMTCFG=\"aliauth\",0,\"k\",\"n\",\"0123456789\r\n[10:00:00.001] abcdef\"\r\n"))
	f.Add([]byte("name,type,start_time,duration,data\n\"TX\",\"data\",0.1,1e-05,\"0x41\"\n"))
	f.Fuzz(func(t *testing.T, log []byte) {
		if isGz(log) {
			return
		}
		r := New(All)
		cr, _, err := decode.Open(bytes.NewReader(log), "f.log", "auto", decode.Options{})
		if err != nil {
			return
		}
		tok := decode.NewTokenizer(cr, nil)
		for tok.Next() {
			ev := tok.Event()
			r.LearnEvent(&ev)
		}
		var out bytes.Buffer
		if _, err := r.Copy(&out, bytes.NewReader(log), "f.log", "auto", decode.Options{}); err != nil {
			return // a line it cannot rewrite is an error, not a wrong copy
		}
		if out.Len() != len(log) {
			t.Fatalf("copy is %d bytes, log %d", out.Len(), len(log))
		}
	})
}
