package decode

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"time"
)

// SniffSize is how much of the input a Format's Sniff sees.
const SniffSize = 16 << 10

// A Format reads one kind of log file into chunks.
type Format struct {
	Name    string // stable id for --input-format: "raw", "sscom", "qcom"
	Doc     string // one line for `atscope formats`
	Example string // a literal line of this format
	// Sniff scores the first SniffSize bytes of an input from 0 (not this
	// format) to 100 (certainly this format).
	Sniff func(head []byte) int
	// Open returns a reader over r; file names the input in positions.
	Open func(r io.Reader, file string, opt Options) ChunkReader
}

// Options tune how a reader interprets what it reads.
type Options struct {
	// Date is the day for logs that stamp only the time of day (--date).
	// Zero leaves such times on 0000-01-01.
	Date time.Time
}

var formats []Format

// RegisterFormat adds f to the registry. Sniffing breaks ties in
// registration order. It panics on a duplicate name, a programming error.
func RegisterFormat(f Format) {
	if _, dup := LookupFormat(f.Name); dup {
		panic("decode: RegisterFormat called twice for " + f.Name)
	}
	formats = append(formats, f)
}

// LookupFormat finds a format by name.
func LookupFormat(name string) (Format, bool) {
	i := slices.IndexFunc(formats, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, false
	}
	return formats[i], true
}

// Formats lists the registered formats in registration order.
func Formats() []Format { return slices.Clone(formats) }

// FormatNames lists the registered format names, for error messages.
func FormatNames() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}

// SniffFormat picks the best-scoring format for head; raw wins when nothing
// else claims the input.
func SniffFormat(head []byte) Format {
	best, bestScore := Format{}, -1
	for _, f := range formats {
		if s := f.Sniff(head); s > bestScore {
			best, bestScore = f, s
		}
	}
	return best
}

// Open returns a chunk reader for r. name is a format name or "auto".
func Open(r io.Reader, file, name string, opt Options) (ChunkReader, Format, error) {
	br := bufio.NewReaderSize(r, SniffSize)
	var f Format
	if name == "" || name == "auto" {
		head, err := br.Peek(SniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, Format{}, fmt.Errorf("%s: %w", file, err)
		}
		f = SniffFormat(head)
	} else {
		var ok bool
		if f, ok = LookupFormat(name); !ok {
			return nil, Format{}, fmt.Errorf("unknown input format %q: want auto or one of %v", name, FormatNames())
		}
	}
	return f.Open(br, file, opt), f, nil
}
