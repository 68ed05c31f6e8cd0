package export

import (
	"bytes"
	"io"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
	"atscope/timeline"
)

// benchLog is the generated six-client Quectel log the stage benchmarks
// share; bytes are those of the log.
func benchLog() []byte { return loggen.Bytes(loggen.Options{Size: 8 << 20}) }

// BenchmarkPcap measures writing the sessions of the log as pcapng.
func BenchmarkPcap(b *testing.B) {
	data := benchLog()
	sessions := decodeSessions(b, "bench.log", data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := NewPcap(io.Discard, PcapOptions{Tool: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.WriteLog("bench.log", sessions); err != nil {
			b.Fatal(err)
		}
		if err := p.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventJSON measures what `events --json` does per event:
// converting it and writing its line. encoding-json is the reflective
// Write, for comparison.
func BenchmarkEventJSON(b *testing.B) {
	data := benchLog()
	events := decodeEvents(b, data)
	run := func(b *testing.B, write func(*JSONLines, *EventRecord) error) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			jl := NewJSONLines(io.Discard)
			for i := range events {
				r := NewEventRecord(&events[i])
				if err := write(jl, &r); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("appender", func(b *testing.B) { run(b, (*JSONLines).WriteEvent) })
	b.Run("encoding-json", func(b *testing.B) {
		run(b, func(jl *JSONLines, r *EventRecord) error { return jl.Write(r) })
	})
}

// BenchmarkOpJSON measures what `timeline --json` does per op: converting
// it and writing its line. encoding-json is the reflective Write, for
// comparison.
func BenchmarkOpJSON(b *testing.B) {
	data := benchLog()
	ops := timeline.InLogOrder(decodeSessions(b, "bench.log", data))
	run := func(b *testing.B, write func(*JSONLines, *OpRecord) error) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			jl := NewJSONLines(io.Discard)
			for _, op := range ops {
				r := NewOpRecord(op)
				if err := write(jl, &r); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("appender", func(b *testing.B) { run(b, (*JSONLines).WriteOp) })
	b.Run("encoding-json", func(b *testing.B) {
		run(b, func(jl *JSONLines, r *OpRecord) error { return jl.Write(r) })
	})
}

// decodeEvents tokenizes a log.
func decodeEvents(t testing.TB, data []byte) []decode.Event {
	t.Helper()
	hooks, err := dialect.HooksFor("auto")
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := decode.Open(bytes.NewReader(data), "bench.log", "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var events []decode.Event
	tok := decode.NewTokenizer(cr, hooks)
	for tok.Next() {
		events = append(events, tok.Event())
	}
	return events
}
