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
	// Origin is what its times count from when they carry no date: a
	// clock's time of day, or an offset that Options Start places.
	Origin TimeOrigin
}

// Options tune how a reader interprets what it reads.
type Options struct {
	// Date is the day for logs that stamp only the time of day (--date).
	// Zero leaves such times on 0000-01-01.
	Date time.Time

	// Start is the absolute time of a capture whose times are offsets from
	// its start: logic-analyzer exports, Zephyr and Mbed uptime stamps
	// (--start). Zero leaves such times as offsets after 0000-01-01 00:00 UTC,
	// so that "0000-01-01T00:00:01.5Z" reads "1.5 s into the capture".
	Start time.Time

	// SwapDirections flips the direction that a sniffer or logic-analyzer
	// reader assumes (--swap-directions): socat's ">" is taken as host to
	// module, which holds when the host side is socat's first address.
	// Directions a user named with TxChannel or RxChannel are not flipped.
	SwapDirections bool

	// TxChannel and RxChannel name the channel that carries host-to-module
	// (TX) and module-to-host (RX) bytes in captures of several channels: a
	// logic-analyzer channel or analyzer name, a sigrok decoder instance or
	// annotation class, a jpnevulator device, or the file of a one-channel
	// export such as Saleae Logic 1's (--tx-channel, --rx-channel). A
	// channel matches when its name contains the text, in any letter case.
	// Setting only one puts every other channel on the other side. Empty
	// leaves it to names ("TX", "RX", "host", "modem") and then to order: the
	// first channel seen is TX.
	TxChannel, RxChannel string

	// UsbEndpoint picks the AT port of a USB capture by one of its bulk
	// endpoints, as Wireshark shows usb.endpoint_address: 0x01-0x0f for the
	// OUT (host to module) endpoint, 0x81-0x8f for the IN one; the other
	// direction is matched on the same device (--usb-endpoint). Zero picks
	// the endpoint pair whose payloads look most like AT text.
	UsbEndpoint int
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

// Open returns a chunk reader for r. name is a format name or "auto". A
// gzip-compressed input, of any format, is decompressed as it is read;
// positions then count the uncompressed bytes, and a cut or damaged stream
// is the reader's error, after the bytes before it. So is UTF-16 text (with
// a byte order mark, or, in auto mode, ASCII with every other byte 0) read
// as UTF-8.
func Open(r io.Reader, file, name string, opt Options) (ChunkReader, Format, error) {
	br := bufio.NewReaderSize(r, SniffSize)
	if isGzip(br) {
		var err error
		if br, err = gunzip(br); err != nil {
			return nil, Format{}, fmt.Errorf("%s: %w", file, err)
		}
	}
	if big, bom, ok := utf16Order(br); ok && (bom || name == "" || name == "auto") {
		br = fromUTF16(br, big, bom)
	}
	var f Format
	if name == "" || name == "auto" {
		head, err := br.Peek(SniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
			return nil, Format{}, fmt.Errorf("%s: %w", file, err)
		} // else the reader meets the error after the bytes before it (a gzip cut short)
		f = SniffFormat(head)
	} else {
		var ok bool
		if f, ok = LookupFormat(name); !ok {
			return nil, Format{}, fmt.Errorf("unknown input format %q: want auto or one of %v", name, FormatNames())
		}
	}
	return f.Open(br, file, opt), f, nil
}
