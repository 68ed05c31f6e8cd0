package decode

import "time"

// Dir is the direction of serial bytes.
type Dir uint8

const (
	DirUnknown    Dir = iota // the log does not say and it could not be inferred
	DirToModule              // host to module: commands and payloads
	DirFromModule            // module to host: echoes, responses, URCs
)

var dirNames = [...]string{DirUnknown: "unknown", DirToModule: "to_module", DirFromModule: "from_module"}

func (d Dir) String() string { return enumName(dirNames[:], int(d)) }

// MarshalText makes Dir a string in JSON.
func (d Dir) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Chunk is a run of bytes from a format reader, with where and when it came
// from. Readers yield chunks in file order.
type Chunk struct {
	// Data holds serial bytes (or, for a Note, the text of a line that is not
	// serial data). Line ends that the log shows belong to Data.
	Data []byte
	// Pos is the file position of Data's first byte.
	Pos Pos
	// Verbatim is true when Data is a copy of the file's bytes at Pos, so that
	// byte i of Data sits at Pos.Offset+i. Otherwise every byte of Data is
	// attributed to Pos (hex dumps, escaped text, synthesized line ends).
	Verbatim bool
	Dir      Dir
	Time     time.Time
	TimeSrc  TimeSource
	// Note marks text that the log tool or a person added (a heading, an
	// annotation, a tool banner). The tokenizer emits it as one text event and
	// does not feed it to the AT state machine.
	Note bool
}

// ChunkReader yields the chunks of one input, in the style of bufio.Scanner:
//
//	for r.Next() { c := r.Chunk() }
//	if err := r.Err(); err != nil { ... }
//
// Chunk's Data is valid until the next call to Next. Err is what stopped
// the reading early (a read error, a file that is not of the format); like
// an io error it does not name the file, which the caller does.
type ChunkReader interface {
	Next() bool
	Chunk() Chunk
	Err() error
}
