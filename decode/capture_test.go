package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// captureFormats are the readers of sniffer, logic-analyzer, USB and
// host-stack captures.
var captureFormats = []Format{
	socatFormat, intercepttyFormat, slsnifFormat, jpnevulatorFormat, saleaeFormat, sigrokFormat,
	usbFormat, modemManagerFormat, ofonoFormat, zephyrFormat, mbedFormat,
}

// TestCaptureContract holds the chunk contract on every fixture of the
// capture formats: chunks come in file order and are never empty; a chunk
// sits on the line its offset is on; a verbatim chunk is the file's bytes
// at its offset; for the USB captures, where a line is a frame, a chunk's
// bytes are the file's bytes at its offset.
func TestCaptureContract(t *testing.T) {
	for _, f := range captureFormats {
		paths, _ := filepath.Glob(filepath.Join("testdata/formats", f.Name, "*"))
		for _, path := range paths {
			if strings.HasSuffix(path, ".chunks") {
				continue
			}
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cr := f.Open(bytes.NewReader(in), path, Options{})
			var last int64
			for cr.Next() {
				c := cr.Chunk()
				if len(c.Data) == 0 {
					t.Fatalf("%s: empty chunk at %v", path, c.Pos)
				}
				if c.Pos.Offset < last || c.Pos.Offset > int64(len(in)) {
					t.Fatalf("%s: chunk at offset %d after one at %d (file of %d bytes)", path, c.Pos.Offset, last, len(in))
				}
				last = c.Pos.Offset
				if f.Name == "usb" {
					if c.Note {
						continue
					}
					if end := c.Pos.Offset + int64(len(c.Data)); end > int64(len(in)) || !bytes.Equal(in[c.Pos.Offset:end], c.Data) {
						t.Fatalf("%s: frame %d: payload %q is not the file's bytes at %d", path, c.Pos.Line, c.Data, c.Pos.Offset)
					}
					continue
				}
				if want := 1 + bytes.Count(in[:c.Pos.Offset], []byte{lineEndOf(in)}); c.Pos.Line != want {
					t.Fatalf("%s: chunk %q at offset %d says line %d, want %d", path, c.Data, c.Pos.Offset, c.Pos.Line, want)
				}
				if c.Verbatim {
					if end := c.Pos.Offset + int64(len(c.Data)); end > int64(len(in)) || !bytes.Equal(in[c.Pos.Offset:end], c.Data) {
						t.Fatalf("%s:%d: verbatim chunk %q is not the file's bytes at %d", path, c.Pos.Line, c.Data, c.Pos.Offset)
					}
				}
				if !c.Note && c.Dir == DirUnknown && f.Name != "jpnevulator" {
					t.Errorf("%s:%d: data without a direction: %q", path, c.Pos.Line, c.Data)
				}
			}
			if err := cr.Err(); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
	}
}

// sessionBytes is what one direction of a session carried.
func sessionBytes(s []xfer, dir Dir) string {
	var b strings.Builder
	for _, x := range s {
		if x.dir == dir {
			b.WriteString(x.data)
		}
	}
	return b.String()
}

// TestCaptureRoundTrip reads each generated fixture back and checks that
// the bytes of each direction are the session's, and, where the format
// keeps it, the time of each write or read.
func TestCaptureRoundTrip(t *testing.T) {
	untimed := map[string]bool{
		"slsnif/bg96_mqtt_t_colour.log":  true, // slsnif keeps two digits of the milliseconds
		"slsnif/bg96_mqtt_x.log":         true, // no -t
		"sigrok/bg96_mqtt_ann_class.log": true, // samples, not times
		"ofono/bg96_mqtt_syslog.log":     true, // syslog stamps to the second
	}
	for path, content := range captureFixtures(t) {
		if !strings.HasPrefix(path, "testdata/formats/") {
			continue
		}
		rel := strings.TrimPrefix(path, "testdata/formats/")
		f, _ := LookupFormat(strings.Split(rel, "/")[0])
		var got [3]strings.Builder
		times := map[Dir][]time.Time{}
		cr := f.Open(iotest.HalfReader(bytes.NewReader(content)), path, Options{Start: captureStart})
		for cr.Next() {
			c := cr.Chunk()
			if c.Note {
				continue
			}
			got[c.Dir].Write(c.Data)
			times[c.Dir] = append(times[c.Dir], c.Time)
		}
		if err := cr.Err(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		s := bg96Session
		for _, dir := range []Dir{DirToModule, DirFromModule} {
			want := sessionBytes(s, dir)
			if strings.HasSuffix(rel, "uart_tx.csv") && dir == DirFromModule || strings.HasSuffix(rel, "uart_rx.csv") && dir == DirToModule {
				want = ""
			}
			g := got[dir].String()
			if strings.HasSuffix(rel, "uart_rx.csv") && dir == DirFromModule {
				g = strings.Replace(g, "\x00", "", 1) // the break
			}
			if g != want {
				t.Errorf("%s: %v bytes:\n got %q\nwant %q", rel, dir, g, want)
			}
		}
		if untimed[rel] {
			continue
		}
		// The first chunk of each write or read has its time.
		for _, x := range s {
			if got[x.dir].Len() == 0 {
				continue // a file of the other direction
			}
			found := false
			for _, tm := range times[x.dir] {
				if tm.Sub(captureStart.Add(x.at)).Abs() < time.Microsecond || tm.Format("15:04:05.000000") == captureStart.Add(x.at).Format("15:04:05.000000") {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s: no chunk at %v for %q", rel, captureStart.Add(x.at).Format("15:04:05.000000"), x.data)
				break
			}
		}
	}
}

// sessionEvents tokenizes a capture and renders its events as kind, name,
// dir and text, leaving out the notes of the reader.
func sessionEvents(t *testing.T, f Format, path string) []string {
	t.Helper()
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tok := NewTokenizer(f.Open(bytes.NewReader(in), path, Options{}), testHooks{})
	var evs []string
	for tok.Next() {
		e := tok.Event()
		if e.Kind == KindText && e.Dir == DirUnknown {
			continue // a note
		}
		evs = append(evs, strings.Join([]string{e.Kind.String(), e.Name, e.Dir.String(), e.Text}, "\t"))
	}
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestSameSessionManyFormats tokenizes the BG96 session as every capture
// format recorded it and checks that the events are the same.
func TestSameSessionManyFormats(t *testing.T) {
	ref := sessionEvents(t, socatFormat, "testdata/formats/socat/bg96_mqtt_v.log")
	if len(ref) < 20 {
		t.Fatalf("socat -v gives only %d events:\n%s", len(ref), strings.Join(ref, "\n"))
	}
	for _, c := range []struct {
		format Format
		file   string
	}{
		{saleaeFormat, "bg96_mqtt_logic2.csv"},
		{modemManagerFormat, "bg96_mqtt_journal.log"},
		{modemManagerFormat, "bg96_mqtt_noise.log"},
		{usbFormat, "bg96_mqtt_usbmon.pcapng"},
		{usbFormat, "bg96_mqtt_usbpcap.pcap"},
		{socatFormat, "bg96_mqtt_x.log"},
		{socatFormat, "bg96_mqtt_vx.log"},
		{intercepttyFormat, "bg96_mqtt_T.log"},
		{slsnifFormat, "bg96_mqtt_t_colour.log"},
		{jpnevulatorFormat, "bg96_mqtt_two_ttys.log"},
		{saleaeFormat, "bg96_mqtt_logic2_ascii.csv"},
		{sigrokFormat, "bg96_mqtt_ann_class.log"},
		{ofonoFormat, "bg96_mqtt_syslog.log"},
	} {
		got := sessionEvents(t, c.format, filepath.Join("testdata/formats", c.format.Name, c.file))
		if a, b := strings.Join(got, "\n"), strings.Join(ref, "\n"); a != b {
			t.Errorf("%s/%s gives other events than socat -v:\n%s\nwant:\n%s", c.format.Name, c.file, a, b)
		}
	}
	if testing.Verbose() {
		t.Logf("events:\n%s", strings.Join(ref, "\n"))
	}
}

// BenchmarkCaptureReaders reads the largest fixture of each capture
// format, to be read in MB/s.
func BenchmarkCaptureReaders(b *testing.B) {
	for _, f := range captureFormats {
		paths, _ := filepath.Glob(filepath.Join("testdata/formats", f.Name, "*"))
		var in []byte
		for _, p := range paths {
			if d, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".chunks") && len(d) > len(in) {
				in = d
			}
		}
		b.Run(f.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				cr := f.Open(bytes.NewReader(in), "bench", Options{})
				for cr.Next() {
				}
			}
		})
	}
}
