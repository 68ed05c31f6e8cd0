package live

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// at once is a wait that does not wait: the follower polls as fast as it
// can, so the tests need no sleeps.
func atOnce(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c
}

// readUntil reads from r until it has read n bytes.
func readUntil(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	buf := make([]byte, n)
	done := make(chan error, 1)
	go func() { _, err := io.ReadFull(r, buf); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%d bytes never came", n)
	}
	return string(buf)
}

func TestFollower(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, path string) // after "one\n" was read
		want   string
	}{
		{"grows", func(t *testing.T, path string) { appendFile(t, path, "two\n") }, "two\n"},
		{"truncated", func(t *testing.T, path string) { writeFile(t, path, "3\n") }, "3\n"},
		{"rotated", func(t *testing.T, path string) {
			appendFile(t, path, "tail\n") // written before the rename: still read
			if err := os.Rename(path, path+".1"); err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, "new\n")
		}, "tail\nnew\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log")
			writeFile(t, path, "one\n")
			f, err := Follow(path, time.Millisecond, atOnce)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := readUntil(t, f, 4); got != "one\n" {
				t.Fatalf("read %q", got)
			}
			tc.change(t, path)
			if got := readUntil(t, f, len(tc.want)); got != tc.want {
				t.Errorf("after the change, read %q, want %q", got, tc.want)
			}
			f.Stop()
			if n, err := f.Read(make([]byte, 10)); n != 0 || !errors.Is(err, io.EOF) {
				t.Errorf("after Stop: %d, %v; want io.EOF", n, err)
			}
		})
	}
}

func TestFollowRefusesADirectory(t *testing.T) {
	if _, err := Follow(t.TempDir(), time.Millisecond, atOnce); err == nil {
		t.Error("a directory was followed")
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}
