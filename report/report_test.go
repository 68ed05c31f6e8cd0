package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atscope/analyze"
	"atscope/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenSamples are the samples whose reports are kept as golden files:
// a two-client Quectel log with failures and a SIMCom log with
// reconnects.
var goldenSamples = []string{"ec25-multiclient.log", "sim7600-cmqtt-reconnect.log"}

// build runs a sample through the pipeline into a report.
func build(t testing.TB, name string) *report.Report {
	t.Helper()
	src, err := analyze.Open(filepath.Join("..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	src.Name = "samples/" + name
	r, _, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test ./report -update rewrites it); got:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	formats := []struct {
		ext   string
		write func(*bytes.Buffer, *report.Report) error
	}{
		{".md", func(b *bytes.Buffer, r *report.Report) error { return report.WriteMarkdown(b, r) }},
		{".json", func(b *bytes.Buffer, r *report.Report) error { return report.WriteJSON(b, r) }},
		{".html", func(b *bytes.Buffer, r *report.Report) error { return report.WriteHTML(b, r) }},
	}
	for _, sample := range goldenSamples {
		r := build(t, sample)
		for _, f := range formats {
			t.Run(sample+f.ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b, r); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", strings.TrimSuffix(sample, ".log")+f.ext), b.Bytes())
			})
		}
	}
}
