package cli

import (
	"atscope/dialect"
	"github.com/spf13/cobra"
)

func newDialectsCmd(io *IO) *cobra.Command {
	var flags tableFlags
	cmd := &cobra.Command{
		Use:   "dialects",
		Short: "List the MQTT AT dialects atscope understands, with the modules they cover",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			form, err := flags.form()
			if err != nil {
				return err
			}
			t := newTableAs(io, form, "dialect", "description", "modules")
			for _, d := range dialect.All() {
				if err := t.row(d.Name, d.Doc, d.Modules); err != nil {
					return err
				}
			}
			return t.flush()
		},
	}
	flags.addFlags(cmd)
	return cmd
}
