package export

import "atscope/decode"

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
	// Length is what is wrong with a declared payload length ("short",
	// "long", "invalid"); Have and Declared are the payload's length in the
	// log and as declared, for short and long.
	Length   string `json:"length,omitempty"`
	Have     *int   `json:"have,omitempty"`
	Declared *int   `json:"declared,omitempty"`
	// AnswerTo is "read" or "test" on a line answering a read or test
	// command, which reports no operation.
	AnswerTo string `json:"answer_to,omitempty"`
	Seq      int    `json:"seq"`
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
	if ev.Length != decode.LengthOK {
		r.Length = ev.Length.String()
	}
	if ev.Length == decode.LengthShort || ev.Length == decode.LengthLong {
		have, declared := int(ev.Have), int(ev.Declared)
		r.Have, r.Declared = &have, &declared
	}
	if ev.AnswersQuery() {
		r.AnswerTo = ev.AnswerTo.String()
	}
	return r
}

// AppendJSON appends r as encoding/json writes it (without HTML
// escaping), with no newline.
func (r *EventRecord) AppendJSON(b []byte) []byte {
	b = appendJSONString(append(b, `{"file":`...), r.File)
	b = appendIntField(b, "line", r.Line)
	b = omitZeroInt(b, "end_line", r.EndLine)
	b = appendIntField(b, "offset", r.Offset)
	b = omitEmptyString(b, "time", r.Time)
	b = appendStringField(b, "time_source", r.TimeSource.String())
	b = appendStringField(b, "dir", r.Dir.String())
	b = omitFalse(b, "dir_inferred", r.DirInferred)
	b = appendStringField(b, "kind", r.Kind.String())
	b = omitEmptyString(b, "name", r.Name)
	b = omitEmptyString(b, "args", r.Args)
	b = appendStringField(b, "text", r.Text)
	b = omitFalse(b, "note", r.Note)
	b = omitEmptyString(b, "problem", r.Problem)
	b = omitEmptyString(b, "length", r.Length)
	b = omitNilInt(b, "have", r.Have)
	b = omitNilInt(b, "declared", r.Declared)
	b = omitEmptyString(b, "answer_to", r.AnswerTo)
	b = appendIntField(b, "seq", r.Seq)
	return append(b, '}')
}
