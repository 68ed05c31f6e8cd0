package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
