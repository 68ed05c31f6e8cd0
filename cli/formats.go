package cli

import (
	"fmt"

	"atscope/decode"
	"github.com/spf13/cobra"
)

func newFormatsCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "formats",
		Short: "List the log formats atscope reads, with an example line of each",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			t := newTable(io, "format", "description", "example")
			for _, f := range decode.Formats() {
				if err := t.row(f.Name, f.Doc, fmt.Sprintf("%q", f.Example)); err != nil {
					return err
				}
			}
			return t.flush()
		},
	}
}
