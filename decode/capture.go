package decode

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Helpers shared by the readers of sniffer, logic-analyzer and host-stack
// captures: naming the direction of a channel, offsets from a capture's
// start, and the escapes those tools use for control bytes.

// maxChannels bounds how many channel names a reader remembers; names past
// it get no direction, so that a garbage file cannot grow the table.
const maxChannels = 64

// channelDirs assigns a direction to each channel of a capture that records
// several (jpnevulator devices, analyzer channels, sigrok decoder instances),
// once, when the channel first appears:
//
//  1. a channel that TxChannel or RxChannel names is what the user says;
//  2. otherwise its name decides when it says (nameDir) and that direction
//     is not taken yet by an earlier channel;
//  3. otherwise the first free direction in order: to the module, then from it.
//
// SwapDirections flips what steps 2 and 3 assumed.
type channelDirs struct {
	opt   Options
	names []string
	dirs  []Dir
}

func (c *channelDirs) dir(name string) Dir {
	for i, n := range c.names {
		if n == name {
			return c.dirs[i]
		}
	}
	if len(c.names) >= maxChannels {
		return DirUnknown
	}
	d := c.assign(name)
	c.names = append(c.names, name)
	c.dirs = append(c.dirs, d)
	return d
}

func (c *channelDirs) assign(name string) Dir {
	if d, ok := userChannelDir(name, c.opt); ok {
		return d
	}
	taken := func(d Dir) bool {
		for _, t := range c.dirs {
			if t == swapDir(d, c.opt) {
				return true
			}
		}
		return false
	}
	d := nameDir(name)
	if d == DirUnknown || taken(d) {
		switch {
		case !taken(DirToModule):
			d = DirToModule
		case !taken(DirFromModule):
			d = DirFromModule
		default:
			return DirUnknown
		}
	}
	return swapDir(d, c.opt)
}

// userChannelDir applies TxChannel and RxChannel to a channel name.
func userChannelDir(name string, opt Options) (Dir, bool) {
	tx, rx := opt.TxChannel != "", opt.RxChannel != ""
	switch {
	case tx && containsFold(name, opt.TxChannel):
		return DirToModule, true
	case rx && containsFold(name, opt.RxChannel):
		return DirFromModule, true
	case tx && !rx:
		return DirFromModule, true
	case rx && !tx:
		return DirToModule, true
	case tx && rx:
		return DirUnknown, true
	}
	return DirUnknown, false
}

// fileChannelDir is the direction of a capture that holds one channel per
// file (a Saleae Logic 1 export): what TxChannel or RxChannel say of the
// file's name, else what the name says ("uart_tx.csv"), else unknown, for
// the tokenizer to infer.
func fileChannelDir(file string, opt Options) Dir {
	name := filepath.Base(file)
	if d, ok := userChannelDir(name, opt); ok {
		return d
	}
	return swapDir(nameDir(strings.TrimSuffix(name, filepath.Ext(name))), opt)
}

// nameDir reads a direction from a channel name. TX and RX are the host's
// lines unless the name says the channel is the module's: "TX", "MCU_TX",
// "host" and "modem RX" carry bytes to the module; "RX", "host rx", "modem"
// and "Modem TX" carry bytes from it.
func nameDir(name string) Dir {
	n := strings.ToLower(name)
	tx, rx := strings.Contains(n, "tx"), strings.Contains(n, "rx")
	if tx == rx {
		tx, rx = false, false
	}
	module := strings.Contains(n, "modem") || strings.Contains(n, "module") || strings.Contains(n, "dce")
	host := strings.Contains(n, "host") || strings.Contains(n, "mcu") || strings.Contains(n, "dte")
	switch {
	case module && !host:
		if rx {
			return DirToModule
		}
		return DirFromModule
	case host && !module:
		if rx {
			return DirFromModule
		}
		return DirToModule
	case tx:
		return DirToModule
	case rx:
		return DirFromModule
	}
	return DirUnknown
}

// swapDir flips an assumed direction when the user asked for it.
func swapDir(d Dir, opt Options) Dir {
	if !opt.SwapDirections {
		return d
	}
	switch d {
	case DirToModule:
		return DirFromModule
	case DirFromModule:
		return DirToModule
	}
	return d
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// TimeOrigin is what a format's undated times count from, so that a
// summary says "from the capture's start" rather than "time of day".
type TimeOrigin uint8

const (
	OriginClock   TimeOrigin = iota // a clock's time of day (--date sets the day)
	OriginCapture                   // the capture's start (or trigger): logic analyzers
	OriginBoot                      // the device's boot: uptime stamps
)

// Offset reports whether the times are offsets, which Options Start
// (--start) places on the clock.
func (o TimeOrigin) Offset() bool { return o != OriginClock }

// captureEpoch is where offsets from a capture's start count from when the
// user gave no --start: the same zero day as logs with a time of day only.
var captureEpoch = time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC)

// offsetStamp makes a Stamp of an offset from the capture's start.
func offsetStamp(d time.Duration, opt Options) Stamp {
	if opt.Start.IsZero() {
		return Stamp{Time: captureEpoch.Add(d)}
	}
	return Stamp{Time: opt.Start.Add(d), HasDate: true}
}

// parseSeconds reads a decimal number of seconds ("0.042980320000000",
// "-1.5e-06") as a duration, to the nanosecond.
func parseSeconds(s string) (time.Duration, bool) {
	if s == "" || len(s) > 40 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return time.Duration(math.Round(f * 1e9)), true
}

// controlNames are the ASCII names serial tools print for control bytes
// ("CR", "LF", "ESC"), indexed by byte value.
var controlNames = [33]string{
	"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
	"SPACE",
}

// controlByte looks a control name up, in any letter case; "TAB" and "DEL"
// are accepted too.
func controlByte(name []byte) (byte, bool) {
	for i, n := range controlNames {
		if len(n) == len(name) && startsWithFold(name, strings.ToLower(n)) {
			return byte(i), true
		}
	}
	switch {
	case bytes.EqualFold(name, []byte("TAB")):
		return '\t', true
	case bytes.EqualFold(name, []byte("DEL")):
		return 0x7f, true
	}
	return 0, false
}

// stripANSI removes terminal colour sequences (ESC '[' ... final byte),
// which consoles of Zephyr, Mbed and slsnif write around their lines. It
// returns b itself when there are none.
func stripANSI(b []byte) []byte {
	if bytes.IndexByte(b, 0x1b) < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] >= 0x30 && b[j] <= 0x3f || b[j] >= 0x20 && b[j] <= 0x2f) {
				j++
			}
			if j < len(b) {
				i = j // the final byte
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// lineText is a line without its line end and without a UTF-8 byte order
// mark at the start of the file.
func lineText(l Line) []byte { return l.Text()[bomSkip(l):] }

// bomSkip is the length of a UTF-8 byte order mark that starts the file on
// l, or 0.
func bomSkip(l Line) int {
	if l.Pos.Offset == 0 && !l.Cont && bytes.HasPrefix(l.Bytes, []byte("\xEF\xBB\xBF")) {
		return 3
	}
	return 0
}

// blank reports whether b holds only spaces, tabs and line ends.
func blank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// decoded makes a chunk of bytes decoded from line l (hex, escapes): not
// verbatim, attributed to the line, or to byte at of it.
func decoded(l Line, at int, data []byte, dir Dir, st Stamp) Chunk {
	at = min(max(at, 0), len(l.Bytes))
	return Chunk{
		Data:    data,
		Pos:     Pos{File: l.Pos.File, Line: l.Pos.Line, Offset: l.Pos.Offset + int64(at)},
		Dir:     dir,
		Time:    st.Time,
		TimeSrc: st.source(),
	}
}

// noteAt is a note of text about line l that the log does not hold in
// these words ("framing error on 0x00"), attributed to byte at of the line.
func noteAt(l Line, at int, st Stamp, format string, args ...any) Chunk {
	c := decoded(l, at, []byte(fmt.Sprintf(format, args...)), DirUnknown, st)
	c.Note = true
	return c
}

// captureHeadLines calls fn with each non-blank line of a sniffed head,
// without its line end, until fn returns false. The last piece of a full
// head is cut off mid-line and is skipped.
func captureHeadLines(head []byte, fn func(line []byte) bool) {
	cut := len(head) >= SniffSize
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
			if cut {
				return
			}
		}
		line = bytes.TrimRight(line, "\r")
		if !blank(line) && !fn(line) {
			return
		}
	}
}

// sniffShare scores a head by the share of its non-blank lines that match:
// none scores 0; otherwise hits matching lines score at least floor, and
// floor plus up to 100-floor for the share. need is how many hits count as
// evidence at all (one match in a long file may be chance).
func sniffShare(head []byte, floor, need int, match func(line []byte) bool) int {
	hits, total := 0, 0
	captureHeadLines(head, func(line []byte) bool {
		total++
		if match(line) {
			hits++
		}
		return true
	})
	if hits == 0 || hits < need && hits < total {
		return 0
	}
	return floor + (100-floor)*hits/total
}
