package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// outputFile is a file a command writes (-o FILE). It is written to a
// temporary file in the same directory and renamed over the path when the
// command succeeds, so the path holds what it held before or the whole new
// output, never part of it: not on an error, not when the run is
// interrupted (the temporary file is removed on SIGINT and SIGTERM; a
// SIGKILL leaves it, hidden, beside the path, which is untouched).
type outputFile struct {
	path string
	tmp  *os.File
	mode fs.FileMode
	done bool
}

// createOutput checks path (see checkOutput) and opens its temporary file.
func createOutput(path string, inputs []string, force bool) (*outputFile, error) {
	mode, err := checkOutput(path, inputs, force)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".atscope-*")
	if err != nil {
		return nil, err
	}
	interrupts.track(tmp.Name())
	return &outputFile{path: path, tmp: tmp, mode: mode}, nil
}

// checkOutput refuses an output path that is one of the inputs (also
// through symbolic or hard links), a directory, or an existing file
// without force. It returns the mode the file gets: the existing file's,
// or 0644.
func checkOutput(path string, inputs []string, force bool) (fs.FileMode, error) {
	for _, in := range inputs {
		if in != "-" && sameFile(path, in) {
			return 0, usagef("-o %s would overwrite the log %s itself", path, in)
		}
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil && !force { // a link to nothing
			return 0, usagef("%s exists: use -f to overwrite it", path)
		}
		return 0o644, nil
	case err != nil:
		return 0, err
	case st.IsDir():
		return 0, usagef("-o %s is a directory: give a file name", path)
	case !force:
		return 0, usagef("%s exists: use -f to overwrite it", path)
	}
	return st.Mode().Perm(), nil
}

// sameFile reports whether the paths a and b name the same file: the same
// path once links are resolved, or the same file on disk.
func sameFile(a, b string) bool {
	if absPath(a) == absPath(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(a); err == nil {
		return r
	}
	return a
}

func (o *outputFile) Write(p []byte) (int, error) { return o.tmp.Write(p) }

// Commit puts the output in place: the temporary file is closed and
// renamed over the path (replacing a link there, not its target).
func (o *outputFile) Commit() error {
	if o.done {
		return nil
	}
	o.done = true
	defer interrupts.untrack(o.tmp.Name())
	err := errors.Join(o.tmp.Chmod(o.mode), o.tmp.Close())
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
		return fmt.Errorf("%s: %w", o.path, err)
	}
	return nil
}

// Discard drops the output: the path keeps what it had. After Commit it
// does nothing, so a command may defer it.
func (o *outputFile) Discard() {
	if o.done {
		return
	}
	o.done = true
	o.tmp.Close()
	os.Remove(o.tmp.Name())
	interrupts.untrack(o.tmp.Name())
}

// interrupts removes the temporary files of outputs still being written
// when the process is interrupted, then exits as the signal would.
var interrupts = &tempFiles{files: map[string]bool{}}

type tempFiles struct {
	mu    sync.Mutex
	files map[string]bool
	sig   chan os.Signal
}

func (t *tempFiles) track(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.files) == 0 {
		t.sig = make(chan os.Signal, 1)
		signal.Notify(t.sig, os.Interrupt, syscall.SIGTERM)
		go t.wait(t.sig)
	}
	t.files[name] = true
}

func (t *tempFiles) untrack(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.files[name] {
		return
	}
	delete(t.files, name)
	if len(t.files) == 0 {
		signal.Stop(t.sig)
		close(t.sig)
	}
}

func (t *tempFiles) wait(sig chan os.Signal) {
	s, ok := <-sig
	if !ok {
		return
	}
	t.mu.Lock()
	for name := range t.files {
		os.Remove(name)
	}
	code := 130 // 128 + SIGINT
	if s == syscall.SIGTERM {
		code = 143
	}
	os.Exit(code)
}
