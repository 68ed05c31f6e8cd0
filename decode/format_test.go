package decode

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// dumpChunks renders chunks one per line: position, direction, time, note
// mark and the quoted data.
func dumpChunks(t *testing.T, cr ChunkReader) string {
	t.Helper()
	var b strings.Builder
	for cr.Next() {
		c := cr.Chunk()
		ts := "-"
		if c.TimeSrc == TimeLog {
			ts = c.Time.Format("2006-01-02T15:04:05.000000Z07:00")
		}
		kind := "data"
		if c.Note {
			kind = "note"
		}
		if !c.Verbatim {
			kind += "*"
		}
		fmt.Fprintf(&b, "%d:%d\t%s\t%s\t%s\t%q\n", c.Pos.Line, c.Pos.Offset, c.Dir, ts, kind, c.Data)
	}
	if err := cr.Err(); err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}

// TestFormatGolden reads every testdata/formats/<format>/*.log (also .csv,
// .pcap and .pcapng) with its format forced, compares the chunks with
// <case>.chunks, and checks that sniffing picks the same format (files
// named *.nosniff.<ext> are exempt).
func TestFormatGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/formats/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		f, ok := LookupFormat(name)
		if !ok {
			t.Errorf("%s: no format named %q", dir, name)
			continue
		}
		var logs []string
		for _, ext := range []string{"*.log", "*.csv", "*.pcap", "*.pcapng"} {
			m, _ := filepath.Glob(filepath.Join(dir, ext))
			logs = append(logs, m...)
		}
		if len(logs) == 0 {
			t.Errorf("%s: no test logs", dir)
		}
		for _, path := range logs {
			t.Run(name+"/"+filepath.Base(path), func(t *testing.T) {
				in, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				got := dumpChunks(t, f.Open(strings.NewReader(string(in)), path, Options{}))
				golden(t, strings.TrimSuffix(path, filepath.Ext(path))+".chunks", got)
				// Readers must not depend on how the input is split into reads.
				whole := dumpChunks(t, &mergedChunks{cr: f.Open(strings.NewReader(string(in)), path, Options{})})
				bytewise := dumpChunks(t, &mergedChunks{cr: f.Open(iotest.OneByteReader(strings.NewReader(string(in))), path, Options{})})
				if whole != bytewise {
					t.Errorf("reading one byte at a time gives other chunks:\n%s\nwant:\n%s", bytewise, whole)
				}
				if !strings.Contains(filepath.Base(path), ".nosniff.") {
					head := in[:min(len(in), SniffSize)]
					if got := SniffFormat(head); got.Name != name {
						t.Errorf("sniffing picks %q, want %q", got.Name, name)
					}
				}
			})
		}
	}
}

func TestFormatsDocumented(t *testing.T) {
	for _, f := range Formats() {
		if f.Name == "" || f.Doc == "" || f.Example == "" || f.Sniff == nil || f.Open == nil {
			t.Errorf("format %q lacks a name, doc, example, sniffer or opener", f.Name)
		}
	}
}

// mergedChunks joins chunks that continue each other (verbatim, adjacent,
// same direction, time and kind), so that readers whose chunk boundaries
// follow read sizes compare equal however the input was read.
type mergedChunks struct {
	cr      ChunkReader
	cur     Chunk
	next    Chunk
	hasNext bool
	done    bool
}

func (m *mergedChunks) Next() bool {
	if !m.hasNext {
		if m.done || !m.cr.Next() {
			m.done = true
			return false
		}
		m.next, m.hasNext = m.cr.Chunk(), true
		m.next.Data = append([]byte(nil), m.next.Data...)
	}
	m.cur, m.hasNext = m.next, false
	for !m.done && m.cr.Next() {
		c := m.cr.Chunk()
		if c.Verbatim && m.cur.Verbatim && c.Dir == m.cur.Dir && c.Note == m.cur.Note && c.Time.Equal(m.cur.Time) &&
			c.Pos.Offset == m.cur.Pos.Offset+int64(len(m.cur.Data)) {
			m.cur.Data = append(m.cur.Data, c.Data...)
			continue
		}
		m.next, m.hasNext = c, true
		m.next.Data = append([]byte(nil), c.Data...)
		return true
	}
	m.done = true
	return true
}

func (m *mergedChunks) Chunk() Chunk { return m.cur }
func (m *mergedChunks) Err() error   { return m.cr.Err() }
