package export

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// Enhanced packet blocks are appended here rather than written by
// pcapgo's NgWriter.WritePacketWithOptions, which makes a slice of options
// and eight small buffered writes for each packet and copies its comment:
// a fifth of pcap's time. The section header and the interfaces are still
// pcapgo's; TestEPBLikePcapgo holds the bytes to those pcapgo writes.

// pcapng block and option codes [pcapng §4.3, §3.5].
const (
	ngBlockEnhancedPacket = 6
	ngOptionEnd           = 0
	ngOptionComment       = 1
	ngOptionEpbFlags      = 2
)

// appendEPB appends the enhanced packet block of a packet on interface
// ifIdx (its times in nanoseconds), with its comment and the direction
// flags dir.
func appendEPB(b []byte, ifIdx int, at time.Time, data []byte, comment string, dir pcapgo.NgEpbFlag) []byte {
	start := len(b)
	ts := uint64(at.UnixNano())
	b = binary.LittleEndian.AppendUint32(b, ngBlockEnhancedPacket)
	b = binary.LittleEndian.AppendUint32(b, 0) // the block's length, set at the end
	b = binary.LittleEndian.AppendUint32(b, uint32(ifIdx))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data))) // captured
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data))) // on the wire
	b = padTo4(append(b, data...), start)
	b = binary.LittleEndian.AppendUint16(b, ngOptionComment)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(comment)))
	b = padTo4(append(b, comment...), start)
	b = binary.LittleEndian.AppendUint16(b, ngOptionEpbFlags)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint32(b, uint32(dir&pcapgo.NgEpbFlagDirectionMask))
	b = binary.LittleEndian.AppendUint32(b, ngOptionEnd) // code and length 0
	total := uint32(len(b) - start + 4)
	binary.LittleEndian.PutUint32(b[start+4:], total)
	return binary.LittleEndian.AppendUint32(b, total)
}

// padTo4 pads the block that starts at start with zeros to a multiple of 4
// bytes.
func padTo4(b []byte, start int) []byte {
	for (len(b)-start)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
