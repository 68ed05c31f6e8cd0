package decode

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

func TestQCOMPrefix(t *testing.T) {
	tests := []struct {
		line  string
		start int
		dir   Dir
		time  string
		ok    bool
	}{
		{"[2019-01-31 02:58:52:462_S:] AT", 29, DirToModule, "2019-01-31 02:58:52.462", true},
		{"[2019-01-31 02:58:52:462_R:] OK", 29, DirFromModule, "2019-01-31 02:58:52.462", true},
		{"[2019-01-31 02:58:52:462_R:] ", 29, DirFromModule, "2019-01-31 02:58:52.462", true},
		{"[2019-01-31 02:58:52:462_R:]", 28, DirFromModule, "2019-01-31 02:58:52.462", true},
		{"[2019-01-31 02:58:52:462_R:]  +QMTSTAT: 0,1", 29, DirFromModule, "2019-01-31 02:58:52.462", true},
		{"[2015-09-14 15:09:23.156_R:] 30 0D", 29, DirFromModule, "2015-09-14 15:09:23.156", true},
		{"[2019-01-31 02:58:52:462_X:] AT", 0, 0, "", false},
		{"[2019-01-31 02:58:52:462] AT", 0, 0, "", false},
		{"[2019-01-31 02:58:52:462_R:", 0, 0, "", false},
		{"[02:58:52.462] AT", 0, 0, "", false},
		{"2019-01-31 02:58:52:462[Recv<-]OK", 0, 0, "", false},
		{"", 0, 0, "", false},
	}
	var times timeParser // one for all lines, as in a log, so that lines reuse the time
	for _, tt := range tests {
		start, dir, st, ok := qcomPrefix([]byte(tt.line), &times)
		if ok != tt.ok || start != tt.start || dir != tt.dir {
			t.Errorf("qcomPrefix(%q) = %d, %v, %v; want %d, %v, %v", tt.line, start, dir, ok, tt.start, tt.dir, tt.ok)
			continue
		}
		if ok && st.Time.Format("2006-01-02 15:04:05.000") != tt.time {
			t.Errorf("qcomPrefix(%q) time = %v, want %s", tt.line, st.Time, tt.time)
		}
	}
}

func TestIsHexLine(t *testing.T) {
	tests := []struct {
		in   string
		want string // the bytes, or "" when the line is not hex
	}{
		{"30 0D", "0\r"},
		{"41 54 0D 0A", "AT\r\n"},
		{"2b 51 4d 54 ", "+QMT"},
		{"0D", ""}, // one byte alone may be text
		{"OK", ""},
		{"12 34 5", ""},
		{"12  34", ""},
		{" 12 34", ""},
		{"12 3G", ""},
		{"+CSQ: 23,99", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if isHexLine([]byte(tt.in)) {
			got = string(appendHex(nil, []byte(tt.in)))
		}
		if got != tt.want {
			t.Errorf("hex %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsLineState(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"DSR:1 CTS:1 RI:0 (DCD:1)", true},
		{"DSR:0 CTS:0 RI:0 (DCD:0) ", true},
		{"CTS:1", true},
		{"RI:2", false},
		{"DSR:1 CTS:1 OK", false},
		{"+CSQ: 23,99", false},
		{"RDY", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isLineState([]byte(tt.in)); got != tt.want {
			t.Errorf("isLineState(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestSniffOwnFormatOnly checks that each format's sniffer gives every
// other format's test logs 0, so auto-detection never confuses them.
func TestSniffOwnFormatOnly(t *testing.T) {
	names := []string{"sscom", "qcom", "sendrecv"}
	logs, _ := filepath.Glob("testdata/formats/*/*.log")
	for _, path := range logs {
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		owner := filepath.Base(filepath.Dir(path))
		for _, name := range names {
			f, _ := LookupFormat(name)
			s := f.Sniff(in[:min(len(in), SniffSize)])
			if name == owner && s < 50 || name != owner && s != 0 {
				t.Errorf("%s: %s sniffs %d", path, name, s)
			}
		}
	}
}

// TestLineParsersAllocate checks that parsing a line allocates only the
// chunk's copy of its bytes: the readers run over logs of hundreds of MB.
func TestLineParsersAllocate(t *testing.T) {
	tests := []struct {
		p    lineParser
		line string
	}{
		{&qcomParser{}, "[2019-01-31 02:58:52:462_R:] +QMTOPEN: 0,0\r\n"},
		{&qcomParser{}, "[2015-09-14 15:09:23:174_R:] DSR:1 CTS:1 RI:0 (DCD:1)\r\n"},
		{&qcomParser{}, "[2015-09-14 15:09:23:156_R:] 41 54 0D 0A\r\n"},
		{&sendrecvParser{}, "2019-06-26 14:05:09:102[Recv<-]+QMTOPEN: 0,0\r\n"},
		{&sscomParser{}, "[00:15:17.484]收←◆+QMTOPEN: 0,0\r\n"},
		{&sscomParser{}, "[00:15:17.475]发→◇AT+QMTOPEN=0,\"broker.example.com\",1883\r\n"},
	}
	var out chunkQueue
	for _, tt := range tests {
		l := Line{Bytes: []byte(tt.line), Pos: Pos{File: "x.log", Line: 1}}
		if n := testing.AllocsPerRun(100, func() { out.reset(); tt.p.parse(&l, &out) }); n > 1 {
			t.Errorf("%T.parse(%q) allocates %v times, want 1", tt.p, tt.line, n)
		}
	}
}

// BenchmarkLineFormats reads each format's test logs, repeated to 1 MB.
func BenchmarkLineFormats(b *testing.B) {
	for _, name := range []string{"sscom", "qcom", "sendrecv"} {
		b.Run(name, func(b *testing.B) {
			f, _ := LookupFormat(name)
			var in []byte
			logs, _ := filepath.Glob("testdata/formats/" + name + "/*.log")
			for len(in) < 1<<20 {
				for _, path := range logs {
					data, err := os.ReadFile(path)
					if err != nil {
						b.Fatal(err)
					}
					in = append(in, bytes.TrimPrefix(data, utf8BOM)...)
					if !bytes.HasSuffix(in, []byte("\n")) {
						in = append(in, '\n')
					}
				}
			}
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				cr := f.Open(bytes.NewReader(in), "x.log", Options{})
				for cr.Next() {
				}
				if err := cr.Err(); err != nil && err != io.EOF {
					b.Fatal(err)
				}
			}
		})
	}
}

// lineFormats are the readers of serial-tool logs, and raw.
var lineFormats = []Format{sscomFormat, qcomFormat, sendrecvFormat, blocksFormat, dottedFormat, rawFormat}

// FuzzLineFormats checks the SSCOM, QCOM, send/recv, blocks, dotted and raw readers on any
// input: no panic, verbatim chunks are the file's bytes at their offsets,
// chunks come in file order, and reading one byte at a time changes
// nothing. It sniffs the input with every format too.
func FuzzLineFormats(f *testing.F) {
	logs, _ := filepath.Glob("testdata/formats/*/*.log")
	for _, path := range logs {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		SniffFormat(in[:min(len(in), SniffSize)])
		for _, format := range lineFormats {
			name := format.Name
			cr := format.Open(bytes.NewReader(in), "x.log", Options{})
			last := int64(-1)
			for cr.Next() {
				c := cr.Chunk()
				if c.Pos.Offset < last {
					t.Fatalf("%s: chunk at %d after one at %d", name, c.Pos.Offset, last)
				}
				last = c.Pos.Offset
				if c.Verbatim && !bytes.HasPrefix(in[c.Pos.Offset:], c.Data) {
					t.Fatalf("%s: verbatim chunk %q is not the input at %d", name, c.Data, c.Pos.Offset)
				}
			}
			whole := dumpChunks(t, &mergedChunks{cr: format.Open(bytes.NewReader(in), "x.log", Options{})})
			bytewise := dumpChunks(t, &mergedChunks{cr: format.Open(iotest.OneByteReader(bytes.NewReader(in)), "x.log", Options{})})
			if whole != bytewise {
				t.Fatalf("%s: reading one byte at a time gives other chunks", name)
			}
		}
	})
}
