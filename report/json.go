package report

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error { return writeJSON(w, r) }

// WriteDiffJSON writes a diff as one indented JSON document.
func WriteDiffJSON(w io.Writer, d *Diff) error { return writeJSON(w, d) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
