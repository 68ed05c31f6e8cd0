package decode

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanAll returns the lines of a lineScanner over r, with their positions.
func scanAll(r io.Reader) ([]Line, error) {
	s := newLineScanner(r, "f")
	var lines []Line
	for s.Scan() {
		l := s.Line()
		l.Bytes = bytes.Clone(l.Bytes)
		lines = append(lines, l)
	}
	return lines, s.Err()
}

func TestLineScannerSplits(t *testing.T) {
	long := strings.Repeat("x", maxLine+5)
	for _, in := range []string{
		"", "\n", "AT\r\nOK\r\n", "AT\r\nOK", "a\rb\n\n\nc", long + "\nOK\n", "AT\n" + long, strings.Repeat("y", 2*maxLine),
	} {
		// The line ends, and the pieces of lines longer than maxLine.
		var want []Line
		pos, cont := Pos{File: "f", Line: 1}, false
		for rest := in; rest != ""; {
			n := len(rest)
			if i := strings.IndexByte(rest, '\n'); i >= 0 {
				n = i + 1
			}
			n = min(n, maxLine)
			want = append(want, Line{Bytes: []byte(rest[:n]), Pos: pos, Cont: cont})
			pos.Offset += int64(n)
			cont = rest[n-1] != '\n'
			if !cont {
				pos.Line++
			}
			rest = rest[n:]
		}
		readers := map[string]func() io.Reader{
			"whole":    func() io.Reader { return strings.NewReader(in) },
			"bytewise": func() io.Reader { return iotest.OneByteReader(strings.NewReader(in)) },
			"halves":   func() io.Reader { return iotest.HalfReader(strings.NewReader(in)) },
			"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(in)) },
		}
		for name, r := range readers {
			got, err := scanAll(r())
			if err != nil || len(got) != len(want) {
				t.Errorf("%s %.20q: %d lines, %v; want %d lines", name, in, len(got), err, len(want))
				continue
			}
			for i := range got {
				if !bytes.Equal(got[i].Bytes, want[i].Bytes) || got[i].Pos != want[i].Pos || got[i].Cont != want[i].Cont {
					t.Errorf("%s %.20q: line %d = %.20q %v %v; want %.20q %v %v", name, in, i,
						got[i].Bytes, got[i].Pos, got[i].Cont, want[i].Bytes, want[i].Pos, want[i].Cont)
				}
			}
		}
	}
}

// failingReader returns its data, then err.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestLineScannerErrors(t *testing.T) {
	broken := errors.New("broken")
	for _, tt := range []struct {
		name  string
		r     io.Reader
		lines []string
		err   error
	}{
		{"error after the data", &failingReader{"AT\r\nOK", broken}, []string{"AT\r\n", "OK"}, broken},
		{"error with no data", &failingReader{"", broken}, nil, broken},
		{"reads that never return", &failingReader{"AT\n", nil}, []string{"AT\n"}, io.ErrNoProgress},
	} {
		got, err := scanAll(tt.r)
		var texts []string
		for _, l := range got {
			texts = append(texts, string(l.Bytes))
		}
		if err != tt.err || strings.Join(texts, "|") != strings.Join(tt.lines, "|") {
			t.Errorf("%s: lines %q, %v; want %q, %v", tt.name, texts, err, tt.lines, tt.err)
		}
	}
}
