package export

import (
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// A capture writes the MQTT sessions of AT logs as Wireshark opens them:
// the packets the module and its broker exchanged, rebuilt from the ops,
// over one TCP stream per connection, with every packet pointing back at
// the log lines that show it. This file is its writer (options, section
// header, interfaces, packets); the other pcap_*.go files make the packets:
// pcap_stream.go places a log's ops in connections as they come,
// pcap_flow.go turns each op into packets, pcap_lifecycle.go opens and
// closes streams, pcap_tcp.go numbers and orders segments, pcap_addr.go
// gives addresses and DNS, pcap_clock.go times, pcap_ids.go packet ids,
// pcap_connect.go the CONNECT and CONNACK, ipserial.go serializes.
//
// The link type is raw IP (LINKTYPE_RAW): a cellular module's data link is
// IP-level (PPP, LTE bearers, a USB network interface), and a log says
// nothing of layer 2, so Ethernet headers would be invented addresses.
//
// What is written, and when:
//   - open (or, for dialects without one, connect): a DNS query and answer
//     when the host is a name, then SYN at the request, SYN-ACK and ACK at
//     the result.
//   - connect: CONNECT at the request, CONNACK at the result (the logged
//     return code; none when the module failed before the broker answered).
//   - subscribe, unsubscribe: SUBSCRIBE/UNSUBSCRIBE, then SUBACK/UNSUBACK
//     when the log shows the outcome.
//   - publish: PUBLISH when the payload was sent, DUP copies for the
//     retransmissions the module reports, then PUBACK (QoS 1) or
//     PUBREC/PUBREL/PUBCOMP (QoS 2) when the log shows it acknowledged.
//   - receive: PUBLISH from the broker, and the device's PUBACK (QoS 1) or
//     PUBREC/PUBREL/PUBCOMP (QoS 2).
//   - disconnect: DISCONNECT.
//   - close (or a disconnect that no close follows): FIN from the device at
//     the request, FIN from the broker at the result.
//   - a link loss of the client: FIN from the broker, answered by the
//     module's FIN. A module-wide loss (reset, power down, PDP deactivation):
//     FIN from the broker, unanswered. (Wireshark flags an RST as a warning,
//     and the log rarely says which it was, so FIN it is.)
//   - a keep-alive the module reports: PINGREQ, and PINGRESP if it was answered.
//   - socket-level dialects (ops with a Wire): the logged bytes of each send
//     and receive as they are, whatever the op (pcap_wire.go).
//   - a connection up when the log starts (an excerpt: a client's first
//     ops are exchanges the broker answered, with no open or connect before
//     them): its stream picked up mid-way, without handshake, the first
//     packet's comment saying so.
//
// Brokers are on TCP 1883, where Wireshark dissects MQTT, unless the
// logged ports are kept (PcapOptions.KeepPorts); the logged port is in the
// comments of the handshake.
//
// Failed ops put nothing on the wire (the module refused the command), except
// a CONNACK refusal or a SUBACK of 0x80s, which are the broker's answers.
// Each data segment is acknowledged by the peer at once, or by the peer's
// next segment when that follows at the same time.

// PcapOptions configures a Pcap writer.
type PcapOptions struct {
	// Tool names the program and its version in the section header:
	// "atscope 0.1.0".
	Tool string
	// Sources are the logs being exported, named in the section header.
	Sources []string
	// Classic writes plain pcap for old tools: no section header, no
	// comments, no direction flags, one interface.
	Classic bool
	// KeepPorts writes the brokers' ports as logged. By default every
	// stream goes to port 1883, the one Wireshark dissects as MQTT, and
	// the logged port is in the comments.
	KeepPorts bool
}

// PcapStats counts what a Pcap writer wrote and what it left out.
type PcapStats struct {
	Packets     int
	Connections int            // TCP streams
	Messages    map[string]int // MQTT messages by type: "CONNECT", "PUBLISH"
	Skipped     map[string]int // ops of MQTT clients that put no packet on the wire, by reason
	WireBytes   int            // socket-level dialects' logged bytes written as they were
}

func (s *PcapStats) add(o PcapStats) {
	s.Packets += o.Packets
	s.Connections += o.Connections
	s.WireBytes += o.WireBytes
	for k, v := range o.Messages {
		s.Messages[k] += v
	}
	for k, v := range o.Skipped {
		s.Skipped[k] += v
	}
}

func newPcapStats() PcapStats {
	return PcapStats{Messages: map[string]int{}, Skipped: map[string]int{}}
}

// Reasons an op puts no packet on the wire, as the summary lists them.
const (
	skipFailed   = "failed at the module"
	skipNoConn   = "outside a connection"
	skipNoResult = "no result and no connection"
	skipLink     = "link or module state"
	skipSetup    = "service setup step"
	skipNoTopic  = "no topic in the log"
	skipAfterFIN = "after its side closed the stream"
)

// Pcap writes sessions as pcapng (or classic pcap). Call WriteLog once per
// log, then Flush. The same input always gives the same bytes: addresses,
// ports, sequence numbers and synthetic times are derived from the input.
//
//	p, err := export.NewPcap(f, export.PcapOptions{Tool: "atscope 0.1.0", Sources: paths})
//	for each log: err = p.WriteLog(file, sessions)
//	err = p.Flush()
type Pcap struct {
	w       io.Writer
	opt     PcapOptions
	ng      *pcapgo.NgWriter
	classic *pcapgo.Writer
	stats   PcapStats
	packet  []byte                   // the packet being written, its buffer reused
	block   []byte                   // its pcapng block, reused
	dnsBuf  gopacket.SerializeBuffer // a DNS message being written, reused

	used     map[netip.Addr]bool    // addresses given out
	hosts    map[string]netip.Addr  // host names to their synthetic address
	devPorts map[netip.Addr]*idPool // device ports, per device address
	devAddrs map[string]netip.Addr  // per file, client and address family
	dnsIDs   *idPool                // DNS transaction ids
	conns    map[string]int         // connections per file and client, for port derivation
	// otherPorts are the broker ports other than 1883 that streams use
	// (KeepPorts only).
	otherPorts map[uint16]bool
}

// NewPcap returns a writer of a capture to w. A pcapng section header is
// written with the first log (or by Flush, if there is none).
func NewPcap(w io.Writer, opt PcapOptions) (*Pcap, error) {
	p := &Pcap{
		w: w, opt: opt, stats: newPcapStats(),
		used: map[netip.Addr]bool{resolverAddr: true}, hosts: map[string]netip.Addr{},
		devPorts: map[netip.Addr]*idPool{}, devAddrs: map[string]netip.Addr{},
		dnsIDs: newIDPool(65536), conns: map[string]int{}, otherPorts: map[uint16]bool{},
	}
	if opt.Classic {
		p.classic = pcapgo.NewWriter(w)
		if err := p.classic.WriteFileHeader(262144, layers.LinkTypeRaw); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sectionComment is the comment of the pcapng section header: the tool, the
// logs, and how times and addresses were made.
func (p *Pcap) sectionComment() string {
	tool := p.opt.Tool
	if tool == "" {
		tool = "atscope"
	}
	srcs := strings.Join(p.opt.Sources, ", ")
	if srcs == "" {
		srcs = "(none)"
	}
	return fmt.Sprintf("MQTT over TCP synthesized by %s from AT logs: %s. "+
		"Each packet's comment cites the log lines (file:line) that show it. "+
		"Packets are at the logged times; a log without times is laid out from %s at 1 s per AT event, "+
		"and a log with times of day only is dated %s (each interface, one per log, says which applies). "+
		"The module's addresses and ports are synthetic (192.0.2.0/24), and so is the address of a broker the log names by host "+
		"(198.51.100.0/24 or 203.0.113.0/24, after a DNS answer from 192.0.2.53); %s "+
		"TLS connections are shown as the plain MQTT inside them, except in socket-level logs (the host's MQTT library over the module's TCP socket), "+
		"whose streams carry the logged bytes as they are (TLS included, on its logged port), with a sequence jump where the log lost bytes.",
		tool, srcs, syntheticBase.Format(time.RFC3339), syntheticBase.Format(time.DateOnly), p.portPolicy())
}

// portPolicy says which ports the brokers are shown on.
func (p *Pcap) portPolicy() string {
	if p.opt.KeepPorts {
		return "brokers' ports are as logged: Wireshark dissects MQTT on 1883 only, so open the file with -d tcp.port==N,mqtt for each other port."
	}
	return "brokers are shown on port 1883, where Wireshark dissects MQTT; a stream's logged port, when another, is in the comments of its first packets."
}

// addInterface starts the pcapng file with its section header and the
// first interface, or adds one; it returns the interface's index.
func (p *Pcap) addInterface(iface pcapgo.NgInterface) (int, error) {
	// Packets are written past the writer (pcap_epb.go): what it holds
	// goes out first.
	if p.ng != nil {
		idx, err := p.ng.AddInterface(iface)
		if err != nil {
			return 0, err
		}
		return idx, p.ng.Flush()
	}
	// The section header carries no hardware or OS: the same input must
	// give the same bytes on every machine.
	opt := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: p.opt.Tool, Comment: p.sectionComment()}}
	ng, err := pcapgo.NewNgWriterInterface(p.w, iface, opt)
	if err != nil {
		return 0, err
	}
	p.ng = ng
	return 0, p.ng.Flush()
}

// Flush writes out what is buffered; with no log written, the file is a
// section header and an interface without packets.
func (p *Pcap) Flush() error {
	if p.classic != nil {
		return nil // pcapgo.Writer does not buffer
	}
	if p.ng == nil {
		if _, err := p.addInterface(pcapgo.NgInterface{Name: "atscope", LinkType: layers.LinkTypeRaw, TimestampResolution: 9}); err != nil {
			return err
		}
	}
	return p.ng.Flush()
}

// Stats is what was written so far, over every log.
func (p *Pcap) Stats() PcapStats { return p.stats }

// OtherPorts are the broker ports other than 1883 that the capture's
// streams use, in order: with KeepPorts, Wireshark needs
// `-d tcp.port==N,mqtt` for each to dissect MQTT there.
func (p *Pcap) OtherPorts() []int {
	ports := make([]int, 0, len(p.otherPorts))
	for port := range p.otherPorts {
		ports = append(ports, int(port))
	}
	slices.Sort(ports)
	return ports
}

// frame is a serialized packet.
type frame struct {
	at      time.Time
	data    []byte
	inbound bool
	comment string
}

// iface is the pcapng interface of this log: named after the file, its
// description saying where the times come from.
func (lx *logExport) iface() pcapgo.NgInterface {
	return pcapgo.NgInterface{
		Name:                lx.file,
		Description:         "AT log " + lx.file + ": " + lx.clk.describe(),
		LinkType:            layers.LinkTypeRaw,
		TimestampResolution: 9,
	}
}

// writeFrame writes one packet on the log's interface.
func (lx *logExport) writeFrame(f frame, err error) {
	if err != nil {
		lx.err = err
		return
	}
	p := lx.p
	ci := gopacket.CaptureInfo{Timestamp: f.at, CaptureLength: len(f.data), Length: len(f.data), InterfaceIndex: lx.ifIdx}
	if p.classic != nil {
		err = p.classic.WritePacket(ci, f.data)
	} else {
		dir := pcapgo.NgEpbFlagDirectionOutbound
		if f.inbound {
			dir = pcapgo.NgEpbFlagDirectionInbound
		}
		p.block = appendEPB(p.block[:0], lx.ifIdx, f.at, f.data, f.comment, dir)
		_, err = p.w.Write(p.block)
	}
	if err != nil {
		lx.err = err
		return
	}
	lx.stats.Packets++
}
