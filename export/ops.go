package export

import (
	"atscope/dialect"
)

// OpRecord is the JSON form of an op (one line of `atscope timeline
// --json`). The field names are a contract: scripts rely on them.
type OpRecord struct {
	File       string         `json:"file"`
	Dialect    string         `json:"dialect,omitempty"`
	Client     int            `json:"client"`
	Op         dialect.OpKind `json:"op"`
	Name       string         `json:"name,omitempty"`
	Status     dialect.Status `json:"status"`
	Code       string         `json:"code,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Start      string         `json:"start,omitempty"`
	End        string         `json:"end,omitempty"`
	LatencyMS  *float64       `json:"latency_ms,omitempty"`
	Topic      string         `json:"topic,omitempty"`
	Topics     []string       `json:"topics,omitempty"`
	QoS        *int           `json:"qos,omitempty"`
	Granted    []int          `json:"granted,omitempty"`
	Retain     bool           `json:"retain,omitempty"`
	MsgID      *int           `json:"msgid,omitempty"`
	Payload    *string        `json:"payload,omitempty"`
	PayloadLen *int           `json:"payload_len,omitempty"`
	Retries    int            `json:"retries,omitempty"`
	Host       string         `json:"host,omitempty"`
	Port       int            `json:"port,omitempty"`
	TLS        bool           `json:"tls,omitempty"`
	ClientID   string         `json:"client_id,omitempty"`
	Username   string         `json:"username,omitempty"`
	KeepAlive  *int           `json:"keepalive,omitempty"`
	Notes      []string       `json:"notes,omitempty"`
	Lines      []int          `json:"lines"`
}

// NewOpRecord converts an op. Passwords are never written.
func NewOpRecord(op *dialect.Op) OpRecord {
	r := OpRecord{
		File: op.File, Dialect: op.Dialect, Client: op.Client, Op: op.Kind, Name: op.Name,
		Status: op.Status, Code: op.Code, Reason: op.Reason, Topic: op.Topic, Topics: op.Topics,
		Granted: op.Granted, Retain: op.Retain, Retries: op.Retries, Host: op.Host, Port: op.Port,
		TLS: op.TLS, ClientID: op.ClientID, Username: op.Username, Notes: op.NoteTexts(), Lines: op.Lines,
	}
	if !op.Start.IsZero() {
		r.Start = FormatTime(op.Start)
	}
	if !op.End.IsZero() {
		r.End = FormatTime(op.End)
	}
	if d, ok := op.Latency(); ok {
		ms := float64(d.Microseconds()) / 1000
		r.LatencyMS = &ms
	}
	r.QoS = optional(op.QoS)
	r.MsgID = optional(op.MsgID)
	r.PayloadLen = optional(op.PayloadLen)
	r.KeepAlive = optional(op.KeepAlive)
	if op.Kind == dialect.OpPublish || op.Kind == dialect.OpReceive {
		p := op.Payload
		r.Payload = &p
	}
	if r.Lines == nil {
		r.Lines = []int{}
	}
	return r
}

// optional maps the "not logged" marker -1 to an omitted field.
func optional(v int) *int {
	if v < 0 {
		return nil
	}
	return &v
}

// AppendJSON appends r as encoding/json writes it (without HTML
// escaping), with no newline.
func (r *OpRecord) AppendJSON(b []byte) []byte {
	b = appendJSONString(append(b, `{"file":`...), r.File)
	b = omitEmptyString(b, "dialect", r.Dialect)
	b = appendIntField(b, "client", r.Client)
	b = appendStringField(b, "op", r.Op.String())
	b = omitEmptyString(b, "name", r.Name)
	b = appendStringField(b, "status", r.Status.String())
	b = omitEmptyString(b, "code", r.Code)
	b = omitEmptyString(b, "reason", r.Reason)
	b = omitEmptyString(b, "start", r.Start)
	b = omitEmptyString(b, "end", r.End)
	b = omitNilFloat(b, "latency_ms", r.LatencyMS)
	b = omitEmptyString(b, "topic", r.Topic)
	b = omitEmptyStrings(b, "topics", r.Topics)
	b = omitNilInt(b, "qos", r.QoS)
	b = omitEmptyInts(b, "granted", r.Granted)
	b = omitFalse(b, "retain", r.Retain)
	b = omitNilInt(b, "msgid", r.MsgID)
	b = omitNilString(b, "payload", r.Payload)
	b = omitNilInt(b, "payload_len", r.PayloadLen)
	b = omitZeroInt(b, "retries", r.Retries)
	b = omitEmptyString(b, "host", r.Host)
	b = omitZeroInt(b, "port", r.Port)
	b = omitFalse(b, "tls", r.TLS)
	b = omitEmptyString(b, "client_id", r.ClientID)
	b = omitEmptyString(b, "username", r.Username)
	b = omitNilInt(b, "keepalive", r.KeepAlive)
	b = omitEmptyStrings(b, "notes", r.Notes)
	b = appendIntsField(b, "lines", r.Lines)
	return append(b, '}')
}
