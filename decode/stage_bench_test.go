package decode_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
)

// benchSize is the size of the generated benchmark logs: big enough that
// per-log set-up does not count, small enough to keep in memory.
const benchSize = 8 << 20

var benchLogs sync.Map // "dialect/format" → []byte

// benchLog is a generated log, made once per benchmark binary.
func benchLog(dialectName, format string) []byte {
	key := dialectName + "/" + format
	if b, ok := benchLogs.Load(key); ok {
		return b.([]byte)
	}
	b := loggen.Bytes(loggen.Options{Dialect: dialectName, Format: format, Size: benchSize})
	benchLogs.Store(key, b)
	return b
}

// benchCases are the logs every stage is measured on: six Quectel clients
// in QCOM, raw and stamped form, and the other generated dialects in QCOM.
var benchCases = []struct{ dialect, format string }{
	{"quectel", "qcom"}, {"quectel", "raw"}, {"quectel", "stamped"}, {"simcom", "qcom"}, {"espat", "qcom"},
}

// BenchmarkRead measures the format readers alone: sniffing and chunks.
func BenchmarkRead(b *testing.B) {
	for _, c := range benchCases {
		data := benchLog(c.dialect, c.format)
		b.Run(fmt.Sprintf("%s-%s", c.dialect, c.format), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				cr, _, err := decode.Open(bytes.NewReader(data), "bench.log", "auto", decode.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for cr.Next() {
				}
			}
		})
	}
}

// BenchmarkTokenize measures reader and tokenizer with the dialect's hooks.
func BenchmarkTokenize(b *testing.B) {
	for _, c := range benchCases {
		data := benchLog(c.dialect, c.format)
		hooks, err := dialect.HooksFor(c.dialect)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s-%s", c.dialect, c.format), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				cr, _, err := decode.Open(bytes.NewReader(data), "bench.log", "auto", decode.Options{})
				if err != nil {
					b.Fatal(err)
				}
				tok := decode.NewTokenizer(cr, hooks)
				for tok.Next() {
				}
			}
		})
	}
}
