package analyze

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"atscope/decode"
	"atscope/redact"
)

// RedactedCopy learns the secrets of src (opt.Redactor), writes its bytes
// to dst with the secrets replaced and every other byte unchanged, checks
// the copy by decoding it, and leaves dst at its start. A secret still in
// the copy is an error: the copy must not be shown. So is a log that was
// not decoded, unless undecodedOK: secrets in commands the tokenizer did
// not recognise could stay.
func RedactedCopy(src *Source, opt Options, dst *os.File, undecodedOK bool) error {
	red := opt.Redactor
	if err := Learn(src, opt); err != nil {
		return err
	}
	if why := red.Undecoded(); why != "" && !undecodedOK {
		return fmt.Errorf("%s: not decoded (%s), so secrets in commands the decoder missed would stay in the copy; nothing written: try --input-format or --dialect, or --force to write it anyway", src.Name, why)
	}
	at, err := src.RereadAt()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(dst, copyBuffer)
	if _, err := red.Copy(bw, at, src.Name, opt.Format, opt.Decode); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if _, err := dst.Seek(0, io.SeekStart); err != nil {
		return err
	}
	leaks, err := checkRedacted(red, dst, src.Name, opt)
	if err != nil {
		return err
	}
	if len(leaks) > 0 {
		what := "1 secret is"
		if len(leaks) > 1 {
			what = fmt.Sprintf("%d secrets are", len(leaks))
		}
		return fmt.Errorf("%s: %s still in the redacted copy (%s); nothing written: edit the log by hand", src.Name,
			what, strings.Join(leaks, ", "))
	}
	_, err = dst.Seek(0, io.SeekStart)
	return err
}

// copyBuffer is how much of the copy is written at once: a log's worth of
// 4 KiB writes made 5 % of redact's time in system calls.
const copyBuffer = 256 << 10

// checkRedacted decodes the copy and lists the placeholders of the secrets
// any event of it still holds (a secret split in a way the copy missed).
func checkRedacted(red *redact.Redactor, r *os.File, name string, opt Options) ([]string, error) {
	seen := map[string]bool{}
	opt.Redactor, opt.Findings, opt.Quotes = nil, false, false
	_, err := Run(FromReader(name, r), opt, Sinks{Event: func(ev *decode.Event) error {
		for _, s := range red.EventLeaks(ev) {
			seen[s.Placeholder] = true
		}
		return nil
	}})
	if err != nil {
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
		text := piece
		if len(carry) > 0 {
			carry = append(carry, piece...)
			text = carry
		}
		for _, s := range red.LeaksBytes(text) {
			seen[s.Placeholder] = true
		}
		if err == bufio.ErrBufferFull {
			carry = append(carry[:0], text[max(0, len(text)-longest):]...)
			continue
		}
		carry = carry[:0]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
