package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// The formats whose lines carry decorations (times, marks, quotes) that the
// readers strip.
var prefixedFormats = []Format{stampedFormat, markedFormat, ticketFormat}

// checkLineChunks holds the reader contract on in: no line vanishes, chunks
// come in file order, verbatim chunks are the file's bytes at their offsets,
// and chunks are never empty.
// lineEndOf is the byte that ends in's lines, as lineScanner decides it.
func lineEndOf(in []byte) byte {
	head := in[:min(len(in), maxLine)]
	if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		return '\r'
	}
	return '\n'
}

func checkLineChunks(t *testing.T, name string, in []byte, cr ChunkReader) {
	t.Helper()
	eol := lineEndOf(in)
	lines := bytes.Count(in, []byte{eol})
	if len(in) > 0 && in[len(in)-1] != eol {
		lines++
	}
	seen := make([]bool, lines+2)
	var last int64 = -1
	for cr.Next() {
		c := cr.Chunk()
		if len(c.Data) == 0 {
			t.Fatalf("%s: empty chunk at %d:%d", name, c.Pos.Line, c.Pos.Offset)
		}
		if c.Pos.Offset <= last {
			t.Fatalf("%s: chunk at offset %d after one at %d", name, c.Pos.Offset, last)
		}
		last = c.Pos.Offset
		if c.Verbatim {
			end := c.Pos.Offset + int64(len(c.Data))
			if end > int64(len(in)) || !bytes.Equal(in[c.Pos.Offset:end], c.Data) {
				t.Fatalf("%s:%d: verbatim chunk %q is not the file's bytes at %d", name, c.Pos.Line, c.Data, c.Pos.Offset)
			}
			if want := 1 + bytes.Count(in[:c.Pos.Offset], []byte{eol}); c.Pos.Line != want {
				t.Fatalf("%s: chunk at offset %d says line %d, want %d", name, c.Pos.Offset, c.Pos.Line, want)
			}
		}
		if c.Pos.Line < 1 || c.Pos.Line > lines {
			t.Fatalf("%s: chunk on line %d of %d", name, c.Pos.Line, lines)
		}
		seen[c.Pos.Line] = true
	}
	if err := cr.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i := 1; i <= lines; i++ {
		if !seen[i] {
			t.Fatalf("%s: line %d vanished", name, i)
		}
	}
}

// Inputs at the edges of the line readers.
var prefixedEdgeCases = []string{
	"",
	"\n",
	"\r\n\r\n",
	"\xEF\xBB\xBF[14:17:35.895] AT\r\n",
	"\xEF\xBB\xBF",
	"[14:17:35.895] ",
	"--> ",
	"> AT\n>",
	"```\nAT // x",
	"AT+QMTPUB=0,0,0,0,\"t\"\r> hi\x1a\rOK\r", // lone CRs: one line
	"[14:17:35.895] " + strings.Repeat("A", maxLine+10) + "\n[14:17:35.900] OK\n",
	"AT+X=1 // " + strings.Repeat("note ", maxLine/4) + "\nOK\n",
	"> AT+CPIN?\n> OK\n> " + strings.Repeat("x", maxLine) + "\n",
}

func TestPrefixedReadersKeepEveryLine(t *testing.T) {
	paths, _ := filepath.Glob("testdata/formats/*/*.log")
	samples, _ := filepath.Glob("../samples/*.log")
	inputs := map[string][]byte{}
	for _, p := range append(paths, samples...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = b
	}
	for i, s := range prefixedEdgeCases {
		inputs["edge"+string(rune('a'+i))] = []byte(s)
	}
	for _, f := range prefixedFormats {
		for name, in := range inputs {
			checkLineChunks(t, f.Name+":"+name, in, f.Open(bytes.NewReader(in), name, Options{}))
		}
	}
}

// Files of tools with a reader of their own, and clean logs, must not be
// claimed by the generic readers.
func TestPrefixedSniffersLeaveOtherFiles(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		owner    string // the format that must win; "": not stamped, marked or ticket
	}{
		{"sscom", "[00:15:17.475]发→◇AT+CWMODE=1\r\n□\r\n[00:15:17.484]收←◆\r\nOK\r\n[00:18:01.387]收←◆0,CONNECT\r\n", "sscom"},
		{"sscom gbk", "[00:15:17.475]\xB7\xA2\xA1\xFA\xA1\xF3AT\r\n\xA1\xF5\r\n[00:15:17.484]\xCA\xD5\xA1\xFB\xA1\xF4\r\nOK\r\n", "sscom"},
		{"qcom", "[2019-01-31 02:58:52:462_S:] AT\r\n[2019-01-31 02:58:52:462_R:] AT\r\n[2019-01-31 02:58:52:462_R:] OK\r\n", "qcom"},
		{"sendrecv", "2019-06-26 14:05:09:055[Send->]AT+QMTOPEN=0,\"h\",1883\r\n2019-06-26 14:05:09:102[Recv<-]OK\r\n", "sendrecv"},
		{"sendrecv spaced", "2019-06-26 14:05:09.055 [Send->]AT\r\n2019-06-26 14:05:09.102 [Recv<-]OK\r\n", "sendrecv"},
		{"raw", "AT\r\r\nOK\r\nAT+QMTOPEN=0,\"h\",1883\r\r\nOK\r\n\r\n+QMTOPEN: 0,0\r\nAT+QMTPUB=0,0,0,0,\"t\"\r\r\n> hi\x1a\r\nOK\r\n", "raw"},
		{"raw with a nested-quote-like payload", "AT+QMTPUB=0,0,0,0,\"t\"\r\n>> x\r\nOK\r\n", "raw"},
		{"jpnevulator headers", strings.Repeat("2006-05-30 13:23:49.461075: /dev/ttyS0\n", 3), ""},
		{"zephyr", "[00:00:04.050,000] <dbg> modem_chat: modem_chat_script_next: sending: AT+CSQ\n", "zephyr"},
		{"stamped", "[14:17:35.895] AT+CPIN?\r\n[14:17:35.899] +CPIN: READY\r\n[14:17:35.899] OK\r\n", "stamped"},
		{"marked", "--> AT+CPIN?\n<-- +CPIN: READY\n<-- OK\n", "marked"},
	} {
		got := SniffFormat([]byte(tt.in)).Name
		if tt.owner == "" {
			if got == "stamped" || got == "marked" || got == "ticket" {
				t.Errorf("%s: sniffed as %s", tt.name, got)
			}
			continue
		}
		if _, ok := LookupFormat(tt.owner); !ok {
			continue // that format's reader is not in this build
		}
		if got != tt.owner {
			scores := ""
			for _, f := range Formats() {
				scores += " " + f.Name + "=" + strconv.Itoa(f.Sniff([]byte(tt.in)))
			}
			t.Errorf("%s: sniffed as %s, want %s (%s)", tt.name, got, tt.owner, scores)
		}
	}
}

// FuzzPrefixedReaders checks the reader contract on any input, and that
// the chunks do not depend on how the input is split into reads.
func FuzzPrefixedReaders(f *testing.F) {
	for _, pattern := range []string{"testdata/formats/stamped/*.log", "testdata/formats/marked/*.log", "testdata/formats/ticket/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range prefixedEdgeCases[:10] {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, fm := range prefixedFormats {
			fm.Sniff(in)
			checkLineChunks(t, fm.Name, in, fm.Open(bytes.NewReader(in), "fuzz", Options{}))
			whole := dumpChunks(t, fm.Open(bytes.NewReader(in), "fuzz", Options{}))
			bytewise := dumpChunks(t, fm.Open(iotest.OneByteReader(bytes.NewReader(in)), "fuzz", Options{}))
			if whole != bytewise {
				t.Fatalf("%s: chunking changes the chunks:\n%s\nwant:\n%s", fm.Name, bytewise, whole)
			}
		}
	})
}

func benchmarkFormat(b *testing.B, f Format, dir string) {
	paths, _ := filepath.Glob(filepath.Join("testdata/formats", dir, "*.log"))
	var unit []byte
	for _, p := range paths {
		in, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		unit = append(unit, in...)
	}
	in := bytes.Repeat(unit, (4<<20)/len(unit)+1)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		cr := f.Open(bytes.NewReader(in), "bench", Options{})
		for cr.Next() {
		}
	}
}

func BenchmarkStamped(b *testing.B) { benchmarkFormat(b, stampedFormat, "stamped") }
func BenchmarkMarked(b *testing.B)  { benchmarkFormat(b, markedFormat, "marked") }
func BenchmarkTicket(b *testing.B)  { benchmarkFormat(b, ticketFormat, "ticket") }
