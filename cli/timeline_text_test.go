package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atscope/internal/loggen"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

// wholeTimeline is the text timeline as it was written before it streamed:
// every log assembled into sessions, then each session rendered.
func wholeTimeline(t *testing.T, stdin []byte, client string, paths ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IO{In: bytes.NewReader(stdin), Out: &out, Err: &errOut}
	opts := &sessionOptions{}
	cmd := &cobra.Command{}
	opts.addFlags(cmd)
	if client != "" {
		if err := cmd.ParseFlags([]string{"--client", client}); err != nil {
			t.Fatal(err)
		}
	}
	first := true
	eachSessions(io, paths, opts, func(d *decodedLog) error {
		if !first {
			fmt.Fprintln(&out)
		}
		first = false
		for i, s := range d.sessions {
			if i > 0 {
				fmt.Fprintln(&out)
			}
			timeline.Render(&out, s, timeline.Style{})
		}
		if len(d.sessions) == 0 {
			fmt.Fprintf(&out, "%s: no MQTT operations (dialect: %s)\n", d.log.File, d.log.Dialect.Describe())
		}
		return nil
	})
	return out.String(), errOut.String()
}

// streamedTimeline runs `atscope timeline` with stdin.
func streamedTimeline(t *testing.T, stdin []byte, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCmd(&IO{In: bytes.NewReader(stdin), Out: &out, Err: &errOut})
	root.SetArgs(append([]string{"timeline"}, args...))
	root.Execute()
	return out.String(), errOut.String()
}

// TestTextTimelineStreamsAsWhole: the streamed text timeline (each op's
// line spilled per client as it comes) prints what rendering the
// assembled sessions printed, on every sample, with --client, several
// logs at once, and stdin; and with spills in temporary files.
func TestTextTimelineStreamsAsWhole(t *testing.T) {
	samples, _ := filepath.Glob("../samples/*.*")
	regress, _ := filepath.Glob("../timeline/testdata/*.log") // connections up at the log's start or without a connect result
	samples = append(samples, regress...)
	var logs []string
	for _, s := range samples {
		if !strings.HasSuffix(s, ".md") {
			logs = append(logs, s)
		}
	}
	gen := loggen.Bytes(loggen.Options{Shape: "reconnect", Size: 300 << 10})
	for _, spill := range []int{1 << 20, 200} {
		old := spillAt
		spillAt = spill
		t.Run(fmt.Sprint("spill at ", spill), func(t *testing.T) {
			for _, log := range logs {
				for _, client := range []string{"", "0", "-1"} {
					want, wantErr := wholeTimeline(t, nil, client, log)
					args := []string{log}
					if client != "" {
						args = append(args, "--client", client)
					}
					if got, gotErr := streamedTimeline(t, nil, args...); got != want || gotErr != wantErr {
						t.Errorf("%s --client %q: streamed\n%s%s\nwhole\n%s%s", log, client, head(got), gotErr, head(want), wantErr)
					}
				}
			}
			want, _ := wholeTimeline(t, gen, "", "-", logs[0])
			if got, _ := streamedTimeline(t, gen, "-", logs[0]); got != want {
				t.Errorf("stdin and a sample: streamed\n%s\nwhole\n%s", head(got), head(want))
			}
		})
		spillAt = old
	}
	if left, _ := filepath.Glob(filepath.Join(os.TempDir(), "atscope-timeline-*")); len(left) > 0 {
		t.Errorf("spills left behind: %v", left)
	}
}

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
