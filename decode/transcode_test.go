package decode

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// readLayers returns the data of the chunks Open's reader makes of r.
func readLayers(t testing.TB, r io.Reader) string {
	t.Helper()
	cr, _, err := Open(r, "in.log", "auto", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for cr.Next() {
		b.Write(cr.Chunk().Data)
	}
	if err := cr.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestLayersGolden reads every testdata/layers/*.log through Open's layers
// (UTF-16) and compares the text with <case>.text, read whole
// and one byte at a time.
func TestLayersGolden(t *testing.T) {
	logs, _ := filepath.Glob("testdata/layers/*.log")
	if len(logs) == 0 {
		t.Fatal("no test logs")
	}
	for _, path := range logs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := readLayers(t, bytes.NewReader(in))
			golden(t, strings.TrimSuffix(path, ".log")+".text", got)
			if b := readLayers(t, iotest.OneByteReader(bytes.NewReader(in))); b != got {
				t.Errorf("one byte at a time gives %q, want %q", b, got)
			}
		})
	}
}

// TestLayersSniff checks that the layer comes before sniffing: a UTF-16
// stamped log is read as stamped.
func TestLayersSniff(t *testing.T) {
	for _, path := range []string{"testdata/layers/utf16le_surrogate_odd.log"} {
		in, _ := os.ReadFile(path)
		_, f, err := Open(bytes.NewReader(in), path, "auto", Options{})
		if err != nil || f.Name != "stamped" {
			t.Errorf("%s: format %q (%v), want stamped", path, f.Name, err)
		}
	}
}

// FuzzLayers checks that the layers never panic and do not depend on how
// the input is split into reads.
func FuzzLayers(f *testing.F) {
	paths, _ := filepath.Glob("testdata/layers/*.log")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\xfe\xff\xd8\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		whole := readLayers(t, bytes.NewReader(in))
		if b := readLayers(t, iotest.OneByteReader(bytes.NewReader(in))); b != whole {
			t.Fatalf("one byte at a time gives %q, want %q", b, whole)
		}
	})
}
