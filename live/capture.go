package live

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// Dir is the direction of a chunk of bytes through a tap.
type Dir uint8

const (
	ToModem   Dir = iota // from the application (host) to the modem
	FromModem            // from the modem to the application
)

// CaptureFormat is the name of the decode format a Capture writes.
const CaptureFormat = "socat"

// Capture writes chunks in socat's -x layout, which atscope reads back
// byte for byte (the socat format): a header with the direction ("> " host
// to modem, "< " modem to host, as socat prints them when the host is its
// first address), the time to the microsecond, the length and the byte
// counts of the direction, then the bytes in hex, 16 to a row, then "--":
//
//	> 2024/05/14 10:23:45.123456  length=10 from=0 to=9
//	 41 54 2b 51 4d 54 44 49 53 43
//	--
//
// Hex keeps every byte as it was (CR, LF, Ctrl-Z, binary payloads); a
// chunk is written with one Write, so a reader that follows the file never
// sees half a header. Safe for concurrent use.
type Capture struct {
	mu   sync.Mutex
	w    io.Writer
	sent [2]int64 // bytes written so far, per direction
	buf  []byte
}

// NewCapture returns a capture that writes to w.
func NewCapture(w io.Writer) *Capture { return &Capture{w: w} }

// captureRow is how many bytes a hex row holds.
const captureRow = 16

// Write records data, which went in direction dir at time t.
func (c *Capture) Write(dir Dir, t time.Time, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf[:0]
	b = append(b, "> "...)
	if dir == FromModem {
		b[0] = '<'
	}
	b = t.UTC().AppendFormat(b, "2006/01/02 15:04:05.000000")
	from := c.sent[dir]
	c.sent[dir] += int64(len(data))
	b = append(b, "  length="...)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, " from="...)
	b = strconv.AppendInt(b, from, 10)
	b = append(b, " to="...)
	b = strconv.AppendInt(b, c.sent[dir]-1, 10)
	b = append(b, '\n')
	for i, x := range data {
		b = append(b, ' ', hexDigits[x>>4], hexDigits[x&15])
		if i%captureRow == captureRow-1 || i == len(data)-1 {
			b = append(b, '\n')
		}
	}
	b = append(b, "--\n"...)
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

const hexDigits = "0123456789abcdef"
