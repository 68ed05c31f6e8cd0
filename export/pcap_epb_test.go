package export

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// TestEPBLikePcapgo: the packet blocks appendEPB makes are those pcapgo's
// writer makes, for every padding of data and comment.
func TestEPBLikePcapgo(t *testing.T) {
	var buf bytes.Buffer
	iface := pcapgo.NgInterface{Name: "a.log", LinkType: layers.LinkTypeRaw, TimestampResolution: 9}
	ng, err := pcapgo.NewNgWriterInterface(&buf, iface, pcapgo.NgWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ng.AddInterface(pcapgo.NgInterface{Name: "b.log", LinkType: layers.LinkTypeRaw, TimestampResolution: 9}); err != nil {
		t.Fatal(err)
	}
	if err := ng.Flush(); err != nil {
		t.Fatal(err)
	}
	headers := buf.Len()
	var ours []byte
	at := time.Date(2024, 5, 30, 9, 23, 10, 53_000_017, time.UTC)
	for i, comment := range []string{"", "a", "ab", "abc", "a.log:12: publish t/1 {\"id\":1}: ok", "é…"} {
		for n := range 6 {
			data := bytes.Repeat([]byte{byte(n)}, n)
			dir := pcapgo.NgEpbFlagDirectionOutbound
			if (i+n)%2 == 1 {
				dir = pcapgo.NgEpbFlagDirectionInbound
			}
			ifIdx := n % 2
			at = at.Add(time.Duration(i*n) * time.Millisecond)
			ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: n, Length: n, InterfaceIndex: ifIdx}
			err := ng.WritePacketWithOptions(ci, data, pcapgo.NgPacketOptions{Comments: []string{comment}, Flags: &pcapgo.NgEpbFlags{Direction: dir}})
			if err != nil {
				t.Fatal(err)
			}
			ours = appendEPB(ours, ifIdx, at, data, comment, dir)
		}
	}
	if err := ng.Flush(); err != nil {
		t.Fatal(err)
	}
	if theirs := buf.Bytes()[headers:]; !bytes.Equal(ours, theirs) {
		t.Errorf("blocks differ:\nours   %x\npcapgo %x", ours, theirs)
	}
}
