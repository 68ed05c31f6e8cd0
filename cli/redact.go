package cli

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"atscope/decode"
	"atscope/dialect"
	"atscope/redact"
	"github.com/spf13/cobra"
)

// redactFlag is --redact, shared by every command that reads logs.
type redactFlag struct {
	value string
	// r is the run's redactor: one for all logs, so that a secret gets the
	// same placeholder in each. nil when --redact is not given.
	r *redact.Redactor
}

const redactHelp = `hide secrets: user names, passwords, tokens, device secrets, IMEI/IMSI/ICCID, Wi-Fi passwords (--redact); with --redact=all also client IDs, hosts and Wi-Fi names`

func (f *redactFlag) addFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "redact", "", redactHelp)
	cmd.Flags().Lookup("redact").NoOptDefVal = "secrets"
}

func (f *redactFlag) validate() error {
	level, err := redact.ParseLevel(f.value)
	if err != nil {
		return usagef("--redact=%s: want --redact (secrets) or --redact=all", f.value)
	}
	if f.r == nil || f.r.Level() != level {
		f.r = redact.New(level)
	}
	return nil
}

// learn reads a log once to learn its secrets before it is decoded for
// output, so that a secret is hidden wherever it shows, even before the
// command that sets it (an application's debug print of its token). A
// regular file is read again from its start; standard input is kept in a
// temporary file, so memory does not grow with the log. done releases it.
func (f *redactFlag) learn(r io.Reader, name string, o *inputOptions, opt decode.Options) (io.Reader, func(), error) {
	nop := func() {}
	if f.r == nil {
		return r, nop, nil
	}
	if file, ok := r.(*os.File); ok {
		if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
			pos, err := file.Seek(0, io.SeekCurrent)
			if err == nil {
				if err := learnSecrets(f.r, file, name, o, opt); err != nil {
					return nil, nop, err
				}
				if _, err := file.Seek(pos, io.SeekStart); err != nil {
					return nil, nop, err
				}
				return file, nop, nil
			}
		}
	}
	tmp, err := os.CreateTemp("", "atscope-redact-*.log")
	if err != nil {
		return nil, nop, err
	}
	done := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, r); err != nil {
		done()
		return nil, nop, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nop, err
	}
	if err := learnSecrets(f.r, tmp, name, o, opt); err != nil {
		done()
		return nil, nop, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nop, err
	}
	return tmp, done, nil
}

// learnSecrets runs a log through the tokenizer and its dialect and lets
// the redactor learn from every event and op.
func learnSecrets(red *redact.Redactor, r io.Reader, name string, o *inputOptions, opt decode.Options) error {
	cr, _, err := decode.Open(r, name, o.format, opt)
	if err != nil {
		return err
	}
	hooks, _ := dialect.HooksFor(o.dialect)
	tok := decode.NewTokenizer(cr, hooks)
	dec, err := dialect.NewDecoder(name, o.dialect)
	if err != nil {
		return usageError{err}
	}
	for tok.Next() {
		ev := tok.Event()
		red.LearnEvent(&ev)
		dec.Feed(&ev, red.LearnOp)
	}
	dec.Close(red.LearnOp)
	if err := tok.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

type redactOptions struct {
	input  inputOptions
	output string
	force  bool
}

func newRedactCmd(io *IO) *cobra.Command {
	opts := &redactOptions{}
	cmd := &cobra.Command{
		Use:   "redact <log> [-o clean.log]",
		Short: "Write a copy of a log with its secrets replaced, byte for byte otherwise, to attach to a public ticket",
		Long: `Write a copy of a log with every secret replaced by a placeholder and every
other byte unchanged: user names, passwords, tokens and device secrets (the
credential arguments of every connect and configuration command in the
dialect tables, APN credentials, SIM PINs), IMEI, IMSI and ICCID, Wi-Fi
passwords; with --redact=all also client IDs, hosts and Wi-Fi network names.

The secrets are learned by decoding the log first. The same secret gets the
same placeholder everywhere ("<password-1>"); each placeholder is padded to
the length of the secret it replaces ("<password-1>***", "<p1>", "****"), so
that payload lengths the log declares stay true and the copy decodes like
the original. Only the bytes of secrets change: a user name inside a longer
client ID, or a number standing where a credential would, stays. The copy
is checked afterwards: if a learned secret is still in it, nothing is
written and the command fails.

A log that could not be decoded (no AT exchange recognised, or more
unrecognised lines than AT lines) is refused unless --force is given.
Whatever the decoding, IMEIs (15 digits passing the Luhn check), ICCIDs,
the IMSI after AT+CIMI and the credential arguments of known commands are
found in any layout (colour codes, indentation, CR-only line ends, CR LF
shown as dots). Logic-analyzer and hex-dump captures are rewritten in their
own notation. The copy of a gzip log is written decompressed, or compressed
when -o names a .gz file. Secrets no rule knows (a token inside a payload, a
password typed where no command expects one) are not found: read the copy
before you publish it.`,
		Example: `  atscope redact customer.log -o customer-clean.log
  atscope redact --redact=all customer.log > clean.log
  atscope redact --redact=all - < capture.log > clean.log`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := logArgs(cmd, args); err != nil {
				return err
			}
			if len(args) > 1 {
				return usagef("redact takes one log (run it once per log)")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error { return redactRun(io, opts, args[0]) },
	}
	opts.input.addFlags(cmd)
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write the copy to this file (default: standard output)")
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "overwrite the output file if it exists, and write a copy of a log that could not be decoded")
	return cmd
}

func redactRun(streams *IO, opts *redactOptions, path string) error {
	if opts.input.redact.value == "" {
		opts.input.redact.value = "secrets"
	}
	opt, err := opts.input.validate()
	if err != nil {
		return err
	}
	red := opts.input.redact.r
	if opts.output != "" && !opts.force {
		if _, err := os.Stat(opts.output); err == nil {
			return usagef("%s exists: use -f to overwrite it", opts.output)
		}
	}
	if opts.output != "" && path != "-" {
		if a, b := absPath(opts.output), absPath(path); a == b {
			return usagef("-o %s would overwrite the log itself", opts.output)
		}
	}
	src, name := streams.In, "<stdin>"
	if path != "-" {
		f, err := openLog(path)
		if err != nil {
			return err
		}
		defer f.Close()
		src, name = f, path
	}
	// Learn (reading a regular file twice, or standard input from a
	// temporary copy), then copy the raw bytes with the secrets replaced.
	src, done, err := opts.input.redact.learn(src, name, &opts.input, opt)
	if err != nil {
		return err
	}
	defer done()

	// --force also writes a copy of a log that was not understood: only
	// the secrets found by their shape are then replaced.
	if why := red.Undecoded(); why != "" && !opts.force {
		return fmt.Errorf("%s: not decoded (%s), so secrets in commands the decoder missed would stay in the copy; nothing written: try --input-format or --dialect, or --force to write it anyway", name, why)
	}
	seeker, ok := src.(io.ReaderAt)
	if !ok {
		return fmt.Errorf("%s: cannot read the log twice", name)
	}
	dir := os.TempDir()
	if opts.output != "" {
		dir = filepath.Dir(opts.output)
	}
	tmp, err := os.CreateTemp(dir, ".atscope-redact-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	bw := bufio.NewWriter(tmp)
	if _, err := red.Copy(bw, seeker, name, opts.input.format, opt); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if leaks, err := checkRedacted(red, tmp, name, &opts.input, opt); err != nil {
		return err
	} else if len(leaks) > 0 {
		return fmt.Errorf("%s: %s still in the redacted copy (%s); nothing written: edit the log by hand", name,
			plural(len(leaks), "secret is", "secrets are"), strings.Join(leaks, ", "))
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if opts.output == "" {
		if _, err := io.Copy(streams.Out, tmp); err != nil {
			return err
		}
	} else {
		final, err := gzipIfNamed(tmp, opts.output)
		if err != nil {
			return err
		}
		defer os.Remove(final)
		if err := os.Rename(final, opts.output); err != nil {
			return err
		}
	}
	summary := redactSummary(name, opts.output, red)
	if why := red.Undecoded(); why != "" {
		summary += fmt.Sprintf("; the log was not decoded (%s): only secrets found by their shape or in a known command were replaced, read the copy before you share it", why)
	}
	fmt.Fprintln(streams.Err, summary)
	return nil
}

// gzipIfNamed closes the checked copy tmp and returns the file to rename
// onto output: tmp itself, or for an output named *.gz a compressed copy
// of it beside it (the copy of a .gz log is checked uncompressed).
func gzipIfNamed(tmp *os.File, output string) (string, error) {
	if !strings.HasSuffix(output, ".gz") {
		return tmp.Name(), tmp.Close()
	}
	gz, err := os.CreateTemp(filepath.Dir(output), ".atscope-redact-*.gz")
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(gz)
	_, err = io.Copy(zw, tmp)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := gz.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(gz.Name())
		return "", err
	}
	return gz.Name(), tmp.Close()
}

// checkRedacted decodes the copy and lists the placeholders of the secrets
// any event of it still holds (a secret split in a way the copy missed).
func checkRedacted(red *redact.Redactor, r *os.File, name string, o *inputOptions, opt decode.Options) ([]string, error) {
	cr, _, err := decode.Open(r, name, o.format, opt)
	if err != nil {
		return nil, err
	}
	hooks, _ := dialect.HooksFor(o.dialect)
	tok := decode.NewTokenizer(cr, hooks)
	seen := map[string]bool{}
	for tok.Next() {
		ev := tok.Event()
		for _, s := range red.Leaks(ev.Text + "\n" + string(ev.Raw)) {
			seen[s.Placeholder] = true
		}
	}
	if err := tok.Err(); err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := rawLeaks(red, r, seen); err != nil {
		return nil, err
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// rawLeaks adds to seen the secrets that the bytes of r still hold, line
// by line. A line longer than the reader's buffer is read in pieces, each
// with the end of the piece before it, so that memory stays bounded and a
// secret across two pieces is still seen.
func rawLeaks(red *redact.Redactor, r io.Reader, seen map[string]bool) error {
	longest := 0
	for _, s := range red.Secrets() {
		longest = max(longest, len(s.Value))
	}
	raw := bufio.NewReaderSize(r, 1<<20)
	var carry []byte // the end of a piece cut mid-line
	for {
		piece, err := raw.ReadSlice('\n')
		text := string(carry) + string(piece)
		for _, s := range red.Leaks(text) {
			seen[s.Placeholder] = true
		}
		carry = carry[:0]
		if err == bufio.ErrBufferFull {
			carry = append(carry, text[max(0, len(text)-longest):]...)
			continue
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// redactSummary says what was replaced, for stderr.
func redactSummary(name, output string, red *redact.Redactor) string {
	kinds := map[redact.Kind]map[string]bool{}
	for _, s := range red.Secrets() {
		if kinds[s.Kind] == nil {
			kinds[s.Kind] = map[string]bool{}
		}
		kinds[s.Kind][s.Placeholder] = true
	}
	var parts []string
	for _, k := range []redact.Kind{redact.User, redact.Password, redact.DeviceSecret, redact.IMEI, redact.IMSI, redact.ICCID,
		redact.WiFiPassword, redact.PIN, redact.ClientID, redact.Host, redact.SSID} {
		if n := len(kinds[k]); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	to := "standard output"
	if output != "" {
		to = output
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s: no secrets found (level %s); copied unchanged to %s", name, red.Level(), to)
	}
	return fmt.Sprintf("%s: replaced %s (level %s); written to %s", name, strings.Join(parts, ", "), red.Level(), to)
}

// openLog opens a log named on the command line. A directory is refused
// at once, in plain words: reading one fails later, with an error that
// names the system call ("read adir: is a directory", "copy_file_range").
func openLog(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	return f, nil
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
