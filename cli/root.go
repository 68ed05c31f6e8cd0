// Package cli is atscope's command line: one file per verb. It is the only
// package that uses cobra and tablewriter, reads arguments or writes to the
// terminal.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X atscope/cli.Version=...".
var Version = "0.1.0-dev"

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // unreadable input, or --strict findings
	exitUsage   = 2
)

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// IsTerminal reports whether Out is a terminal (tables and color then).
	IsTerminal bool
	// ErrIsTerminal reports whether Err is a terminal (progress bars then).
	ErrIsTerminal bool
}

// usageError marks an error as the user's invocation being wrong (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Main runs atscope with args and returns the exit code.
func Main(args []string, in io.Reader, out, errOut io.Writer) int {
	io := &IO{In: in, Out: out, Err: errOut, IsTerminal: isTerminal(out), ErrIsTerminal: isTerminal(errOut)}
	root := NewRootCmd(io)
	root.SetArgs(args)
	defer tuneMemory(commandName(root, args))()
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(errOut, "atscope: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || unknownCommand(root, args) {
		help := "atscope --help"
		if name := commandName(root, args); name != "" {
			help = "atscope " + name + " --help"
		}
		fmt.Fprintf(errOut, "Run '%s' for usage.\n", help)
		return exitUsage
	}
	return exitFailure
}

// unknownCommand reports whether args name no command (cobra's error says
// so, with the commands it looks like).
func unknownCommand(root *cobra.Command, args []string) bool {
	c, _, err := root.Find(args)
	return err != nil && c == root
}

func commandName(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil && c != root {
		return c.Name()
	}
	return ""
}

// NewRootCmd builds the command tree.
func NewRootCmd(io *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "atscope <command> <log>...",
		Short: "Turn captured AT serial logs into MQTT-level understanding",
		Long: `atscope reads AT serial logs of cellular and Wi-Fi modules (terminal captures,
serial-tool logs, logs pasted into tickets), tokenizes them into AT events and
reassembles the MQTT operations of every vendor dialect.`,
		Example: `  atscope report samples/ec25-multiclient.log
  atscope diagnose samples/ec200-5s-window.log
  atscope latency samples/ec600s-aliyun-qcom.log
  atscope pcap samples/ec25-multiclient.log -o ec25.pcapng
  atscope events --json samples/air780-luat-reconnect.log | jq .
  cat capture.log | atscope report -`,
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newReportCmd(io),
		newEventsCmd(io),
		newTimelineCmd(io),
		newLatencyCmd(io),
		newPcapCmd(io),
		newDiagnoseCmd(io), newRedactCmd(io),
		newDiffCmd(io),
		newDialectsCmd(io),
		newFormatsCmd(io),
		newGenerateCmd(io),
		newTapCmd(io),
	)
	return root
}

// logArgs requires at least one log argument, as a usage error.
func logArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usagef("%s needs at least one log file (or - for standard input)", cmd.Name())
	}
	return nil
}

// noArgs refuses arguments, as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments", cmd.Name())
	}
	return nil
}
