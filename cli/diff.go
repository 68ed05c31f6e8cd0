package cli

import (
	"atscope/analyze"
	"bufio"
	"cmp"

	"atscope/report"
	"github.com/spf13/cobra"
)

func newDiffCmd(io *IO) *cobra.Command {
	opts := &sessionOptions{}
	opts.input.findings = true
	cmd := &cobra.Command{
		Use:   "diff <before.log> <after.log>",
		Short: "Compare two logs of one device, before and after a change: op counts, latency, findings",
		Long: `Compare two logs of the same device, before and after a change (firmware,
broker, APN): their verdicts, the operations by kind and status, the latency
percentiles of each kind side by side with the change, and the findings that
appeared, vanished or stayed (the same rule and title, numbers aside). The
clients of each log are pooled: a device may number them differently after
the change.`,
		Example: `  atscope diff before.log after.log
  atscope diff --json before.log after.log | jq .latency`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("diff compares two logs: before and after (got %d)", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error { return diffRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the comparison as one JSON document")
	return cmd
}

func diffRun(io *IO, opts *sessionOptions, paths []string) error {
	var reports []*report.Report
	if err := eachReport(io, opts, paths, report.RunOptions{Document: true, Pooled: true}, func(r *report.Report, _ *analyze.Log) error {
		reports = append(reports, r)
		return nil
	}); err != nil {
		return err
	}
	d := report.Compare(reports[0], reports[1])
	out := bufio.NewWriter(io.Out)
	var err error
	if opts.json {
		err = report.WriteDiffJSON(out, d)
	} else {
		err = report.WriteDiffText(out, d)
	}
	return cmp.Or(err, out.Flush())
}
