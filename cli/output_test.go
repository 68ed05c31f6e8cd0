package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutputNeverDestroysInput runs every command that writes a file
// against the paths that must be refused or kept: the input itself, a
// symbolic and a hard link to it, an existing file without -f, and an
// existing file when an input fails (-f). The input and the existing file
// keep their bytes, and no temporary file is left behind.
func TestOutputNeverDestroysInput(t *testing.T) {
	sample, err := os.ReadFile("../samples/ec25-multiclient.log")
	if err != nil {
		t.Fatal(err)
	}
	const before = "what was there before\n"
	for _, cmd := range []string{"pcap", "redact", "report"} {
		for _, tc := range []struct {
			name string
			// setup makes the output path in dir beside in.log; it returns the path.
			setup func(dir, in string) string
			args  []string // extra arguments
			want  string   // in the error
		}{
			{"the input itself", func(_, in string) string { return in }, nil, "would overwrite the log"},
			{"the input with -f", func(_, in string) string { return in }, []string{"-f"}, "would overwrite the log"},
			{"a symbolic link to the input", func(dir, in string) string {
				link := filepath.Join(dir, "link.out")
				must(t, os.Symlink(in, link))
				return link
			}, []string{"-f"}, "would overwrite the log"},
			{"a hard link to the input", func(dir, in string) string {
				link := filepath.Join(dir, "hard.out")
				must(t, os.Link(in, link))
				return link
			}, []string{"-f"}, "would overwrite the log"},
			{"an existing file without -f", func(dir, _ string) string {
				out := filepath.Join(dir, "exists.out")
				must(t, os.WriteFile(out, []byte(before), 0o644))
				return out
			}, nil, "exists: use -f"},
			{"an existing file when the input fails", func(dir, in string) string {
				out := filepath.Join(dir, "exists.out")
				must(t, os.WriteFile(out, []byte(before), 0o644))
				must(t, os.WriteFile(in, []byte{0x1f, 0x8b, 8, 0, 0, 0}, 0o644)) // a gzip header cut short
				return out
			}, []string{"-f"}, ""},
		} {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				in := filepath.Join(dir, "in.log")
				must(t, os.WriteFile(in, sample, 0o644))
				out := tc.setup(dir, in)
				original, _ := os.ReadFile(out)
				inBytes, _ := os.ReadFile(in)
				var stdout, stderr strings.Builder
				code := Main(append([]string{cmd, in, "-o", out}, tc.args...), strings.NewReader(""), &stdout, &stderr)
				if errOut := stderr.String(); code == exitOK || !strings.Contains(errOut, tc.want) {
					t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errOut, tc.want)
				}
				if got, _ := os.ReadFile(in); string(got) != string(inBytes) {
					t.Errorf("the input changed")
				}
				if got, _ := os.ReadFile(out); string(got) != string(original) {
					t.Errorf("the output path changed")
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if strings.Contains(e.Name(), ".atscope-") {
						t.Errorf("temporary file %s left behind", e.Name())
					}
				}
			})
		}
	}
}

// TestOutputReplacesWithForce: -f replaces an existing file, and a link
// there is replaced by the file, its target untouched.
func TestOutputReplacesWithForce(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.txt")
	must(t, os.WriteFile(other, []byte("keep me\n"), 0o644))
	link := filepath.Join(dir, "out.pcapng")
	must(t, os.Symlink(other, link))
	if code, _, errOut := run(t, false, "pcap", "../samples/ec25-multiclient.log", "-o", link, "-f"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got, _ := os.ReadFile(other); string(got) != "keep me\n" {
		t.Errorf("the link's target was written: %q", got)
	}
	st, err := os.Lstat(link)
	if err != nil || st.Mode()&os.ModeSymlink != 0 || st.Size() == 0 {
		t.Errorf("the output is not a file of its own: %v %v", st, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestHelperProcess is atscope in a process of its own, for the tests that
// signal it; it runs only when asked by them.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("ATSCOPE_HELPER_PROCESS") != "1" {
		return
	}
	os.Exit(Main(strings.Fields(os.Getenv("ATSCOPE_ARGS")), os.Stdin, os.Stdout, os.Stderr))
}

// TestInterruptedOutputLeavesNothing: pcap -o killed by SIGTERM while it
// reads a log that is still being written leaves neither the output nor
// its temporary file (a 0-byte output was left).
func TestInterruptedOutputLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	fifo, out := filepath.Join(dir, "live.log"), filepath.Join(dir, "out.pcapng")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "ATSCOPE_HELPER_PROCESS=1", "ATSCOPE_ARGS=pcap "+fifo+" -o "+out)
	must(t, cmd.Start())
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for atscope to open it
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sample, _ := os.ReadFile("../samples/ec25-multiclient.log")
	w.Write(sample)
	deadline := time.Now().Add(10 * time.Second)
	for !hasTemp(dir) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	must(t, cmd.Process.Signal(syscall.SIGTERM))
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 143 {
		t.Errorf("exit %v, want 143", err)
	}
	if hasTemp(dir) {
		t.Error("the temporary file is left behind")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after the interrupt: %v", out, err)
	}
}

func hasTemp(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".atscope-") {
			return true
		}
	}
	return false
}
