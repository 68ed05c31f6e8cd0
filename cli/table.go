package cli

import (
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// table prints rows as an aligned table on a terminal. Otherwise it streams
// tab-separated values with a header line, so that pipes get every row at
// once and memory does not grow.
type table struct {
	io     *IO
	header []string
	rows   [][]string
}

func newTable(io *IO, header ...string) *table {
	t := &table{io: io, header: header}
	if !io.IsTerminal {
		t.writeTSV(header)
	}
	return t
}

var tsvEscaper = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

func (t *table) writeTSV(cells []string) error {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(tsvEscaper.Replace(c))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(t.io.Out, b.String())
	return err
}

func (t *table) row(cells ...string) error {
	if !t.io.IsTerminal {
		return t.writeTSV(cells)
	}
	t.rows = append(t.rows, cells)
	return nil
}

func (t *table) flush() error {
	if !t.io.IsTerminal {
		return nil
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
