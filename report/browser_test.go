package report_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"atscope/report"
	"github.com/chromedp/chromedp"
)

// screenshotSample is the sample whose report is kept as PNGs for review
// (testdata/report*.png, see screenshots).
const screenshotSample = "ec25-multiclient.log"

// chromium finds the browser, or skips the test when there is none and
// ATSCOPE_REQUIRE_CHROMIUM is not 1.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("ATSCOPE_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("no chromium on PATH and ATSCOPE_REQUIRE_CHROMIUM=1")
	}
	t.Skip("no chromium on PATH")
	return ""
}

// browser starts one headless Chromium for the whole test, with a fresh
// profile and nothing that reaches the network on its own, and collects
// the console errors and exceptions of its tab.
func browser(t *testing.T) (context.Context, func() []string) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoFirstRun,
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1600),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// pageState is what the test reads of a loaded report.
type pageState struct {
	Ready      string `json:"ready"`
	Sequences  int    `json:"sequences"`
	Arrows     int    `json:"arrows"`
	Scatters   int    `json:"scatters"`
	Histograms int    `json:"histograms"`
	Rows       int    `json:"rows"`
	LogLines   int    `json:"logLines"`
	External   int    `json:"external"`
	Title      string `json:"title"`
}

const readState = `({
	ready: document.body.getAttribute("data-ready") || "",
	sequences: document.querySelectorAll("svg.seq").length,
	arrows: document.querySelectorAll("svg.seq line.msg").length,
	scatters: document.querySelectorAll("svg.scatter circle").length,
	histograms: document.querySelectorAll("svg.histogram rect.bar").length,
	rows: document.querySelectorAll("#timeline-table tbody tr").length,
	logLines: document.querySelectorAll("#log .ln").length,
	external: document.querySelectorAll("[src], link[href]").length,
	title: document.title,
})`

// TestBrowser loads the report of every sample in one headless Chromium,
// one page load each: no console error or exception, the page's script
// ran, the diagrams and plots are there, nothing is loaded from outside.
func TestBrowser(t *testing.T) {
	ctx, problems := browser(t)
	dir := t.TempDir()
	// The console check must be able to fail.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<script>console.error("probe")</script>`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return len(problems()) > 0 }, "the console error of the probe page")
	seen := len(problems())
	samples, err := filepath.Glob("../samples/*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range samples {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".md") {
			continue
		}
		r := build(t, name)
		file := filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".html")
		writeReport(t, file, r)
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st, err := loaded(ctx, "atscope report: samples/"+name)
		if err != nil {
			t.Errorf("%s: the page never set data-ready: %v", name, err)
			continue
		}
		checkPage(t, name, r, st)
		if name == screenshotSample {
			checkFilter(t, ctx, st)
			screenshot(t, ctx)
		}
	}
	if p := problems(); len(p) > seen {
		t.Errorf("console errors or exceptions:\n%s", strings.Join(p[seen:], "\n"))
	}
}

// loaded waits for the page titled title to mark itself ready (a query,
// which outlives the previous page's script context, unlike an
// evaluation), then reads its state.
func loaded(ctx context.Context, title string) (pageState, error) {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		if err := chromedp.Do(wctx, chromedp.WaitReady(chromedp.CSS(`body[data-ready="1"]`))); err != nil {
			return pageState{}, err
		}
		st, err := chromedp.Run(wctx, chromedp.Evaluate[pageState](readState))
		if err == nil && st.Title == title {
			return st, nil
		}
		if wctx.Err() != nil {
			return st, fmt.Errorf("page %q, want %q: %v", st.Title, title, err)
		}
		time.Sleep(20 * time.Millisecond) // still the page before
	}
}

func checkPage(t *testing.T, name string, r *report.Report, st pageState) {
	t.Helper()
	if st.External > 0 {
		t.Errorf("%s: %d elements load something from outside the page", name, st.External)
	}
	if len(r.Clients) > 0 && (st.Sequences == 0 || st.Arrows == 0) {
		t.Errorf("%s: %d sequence diagrams with %d arrows drawn for %d clients", name, st.Sequences, st.Arrows, len(r.Clients))
	}
	if st.LogLines == 0 {
		t.Errorf("%s: the log section is empty", name)
	}
	timed := 0
	for _, l := range r.Latency {
		if l.Op != "open_to_connack" {
			timed += l.Timed
		}
	}
	if timed > 0 && (st.Scatters == 0 || st.Histograms == 0) {
		t.Errorf("%s: %d timed ops, but %d points and %d histogram bars drawn", name, timed, st.Scatters, st.Histograms)
	}
}

// checkFilter picks a status in the timeline's filter and counts the rows
// left.
func checkFilter(t *testing.T, ctx context.Context, st pageState) {
	t.Helper()
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
		const s = document.querySelector(".filters select[name=status]");
		s.value = "failed";
		s.dispatchEvent(new Event("change"));
		return document.querySelectorAll("#timeline-table tbody tr:not([hidden])").length;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if shown == 0 || shown >= st.Rows {
		t.Errorf("filter status=failed shows %d of %d rows", shown, st.Rows)
	}
}

// screenshots are the views of the report kept for review: its top, and
// the sequence diagram of client 0 with the end of the module's.
var screenshots = []struct{ file, scrollTo string }{
	{"report.png", "body"},
	{"report-sequence.png", "#sequence h3:nth-of-type(2)"},
}

// screenshot keeps each view as a PNG in testdata when it is missing or
// with -update (Chromium's pixels vary between versions: no comparison).
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, s := range screenshots {
		path := filepath.Join("testdata", s.file)
		if _, err := os.Stat(path); err == nil && !*update {
			continue
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelector(`+strconv.Quote(s.scrollTo)+`).scrollIntoView(); return true; })()`)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeReport(t *testing.T, file string, r *report.Report) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteHTML(f, r); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
