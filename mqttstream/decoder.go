package mqttstream

import "fmt"

type mode uint8

const (
	modeGuess  mode = iota // first bytes: which protocol?
	modeSync               // a packet starts at buf[0]
	modeSkip               // dropping the rest of a packet cut by a gap of known length
	modeHunt               // looking for the next packet start
	modeOpaque             // not MQTT: bytes are counted, not decoded
)

// maxHuntLength bounds the remaining length a packet found while hunting may
// claim, so a hunt never waits for megabytes on a false start.
const maxHuntLength = 1 << 16

// decoder turns a stream's bytes into packets. It decides only from the
// bytes it holds and whether more can follow before a gap or the end
// (ending), never from how they were split: that is what makes it
// chunking-invariant.
type decoder struct {
	dir      Dir
	proto    Protocol
	mode     mode
	buf      []byte
	base     int64 // stream offset of buf[0]
	skipLeft int64 // modeSkip: bytes still to drop
	huntFrom int64 // modeHunt: offset the hunt began
	skipped  int64 // modeHunt: bytes rejected so far
	ending   bool  // a gap or the stream's end follows buf
	closed   bool
	packets  []Packet
	problems []Problem
}

func (d *decoder) problem(off int64, format string, args ...any) {
	d.problems = append(d.problems, Problem{Offset: off, Text: fmt.Sprintf(format, args...)})
}

func (d *decoder) write(b []byte) {
	if d.closed {
		return
	}
	d.buf = append(d.buf, b...)
	d.run()
}

// drop forgets the first n buffered bytes.
func (d *decoder) drop(n int) {
	d.buf = d.buf[n:]
	d.base += int64(n)
	if len(d.buf) == 0 {
		d.buf = nil // let a large packet's buffer go
	}
}

func (d *decoder) run() {
	for d.step() {
	}
}

// step makes one decision; it reports whether it made progress.
func (d *decoder) step() bool {
	switch d.mode {
	case modeGuess:
		return d.guessStep()
	case modeSync:
		return d.syncStep()
	case modeSkip:
		n := int(min(d.skipLeft, int64(len(d.buf))))
		d.drop(n)
		d.skipLeft -= int64(n)
		if d.skipLeft == 0 {
			d.mode = modeSync
			return true
		}
		return false
	case modeHunt:
		return d.huntStep()
	}
	d.drop(len(d.buf)) // modeOpaque
	return false
}

func (d *decoder) guessStep() bool {
	p := guessProtocol(d.buf, d.ending)
	if p == Undecided {
		return false
	}
	d.proto = p
	switch p {
	case MQTT:
		d.mode = modeSync
	case Unknown:
		d.problem(d.base, "stream starts with byte 0x%02x: %s", d.buf[0], p.Explain())
		d.mode = modeOpaque
	default:
		d.mode = modeOpaque
	}
	return true
}

func (d *decoder) syncStep() bool {
	h, st, why := readHeader(d.buf)
	switch {
	case st == headerBad:
		d.problem(d.base, "byte 0x%02x cannot start an MQTT packet (%s): looking for the next packet", d.buf[0], why)
		d.startHunt(d.base)
		return true
	case st == headerShort:
		if d.ending && len(d.buf) > 0 {
			d.problem(d.base, "the bytes end inside a packet header (%d bytes: % x)", len(d.buf), d.buf)
			d.drop(len(d.buf))
		}
		return false
	case len(d.buf) < h.total():
		if d.closed {
			d.packets = append(d.packets, decodeFrame(d.dir, d.buf, h, d.base))
			d.drop(len(d.buf))
		}
		return false
	}
	d.packets = append(d.packets, decodeFrame(d.dir, d.buf[:h.total()], h, d.base))
	d.drop(h.total())
	return true
}

func (d *decoder) startHunt(from int64) {
	d.mode, d.huntFrom, d.skipped = modeHunt, from, 0
}

// endHunt reports what the hunt passed over.
func (d *decoder) endHunt() {
	if d.skipped > 0 {
		d.problem(d.huntFrom, "%d bytes skipped: no MQTT packet decodes there", d.skipped)
	}
	d.skipped = 0
}

func (d *decoder) huntStep() bool {
	for i := range d.buf {
		switch d.candidate(d.buf[i:], 2) {
		case accept:
			d.skipped += int64(i)
			d.drop(i)
			d.endHunt()
			d.mode, d.proto = modeSync, MQTT
			return true
		case wait:
			d.skipped += int64(i)
			d.drop(i)
			return false
		}
	}
	d.skipped += int64(len(d.buf))
	d.drop(len(d.buf))
	if d.closed {
		d.endHunt()
	}
	return false
}

type verdict uint8

const (
	reject verdict = iota
	accept
	wait
)

// candidate judges whether a packet starts at b[0]: it must decode without a
// problem, and so must the next depth-1 packets, unless the bytes end first.
func (d *decoder) candidate(b []byte, depth int) verdict {
	if depth == 0 || (len(b) == 0 && d.ending) {
		return accept
	}
	h, st, _ := readHeader(b)
	switch {
	case st == headerBad, h.remaining > maxHuntLength:
		return reject
	case st == headerShort, len(b) < h.total():
		if d.ending {
			return reject
		}
		return wait
	}
	if p := decodeFrame(d.dir, b[:h.total()], h, 0); len(p.Problems) > 0 {
		return reject
	}
	if len(b) == h.total() && !d.ending {
		return wait
	}
	return d.candidate(b[h.total():], depth-1)
}

// gap handles n lost bytes at offset at (n < 0: an unknown count).
func (d *decoder) gap(at, n int64) {
	if d.closed {
		return
	}
	d.ending = true
	d.run()
	d.ending = false
	if n < 0 {
		d.problem(at, "bytes lost here, count unknown")
	} else {
		d.problem(at, "%d byte(s) lost here", n)
	}
	switch d.mode {
	case modeGuess: // the stream starts after lost bytes
		d.startHunt(at)
	case modeSync:
		d.gapInPacket(at, n)
	case modeSkip:
		if n < 0 || n > d.skipLeft {
			d.startHunt(at)
		} else {
			d.skipLeft -= n
		}
	}
	d.buf, d.base = nil, at+max(n, 0)
}

// gapInPacket reports the packet a gap cut, and skips to its end when the
// gap's length and the packet's are both known.
func (d *decoder) gapInPacket(at, n int64) {
	if len(d.buf) == 0 {
		d.startHunt(at)
		return
	}
	h, st, _ := readHeader(d.buf)
	if st != headerOK { // header cut: reported by syncStep
		d.startHunt(at)
		return
	}
	d.packets = append(d.packets, decodeFrame(d.dir, d.buf, h, d.base))
	end := d.base + int64(h.total())
	d.drop(len(d.buf))
	if n < 0 || end < at+n {
		d.startHunt(at)
		return
	}
	d.mode, d.skipLeft = modeSkip, end-(at+n)
	if d.skipLeft == 0 {
		d.mode = modeSync
	}
}

func (d *decoder) close() {
	if d.closed {
		return
	}
	d.ending, d.closed = true, true
	d.run()
	if d.mode == modeSkip && d.skipLeft > 0 {
		d.problem(d.base, "the stream ends %d bytes before the end of the cut packet", d.skipLeft)
	}
}
