package cli

import (
	"bufio"
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"atscope/analyze"
	"atscope/diagnose"
	"atscope/report"
	"github.com/spf13/cobra"
)

// reportOptions are the flags of `atscope report`.
type reportOptions struct {
	sessionOptions
	output string
	force  bool
	format string
	full   bool // the text report's whole timeline
}

// reportFormats are the values of --format.
var reportFormats = []string{"text", "html", "markdown", "json"}

func (o *reportOptions) addFlags(cmd *cobra.Command) {
	o.sessionOptions.addFlags(cmd)
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` (its extension picks the format: .html, .md, .json, else text)")
	f.BoolVarP(&o.force, "force", "f", false, "overwrite the output file if it exists")
	f.StringVar(&o.format, "format", "", "text, html (one self-contained page), markdown (with Mermaid diagrams) or json (one document per log)")
	f.BoolVar(&o.json, "json", false, "print one JSON document per log (one a line): understanding, verdicts, summary, clients, findings, latency rows (--format json)")
	completeValues(cmd, "format", reportFormats...)
}

// form is the report's format: --json, --format, the extension of -o,
// else text.
func (o *reportOptions) form() (string, error) {
	format := o.format
	if o.json {
		if format != "" && format != "json" {
			return "", usagef("--json and --format %s exclude each other", format)
		}
		format = "json"
	}
	if format == "" {
		switch strings.ToLower(filepath.Ext(o.output)) {
		case ".html", ".htm":
			format = "html"
		case ".md", ".markdown":
			format = "markdown"
		case ".json":
			format = "json"
		default:
			format = "text"
		}
	}
	for _, f := range reportFormats {
		if f == format {
			return format, nil
		}
	}
	return "", usagef("unknown --format %q: want one of %s%s", format, strings.Join(reportFormats, ", "), didYouMean(format, reportFormats))
}

// reportToOutput runs the report in the format asked for, into -o FILE
// (safely: see outputFile) or standard output.
func reportToOutput(tio *IO, opts *reportOptions, paths []string) error {
	format, err := opts.form()
	if err != nil {
		return err
	}
	if format == "html" && len(paths) != 1 {
		return usagef("an HTML report is of one log (its line numbers link into it): give one log per report")
	}
	out := tio
	var file *outputFile
	if opts.output != "" && opts.output != "-" {
		if file, err = createOutput(opts.output, paths, opts.force); err != nil {
			return err
		}
		defer file.Discard()
		redirected := *tio // the same input and stderr (progress too), a file for output
		redirected.Out, redirected.IsTerminal = file, false
		out = &redirected
	}
	if format == "text" || format == "json" {
		opts.json = format == "json"
		err = reportRun(out, opts, paths)
	} else {
		err = reportDocRun(out, opts, paths, format)
	}
	if file == nil {
		return err
	}
	if err != nil {
		return fmt.Errorf("%w; nothing written to %s", err, opts.output)
	}
	if err := file.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(tio.Err, "wrote %s\n", opts.output)
	if format == "html" || format == "markdown" {
		warnUnredacted(tio, &opts.input, paths, opts.output)
	}
	return nil
}

// reportDocRun writes the HTML or Markdown report of every log.
func reportDocRun(tio *IO, opts *reportOptions, paths []string, format string) error {
	out := bufio.NewWriter(tio.Out)
	n := 0
	err := eachReport(tio, &opts.sessionOptions, paths, report.RunOptions{Document: true}, func(r *report.Report, _ *analyze.Log) error {
		if n > 0 && format == "markdown" {
			fmt.Fprintln(out)
		}
		n++
		if format == "html" {
			return report.WriteHTML(out, r)
		}
		return report.WriteMarkdown(out, r)
	})
	return cmp.Or(err, out.Flush())
}

// eachReport builds the report of every log, of the clients --client asks
// for, and calls fn for each.
func eachReport(tio *IO, opts *sessionOptions, paths []string, ro report.RunOptions, fn func(*report.Report, *analyze.Log) error) error {
	if _, err := colorOn(tio, opts.color); err != nil {
		return err
	}
	if opts.client.set {
		ro.Keep = opts.wants
	}
	return eachLog(tio, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		r, l, err := report.Run(src, opt, ro)
		if r == nil {
			return err
		}
		defer r.Close()
		if note := opts.client.missing(l.File, r.AllClients()); note != "" {
			opt.Warn(note)
		}
		return cmp.Or(fn(r, l), err)
	})
}

// timelineMermaidRun is `timeline --mermaid`: each client's sequence
// diagram as a Mermaid block.
func timelineMermaidRun(tio *IO, opts *sessionOptions, paths []string) error {
	out := bufio.NewWriter(tio.Out)
	err := eachReport(tio, opts, paths, report.RunOptions{Document: true}, func(r *report.Report, _ *analyze.Log) error { return report.WriteMermaid(out, r) })
	return cmp.Or(err, out.Flush())
}

// reportHeadline is what the text report says first: whether the log was
// understood (when it was not), then the verdict of each client shown.
func reportHeadline(d *decodedLog) []string {
	return report.Build(report.Input{Understanding: d.log.Understanding(), Stats: d.log.Stats, Findings: d.log.Findings, Verdicts: reportVerdicts(d)}).Headline()
}

// reportVerdicts are the verdicts of the clients a report shows.
func reportVerdicts(d *decodedLog) []diagnose.Verdict {
	keep := reportClients(d)
	var vs []diagnose.Verdict
	for _, v := range d.log.Verdicts() {
		if keep(v.Client) {
			vs = append(vs, v)
		}
	}
	return vs
}
