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
		Long: `List the log formats atscope reads, with an example line of each. Any of
them may be gzip-compressed (a .gz file, or gzip on standard input): it is
decompressed as it is read, and lines and byte offsets are those of the
uncompressed log. A gzip file cut short is an error that says where, after
what came before the cut.`,
		Args: noArgs,
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
