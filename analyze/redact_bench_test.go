package analyze

import (
	"os"
	"path/filepath"
	"testing"

	"atscope/internal/loggen"
	"atscope/redact"
)

// BenchmarkRedactedCopy measures `atscope redact` without the command
// line: learning the secrets, the copy, and its check, on generated logs
// of two shapes.
func BenchmarkRedactedCopy(b *testing.B) {
	for _, shape := range []string{"steady", "urc"} {
		dir := b.TempDir()
		log := filepath.Join(dir, shape+".log")
		data := loggen.Bytes(loggen.Options{Shape: shape, Size: 8 << 20})
		if err := os.WriteFile(log, data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run("shape="+shape, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				redactFile(b, log, filepath.Join(dir, "copy.log"))
			}
		})
	}
}

// redactFile writes the redacted copy of log to out.
func redactFile(b *testing.B, log, out string) {
	src, err := Open(log)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	if err := RedactedCopy(src, Options{Format: "auto", Dialect: "auto", Redactor: redact.New(redact.Secrets)}, dst, false); err != nil {
		b.Fatal(err)
	}
}
