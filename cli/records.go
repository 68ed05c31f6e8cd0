package cli

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// recordCSV writes records (the structs --json prints) as CSV: a header
// line of JSON field names, then per record those fields, so that --csv
// and --json of a command carry the same names. Strings are as they are,
// numbers and booleans as JSON writes them, lists joined by spaces, and a
// field the record leaves out is empty.
type recordCSV struct {
	w      *csv.Writer
	header []string
}

func newRecordCSV(w io.Writer, header ...string) *recordCSV {
	c := &recordCSV{w: csv.NewWriter(w), header: header}
	c.w.Write(header)
	return c
}

func (c *recordCSV) write(record any) error {
	b, err := json.Marshal(record)
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	cells := make([]string, len(c.header))
	for i, h := range c.header {
		cells[i] = csvCell(fields[h])
	}
	return c.w.Write(cells)
}

// flush writes what is buffered: after each log, so a pipe sees it.
func (c *recordCSV) flush() error {
	c.w.Flush()
	return c.w.Error()
}

func csvCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = csvCell(e)
		}
		return strings.Join(parts, " ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}
