package export

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// ngWriterBlock is appendPacketBlock as pcapgo.NgWriter writes it.
func ngWriterBlock(t testing.TB, ifIdx int, at time.Time, data []byte, comment string, inbound bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	iface := pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, TimestampResolution: 9}
	w, err := pcapgo.NewNgWriterInterface(&buf, iface, pcapgo.NgWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range ifIdx {
		if _, err := w.AddInterface(iface); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	headers := buf.Len()
	dir := pcapgo.NgEpbFlagDirectionOutbound
	if inbound {
		dir = pcapgo.NgEpbFlagDirectionInbound
	}
	ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(data), Length: len(data), InterfaceIndex: ifIdx}
	opts := pcapgo.NgPacketOptions{Comments: []string{comment}, Flags: &pcapgo.NgEpbFlags{Direction: dir}}
	if err := w.WritePacketWithOptions(ci, data, opts); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[headers:]
}

func checkPacketBlock(t testing.TB, ifIdx int, at time.Time, data []byte, comment string, inbound bool) {
	t.Helper()
	got := appendPacketBlock([]byte("kept"), ifIdx, at, data, comment, inbound)
	if want := ngWriterBlock(t, ifIdx, at, data, comment, inbound); string(got) != "kept"+string(want) {
		t.Errorf("appendPacketBlock(%d, %v, % x, %q, %v)\n got % x\nwant % x", ifIdx, at, data, comment, inbound, got[4:], want)
	}
}

func TestPacketBlockMatchesNgWriter(t *testing.T) {
	at := time.Date(2024, 5, 14, 10, 23, 45, 123456789, time.UTC)
	for _, data := range [][]byte{nil, {0x45}, []byte("abcd"), []byte("abcdefg"), bytes.Repeat([]byte{0xee}, 1500)} {
		for _, comment := range []string{"", "a", "abcd", "q.log:12,13: client 0 publish: ok", string(bytes.Repeat([]byte("x"), 65535))} {
			checkPacketBlock(t, 0, at, data, comment, false)
			checkPacketBlock(t, 2, syntheticBase, data, comment, true)
		}
	}
}

// FuzzPacketBlock holds appendPacketBlock to NgWriter's bytes.
func FuzzPacketBlock(f *testing.F) {
	f.Add(uint8(0), int64(1715682225123456789), []byte("data"), "log:1: publish", true)
	f.Add(uint8(3), int64(-1), []byte{}, "", false)
	f.Fuzz(func(t *testing.T, ifIdx uint8, nanos int64, data []byte, comment string, inbound bool) {
		if len(comment) > 65535 {
			comment = comment[:65535]
		}
		checkPacketBlock(t, int(ifIdx%4), time.Unix(0, nanos), data, comment, inbound)
	})
}
