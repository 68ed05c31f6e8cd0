package cli

import (
	"fmt"

	"atscope/decode"
	"github.com/spf13/cobra"
)

func newFormatsCmd(io *IO) *cobra.Command {
	var flags tableFlags
	cmd := &cobra.Command{
		Use:   "formats",
		Short: "List the log formats atscope reads, with an example line of each",
		Long: `List the log formats atscope reads, with an example line of each. Any of
them may be gzip-compressed (a .gz file, or gzip on standard input): it is
decompressed as it is read, and lines and byte offsets are those of the
uncompressed log. A gzip file cut short is an error that says where, after
what came before the cut.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			form, err := flags.form()
			if err != nil {
				return err
			}
			t := newTableAs(io, form, "format", "description", "example")
			for _, f := range decode.Formats() {
				example := f.Example
				if form == formText { // quoted: examples hold blanks, tabs and control bytes
					example = fmt.Sprintf("%q", example)
				}
				if err := t.row(f.Name, f.Doc, example); err != nil {
					return err
				}
			}
			return t.flush()
		},
	}
	flags.addFlags(cmd)
	return cmd
}
