package export

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

// TestIDPoolNeverGivenFirst: while some number was never given out, a pool
// gives the wanted one or the next one up never given out, freed numbers
// aside: the numbers (ports, DNS ids) captures have always had.
func TestIDPoolNeverGivenFirst(t *testing.T) {
	for _, c := range []struct {
		name  string
		wants []int
		frees []int // freed after each take, -1 for none
		got   []int
	}{
		{"wanted", []int{3, 0, 7}, []int{-1, -1, -1}, []int{3, 0, 7}},
		{"next up", []int{3, 3, 3}, []int{-1, -1, -1}, []int{3, 4, 5}},
		{"wraps", []int{7, 7, 7}, []int{-1, -1, -1}, []int{7, 0, 1}},
		{"freed skipped", []int{3, 3, 3}, []int{3, 4, -1}, []int{3, 4, 5}},
		{"over a compressed path", []int{2, 3, 4, 2, 0}, []int{-1, -1, -1, -1, -1}, []int{2, 3, 4, 5, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl := newIDPool(8)
			for i, want := range c.wants {
				if got := pl.take(want); got != c.got[i] {
					t.Fatalf("take %d (%d): %d, want %d", i, want, got, c.got[i])
				}
				pl.free(c.frees[i])
			}
		})
	}
}

// TestIDPoolOldestFreed: once every number was given out, the least
// recently freed comes next, and a number in use never does.
func TestIDPoolOldestFreed(t *testing.T) {
	pl := newIDPool(4)
	for i := 0; i < 4; i++ {
		pl.take(0)
	}
	pl.free(2)
	pl.free(0)
	pl.free(0) // already free: no second turn
	for i, want := range []int{2, 0} {
		if got := pl.take(3); got != want {
			t.Fatalf("take %d: %d, want %d (the oldest freed)", i, got, want)
		}
	}
	if got := pl.take(1); got != 1 {
		t.Errorf("take with all in use: %d, want the wanted 1 shared", got)
	}
}

// TestDevicePortReusedAfterEnd: the device ports of one client's
// connections are never those of a stream still open, and after every
// port was given once they come back oldest freed first; allocation stays
// linear (50,000 connections took minutes when every one scanned all
// ports).
func TestDevicePortReusedAfterEnd(t *testing.T) {
	p, err := NewPcap(&bytes.Buffer{}, PcapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lx := &logExport{p: p, file: "t.log"}
	cn := &connExport{cx: &clientExport{client: 1}, ids: newIDAlloc()}
	open := map[netip.AddrPort]bool{}
	start := time.Now()
	held := lx.newStream(cn, "broker.example", mqttPort, true) // open throughout
	open[held.dev] = true
	var freed []netip.AddrPort
	for i := 0; i < 50000; i++ {
		st := lx.newStream(cn, "broker.example", mqttPort, true)
		if open[st.dev] {
			t.Fatalf("connection %d got %v, the port of a stream still open", i, st.dev)
		}
		if i >= dynamicPorts-1 && st.dev != freed[0] {
			t.Fatalf("connection %d got %v, want the oldest freed %v", i, st.dev, freed[0])
		}
		if i >= dynamicPorts-1 {
			freed = freed[1:]
		}
		if i%1000 == 0 { // a few stay open throughout
			open[st.dev] = true
			continue
		}
		p.releaseStream(st)
		freed = append(freed, st.dev)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("50,000 connections took %v to allocate", d)
	}
}
