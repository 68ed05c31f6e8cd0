package decode

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// TestGzip: a gzip-compressed log, of any format, gives the events of the
// log inside, at the positions of its uncompressed bytes; a stream cut
// short gives the events before the cut and an error that says where.
func TestGzip(t *testing.T) {
	plain := []byte(strings.Repeat("[2024-01-01 10:00:00:000_S:] AT+QMTOPEN=0,\"h\",1883\r\n[2024-01-01 10:00:00:010_R:] OK\r\n", 200))
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain)
	zw.Close()

	events := func(data []byte) ([]Event, string, error) {
		cr, f, err := Open(bytes.NewReader(data), "t.log", "auto", Options{})
		if err != nil {
			t.Fatal(err)
		}
		tok := NewTokenizer(cr, nil)
		var evs []Event
		for tok.Next() {
			evs = append(evs, tok.Event())
		}
		return evs, f.Name, tok.Err()
	}
	want, _, _ := events(plain)
	got, format, err := events(zipped.Bytes())
	if err != nil || format != "qcom" || len(got) != len(want) {
		t.Fatalf("gzip: %d events as %s, error %v; want %d as qcom", len(got), format, err, len(want))
	}
	for i := range want {
		if got[i].Pos != want[i].Pos || got[i].Text != want[i].Text || !bytes.Equal(got[i].Raw, want[i].Raw) {
			t.Fatalf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}

	cut, _, err := events(zipped.Bytes()[:zipped.Len()/2])
	if err == nil || !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), "line ") {
		t.Errorf("cut: error %v", err)
	}
	if len(cut) == 0 || len(cut) >= len(want) {
		t.Errorf("cut: %d events of %d", len(cut), len(want))
	}

	if _, _, err := Open(bytes.NewReader([]byte{0x1f, 0x8b, 0}), "bad.gz", "auto", Options{}); err == nil || !strings.Contains(err.Error(), "bad.gz") {
		t.Errorf("bad header: %v", err)
	}
}
