package live

import (
	"errors"
	"io"
	"sync"
	"time"
)

// Tap passes bytes between an application (Host) and a modem (Modem),
// both ways, unchanged, and hands every chunk to Record once it is passed
// on, so recording adds no latency to the traffic.
type Tap struct {
	Host, Modem io.ReadWriter
	// Record gets each chunk with its direction and the time it was read;
	// data is valid during the call. Calls do not overlap.
	Record func(dir Dir, t time.Time, data []byte)
	// Now is the wall clock (time.Now), injected.
	Now func() time.Time

	mu sync.Mutex
}

// tapBuffer is the most a single read takes: a serial port gives far less.
const tapBuffer = 32 << 10

// Run passes bytes until one side fails or closes (Close of the ports
// ends it) and returns that side's error; a closed port is no error.
func (t *Tap) Run() error {
	errs := make(chan error, 2)
	go func() { errs <- t.pass(t.Host, t.Modem, ToModem) }()
	go func() { errs <- t.pass(t.Modem, t.Host, FromModem) }()
	return <-errs
}

// pass copies from src to dst, recording each chunk.
func (t *Tap) pass(src io.Reader, dst io.Writer, dir Dir) error {
	buf := make([]byte, tapBuffer)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			when := t.Now()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
			t.mu.Lock()
			t.Record(dir, when, buf[:n])
			t.mu.Unlock()
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
