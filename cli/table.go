package cli

import (
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// table prints rows as an aligned table on a terminal and as tab-separated
// values with a header line otherwise, so that pipes get every byte.
type table struct {
	io     *IO
	header []string
	rows   [][]string
}

func newTable(io *IO, header ...string) *table { return &table{io: io, header: header} }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) flush() error {
	if !t.io.IsTerminal {
		var b strings.Builder
		for _, r := range append([][]string{t.header}, t.rows...) {
			for i, c := range r {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c))
			}
			b.WriteByte('\n')
		}
		_, err := t.io.Out.Write([]byte(b.String()))
		return err
	}
	tbl := tablewriter.NewTable(t.io.Out,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Borders: tw.BorderNone,
			Settings: tw.Settings{Separators: tw.Separators{BetweenColumns: tw.Off}, Lines: tw.Lines{ShowHeaderLine: tw.On}}})),
		tablewriter.WithRowAutoWrap(tw.WrapTruncate),
		tablewriter.WithHeaderAutoFormat(tw.On),
	)
	tbl.Header(toAny(t.header)...)
	for _, r := range t.rows {
		if err := tbl.Append(toAny(r)...); err != nil {
			return err
		}
	}
	return tbl.Render()
}

func toAny(s []string) []any {
	a := make([]any, len(s))
	for i, v := range s {
		a[i] = v
	}
	return a
}
