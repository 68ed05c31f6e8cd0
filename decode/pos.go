package decode

import (
	"fmt"
	"time"
)

// Pos is a place in an input file. Line is 1-based; Offset is the 0-based
// byte offset of the first byte. A Pos with Line 0 is unknown.
type Pos struct {
	File   string
	Line   int
	Offset int64
}

// String formats p as "file:line", the form editors and grep understand.
func (p Pos) String() string {
	switch {
	case p.Line == 0 && p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// TimeSource says where an event's time came from.
type TimeSource uint8

const (
	TimeNone TimeSource = iota // the log has no time for this event
	TimeLog                    // the log tool stamped it ("[00:15:17.475]")
)

var timeSourceNames = [...]string{TimeNone: "none", TimeLog: "log"}

func (t TimeSource) String() string { return enumName(timeSourceNames[:], int(t)) }

// MarshalText makes TimeSource a string in JSON.
func (t TimeSource) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Stamp is a logged time. Date is false when the log gave only the time of
// day; such times carry the zero date 0000-01-01 unless the user supplied one.
type Stamp struct {
	Time    time.Time
	HasDate bool
}

func enumName(names []string, i int) string {
	if i >= 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprintf("%d", i)
}
