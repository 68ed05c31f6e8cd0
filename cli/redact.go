package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"atscope/analyze"
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
other byte unchanged: user names, passwords, tokens and device secrets (of
the connect and configuration commands of every dialect, APN credentials,
SIM PINs), IMEI, IMSI and ICCID (the answers to the identity queries, and
15-digit client IDs), Wi-Fi passwords; with --redact=all also client IDs,
hosts and Wi-Fi network names.

The secrets are learned by decoding the log first. The same secret gets the
same placeholder everywhere; in the copy it is the short form of the one
other commands print ("<p1>" for "<password-1>", "<u1>" for "<user-1>")
padded with '*' to the length of the secret ("<p1>*****"), or '*' only for
a secret shorter than that ("***"), so that payload lengths the log declares
stay true and the copy decodes like the original. Only the bytes of secrets
change: a user name inside a longer client ID, or a number standing where a
credential would, stays; a user name that reads as a word (under 6 bytes,
or lowercase letters only and under 10) is replaced only where it is the
user name, not inside topics or payloads. The copy
is checked afterwards: if a learned secret is still in it, nothing is
written and the command fails.

A log that could not be decoded (no AT exchange recognised, or more
unrecognised lines than AT lines) is refused unless --force is given.
Whatever the decoding, IMEIs (15 digits passing the Luhn check), ICCIDs,
the IMSI after AT+CIMI and the credential arguments of known commands are
found in any layout (colour codes, indentation, CR-only line ends, CR LF
shown as dots). Logic-analyzer and hex-dump captures are rewritten in their
own notation; the copy of a gzip log is written decompressed. Secrets no
rule knows (a token inside a payload, a password typed where no command
expects one) are not found: read the copy before you publish it.`,
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
	refuseFlags(cmd,
		refusedFlag{name: "client", value: true, why: "redact copies every client: --client means nothing here"},
		refusedFlag{name: "json", why: "redact writes a copy of the log, not a report: --json means nothing here"},
		refusedFlag{name: "color", value: true, why: "redact writes a copy of the log, which has no colours: --color means nothing here"})
	return cmd
}

func redactRun(streams *IO, opts *redactOptions, path string) error {
	if opts.input.redact.value == "" {
		opts.input.redact.value = "secrets"
	}
	opt, err := opts.input.analysis()
	if err != nil {
		return err
	}
	if !opt.Filter.IsZero() {
		return usagef("redact copies the whole log: --since, --until, --lines and --op do not apply")
	}
	// The copy is written to a temporary file (the output's, or one of its
	// own for standard output) and checked before anything is shown.
	var out *outputFile
	var scratch *os.File
	if opts.output != "" {
		if out, err = createOutput(opts.output, []string{path}, opts.force); err != nil {
			return err
		}
		defer out.Discard()
		scratch = out.tmp
	} else {
		if scratch, err = os.CreateTemp("", ".atscope-redact-*"); err != nil {
			return err
		}
		defer os.Remove(scratch.Name())
		defer scratch.Close()
	}
	return withSource(streams, path, func(src *analyze.Source) error {
		if err := analyze.RedactedCopy(src, opt, scratch, opts.force); err != nil {
			return err
		}
		if out != nil {
			if err := out.Commit(); err != nil {
				return err
			}
		} else if _, err := io.Copy(streams.Out, scratch); err != nil {
			return err
		}
		summary := redactSummary(src.Name, opts.output, opt.Redactor)
		if why := opt.Redactor.Undecoded(); why != "" {
			summary += fmt.Sprintf("; the log was not decoded (%s): only secrets found by their shape or in a known command were replaced, read the copy before you share it", why)
		}
		fmt.Fprintln(streams.Err, summary)
		return nil
	})
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

// warnUnredacted says on stderr, when --redact was not given, how many
// secrets the logs put into what is written to be shared (a report file,
// Mermaid diagrams): these are pasted into tickets and mails. It reads the
// logs once more; standard input, already read, is not counted.
func warnUnredacted(streams *IO, o *inputOptions, paths []string, what string) {
	if o.redact.value != "" {
		return
	}
	opt, err := o.analysis()
	if err != nil {
		return
	}
	opt.Warn, opt.Redactor = nil, redact.New(redact.Secrets)
	for _, path := range paths {
		if path == "-" {
			continue
		}
		withSource(streams, path, func(src *analyze.Source) error { return analyze.Learn(src, opt) })
	}
	if n := len(opt.Redactor.Secrets()); n > 0 {
		fmt.Fprintf(streams.Err, "atscope: warning: %s may show the %s of the logs (passwords, user names, IMEIs...) in clear: give --redact before sharing it\n",
			what, plural(n, "secret"))
	}
}
