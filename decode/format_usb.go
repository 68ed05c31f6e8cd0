package decode

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// usbFormat reads USB captures of a modem whose AT port is a USB serial
// function (CDC ACM, or the vendor serial interfaces of Quectel and SIMCom
// modules), in pcap or pcapng, from
//
//	usbmon on Linux:  tshark -i usbmon1 -w capture.pcapng (link type USB_LINUX_MMAPPED, or USB_LINUX)
//	USBPcap on Windows: USBPcapCMD.exe -d \\.\USBPcap1 -o capture.pcap (link type USBPCAP)
//
// Bulk OUT transfers carry bytes from the host to the module, bulk IN from
// the module to the host, each with the capture's time stamp. A modem has
// several serial interfaces (diagnostics, NMEA, AT, PPP); the reader takes
// the pair of bulk endpoints on one device whose payloads look most like AT
// text (commands on OUT, OK and +URCs on IN), or the one Options UsbEndpoint
// names. To decide, it holds up to usbHoldPackets packets. Notes say which
// endpoints were taken and how many packets of other endpoints and
// transfer types were left out. A chunk's position is the frame number (as
// Wireshark numbers frames) in place of a line, and the file offset of the
// payload.
var usbFormat = Format{
	Name:    "usb",
	Doc:     "USB captures of the AT port (pcap/pcapng from usbmon or USBPcap): bulk OUT is host to module, IN module to host",
	Example: "pcapng (0a 0d 0d 0a) or pcap (d4 c3 b2 a1) with link type USB_LINUX_MMAPPED (220), USB_LINUX (189) or USBPCAP (249)",
	Sniff:   sniffUSB,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		cr := &countingReader{r: r}
		return &usbReader{file: file, opt: opt, cr: cr, br: bufio.NewReaderSize(cr, 64<<10)}
	},
}

// Link types of USB captures [https://www.tcpdump.org/linktypes.html].
const (
	linkTypeUSBLinux        = layers.LinkType(189) // usbmon, 48-byte header
	linkTypeUSBLinuxMmapped = layers.LinkType(220) // usbmon, 64-byte header
	linkTypeUSBPcap         = layers.LinkType(249) // USBPcap
)

func isUSBLinkType(lt layers.LinkType) bool {
	return lt == linkTypeUSBLinux || lt == linkTypeUSBLinuxMmapped || lt == linkTypeUSBPcap
}

const (
	pcapngSHB = 0x0A0D0D0A
	pcapngBOM = 0x1A2B3C4D
)

// sniffUSB recognises pcap and pcapng by their magic numbers. A capture of
// another link type scores lower: it is still no text log, and the reader
// says what it holds.
func sniffUSB(head []byte) int {
	if len(head) < 24 {
		return 0
	}
	le, be := binary.LittleEndian, binary.BigEndian
	var order binary.ByteOrder
	switch {
	case le.Uint32(head) == 0xA1B2C3D4 || le.Uint32(head) == 0xA1B23C4D:
		order = le
	case be.Uint32(head) == 0xA1B2C3D4 || be.Uint32(head) == 0xA1B23C4D:
		order = be
	}
	if order != nil {
		if isUSBLinkType(layers.LinkType(order.Uint32(head[20:24]) & 0xFFFF)) {
			return 100
		}
		return 60
	}
	if le.Uint32(head) != pcapngSHB {
		return 0
	}
	switch {
	case le.Uint32(head[8:]) == pcapngBOM:
		order = le
	case be.Uint32(head[8:]) == pcapngBOM:
		order = be
	default:
		return 0
	}
	shb := int(order.Uint32(head[4:]))
	if shb < 28 || shb+16 > len(head) || order.Uint32(head[shb:]) != 1 {
		return 80 // no interface in view
	}
	if isUSBLinkType(layers.LinkType(order.Uint16(head[shb+8:]))) {
		return 100
	}
	return 60
}

// countingReader counts the bytes read through it, so that, less what a
// bufio.Reader holds, the reader knows its offset in the file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// usbKey names a USB endpoint: bus, device address, endpoint address with
// the direction bit (0x80 for IN).
type usbKey struct {
	bus, dev uint16
	ep       uint8
}

func (k usbKey) in() bool { return k.ep&0x80 != 0 }

func (k usbKey) String() string { return fmt.Sprintf("%d.%d.0x%02x", k.bus, k.dev, k.ep) }

// usbPacket is a bulk transfer with payload, held until the AT port is known.
type usbPacket struct {
	key  usbKey
	data []byte
	time time.Time
	pos  Pos
}

// Bounds on what is held while the AT port is sought, and on the tables
// kept about endpoints.
const (
	usbHoldPackets = 4096
	usbHoldBytes   = 1 << 20
	usbMaxKeys     = 256
	usbSure        = 3 // AT-like payloads each way that settle the choice early
)

type packetSource interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

type usbReader struct {
	file string
	opt  Options
	cr   *countingReader
	br   *bufio.Reader

	started bool
	src     packetSource
	ng      bool // pcapng, else pcap
	order   binary.ByteOrder
	link    layers.LinkType // of a pcap file
	frame   int
	done    bool
	err     error

	decided   bool
	out, in   usbKey
	hasOut    bool
	hasIn     bool
	held      []usbPacket
	heldBytes int
	scores    map[usbKey]int
	skipped   map[usbKey]int
	overflow  int               // packets of endpoints past usbMaxKeys
	other     int               // packets that are not bulk transfers with data
	notUSB    int               // packets of other link types
	links     []layers.LinkType // those link types, the first few
	usbSeen   int               // bulk packets with data

	queue []Chunk
	cur   Chunk
}

func (u *usbReader) Chunk() Chunk { return u.cur }
func (u *usbReader) Err() error   { return u.err }

func (u *usbReader) Next() bool {
	if !u.started {
		u.started = true
		u.start()
	}
	for len(u.queue) == 0 && !u.done {
		u.read()
	}
	if len(u.queue) == 0 {
		return false
	}
	u.cur, u.queue = u.queue[0], u.queue[1:]
	return true
}

// start opens the capture. A file that is no capture, or whose header is
// damaged, cannot be read at all: that is the reader's error.
func (u *usbReader) start() {
	u.scores, u.skipped = map[usbKey]int{}, map[usbKey]int{}
	magic, _ := u.br.Peek(12)
	var err error
	switch {
	case len(magic) >= 12 && binary.LittleEndian.Uint32(magic) == pcapngSHB:
		u.ng, u.order = true, binary.ByteOrder(binary.LittleEndian)
		if binary.BigEndian.Uint32(magic[8:]) == pcapngBOM {
			u.order = binary.BigEndian
		}
		var r *pcapgo.NgReader
		if r, err = pcapgo.NewNgReader(u.br, pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true}); err == nil {
			u.src = r
		}
	default:
		var r *pcapgo.Reader
		if r, err = pcapgo.NewReader(u.br); err == nil {
			u.src, u.link = r, r.LinkType()
			if !isUSBLinkType(u.link) {
				u.fail(errNotUSB([]layers.LinkType{u.link}))
				return
			}
		}
	}
	if err != nil {
		u.fail(fmt.Errorf("not a pcap or pcapng capture: %w", err))
	}
}

// fail stops the reader with err. Like the other readers' errors, it does
// not name the file: the caller does.
func (u *usbReader) fail(err error) {
	u.err, u.done = err, true
}

// errNotUSB says that a capture holds only interfaces of other link types.
func errNotUSB(links []layers.LinkType) error {
	names := make([]string, len(links))
	for i, lt := range links {
		names[i] = fmt.Sprintf("%v (%d)", lt, int(lt))
	}
	return fmt.Errorf("not a USB capture: link type %s; want usbmon (USB_LINUX, USB_LINUX_MMAPPED) or USBPcap",
		strings.Join(names, ", "))
}

// read takes one packet, or ends the input.
func (u *usbReader) read() {
	off := u.packetOffset()
	data, ci, err := u.src.ReadPacketData()
	if err != nil {
		u.end(err)
		return
	}
	u.frame++
	lt := u.link
	if u.ng && len(ci.AncillaryData) > 0 {
		lt, _ = ci.AncillaryData[0].(layers.LinkType)
	}
	if !isUSBLinkType(lt) {
		u.notUSB++
		if !slices.Contains(u.links, lt) && len(u.links) < 8 {
			u.links = append(u.links, lt)
		}
		return
	}
	key, payload, hdr, ok := usbPayload(lt, data)
	if !ok {
		u.other++
		return
	}
	u.usbSeen++
	p := usbPacket{key: key, data: payload, time: ci.Timestamp,
		pos: Pos{File: u.file, Line: u.frame, Offset: off + int64(hdr)}}
	if u.decided {
		u.take(p)
		return
	}
	scored := u.score(p)
	u.held = append(u.held, p)
	u.heldBytes += len(p.data)
	if scored && u.sure() {
		u.decide()
		return
	}
	if len(u.held) >= usbHoldPackets || u.heldBytes >= usbHoldBytes {
		if !u.decide() {
			for _, h := range u.held {
				u.skip(h.key)
			}
			u.held, u.heldBytes = nil, 0
		}
	}
}

// packetOffset is the file offset of the next packet's record (pcap), or
// of the data in its block (pcapng: the blocks in between are stepped over
// by peeking at their lengths). It is the offset of the packet's first
// byte, less the link-layer header that usbPayload skips.
func (u *usbReader) packetOffset() int64 {
	pos := u.cr.n - int64(u.br.Buffered())
	if !u.ng {
		return pos + 16 // the record header
	}
	off := 0
	for range 16 {
		h, _ := u.br.Peek(off + 12)
		if len(h) < off+12 {
			break
		}
		typ := u.order.Uint32(h[off:])
		if typ == pcapngSHB {
			switch {
			case binary.LittleEndian.Uint32(h[off+8:]) == pcapngBOM:
				u.order = binary.LittleEndian
			case binary.BigEndian.Uint32(h[off+8:]) == pcapngBOM:
				u.order = binary.BigEndian
			}
		}
		switch typ {
		case 6, 2: // enhanced packet, obsolete packet block
			return pos + int64(off) + 28
		case 3: // simple packet
			return pos + int64(off) + 12
		}
		n := int(u.order.Uint32(h[off+4:]))
		if n < 12 || n%4 != 0 {
			break
		}
		off += n
	}
	return pos
}

// usbPayload finds a bulk transfer's payload in a packet of link type lt:
// its endpoint, the bytes, and where they start in the packet. ok is false
// for other transfers and for packets without data.
func usbPayload(lt layers.LinkType, data []byte) (key usbKey, payload []byte, hdr int, ok bool) {
	switch lt {
	case linkTypeUSBLinux, linkTypeUSBLinuxMmapped:
		var h layers.USB
		if h.DecodeFromBytes(data, gopacket.NilDecodeFeedback) != nil || h.TransferType != layers.USBTransportTypeBulk || !h.Data {
			return usbKey{}, nil, 0, false
		}
		hdr = 48
		if lt == linkTypeUSBLinuxMmapped {
			hdr = 64
		}
		if len(data) <= hdr {
			return usbKey{}, nil, 0, false
		}
		payload = data[hdr:]
		if len(payload) > int(h.UrbDataLength) {
			payload = payload[:h.UrbDataLength]
		}
		key = usbKey{bus: h.BusID, dev: uint16(h.DeviceAddress), ep: h.EndpointNumber}
		if h.Direction == layers.USBDirectionTypeIn {
			key.ep |= 0x80
		}
	case linkTypeUSBPcap:
		// USBPCAP_BUFFER_PACKET_HEADER, packed, little-endian: headerLen(2)
		// irpId(8) status(4) function(2) info(1) bus(2) device(2)
		// endpoint(1) transfer(1) dataLength(4) [desowen/usbpcap: USBPcapBuffer.h]
		if len(data) < 27 {
			return usbKey{}, nil, 0, false
		}
		le := binary.LittleEndian
		hdr = int(le.Uint16(data))
		if hdr < 27 || hdr > len(data) || data[22] != 3 { // 3: bulk
			return usbKey{}, nil, 0, false
		}
		payload = data[hdr:]
		if n := le.Uint32(data[23:]); uint64(len(payload)) > uint64(n) {
			payload = payload[:n]
		}
		key = usbKey{bus: le.Uint16(data[17:]), dev: le.Uint16(data[19:]), ep: data[21]}
	default:
		return usbKey{}, nil, 0, false
	}
	if len(payload) == 0 {
		return usbKey{}, nil, 0, false
	}
	return key, bytes.Clone(payload), hdr, true
}

// atLike reports whether a payload looks like AT traffic in its direction:
// a command going out; a result, a response or a URC coming in.
func atLike(in bool, p []byte) bool {
	text := 0
	for _, c := range p {
		if c >= 0x20 && c < 0x7f || c == '\r' || c == '\n' || c == '\t' || c == 0x1a {
			text++
		}
	}
	if text*10 < len(p)*9 {
		return false
	}
	t := bytes.TrimLeft(p, "\r\n ")
	if !in {
		return startsWithFold(t, "at")
	}
	return bytes.Contains(p, []byte("OK\r\n")) || bytes.Contains(p, []byte("ERROR")) ||
		bytes.HasPrefix(t, []byte("+")) || bytes.Contains(p, []byte("\r\n+"))
}

// score counts an AT-like payload for its endpoint and reports whether it
// was one.
func (u *usbReader) score(p usbPacket) bool {
	if _, known := u.scores[p.key]; !known && len(u.scores) >= usbMaxKeys {
		return false
	}
	if atLike(p.key.in(), p.data) {
		u.scores[p.key]++
		return true
	}
	u.scores[p.key] += 0 // known, with no AT text so far
	return false
}

// choose picks the AT port from the scores so far: the endpoint Options
// UsbEndpoint names and the best endpoint of the other direction on its
// device, or the device whose best OUT and IN endpoints score most
// together. Ties go to the lowest bus, device and endpoint.
func (u *usbReader) choose() (out, in usbKey, hasOut, hasIn bool) {
	type pair struct {
		out, in usbKey
		so, si  int
	}
	devs := map[[2]uint16]*pair{}
	keys := make([]usbKey, 0, len(u.scores))
	for k := range u.scores {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b usbKey) int {
		return cmp.Or(cmp.Compare(a.bus, b.bus), cmp.Compare(a.dev, b.dev), cmp.Compare(a.ep, b.ep))
	})
	for _, k := range keys {
		d := [2]uint16{k.bus, k.dev}
		p := devs[d]
		if p == nil {
			p = &pair{}
			devs[d] = p
		}
		switch s := u.scores[k]; {
		case k.in() && s > p.si:
			p.in, p.si = k, s
		case !k.in() && s > p.so:
			p.out, p.so = k, s
		}
	}
	if ep := u.opt.UsbEndpoint; ep != 0 {
		for _, k := range keys {
			if int(k.ep) != ep {
				continue
			}
			p := devs[[2]uint16{k.bus, k.dev}]
			if k.in() {
				return p.out, k, p.so > 0, true
			}
			return k, p.in, true, p.si > 0
		}
		return
	}
	top := 0
	for _, k := range keys { // in key order, so that ties are stable
		p := devs[[2]uint16{k.bus, k.dev}]
		if s := p.so + p.si; s > top {
			top, out, in, hasOut, hasIn = s, p.out, p.in, p.so > 0, p.si > 0
		}
	}
	return
}

// sure reports whether the evidence so far settles the choice.
func (u *usbReader) sure() bool {
	out, in, hasOut, hasIn := u.choose()
	return hasOut && hasIn && u.scores[out] >= usbSure && u.scores[in] >= usbSure
}

// decide fixes the AT port and lets the held packets go. It reports false
// when no endpoint looks like an AT port yet.
func (u *usbReader) decide() bool {
	out, in, hasOut, hasIn := u.choose()
	if !hasOut && !hasIn {
		return false
	}
	u.decided, u.out, u.in, u.hasOut, u.hasIn = true, out, in, hasOut, hasIn
	how := "chosen by content; --usb-endpoint picks another"
	if u.opt.UsbEndpoint != 0 {
		how = fmt.Sprintf("by --usb-endpoint 0x%02x", u.opt.UsbEndpoint)
	}
	var ends []string
	if hasOut {
		ends = append(ends, fmt.Sprintf("bulk OUT 0x%02x (host to module)", out.ep))
	}
	if hasIn {
		ends = append(ends, fmt.Sprintf("bulk IN 0x%02x (module to host)", in.ep))
	}
	dev := out
	if !hasOut {
		dev = in
	}
	pos := Pos{File: u.file, Line: u.frame}
	for _, p := range u.held {
		if hasOut && p.key == out || hasIn && p.key == in {
			pos = p.pos // the note goes before the first packet it is about
			break
		}
	}
	u.note(pos, time.Time{}, fmt.Sprintf("usb: AT port on bus %d device %d: %s, %s", dev.bus, dev.dev, strings.Join(ends, ", "), how))
	for _, p := range u.held {
		u.take(p)
	}
	u.held, u.heldBytes = nil, 0
	return true
}

// take queues a packet of the AT port, or counts one of another endpoint.
func (u *usbReader) take(p usbPacket) {
	var dir Dir
	switch {
	case u.hasOut && p.key == u.out:
		dir = DirToModule
	case u.hasIn && p.key == u.in:
		dir = DirFromModule
	default:
		u.skip(p.key)
		return
	}
	u.queue = append(u.queue, Chunk{Data: p.data, Pos: p.pos, Dir: dir, Time: p.time, TimeSrc: TimeLog})
}

func (u *usbReader) skip(k usbKey) {
	if _, known := u.skipped[k]; !known && len(u.skipped) >= usbMaxKeys {
		u.overflow++
		return
	}
	u.skipped[k]++
}

func (u *usbReader) note(pos Pos, t time.Time, text string) {
	c := Chunk{Data: []byte(text), Pos: pos, Note: true, Time: t}
	if !t.IsZero() {
		c.TimeSrc = TimeLog
	}
	u.queue = append(u.queue, c)
}

// end finishes the input: a damaged tail is a note, then what is held is
// decided and the packets left out are counted.
func (u *usbReader) end(err error) {
	u.done = true
	pos := Pos{File: u.file, Line: u.frame, Offset: u.cr.n - int64(u.br.Buffered())}
	switch {
	case errors.Is(err, io.EOF):
	case errors.Is(err, io.ErrUnexpectedEOF):
		u.note(pos, time.Time{}, fmt.Sprintf("usb: the capture ends inside frame %d: the file is cut short", u.frame+1))
	default:
		u.note(pos, time.Time{}, fmt.Sprintf("usb: frame %d cannot be read, the rest of the file is left: %v", u.frame+1, err))
	}
	if !u.decided && !u.decide() {
		for _, h := range u.held {
			u.skip(h.key)
		}
		u.held = nil
		switch {
		case u.opt.UsbEndpoint != 0:
			u.note(pos, time.Time{}, fmt.Sprintf("usb: the capture has no bulk transfers with data on endpoint 0x%02x", u.opt.UsbEndpoint))
		case u.usbSeen > 0:
			u.note(pos, time.Time{}, "usb: no bulk endpoint carries AT text; --usb-endpoint picks one")
		}
	}
	var parts []string
	keys := make([]usbKey, 0, len(u.skipped))
	for k := range u.skipped {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b usbKey) int { return strings.Compare(a.String(), b.String()) })
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%v (%d)", k, u.skipped[k]))
	}
	if u.overflow > 0 {
		parts = append(parts, fmt.Sprintf("more endpoints (%d)", u.overflow))
	}
	if len(parts) > 0 {
		u.note(pos, time.Time{}, "usb: left out bulk packets of other endpoints (bus.device.endpoint): "+strings.Join(parts, ", "))
	}
	if u.other > 0 {
		u.note(pos, time.Time{}, fmt.Sprintf("usb: left out %d packets that are not bulk transfers with data (control, interrupt, completions)", u.other))
	}
	if u.notUSB > 0 && u.usbSeen+u.other == 0 {
		u.fail(errNotUSB(u.links)) // a pcapng file of other interfaces only
		return
	}
	if u.notUSB > 0 {
		u.note(pos, time.Time{}, fmt.Sprintf("usb: left out %d packets of interfaces that are not USB", u.notUSB))
	}
}
