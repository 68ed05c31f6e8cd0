package live

import (
	"cmp"
	"errors"
	"io"
	"sync"
	"time"
)

// Tap passes bytes between an application (Host) and a modem (Modem),
// both ways, unchanged, and hands every chunk to Record once it is passed
// on, so recording adds no latency to the traffic.
type Tap struct {
	Host, Modem io.ReadWriteCloser
	// Record gets each chunk with its direction and the time it was read;
	// data is valid during the call. Calls do not overlap.
	Record func(dir Dir, t time.Time, data []byte)
	// Now is the wall clock (time.Now), injected.
	Now func() time.Time

	mu sync.Mutex
}

// tapBuffer is the most a single read takes: a serial port gives far less.
const tapBuffer = 32 << 10

// Run passes bytes until stop is closed or one side fails or closes, then
// closes both and returns once neither is read any more, with the error
// of the side that failed (nil when stopped or closed).
func (t *Tap) Run(stop <-chan struct{}) error {
	errs := make(chan error, 2)
	go func() { errs <- t.pass(t.Host, t.Modem, ToModem) }()
	go func() { errs <- t.pass(t.Modem, t.Host, FromModem) }()
	got := 0
	var err error
	select {
	case err = <-errs:
		got++
	case <-stop:
	}
	closeErr := errors.Join(t.Host.Close(), t.Modem.Close())
	for ; got < 2; got++ {
		<-errs
	}
	select {
	case <-stop:
		return nil // the ports were closed under the reads
	default:
		return cmp.Or(err, closeErr)
	}
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
