package export

import (
	"encoding/json"
	"io"
)

// JSONLines writes one JSON object per line.
type JSONLines struct {
	w    io.Writer
	enc  *json.Encoder
	line []byte // reused by the records' own encoders
}

// NewJSONLines returns a writer of JSON Lines to w.
func NewJSONLines(w io.Writer) *JSONLines {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONLines{w: w, enc: enc}
}

// Write writes v as one line.
func (j *JSONLines) Write(v any) error { return j.enc.Encode(v) }

// WriteEvent writes r as one line: the bytes of Write(r), without
// reflection.
func (j *JSONLines) WriteEvent(r *EventRecord) error { return j.writeLine(r.AppendJSON(j.line[:0])) }

// WriteOp writes r as one line: the bytes of Write(r), without reflection.
func (j *JSONLines) WriteOp(r *OpRecord) error { return j.writeLine(r.AppendJSON(j.line[:0])) }

func (j *JSONLines) writeLine(line []byte) error {
	j.line = append(line, '\n')
	_, err := j.w.Write(j.line)
	return err
}
