package export

import (
	"encoding/json"
	"io"

	"atscope/decode"
)

// EventRecord is the JSON form of an event (one line of `atscope events
// --json`). The field names are a contract: scripts rely on them.
type EventRecord struct {
	File        string            `json:"file"`
	Line        int               `json:"line"`
	EndLine     int               `json:"end_line,omitempty"`
	Offset      int64             `json:"offset"`
	Time        string            `json:"time,omitempty"`
	TimeSource  decode.TimeSource `json:"time_source"`
	Dir         decode.Dir        `json:"dir"`
	DirInferred bool              `json:"dir_inferred,omitempty"`
	Kind        decode.Kind       `json:"kind"`
	Name        string            `json:"name,omitempty"`
	Args        string            `json:"args,omitempty"`
	Text        string            `json:"text"`
	Note        bool              `json:"note,omitempty"`
	Problem     string            `json:"problem,omitempty"`
	Seq         int               `json:"seq"`
}

// NewEventRecord converts an event.
func NewEventRecord(ev *decode.Event) EventRecord {
	r := EventRecord{
		File: ev.Pos.File, Line: ev.Pos.Line, Offset: ev.Pos.Offset, TimeSource: ev.TimeSrc,
		Dir: ev.Dir, DirInferred: ev.DirInferred, Kind: ev.Kind, Name: ev.Name, Args: ev.Args,
		Text: ev.Text, Note: ev.Note, Problem: ev.Problem, Seq: ev.Seq,
	}
	if ev.EndLine > ev.Pos.Line {
		r.EndLine = ev.EndLine
	}
	if ev.TimeSrc == decode.TimeLog {
		r.Time = FormatTime(ev.Time)
	}
	return r
}

// JSONLines writes one JSON object per line.
type JSONLines struct{ enc *json.Encoder }

// NewJSONLines returns a writer of JSON Lines to w.
func NewJSONLines(w io.Writer) *JSONLines {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONLines{enc: enc}
}

// Write writes v as one line.
func (j *JSONLines) Write(v any) error { return j.enc.Encode(v) }
