package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"
)

// table prints rows as an aligned table on a terminal. Otherwise it streams
// tab-separated values with a header line, so that pipes get every row at
// once and memory does not grow; with --csv it streams CSV with a header
// line, with --json JSON Lines, one object per row keyed by the header.
type table struct {
	io     *IO
	form   tableForm
	header []string
	rows   [][]string
	csv    *csv.Writer
	// numbersFrom is the first column of numbers, right-aligned on a
	// terminal with all after it; len(header) when none.
	numbersFrom int
	line        []byte // a TSV row, reused: events writes millions
}

// tableForm is how a table is printed: aligned or TSV as the output is a
// terminal or not, or as asked by --csv or --json.
type tableForm int

const (
	formText tableForm = iota
	formCSV
	formJSON
)

// tableFlags are --json and --csv of a command that prints a table.
type tableFlags struct{ json, csv bool }

func (f *tableFlags) addFlags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.json, "json", false, "print JSON Lines, one object per row")
	cmd.Flags().BoolVar(&f.csv, "csv", false, "print CSV with a header line, one record per row")
}

func (f *tableFlags) form() (tableForm, error) {
	switch {
	case f.json && f.csv:
		return formText, usagef("--json and --csv exclude each other")
	case f.json:
		return formJSON, nil
	case f.csv:
		return formCSV, nil
	}
	return formText, nil
}

func newTable(io *IO, header ...string) *table { return newTableAs(io, formText, header...) }

func newTableAs(io *IO, form tableForm, header ...string) *table {
	t := &table{io: io, form: form, header: header, numbersFrom: len(header)}
	switch {
	case form == formCSV:
		t.csv = csv.NewWriter(io.Out)
		t.csv.Write(header)
	case form == formText && !io.IsTerminal:
		t.writeTSV(header)
	}
	return t
}

// alignNumbersFrom right-aligns the column named name and those after it.
func (t *table) alignNumbersFrom(name string) *table {
	for i, h := range t.header {
		if h == name {
			t.numbersFrom = i
		}
	}
	return t
}

func (t *table) writeTSV(cells []string) error {
	b := t.line[:0]
	for i, c := range cells {
		if i > 0 {
			b = append(b, '\t')
		}
		b = appendTSVCell(b, c)
	}
	b = append(b, '\n')
	t.line = b
	_, err := t.io.Out.Write(b)
	return err
}

// appendTSVCell appends a cell with its tabs and line ends made spaces.
func appendTSVCell(b []byte, c string) []byte {
	for {
		i := strings.IndexAny(c, "\t\n\r")
		if i < 0 {
			return append(b, c...)
		}
		b = append(append(b, c[:i]...), ' ')
		c = c[i+1:]
	}
}

func (t *table) row(cells ...string) error {
	switch {
	case t.form == formCSV:
		t.csv.Write(cells)
		return t.csv.Error()
	case t.form == formJSON:
		return t.writeJSON(cells)
	case !t.io.IsTerminal:
		return t.writeTSV(cells)
	}
	t.rows = append(t.rows, cells)
	return nil
}

// writeJSON writes a row as one JSON object, its keys the header in
// snake case ("looks for": "looks_for"), in the header's order.
func (t *table) writeJSON(cells []string) error {
	b := []byte{'{'}
	for i, h := range t.header {
		if i > 0 {
			b = append(b, ',')
		}
		key, _ := json.Marshal(strings.ReplaceAll(h, " ", "_"))
		val, _ := json.Marshal(cellAt(cells, i))
		b = append(append(append(b, key...), ':'), val...)
	}
	_, err := t.io.Out.Write(append(b, '}', '\n'))
	return err
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func (t *table) flush() error {
	if t.form == formCSV {
		t.csv.Flush()
		return t.csv.Error()
	}
	if t.form == formJSON || !t.io.IsTerminal {
		return nil
	}
	header := make([]string, len(t.header))
	for i, h := range t.header {
		header[i] = strings.ToUpper(h)
	}
	return renderTable(t.io.Out, " ", header, t.rows, t.numbersFrom)
}

// renderTable is the one tablewriter configuration of every table atscope
// prints: no borders and no column rules, cells two spaces apart, a rule
// under the header (none without one), headers and text left-aligned and
// the columns from numbersFrom on right-aligned, each line after indent
// with no trailing blanks. Widths are display widths measured by the library, so a
// CJK topic takes two columns a character; East Asian ambiguous characters
// count one whatever the locale, so the output is the same everywhere.
func renderTable(w io.Writer, indent string, header []string, rows [][]string, numbersFrom int) error {
	n := len(header)
	for _, r := range rows {
		n = max(n, len(r))
	}
	align := make([]tw.Align, n)
	for i := range align {
		align[i] = tw.AlignLeft
		if i >= numbersFrom {
			align[i] = tw.AlignRight
		}
	}
	var buf bytes.Buffer
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Borders: tw.BorderNone,
			Settings: tw.Settings{Separators: tw.Separators{BetweenColumns: tw.Off}, Lines: tw.Lines{ShowHeaderLine: tw.On}}})),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithPadding(tw.Padding{Left: " ", Right: " ", Overwrite: true}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: align}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: align}),
	)
	if len(header) > 0 {
		tbl.Header(toAny(header)...)
	}
	for _, r := range rows {
		if err := tbl.Append(toAny(r)...); err != nil {
			return err
		}
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		// Each cell is padded with a blank either side: the first is the
		// indent's to give, the last's trails.
		if line = strings.TrimPrefix(strings.TrimRight(line, " \n"), " "); line != "" {
			out.WriteString(indent + line + "\n")
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// displayWidth is how many terminal columns s takes, as renderTable
// measures it: East Asian wide characters two, combining marks none.
func displayWidth(s string) int { return twwidth.WidthWithOptions(s, twwidth.Options{}) }

func toAny(s []string) []any {
	a := make([]any, len(s))
	for i, v := range s {
		a[i] = v
	}
	return a
}
