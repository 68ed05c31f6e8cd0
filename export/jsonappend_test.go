package export

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"atscope/decode"
	"atscope/dialect"
)

// encodingJSON is what JSONLines.Write, encoding/json, writes for v.
func encodingJSON(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := NewJSONLines(&buf).Write(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkEvent checks that WriteEvent writes what Write writes.
func checkEvent(t testing.TB, r EventRecord) {
	t.Helper()
	var buf bytes.Buffer
	if err := NewJSONLines(&buf).WriteEvent(&r); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), encodingJSON(t, r); got != want {
		t.Errorf("WriteEvent(%#v)\n got %s\nwant %s", r, got, want)
	}
}

// checkOp checks that WriteOp writes what Write writes.
func checkOp(t testing.TB, r OpRecord) {
	t.Helper()
	var buf bytes.Buffer
	if err := NewJSONLines(&buf).WriteOp(&r); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), encodingJSON(t, r); got != want {
		t.Errorf("WriteOp(%#v)\n got %s\nwant %s", r, got, want)
	}
}

// awkward are strings that JSON escapes, or that look as if it might.
var awkward = []string{
	"", "OK", `say "hi" \ bye`, "<b>&amp;</b>", "\x00\x01\x1f\x7f", "\b\f\n\r\t",
	"line\u2028para\u2029end", "\xff\xfe", "cut \xe2\x80", "é ü 中文 🙂", "\xed\xa0\x80 surrogate",
	"+QMTPUBEX: 0,1,0", strings.Repeat("x", 300) + "\n",
}

func TestEventJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range awkward {
		checkEvent(t, EventRecord{File: s, Name: s, Args: s, Text: s, Problem: s, Time: s})
	}
	checkEvent(t, EventRecord{})
	checkEvent(t, EventRecord{TimeSource: 7, Dir: 9, Kind: 200, Line: -1, EndLine: math.MaxInt, Offset: math.MinInt64, Seq: -5})
	checkEvent(t, EventRecord{File: "a.log", Line: 3, EndLine: 4, Offset: 99, Time: "0000-01-01T00:15:17.475Z",
		TimeSource: decode.TimeLog, Dir: decode.DirToModule, DirInferred: true, Kind: decode.KindCommand,
		Name: "+QMTOPEN", Args: `0,"host",1883`, Text: `AT+QMTOPEN=0,"host",1883`, Note: true, Problem: "Ctrl-Z missing", Seq: 12})
	for _, ev := range []decode.Event{
		{Kind: decode.KindData, Length: decode.LengthLong, Have: 26, Declared: 20, Problem: "payload is 26 bytes, length says 20"},
		{Kind: decode.KindData, Length: decode.LengthShort, Have: 0, Declared: 9},
		{Kind: decode.KindCommand, Length: decode.LengthInvalid, Problem: "length 1e30 is no byte count"},
		{Kind: decode.KindResponse, AnswerTo: decode.FormTest},
	} {
		checkEvent(t, NewEventRecord(&ev))
	}
}

// TestEventRecordLengthFields checks that the length fields are written
// when the event has them, and left out otherwise.
func TestEventRecordLengthFields(t *testing.T) {
	tests := []struct {
		ev   decode.Event
		want string // the members after "problem", before "seq"
	}{
		{decode.Event{Length: decode.LengthShort, Have: 0, Declared: 9}, `"length":"short","have":0,"declared":9,`},
		{decode.Event{Length: decode.LengthInvalid}, `"length":"invalid",`},
		{decode.Event{AnswerTo: decode.FormRead}, `"answer_to":"read",`},
		{decode.Event{AnswerTo: decode.FormWrite}, ``},
		{decode.Event{}, ``},
	}
	for _, tt := range tests {
		r := NewEventRecord(&tt.ev)
		got := string(r.AppendJSON(nil))
		if !strings.Contains(got, `"text":"",`+tt.want+`"seq"`) {
			t.Errorf("%+v: got %s, want %s before seq", tt.ev, got, tt.want)
		}
	}
}

func TestOpJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range awkward {
		checkOp(t, OpRecord{File: s, Dialect: s, Name: s, Code: s, Reason: s, Start: s, End: s, Topic: s,
			Topics: []string{s, s}, Payload: &s, Host: s, ClientID: s, Username: s, Notes: []string{s}})
	}
	checkOp(t, OpRecord{})
	checkOp(t, OpRecord{Lines: []int{}, Topics: []string{}, Granted: []int{}, Notes: []string{}, Op: 99, Status: 99})
	for _, ms := range []float64{0, math.Copysign(0, -1), 0.001, 12.5, -3, 1e-6, 9.99e-7, 1e-7, 1.5e-300, 1e20, 1e21, 1.2345e22, math.MaxFloat64, -1e-9} {
		checkOp(t, OpRecord{LatencyMS: &ms})
	}
	zero, empty := 0, ""
	checkOp(t, OpRecord{QoS: &zero, MsgID: &zero, PayloadLen: &zero, KeepAlive: &zero, Payload: &empty, Lines: []int{0}})
	qos, msgid, n, keep, ms, payload := 1, 65535, 12, 60, 250.125, `{"t":21.5}`
	checkOp(t, OpRecord{File: "a.log", Dialect: "quectel", Client: -1, Op: dialect.OpPublish, Name: "+QMTPUBEX",
		Status: dialect.StatusFailed, Code: "2", Reason: "sending failed", Start: "2024-05-14T10:23:45.000Z",
		End: "2024-05-14T10:23:45.250Z", LatencyMS: &ms, Topic: "t/1", Topics: []string{"a", "b"}, QoS: &qos,
		Granted: []int{0, 1, 128}, Retain: true, MsgID: &msgid, Payload: &payload, PayloadLen: &n, Retries: 2,
		Host: "broker", Port: 8883, TLS: true, ClientID: "dev1", Username: "u", KeepAlive: &keep,
		Notes: []string{"retried"}, Lines: []int{7, 8, 9}})
}

// FuzzEventJSON holds WriteEvent to the bytes of encoding/json.
func FuzzEventJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s, s, 1, 2, int64(3), uint8(1), uint8(2), uint8(3), true, false, 4)
	}
	f.Fuzz(func(t *testing.T, text, name string, line, endLine int, offset int64, src, dir, kind uint8, inferred, note bool, seq int) {
		checkEvent(t, EventRecord{File: name + ".log", Line: line, EndLine: endLine, Offset: offset, Time: text,
			TimeSource: decode.TimeSource(src), Dir: decode.Dir(dir), DirInferred: inferred, Kind: decode.Kind(kind),
			Name: name, Args: text + name, Text: text, Note: note, Problem: name + text, Seq: seq})
	})
}

// FuzzOpJSON holds WriteOp to the bytes of encoding/json. present picks
// which optional members are there; list strings are split at '|'.
func FuzzOpJSON(f *testing.F) {
	for _, s := range awkward {
		f.Add(s, s+"|"+s, 12.5, 1, 2, uint8(4), uint8(1), uint16(0xffff))
	}
	f.Fuzz(func(t *testing.T, text, list string, ms float64, n, client int, kind, status uint8, present uint16) {
		if math.IsNaN(ms) || math.IsInf(ms, 0) {
			t.Skip("encoding/json refuses them; latencies are finite")
		}
		has := func(bit int) bool { return present&(1<<bit) != 0 }
		var ints []int
		for _, c := range []byte(list) {
			ints = append(ints, int(c)*n)
		}
		r := OpRecord{File: text, Dialect: text, Client: client, Op: dialect.OpKind(kind), Name: text,
			Status: dialect.Status(status), Code: list, Reason: text, Start: text, End: list, Topic: text,
			Topics: strings.Split(list, "|"), Granted: ints, Retain: has(0), Retries: n, Host: list, Port: client,
			TLS: has(1), ClientID: text, Username: list, Notes: strings.Split(text, "|"), Lines: ints}
		if has(2) {
			r.LatencyMS = &ms
		}
		if has(3) {
			r.QoS = &n
		}
		if has(4) {
			r.MsgID = &client
		}
		if has(5) {
			r.Payload = &text
		}
		if has(6) {
			r.PayloadLen = &n
		}
		if has(7) {
			r.KeepAlive = &client
		}
		if has(8) {
			r.Topics, r.Notes, r.Granted = nil, nil, nil
		}
		checkOp(t, r)
	})
}

// formatTimeLayouts is FormatTime as it was, by time.Time.Format alone.
func formatTimeLayouts(t time.Time) string {
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return t.Format(millisLayout)
	}
	return t.Format(time.RFC3339Nano)
}

func TestFormatTime(t *testing.T) {
	for _, tm := range []time.Time{
		{},
		time.Date(0, 1, 1, 0, 15, 17, 475e6, time.UTC),
		time.Date(2024, 5, 14, 10, 23, 45, 0, time.UTC),
		time.Date(2024, 12, 31, 23, 59, 59, 999e6, time.UTC),
		time.Date(2024, 5, 14, 10, 23, 45, 123456789, time.UTC),
		time.Date(2024, 5, 14, 10, 23, 45, 1e6, time.FixedZone("CST", 8*3600)),
		time.Date(-1, 5, 14, 10, 23, 45, 0, time.UTC),
		time.Date(10000, 5, 14, 10, 23, 45, 0, time.UTC),
	} {
		if got, want := FormatTime(tm), formatTimeLayouts(tm); got != want {
			t.Errorf("FormatTime(%v) = %s, want %s", tm, got, want)
		}
	}
}

// FuzzFormatTime holds the hand-written layout to time.Time.Format.
func FuzzFormatTime(f *testing.F) {
	f.Add(int64(0), int64(0), 0)
	f.Add(int64(-62167219200), int64(475e6), 0) // 0000-01-01
	f.Add(int64(1715682225), int64(123456789), 3600)
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int) {
		if nsec%2 == 0 {
			nsec -= nsec % int64(time.Millisecond) // what logs give
		}
		tm := time.Unix(sec, nsec).UTC()
		if offset%7 != 0 {
			tm = tm.In(time.FixedZone("", offset%(24*3600)))
		}
		if got, want := FormatTime(tm), formatTimeLayouts(tm); got != want {
			t.Errorf("FormatTime(%v) = %s, want %s", tm, got, want)
		}
	})
}
