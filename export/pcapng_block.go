package export

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// The packets' blocks are written by hand: pcapgo.NgWriter allocates its
// options for every packet. The bytes are those of
// NgWriter.WritePacketWithOptions with a comment and a direction (the
// tests hold them to it); the section header and the interfaces still go
// through the NgWriter.

const (
	ngBlockEnhancedPacket = 6
	ngOptionEnd           = 0
	ngOptionComment       = 1
	ngOptionEpbFlags      = 2
)

// appendPacketBlock appends an enhanced packet block: the packet data on
// interface ifIdx at time at, with its comment (at most 65535 bytes) and
// direction.
func appendPacketBlock(b []byte, ifIdx int, at time.Time, data []byte, comment string, inbound bool) []byte {
	start := len(b)
	ts := uint64(at.UnixNano())
	b = binary.LittleEndian.AppendUint32(b, ngBlockEnhancedPacket)
	b = binary.LittleEndian.AppendUint32(b, 0) // the block's length, filled in below
	b = binary.LittleEndian.AppendUint32(b, uint32(ifIdx))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data))) // captured
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data))) // on the wire
	b = appendPadded(b, data)
	b = appendOptionHeader(b, ngOptionComment, len(comment))
	b = appendPadded(b, comment)
	direction := pcapgo.NgEpbFlagDirectionOutbound
	if inbound {
		direction = pcapgo.NgEpbFlagDirectionInbound
	}
	b = appendOptionHeader(b, ngOptionEpbFlags, 4)
	b = binary.LittleEndian.AppendUint32(b, uint32(direction))
	b = appendOptionHeader(b, ngOptionEnd, 0)
	length := uint32(len(b) - start + 4)
	binary.LittleEndian.PutUint32(b[start+4:], length)
	return binary.LittleEndian.AppendUint32(b, length)
}

func appendOptionHeader(b []byte, code, length int) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(code))
	return binary.LittleEndian.AppendUint16(b, uint16(length))
}

// appendPadded appends v and zeros up to a multiple of 4 bytes.
func appendPadded[T string | []byte](b []byte, v T) []byte {
	b = append(b, v...)
	return append(b, make([]byte, (4-len(v)%4)%4)...)
}
