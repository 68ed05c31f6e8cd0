package analyze

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// TestLines reads a log's first lines back after its run, from standard
// input and from inside a .gz, printable and cut at n, with the total.
func TestLines(t *testing.T) {
	log := "AT\r\nOK\r\nbell\a here\r\nlast line without an end"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(log))
	zw.Close()
	for name, body := range map[string][]byte{StdinName: []byte(log), "log.gz": gz.Bytes()} {
		src := FromReader(name, bytes.NewReader(body))
		if _, err := Run(src, Options{Format: "auto", Dialect: "auto", Quotes: true}, Sinks{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines, total, err := Lines(src, 3, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := []string{"AT", "OK", `bell\x07 here`}; total != 4 || strings.Join(lines, "|") != strings.Join(want, "|") {
			t.Errorf("%s: %q of %d lines, want %q of 4", name, lines, total, want)
		}
	}
}
