package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"atscope/decode"
	"github.com/spf13/cobra"
)

// inputOptions are the flags every command that reads logs shares.
type inputOptions struct {
	format string
	date   string
}

func (o *inputOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "input-format", "auto", "log format: auto or one of "+strings.Join(decode.FormatNames(), ", "))
	cmd.Flags().StringVar(&o.date, "date", "", "day (YYYY-MM-DD) for logs that stamp only the time of day")
}

func (o *inputOptions) validate() (decode.Options, error) {
	var opt decode.Options
	if o.format != "auto" {
		if _, ok := decode.LookupFormat(o.format); !ok {
			return opt, usagef("unknown --input-format %q: want auto or one of %s", o.format, strings.Join(decode.FormatNames(), ", "))
		}
	}
	if o.date != "" {
		d, err := time.Parse(time.DateOnly, o.date)
		if err != nil {
			return opt, usagef("--date %q: want YYYY-MM-DD", o.date)
		}
		opt.Date = d
	}
	return opt, nil
}

// logInput is one log being read.
type logInput struct {
	file   string
	format decode.Format
	tok    *decode.Tokenizer
}

// eachLog tokenizes every log named in paths ("-" is standard input) and
// calls fn for each. An unreadable log is reported and the others are still
// read; the error says how many failed.
func eachLog(io *IO, paths []string, o *inputOptions, fn func(*logInput) error) error {
	opt, err := o.validate()
	if err != nil {
		return err
	}
	failed := 0
	for _, path := range paths {
		if err := readLog(io, path, o.format, opt, fn); err != nil {
			fmt.Fprintf(io.Err, "atscope: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d logs could not be read", failed, len(paths))
	}
	return nil
}

func readLog(io *IO, path, format string, opt decode.Options, fn func(*logInput) error) error {
	r, name := io.In, "<stdin>"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, path
	}
	cr, f, err := decode.Open(r, name, format, opt)
	if err != nil {
		return err
	}
	in := &logInput{file: name, format: f, tok: decode.NewTokenizer(cr, nil)}
	if err := fn(in); err != nil {
		return err
	}
	if err := in.tok.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// summary is the closing line about one log, for stderr.
func summary(in *logInput) string {
	st := in.tok.Stats()
	var kinds []string
	for _, k := range decode.Kinds() {
		if n := st.ByKind[k]; n > 0 && k != decode.KindText {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	s := fmt.Sprintf("%s (%s): %d lines, %d events (%s), %d unrecognised", in.file, in.format.Name,
		st.Lines, st.Events, strings.Join(kinds, ", "), st.ByKind[decode.KindText])
	if st.Problems > 0 {
		s += fmt.Sprintf(", %d with problems", st.Problems)
	}
	return s
}
