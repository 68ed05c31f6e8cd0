package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"atscope/decode"
	"atscope/dialect"
)

// essentialsFmt, previewFmt and visibleFmt are Essentials, Preview and
// Visible as they were written with fmt, which the appenders must match.
func essentialsFmt(op *dialect.Op) string {
	var parts []string
	add := func(format string, a ...any) { parts = append(parts, fmt.Sprintf(format, a...)) }
	switch op.Kind {
	case dialect.OpOpen:
		if op.Host != "" || op.Port != 0 {
			add("%s:%d", op.Host, op.Port)
		}
		if op.TLS {
			add("tls")
		}
	case dialect.OpConnect:
		if op.Host != "" {
			add("%s:%d", op.Host, op.Port)
		}
		if op.ClientID != "" {
			add("id=%q", op.ClientID)
		}
		if op.Username != "" {
			add("user=%q", op.Username)
		}
		if op.KeepAlive >= 0 {
			add("keepalive=%ds", op.KeepAlive)
		}
	case dialect.OpSubscribe, dialect.OpUnsubscribe:
		for i, t := range op.Topics {
			s := strconv.Quote(t)
			if i < len(op.Requested) && op.Requested[i] >= 0 {
				s += fmt.Sprintf(" qos%d", op.Requested[i])
			}
			if i < len(op.Granted) {
				s += fmt.Sprintf("→%d", op.Granted[i])
			}
			parts = append(parts, s)
		}
		if op.MsgID >= 0 {
			add("id=%d", op.MsgID)
		}
	case dialect.OpPublish, dialect.OpReceive:
		if op.Topic != "" {
			add("%q", op.Topic)
		}
		if op.QoS >= 0 {
			add("qos%d", op.QoS)
		}
		if op.Retain {
			add("retain")
		}
		if op.MsgID >= 0 {
			add("id=%d", op.MsgID)
		}
		if op.Payload == "" && op.PayloadLen > 0 {
			add("(%d B declared, not in the log)", op.PayloadLen)
		} else if op.Payload != "" || op.PayloadLen > 0 {
			add("%s (%d B)", previewFmt(op.Payload, previewRunes), max(op.PayloadLen, len(op.Payload)))
		}
		if op.Retries > 0 {
			add("retries=%d", op.Retries)
		}
	case dialect.OpLink, dialect.OpSetup:
		add("%s", op.Name)
		if op.Code != "" {
			add("%s", op.Code)
		}
	}
	return strings.Join(parts, " ")
}

func previewFmt(s string, n int) string {
	text, more := isText(s), ""
	if utf8.RuneCountInString(s) > n {
		s, more = string([]rune(s)[:n]), "…"
	}
	return `"` + visibleFmtAs(s, text) + `"` + more
}

func visibleFmt(s string) string { return visibleFmtAs(s, isText(s)) }

// visibleFmtAs is visibleFmt with tabs as spaces to the next tab stop
// when text says so.
func visibleFmtAs(s string, text bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' && text:
			b.WriteString(strings.Repeat(" ", tabStop-utf8.RuneCountInString(b.String())%tabStop))
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkEssentials compares the appenders with the fmt versions on op.
func checkEssentials(t *testing.T, op *dialect.Op) {
	t.Helper()
	if got, want := Essentials(op), essentialsFmt(op); got != want {
		t.Errorf("Essentials(%+v)\n got %q\nwant %q", op, got, want)
	}
	for _, s := range []string{op.Payload, op.Topic, op.Name} {
		if got, want := Visible(s), visibleFmt(s); got != want {
			t.Errorf("Visible(%q) = %q, want %q", s, got, want)
		}
		for _, n := range []int{0, 1, 5, previewRunes} {
			if got, want := Preview(s, n), previewFmt(s, n); got != want {
				t.Errorf("Preview(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

var essentialsText = []string{
	"", "\tkey:\tvalue\r\n", "bin\t\x00", "t/1", `{"temp":21.5}`, "a\r\nb\x1a\x00\x7f", "\xff\xfe bad", "é 中文 🙂 " + strings.Repeat("long ", 20), `say "hi"`,
}

func TestEssentialsMatchFmt(t *testing.T) {
	for _, k := range dialect.OpKinds() {
		for _, s := range essentialsText {
			checkEssentials(t, &dialect.Op{Kind: k, Name: s, Code: s, Host: s, Port: 1883, TLS: true, ClientID: s, Username: s,
				KeepAlive: 60, Topics: []string{s, "b"}, Requested: []int{1, -1}, Granted: []int{0}, MsgID: 7,
				Topic: s, QoS: 1, Retain: true, Payload: s, PayloadLen: 3, Retries: 2})
			checkEssentials(t, &dialect.Op{Kind: k, Code: s, QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1})
		}
	}
}

// FuzzEssentials holds the appenders to the fmt versions.
func FuzzEssentials(f *testing.F) {
	for _, s := range essentialsText {
		f.Add(uint8(4), s, s+"|x", 1883, 1, 60, true)
	}
	f.Fuzz(func(t *testing.T, kind uint8, text, list string, port, n, keepAlive int, flag bool) {
		var ints []int
		for _, c := range []byte(list) {
			ints = append(ints, int(c)-'0')
		}
		checkEssentials(t, &dialect.Op{Kind: dialect.OpKind(kind % 11), Name: list, Code: text, Host: text, Port: port,
			TLS: flag, ClientID: list, Username: text, KeepAlive: keepAlive, Topics: strings.Split(list, "|"),
			Requested: ints, Granted: ints[len(ints)/2:], MsgID: n, Topic: text, QoS: n, Retain: flag, Payload: text,
			PayloadLen: keepAlive, Retries: n})
	})
}

// TestEssentialsPayloadNotInLog: a publish refused before its prompt has a
// declared length and no payload bytes: its line says so rather than
// show an empty payload ""; one whose payload came shows it.
func TestEssentialsPayloadNotInLog(t *testing.T) {
	const log = "AT+QMTPUB=0,4,1,0,\"dev/7/data\",16\r\nERROR\r\n" +
		"AT+QMTPUB=0,5,1,0,\"dev/7/data\",5\r\n> hello\r\nOK\r\n+QMTPUB: 0,5,0\r\n"
	cr, _, _ := decode.Open(strings.NewReader(log), "pub.log", "auto", decode.Options{})
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder("pub.log", "auto")
	var got []string
	emit := func(op *dialect.Op) {
		if op.Kind == dialect.OpPublish {
			got = append(got, Essentials(op))
		}
	}
	for tok.Next() {
		ev := tok.Event()
		dec.Feed(&ev, emit)
	}
	dec.Close(emit)
	want := []string{`"dev/7/data" qos1 id=4 (16 B declared, not in the log)`, `"dev/7/data" qos1 id=5 "hello" (5 B)`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("publishes\n%q\nwant\n%q", got, want)
	}
}
