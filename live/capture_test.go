package live_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/live"
)

type chunk struct {
	dir  live.Dir
	at   time.Time
	data string
}

var t0 = time.Date(2026, 5, 14, 10, 23, 45, 123456000, time.UTC)

// captured writes chunks to a capture and reads them back with atscope's
// reader of the format.
func captured(t testing.TB, chunks []chunk) (text string, back []decode.Chunk) {
	t.Helper()
	var buf bytes.Buffer
	c := live.NewCapture(&buf)
	for _, ch := range chunks {
		if err := c.Write(ch.dir, ch.at, []byte(ch.data)); err != nil {
			t.Fatal(err)
		}
	}
	f, ok := decode.LookupFormat(live.CaptureFormat)
	if !ok {
		t.Fatalf("no format %q", live.CaptureFormat)
	}
	if got := decode.SniffFormat(buf.Bytes()); buf.Len() > 0 && got.Name != live.CaptureFormat {
		t.Errorf("a capture sniffs as %q", got.Name)
	}
	r := f.Open(bytes.NewReader(buf.Bytes()), "capture.log", decode.Options{})
	for r.Next() {
		c := r.Chunk()
		c.Data = bytes.Clone(c.Data)
		back = append(back, c)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), back
}

// byDir joins the bytes of each direction, and of notes.
func byDir(chunks []decode.Chunk) map[string]string {
	m := map[string]string{}
	for _, c := range chunks {
		key := c.Dir.String()
		if c.Note {
			key = "note"
		}
		m[key] += string(c.Data)
	}
	return m
}

func TestCaptureLayout(t *testing.T) {
	text, _ := captured(t, []chunk{
		{live.ToModem, t0, "AT\r"},
		{live.FromModem, t0.Add(time.Millisecond), "\r\nOK\r\n"},
		{live.ToModem, t0.Add(2 * time.Millisecond), "AT+X\r"},
	})
	want := `> 2026/05/14 10:23:45.123456  length=3 from=0 to=2
 41 54 0d
--
< 2026/05/14 10:23:45.124456  length=6 from=0 to=5
 0d 0a 4f 4b 0d 0a
--
> 2026/05/14 10:23:45.125456  length=5 from=3 to=7
 41 54 2b 58 0d
--
`
	if text != want {
		t.Errorf("capture:\n%s\nwant:\n%s", text, want)
	}
}

// TestCaptureRoundTrip: every byte, direction and time comes back as
// written: CR, LF, Ctrl-Z, NUL, 0xff, a chunk longer than a hex row.
func TestCaptureRoundTrip(t *testing.T) {
	chunks := []chunk{
		{live.ToModem, t0, "AT+QMTPUB=0,1,1,0,\"t\"\r"},
		{live.FromModem, t0.Add(time.Millisecond), "\r\n> "},
		{live.ToModem, t0.Add(2 * time.Millisecond), "a\x00\xff\r\n\x1a"},
		{live.FromModem, t0.Add(3 * time.Millisecond), strings.Repeat("\r\n+QMTRECV: 0,1,\"t\",\"x\"", 3)},
	}
	_, back := captured(t, chunks)
	got := byDir(back)
	want := map[string]string{"to_module": chunks[0].data + chunks[2].data, "from_module": chunks[1].data + chunks[3].data}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("read back %d kinds of bytes, want %d: %q", len(got), len(want), got)
	}
	for _, c := range back {
		if c.TimeSrc != decode.TimeLog || c.Time.Before(t0) || c.Time.After(t0.Add(3*time.Millisecond)) {
			t.Errorf("chunk %q: time %v (%v)", c.Data, c.Time, c.TimeSrc)
		}
	}
}

// FuzzCaptureRoundTrip: whatever the bytes, the capture gives them back,
// in their directions.
func FuzzCaptureRoundTrip(f *testing.F) {
	f.Add([]byte("AT\r"), []byte("\r\nOK\r\n"))
	f.Add([]byte{0, 0x1a, 0xff, '\n'}, []byte("--\n> 2026/05/14 10:23:45.123456  length=1 from=0 to=0\n"))
	f.Fuzz(func(t *testing.T, host, modem []byte) {
		_, back := captured(t, []chunk{{live.ToModem, t0, string(host)}, {live.FromModem, t0, string(modem)}})
		got := byDir(back)
		if got["to_module"] != string(host) || got["from_module"] != string(modem) || got["note"] != "" {
			t.Errorf("got %q, want host %q, modem %q", got, host, modem)
		}
	})
}
