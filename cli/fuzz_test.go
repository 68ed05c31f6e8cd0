package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pipelineCommands are the commands FuzzPipeline runs on standard input,
// in every output form.
var pipelineCommands = [][]string{
	{"events"}, {"events", "--json"},
	{"timeline", "--color", "always"}, {"timeline", "--json"},
	{"latency", "--hist"}, {"latency", "--json"}, {"latency", "--csv", "--by", "topic"},
	{"diagnose", "--color", "always"}, {"diagnose", "--json"},
	{"report", "--redact=all"},
	{"pcap", "-o", "-"},
	{"redact"},
}

// FuzzPipeline runs any bytes through every command, from the format
// reader to the renderers: none may panic, a failure must name the input,
// and the same input must give the same output.
func FuzzPipeline(f *testing.F) {
	for _, pattern := range []string{"../samples/*.log", "../samples/*.csv", "../samples/*.pcapng"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(session))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, cmd := range pipelineCommands {
			args := append(cmd[:len(cmd):len(cmd)], "-")
			code, out, errOut := runMain(args, bytes.NewReader(in))
			switch {
			case code == exitFailure && !strings.Contains(errOut, "<stdin>"):
				t.Fatalf("%v: exit 1 without naming the input:\n%s", cmd, errOut)
			case code != exitOK && code != exitFailure:
				t.Fatalf("%v: exit %d:\n%s", cmd, code, errOut)
			}
			if _, out2, errOut2 := runMain(args, bytes.NewReader(in)); out2 != out || errOut2 != errOut {
				t.Fatalf("%v: two runs differ", cmd)
			}
		}
	})
}
