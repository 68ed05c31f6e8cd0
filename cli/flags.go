package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"atscope/dialect"
	"atscope/timeline"

	"github.com/spf13/cobra"
)

// clientFlag is --client: unset (every client), -1 (the module-wide
// context) or a client index. Unset shows no default in --help.
type clientFlag struct {
	n   int
	set bool
}

func (c *clientFlag) String() string {
	if !c.set {
		return ""
	}
	return strconv.Itoa(c.n)
}

func (c *clientFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 {
		return fmt.Errorf("want a client index, or -1 for the module-wide context")
	}
	c.n, c.set = n, true
	return nil
}

func (c *clientFlag) Type() string { return "N" }

// wants reports whether the flag selects client.
func (c *clientFlag) wants(client int) bool { return !c.set || c.n == client }

// missing says, when the flag names a client that none of the clients
// of a log is, which clients the log has; "" otherwise.
func (c *clientFlag) missing(file string, clients []int) string {
	if !c.set || slices.Contains(clients, c.n) {
		return ""
	}
	var names []string
	for _, n := range clients {
		name := strconv.Itoa(n)
		if n == dialect.ModuleClient {
			name += " (the module-wide context)"
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return fmt.Sprintf("%s: no client %d: the log shows no client", file, c.n)
	}
	return fmt.Sprintf("%s: no client %d: the log has %s", file, c.n, strings.Join(names, ", "))
}

// sessionClients are the clients of sessions, the module's as -1.
func sessionClients(sessions []*timeline.Session) []int {
	var out []int
	for _, s := range sessions {
		out = append(out, s.Client)
	}
	return out
}

// completeValues makes shell completion offer values for the flag name
// of cmd (cobra's completion command writes the scripts).
func completeValues(cmd *cobra.Command, name string, values ...string) {
	cmd.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	})
}

// didYouMean is a hint naming the values close to a mistyped one: one
// that starts like it, or is at most two edits away. "" when none is.
func didYouMean(typed string, values []string) string {
	var close []string
	typed = strings.ToLower(typed)
	for _, v := range values {
		if typed != "" && (strings.HasPrefix(v, typed) || closeTypo(typed, v)) {
			close = append(close, fmt.Sprintf("%q", v))
		}
	}
	if len(close) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(close, " or ") + "?"
}

// closeTypo says whether typed is a typo of v: at most two edits, and
// fewer than half its letters ("foo" is no typo of "ofono").
func closeTypo(typed, v string) bool {
	d := editDistance(typed, v)
	return d <= 2 && d*2 < len(typed)
}

// refusedFlag is a flag a command takes only to refuse it: it means
// nothing there, and saying why beats "unknown flag".
type refusedFlag struct {
	name  string
	value bool // the flag takes a value (--client N)
	why   string
}

// refuseFlags registers flags, hidden, that make cmd fail with a usage
// error saying why they mean nothing.
func refuseFlags(cmd *cobra.Command, flags ...refusedFlag) {
	for _, f := range flags {
		if f.value {
			cmd.Flags().String(f.name, "", f.why)
		} else {
			cmd.Flags().Bool(f.name, false, f.why)
		}
		cmd.Flags().MarkHidden(f.name)
	}
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		for _, f := range flags {
			if c.Flags().Changed(f.name) {
				return usagef("--%s: %s", f.name, f.why)
			}
		}
		return run(c, args)
	}
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
