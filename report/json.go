package report

import (
	"encoding/json"
	"io"
)

// WriteDiffJSON writes a diff as one indented JSON document.
func WriteDiffJSON(w io.Writer, d *Diff) error { return writeJSON(w, d) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
