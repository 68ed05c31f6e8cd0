package live

import (
	"cmp"
	"errors"
	"io"
	"sync"
	"time"
)

// Tap passes bytes between an application (Host) and a modem (Modem),
// both ways, unchanged, and hands every chunk to Record right after it is
// passed on. Passing on and recording hold one lock, so the capture keeps
// the order the peers saw: a modem's answer is read only after the command
// reached it, and is recorded after it too (recording outside the lock
// once put a fast answer before its command). Record is a buffered write
// of a few microseconds, the only delay the other direction can see.
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
			if werr := t.passOn(dst, dir, buf[:n]); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// passOn writes data to dst and records it, under the lock.
func (t *Tap) passOn(dst io.Writer, dir Dir, data []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	when := t.Now()
	if _, err := dst.Write(data); err != nil {
		return err
	}
	t.Record(dir, when, data)
	return nil
}
