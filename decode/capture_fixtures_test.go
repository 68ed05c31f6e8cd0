package decode

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The fixtures of the capture formats that show one MQTT session in many
// tools are generated here from what the serial line carried, so that they
// stay byte for byte the same session: TestCaptureFixtures writes them
// under -update and otherwise checks them.

// xfer is one write of the host or one read of the module's answer, at an
// offset from the start of the capture.
type xfer struct {
	at   time.Duration
	dir  Dir
	data string
}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// bg96Session is a Quectel BG96 opening, subscribing, publishing,
// receiving and disconnecting, with echo on. The URC +QMTRECV arrives in
// two reads.
var bg96Session = []xfer{
	{ms(0), DirToModule, "AT+QMTCFG=\"recv/mode\",0,0,1\r"},
	{ms(11.2), DirFromModule, "AT+QMTCFG=\"recv/mode\",0,0,1\r\r\nOK\r\n"},
	{ms(120.5), DirToModule, "AT+QMTOPEN=0,\"broker.hivemq.com\",1883\r"},
	{ms(133.9), DirFromModule, "AT+QMTOPEN=0,\"broker.hivemq.com\",1883\r\r\nOK\r\n"},
	{ms(1482.31), DirFromModule, "\r\n+QMTOPEN: 0,0\r\n"},
	{ms(1590), DirToModule, "AT+QMTCONN=0,\"bg96-7f3a21\"\r"},
	{ms(1602.4), DirFromModule, "AT+QMTCONN=0,\"bg96-7f3a21\"\r\r\nOK\r\n"},
	{ms(1917.06), DirFromModule, "\r\n+QMTCONN: 0,0,0\r\n"},
	{ms(2030), DirToModule, "AT+QMTSUB=0,1,\"devices/bg96-7f3a21/cmd\",1\r"},
	{ms(2043.7), DirFromModule, "AT+QMTSUB=0,1,\"devices/bg96-7f3a21/cmd\",1\r\r\nOK\r\n"},
	{ms(2388.2), DirFromModule, "\r\n+QMTSUB: 0,1,0,1\r\n"},
	{ms(2500), DirToModule, "AT+QMTPUBEX=0,2,1,0,\"devices/bg96-7f3a21/state\",24\r"},
	{ms(2512.8), DirFromModule, "AT+QMTPUBEX=0,2,1,0,\"devices/bg96-7f3a21/state\",24\r\r\n> "},
	{ms(2530.1), DirToModule, `{"temp":21.5,"rssi":-71}`},
	{ms(2545.6), DirFromModule, "\r\nOK\r\n"},
	{ms(2871.35), DirFromModule, "\r\n+QMTPUBEX: 0,2,0\r\n"},
	{ms(5204.9), DirFromModule, "\r\n+QMTRECV: 0,1,\"devices/bg96-7f3a21/cm"},
	{ms(5206.1), DirFromModule, "d\",6,\"reboot\"\r\n"},
	{ms(6000), DirToModule, "AT+QMTDISC=0\r"},
	{ms(6012.3), DirFromModule, "AT+QMTDISC=0\r\r\nOK\r\n"},
	{ms(6215.77), DirFromModule, "\r\n+QMTDISC: 0,0\r\n"},
}

// ec21Session is a Quectel EC21 whose first QMTOPEN fails because the PDP
// context is down (+QMTOPEN: 0,3); it activates it and goes on. It is the
// session of the samples.
var ec21Session = []xfer{
	{ms(0), DirToModule, "AT+QMTCFG=\"version\",0,4\r"},
	{ms(9.8), DirFromModule, "AT+QMTCFG=\"version\",0,4\r\r\nOK\r\n"},
	{ms(104.2), DirToModule, "AT+QMTCFG=\"keepalive\",0,60\r"},
	{ms(113.5), DirFromModule, "AT+QMTCFG=\"keepalive\",0,60\r\r\nOK\r\n"},
	{ms(220), DirToModule, "AT+QMTOPEN=0,\"test.mosquitto.org\",1883\r"},
	{ms(232.6), DirFromModule, "AT+QMTOPEN=0,\"test.mosquitto.org\",1883\r\r\nOK\r\n"},
	{ms(410.1), DirFromModule, "\r\n+QMTOPEN: 0,3\r\n"},
	{ms(530), DirToModule, "AT+QIACT=1\r"},
	{ms(541.2), DirFromModule, "AT+QIACT=1\r"},
	{ms(1861.7), DirFromModule, "\r\nOK\r\n"},
	{ms(1950), DirToModule, "AT+QMTOPEN=0,\"test.mosquitto.org\",1883\r"},
	{ms(1962.4), DirFromModule, "AT+QMTOPEN=0,\"test.mosquitto.org\",1883\r\r\nOK\r\n"},
	{ms(3127.9), DirFromModule, "\r\n+QMTOPEN: 0,0\r\n"},
	{ms(3240), DirToModule, "AT+QMTCONN=0,\"ec21-0042\",\"fleet\",\"s3cret\"\r"},
	{ms(3252.5), DirFromModule, "AT+QMTCONN=0,\"ec21-0042\",\"fleet\",\"s3cret\"\r\r\nOK\r\n"},
	{ms(3704.33), DirFromModule, "\r\n+QMTCONN: 0,0,0\r\n"},
	{ms(3810), DirToModule, "AT+QMTSUB=0,1,\"ec21/0042/cmd\",1\r"},
	{ms(3822.9), DirFromModule, "AT+QMTSUB=0,1,\"ec21/0042/cmd\",1\r\r\nOK\r\n"},
	{ms(4190.4), DirFromModule, "\r\n+QMTSUB: 0,1,0,1\r\n"},
	{ms(4300), DirToModule, "AT+QMTPUBEX=0,1,1,0,\"ec21/0042/telemetry\",27\r"},
	{ms(4312.2), DirFromModule, "AT+QMTPUBEX=0,1,1,0,\"ec21/0042/telemetry\",27\r\r\n> "},
	{ms(4330.5), DirToModule, `{"v":12.61,"t":24,"q":-101}`},
	{ms(4346.8), DirFromModule, "\r\nOK\r\n"},
	{ms(4799.01), DirFromModule, "\r\n+QMTPUBEX: 0,1,0\r\n"},
	{ms(9433.6), DirFromModule, "\r\n+QMTRECV: 0,1,\"ec21/0042/cmd\",9,\"ota:check\"\r\n"},
	{ms(10020), DirToModule, "AT+QMTDISC=0\r"},
	{ms(10031.4), DirFromModule, "AT+QMTDISC=0\r\r\nOK\r\n"},
	{ms(10244.9), DirFromModule, "\r\n+QMTDISC: 0,0\r\n"},
}

// captureStart is when the fixtures' captures started, as the capturing
// machine's clock showed it (text logs) and in UTC (pcap).
var captureStart = time.Date(2024, 5, 14, 10, 23, 45, 0, time.UTC)

// --- socat ---

// encodeSocat writes the session as socat -v ("v"), -x ("x") or -v -x
// ("vx") prints it.
func encodeSocat(s []xfer, mode string) string {
	var b strings.Builder
	var n [3]int
	for _, x := range s {
		mark := ">"
		if x.dir == DirFromModule {
			mark = "<"
		}
		t := captureStart.Add(x.at)
		fmt.Fprintf(&b, "%s %s.%06d  length=%d from=%d to=%d\n", mark, t.Format("2006/01/02 15:04:05"),
			t.Nanosecond()/1000, len(x.data), n[x.dir], n[x.dir]+len(x.data)-1)
		n[x.dir] += len(x.data)
		switch mode {
		case "v":
			for _, c := range []byte(x.data) {
				switch {
				case c == '\r':
					b.WriteString(`\r`)
				case c == '\\':
					b.WriteString(`\\`)
				case c == '\n' || c == '\t' || c >= 0x20 && c < 0x7f:
					b.WriteByte(c)
				default:
					b.WriteByte('.')
				}
			}
		case "x":
			for _, c := range []byte(x.data) {
				fmt.Fprintf(&b, " %02x", c)
			}
			b.WriteByte('\n')
		case "vx":
			for d := []byte(x.data); len(d) > 0; {
				row := d[:min(16, len(d))]
				if k := bytes.IndexByte(row, '\n'); k >= 0 {
					row = row[:k+1]
				}
				for _, c := range row {
					fmt.Fprintf(&b, " %02x", c)
				}
				b.WriteString(strings.Repeat("   ", 16-len(row)) + "  ")
				for _, c := range row {
					if c < 0x20 || c >= 0x7f {
						c = '.'
					}
					b.WriteByte(c)
				}
				b.WriteByte('\n')
				d = d[len(row):]
			}
			b.WriteString("--\n")
		}
	}
	return b.String()
}

// --- interceptty ---

// encodeInterceptty writes the session as the interceptty fork prints it
// with -T.
func encodeInterceptty(s []xfer) string {
	var b strings.Builder
	for _, x := range s {
		t := captureStart.Add(x.at)
		stamp := fmt.Sprintf("[%s.%06d]", t.Format("15:04 05"), t.Nanosecond()/1000)
		for i, c := range []byte(x.data) {
			if i > 0 {
				stamp = strings.Repeat(" ", len(stamp))
			}
			b.WriteString(stamp)
			if x.dir == DirToModule {
				b.WriteString("< ")
			} else {
				b.WriteString("> \t")
			}
			repr := string(c)
			switch {
			case c < 0x20:
				repr = "[" + controlNames[c] + "]"
				if c == '\t' {
					repr = "[TAB]"
				}
			case c == ' ':
				repr = "' '"
			}
			fmt.Fprintf(&b, "0x%02x (%s)\n", c, repr)
		}
	}
	return b.String()
}

// --- slsnif ---

// encodeSlsnif writes the session as slsnif logs it: reads of up to 32
// bytes; with -t a ctime stamp (and, as when logging to standard output,
// colour sequences and the stamp's NUL); with hex, -x values.
func encodeSlsnif(s []xfer, stamps, hex bool) string {
	const white, yellow = "\x1b[0;37m", "\x1b[0;33m"
	var b strings.Builder
	for _, x := range s {
		t := captureStart.Add(x.at)
		for d := []byte(x.data); len(d) > 0; {
			rec := d[:min(32, len(d))]
			d = d[len(rec):]
			if stamps {
				msec := t.Nanosecond() / 1e6
				frac := fmt.Sprintf(".%2d", msec)
				if len(frac) > 3 {
					frac = frac[:3]
				}
				b.WriteString(yellow + "\n\n" + t.Format("Mon Jan _2 15:04:05") + frac + t.Format(" 2006") + "\x00" + white)
			} else {
				b.WriteString("\n")
			}
			if x.dir == DirToModule {
				b.WriteString("\nHost   --> ")
			} else {
				b.WriteString("\nDevice --> ")
			}
			for _, c := range rec {
				g := string(c)
				switch {
				case c <= 32:
					g = "<" + controlNames[c] + ">"
				case c == 127:
					g = "<DEL>"
				}
				if hex {
					fmt.Fprintf(&b, "%s (%02x) ", g, c)
				} else {
					fmt.Fprintf(&b, "%s (%03d) ", g, c)
				}
			}
		}
	}
	b.WriteString("\n")
	return b.String()
}

// --- jpnevulator ---

// encodeJpnevulator writes the session as jpnevulator --ascii
// --timing-print reads it from two ttys, the host's first.
func encodeJpnevulator(s []xfer, host, modem string) string {
	var b strings.Builder
	for _, x := range s {
		t := captureStart.Add(x.at)
		name := host
		if x.dir == DirFromModule {
			name = modem
		}
		fmt.Fprintf(&b, "%s.%06d: %s\n", t.Format("2006-01-02 15:04:05"), t.Nanosecond()/1000, name)
		for d := []byte(x.data); len(d) > 0; {
			row := d[:min(16, len(d))]
			d = d[len(row):]
			var hx, asc []string
			for _, c := range row {
				hx = append(hx, fmt.Sprintf("%02X", c))
				if c < 0x20 || c >= 0x7f {
					c = '.'
				}
				asc = append(asc, string(c))
			}
			fmt.Fprintf(&b, "%s%s\t%s\n", strings.Join(hx, " "), strings.Repeat("   ", 16-len(row)), strings.Join(asc, ""))
		}
	}
	return b.String()
}

// --- Saleae ---

// byteTime is one byte on the wire at 115200 baud, 8N1.
const byteTime = time.Second * 10 / 115200

// saleaeASCII is how Logic shows a byte in its ASCII radix.
func saleaeASCII(c byte, logic1 bool) string {
	switch {
	case c == '\r':
		return `\r`
	case c == '\n':
		return `\n`
	case c == ',' && logic1:
		return "COMMA"
	case c == ' ' && logic1:
		return "' '"
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("0x%02X", c)
	}
	return string(c)
}

func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// encodeLogic2 writes the session as Logic 2's data table of two Async
// Serial analyzers, rows in time order, values in hex or ASCII.
func encodeLogic2(s []xfer, tx, rx string, ascii bool) string {
	var b strings.Builder
	b.WriteString("name,type,start_time,duration,data\n")
	for _, x := range s {
		name := tx
		if x.dir == DirFromModule {
			name = rx
		}
		for i, c := range []byte(x.data) {
			at := x.at + time.Duration(i)*byteTime
			v := fmt.Sprintf("0x%02X", c)
			if ascii {
				v = saleaeASCII(c, false)
			}
			fmt.Fprintf(&b, "%s,\"data\",%.9f,8.68e-05,%s\n", csvQuote(name), at.Seconds(), csvQuote(v))
		}
	}
	return b.String()
}

// encodeLogic1 writes one direction of the session as a Logic 1.x Async
// Serial export; errAt marks the bytes with a framing error (a break the
// analyzer saw as 0x00 is added before the first of them).
func encodeLogic1(s []xfer, dir Dir, ascii bool, breakAt time.Duration) string {
	var b strings.Builder
	b.WriteString("Time [s],Value,Parity Error,Framing Error\n")
	broke := breakAt == 0
	for _, x := range s {
		if x.dir != dir {
			continue
		}
		if !broke && x.at >= breakAt {
			fmt.Fprintf(&b, "%.15f,0x00,,Error\n", (x.at - 3*byteTime).Seconds())
			broke = true
		}
		for i, c := range []byte(x.data) {
			v := fmt.Sprintf("0x%02X", c)
			if ascii {
				v = saleaeASCII(c, true)
			}
			fmt.Fprintf(&b, "%.15f,%s,,\n", (x.at + time.Duration(i)*byteTime).Seconds(), v)
		}
	}
	return b.String()
}

// --- sigrok ---

// encodeSigrok writes the session as sigrok-cli prints one UART decoder
// with rx and tx, format=ascii, with annotation classes.
func encodeSigrok(s []xfer) string {
	var b strings.Builder
	for _, x := range s {
		class := "tx-data"
		if x.dir == DirFromModule {
			class = "rx-data"
		}
		for _, c := range []byte(x.data) {
			v := string(c)
			if c < 0x20 || c >= 0x7f {
				v = fmt.Sprintf("[%02X]", c)
			}
			fmt.Fprintf(&b, "uart-1: %s: %s\n", class, v)
		}
	}
	return b.String()
}

// --- ModemManager and oFono ---

func mmEscape(data string) string {
	var b strings.Builder
	for _, c := range []byte(data) {
		switch {
		case c == '\r':
			b.WriteString("<CR>")
		case c == '\n':
			b.WriteString("<LF>")
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// encodeMM writes the session as ModemManager 1.20 logs it to the journal,
// with the lines about other things that it logs in between (when noise).
func encodeMM(s []xfer, noise bool) string {
	var b strings.Builder
	line := func(at time.Duration, msg string) {
		t := captureStart.Add(at)
		fmt.Fprintf(&b, "%s pi ModemManager[612]: <dbg> [%d.%06d] %s\n", t.Format("Jan _2 15:04:05"), t.Unix(), t.Nanosecond()/1000, msg)
	}
	if noise {
		line(-ms(2.5), "[modem0] user request to run AT command")
		line(-ms(2.1), "[modem0/ttyUSB2/at] device open count is 2 (open)")
	}
	for i, x := range s {
		arrow := "-->"
		if x.dir == DirFromModule {
			arrow = "<--"
		}
		line(x.at, fmt.Sprintf("[modem0/ttyUSB2/at] %s '%s'", arrow, mmEscape(x.data)))
		if noise && i == 4 {
			line(x.at+ms(0.4), "[modem0] signal quality updated (67)")
		}
	}
	if noise {
		line(s[len(s)-1].at+ms(1), "[modem0/ttyUSB2/at] device open count is 1 (close)")
	}
	return b.String()
}

func ofonoEscape(data string) string {
	var b strings.Builder
	for _, c := range []byte(data) {
		switch {
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == 26:
			b.WriteString("<CtrlZ>")
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// encodeOfono writes the session as ofonod logs its AT chat to syslog.
func encodeOfono(s []xfer) string {
	var b strings.Builder
	t0 := captureStart.Add(-ms(3))
	fmt.Fprintf(&b, "%s raspberrypi ofonod[812]: plugins/quectel.c:quectel_enable() %s\n", t0.Format("Jan _2 15:04:05"), "/sys/devices/platform/soc/usb1/1-1/1-1.3")
	for _, x := range s {
		mark := ">"
		if x.dir == DirFromModule {
			mark = "<"
		}
		t := captureStart.Add(x.at)
		fmt.Fprintf(&b, "%s raspberrypi ofonod[812]: Modem: %s %s\n", t.Format("Jan _2 15:04:05"), mark, ofonoEscape(x.data))
	}
	return b.String()
}

// --- USB ---

// usbmonPacket is a usbmon record (USB_LINUX_MMAPPED, 64-byte header)
// [Documentation/usb/usbmon.rst].
func usbmonPacket(id uint64, event byte, xfer byte, ep byte, t time.Time, length int, data []byte) []byte {
	h := make([]byte, 64, 64+len(data))
	le := binary.LittleEndian
	le.PutUint64(h, id)
	h[8], h[9], h[10], h[11] = event, xfer, ep, 5 // device 5
	le.PutUint16(h[12:], 1)                       // bus 1
	h[14] = '-'                                   // no setup packet
	h[15] = 0                                     // data present
	switch {
	case len(data) > 0:
	case ep&0x80 != 0:
		h[15] = '<'
	default:
		h[15] = '>'
	}
	le.PutUint64(h[16:], uint64(t.Unix()))
	le.PutUint32(h[24:], uint32(t.Nanosecond()/1000))
	if event == 'S' {
		le.PutUint32(h[28:], uint32(0xffffff8d)) // -EINPROGRESS
	}
	le.PutUint32(h[32:], uint32(length))
	le.PutUint32(h[36:], uint32(len(data)))
	return append(h, data...)
}

// encodeUSBPcapng writes the session as usbmon sees a BG96: the AT port is
// bulk OUT 0x03 and bulk IN 0x85; the NMEA port (IN 0x83) and the
// diagnostics port (IN 0x81) talk too, and an interrupt endpoint reports
// line state.
func encodeUSBPcapng(t *testing.T, s []xfer) []byte {
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{
		Name: "usbmon1", LinkType: linkTypeUSBLinuxMmapped, SnapLength: 65535, TimestampResolution: 9,
	}, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "atscope test fixture"}})
	if err != nil {
		t.Fatal(err)
	}
	write := func(at time.Duration, pkt []byte) {
		ts := captureStart.Add(at)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(pkt), Length: len(pkt)}, pkt); err != nil {
			t.Fatal(err)
		}
	}
	id := uint64(0xffff8f0a4c3e1000)
	noise := func(at time.Duration, ep byte, xfer byte, data string) {
		id += 0x100
		write(at, usbmonPacket(id, 'C', xfer, ep, captureStart.Add(at), len(data), []byte(data)))
		write(at+ms(0.01), usbmonPacket(id, 'S', xfer, ep, captureStart.Add(at+ms(0.01)), 2048, nil))
	}
	noise(-ms(50), 0x81, 3, "\x7e\x01\x1d\x1c\x3b\x7e\x4b\x0f\x00\x00\xbb\x60\x7e")
	noise(-ms(40), 0x84, 1, "\xa1\x20\x00\x00\x02\x00\x02\x00\x03\x00")
	write(-ms(30), usbmonPacket(id+1, 'S', 3, 0x85, captureStart.Add(-ms(30)), 2048, nil))
	for i, x := range s {
		id += 0x100
		ts := captureStart.Add(x.at)
		if x.dir == DirToModule {
			write(x.at, usbmonPacket(id, 'S', 3, 0x03, ts, len(x.data), []byte(x.data)))
			write(x.at+ms(0.12), usbmonPacket(id, 'C', 3, 0x03, ts.Add(ms(0.12)), len(x.data), nil))
		} else {
			write(x.at, usbmonPacket(id, 'C', 3, 0x85, ts, len(x.data), []byte(x.data)))
			write(x.at+ms(0.02), usbmonPacket(id+1, 'S', 3, 0x85, ts.Add(ms(0.02)), 2048, nil))
		}
		if i == 5 {
			noise(x.at+ms(3), 0x83, 3, "$GPGGA,082347.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,47.0,M,,*4F\r\n")
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeUSBPcap writes the session as USBPcap sees it on Windows, in a
// classic pcap file: a request with the data for OUT, a completion with
// the data for IN.
func encodeUSBPcap(t *testing.T, s []xfer) []byte {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkType(linkTypeUSBPcap)); err != nil {
		t.Fatal(err)
	}
	irp := uint64(0xffffa50c2e4d1010)
	packet := func(at time.Duration, completion bool, ep byte, data string) {
		h := make([]byte, 27, 27+len(data))
		le := binary.LittleEndian
		le.PutUint16(h, 27)
		le.PutUint64(h[2:], irp)
		le.PutUint16(h[14:], 0x0009) // URB_FUNCTION_BULK_OR_INTERRUPT_TRANSFER
		if completion {
			h[16] = 1 // USBPCAP_INFO_PDO_TO_FDO
		}
		le.PutUint16(h[17:], 2) // bus
		le.PutUint16(h[19:], 7) // device
		h[21], h[22] = ep, 3    // bulk
		le.PutUint32(h[23:], uint32(len(data)))
		pkt := append(h, data...)
		ts := captureStart.Add(at)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(pkt), Length: len(pkt)}, pkt); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range s {
		irp += 0x10
		if x.dir == DirToModule {
			packet(x.at, false, 0x03, x.data)
			packet(x.at+ms(0.2), true, 0x03, "")
		} else {
			packet(x.at-ms(0.5), false, 0x84, "")
			packet(x.at, true, 0x84, x.data)
		}
	}
	return buf.Bytes()
}

// captureFixtures are the generated files, by path.
func captureFixtures(t *testing.T) map[string][]byte {
	bg, ec := bg96Session, ec21Session
	return map[string][]byte{
		"testdata/formats/socat/bg96_mqtt_v.log":              []byte(encodeSocat(bg, "v")),
		"testdata/formats/socat/bg96_mqtt_x.log":              []byte(encodeSocat(bg, "x")),
		"testdata/formats/socat/bg96_mqtt_vx.log":             []byte(encodeSocat(bg, "vx")),
		"testdata/formats/interceptty/bg96_mqtt_T.log":        []byte(encodeInterceptty(bg)),
		"testdata/formats/slsnif/bg96_mqtt_t_colour.log":      []byte(encodeSlsnif(bg, true, false)),
		"testdata/formats/slsnif/bg96_mqtt_x.log":             []byte(encodeSlsnif(bg, false, true)),
		"testdata/formats/jpnevulator/bg96_mqtt_two_ttys.log": []byte(encodeJpnevulator(bg, "/dev/ttyUSB0", "/dev/ttyUSB1")),
		"testdata/formats/saleae/bg96_mqtt_logic2.csv":        []byte(encodeLogic2(bg, "TX", "RX", false)),
		"testdata/formats/saleae/bg96_mqtt_logic2_ascii.csv":  []byte(encodeLogic2(bg, "Host TX", "Modem TX", true)),
		"testdata/formats/saleae/bg96_logic1_uart_tx.csv":     []byte(encodeLogic1(bg, DirToModule, false, 0)),
		"testdata/formats/saleae/bg96_logic1_uart_rx.csv":     []byte(encodeLogic1(bg, DirFromModule, true, ms(1482))),
		"testdata/formats/sigrok/bg96_mqtt_ann_class.log":     []byte(encodeSigrok(bg)),
		"testdata/formats/usb/bg96_mqtt_usbmon.pcapng":        encodeUSBPcapng(t, bg),
		"testdata/formats/usb/bg96_mqtt_usbpcap.pcap":         encodeUSBPcap(t, bg),
		"testdata/formats/modemmanager/bg96_mqtt_journal.log": []byte(encodeMM(bg, false)),
		"testdata/formats/modemmanager/bg96_mqtt_noise.log":   []byte(encodeMM(bg, true)),
		"testdata/formats/ofono/bg96_mqtt_syslog.log":         []byte(encodeOfono(bg)),
		"../samples/ec21-mqtt-socat.log":                      []byte(encodeSocat(ec, "v")),
		"../samples/ec21-mqtt-saleae.csv":                     []byte(encodeLogic2(ec, "MCU TX", "MCU RX", false)),
		"../samples/ec21-mqtt-usb.pcapng":                     encodeUSBPcapng(t, ec),
		"../samples/ec21-mqtt-modemmanager.log":               []byte(encodeMM(ec, true)),
	}
}

// TestCaptureFixtures keeps the generated fixtures and samples in step with
// the sessions above (go test -run TestCaptureFixtures -update rewrites
// them).
func TestCaptureFixtures(t *testing.T) {
	for path, want := range captureFixtures(t) {
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test -run TestCaptureFixtures -update)", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what its session generates (run go test -run TestCaptureFixtures -update)", path)
		}
	}
}
