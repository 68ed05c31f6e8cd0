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
	r, _, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, report.RunOptions{Document: true, Pooled: true})
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

// TestDiffGolden compares a SIMCom log that reconnects with a Quectel one
// that fails in other ways: counts, pooled latency and findings on both
// sides.
func TestDiffGolden(t *testing.T) {
	d := report.Compare(build(t, goldenSamples[1]), build(t, goldenSamples[0]))
	var text, js bytes.Buffer
	if err := report.WriteDiffText(&text, d); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteDiffJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "diff.txt"), text.Bytes())
	checkGolden(t, filepath.Join("testdata", "diff.json"), js.Bytes())
}

// TestDiffSameLog: a log compared with itself changes nothing and keeps
// every finding.
func TestDiffSameLog(t *testing.T) {
	r := build(t, goldenSamples[0])
	d := report.Compare(r, build(t, goldenSamples[0]))
	for _, c := range d.Counts {
		if c.Before != c.After {
			t.Errorf("%s %s: %d before, %d after", c.Op, c.Status, c.Before, c.After)
		}
	}
	if len(d.Appeared)+len(d.Vanished) > 0 || len(d.Kept) != len(r.Findings) {
		t.Errorf("%d appeared, %d vanished, %d kept of %d", len(d.Appeared), len(d.Vanished), len(d.Kept), len(r.Findings))
	}
}
