package decode

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// genSession writes a Quectel MQTT session of n publishes with echo on, as a
// terminal captures it.
func genSession(w io.Writer, n int) {
	fmt.Fprint(w, "AT+QMTOPEN=0,\"broker.example.com\",1883\r\r\nOK\r\n\r\n+QMTOPEN: 0,0\r\n")
	fmt.Fprint(w, "AT+QMTCONN=0,\"bench\",\"user\",\"pass\"\r\r\nOK\r\n\r\n+QMTCONN: 0,0,0\r\n")
	for i := range n {
		payload := fmt.Sprintf(`{"seq":%d,"temp":%d.%d,"ok":true}`, i, 20+i%10, i%10)
		fmt.Fprintf(w, "AT+QMTPUBEX=0,%d,1,0,\"bench/t\",%d\r\r\n> %s\r\nOK\r\n\r\n+QMTPUBEX: 0,%d,0\r\n", i%65535+1, len(payload), payload, i%65535+1)
		fmt.Fprintf(w, "\r\n+QMTRECV: 0,%d,\"bench/t\",%d,\"%s\"\r\n", i%65535+1, len(payload), payload)
	}
}

// genQCOM renders the same traffic as a QCOM log.
func genQCOM(w io.Writer, n int) {
	var raw bytes.Buffer
	genSession(&raw, n)
	ms := 0
	for _, line := range bytes.SplitAfter(raw.Bytes(), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		dir := "R"
		if bytes.HasPrefix(line, []byte("AT")) {
			dir = "S"
		}
		ms += 7
		fmt.Fprintf(w, "[2024-01-01 10:%02d:%02d:%03d_%s:] %s", ms/60000%60, ms/1000%60, ms%1000, dir, bytes.TrimLeft(line, "\r\n"))
	}
}

func benchTokenize(b *testing.B, format string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		cr, _, err := Open(bytes.NewReader(data), "bench.log", format, Options{})
		if err != nil {
			b.Fatal(err)
		}
		tok := NewTokenizer(cr, testHooks{})
		for tok.Next() {
		}
	}
}

func BenchmarkTokenizeRaw(b *testing.B) {
	var buf bytes.Buffer
	genSession(&buf, 20000)
	benchTokenize(b, "raw", buf.Bytes())
}

func BenchmarkTokenizeQCOM(b *testing.B) {
	var buf bytes.Buffer
	genQCOM(&buf, 20000)
	benchTokenize(b, "auto", buf.Bytes())
}

// BenchmarkUnendingPayload feeds a payload that never meets its Ctrl-Z, one
// stamped line at a time: each byte must be scanned once, not once per line.
func BenchmarkUnendingPayload(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("[10:00:00.000] AT+QMTPUB=0,1,1,0,\"t\"\n[10:00:00.010] > \n")
	for i := range 5000 {
		fmt.Fprintf(&buf, "[10:00:01.%03d] line %d of a payload that never ends\n", i%1000, i)
	}
	benchTokenize(b, "stamped", buf.Bytes())
}
