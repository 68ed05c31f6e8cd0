package live

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestTapPassesAndRecords: bytes go both ways unchanged, each chunk is
// recorded with its direction, and Run ends without error when stopped.
func TestTapPassesAndRecords(t *testing.T) {
	app, hostEnd := net.Pipe()
	modem, modemEnd := net.Pipe()
	var mu sync.Mutex
	recorded := map[Dir]string{}
	tap := &Tap{Host: hostEnd, Modem: modemEnd, Now: time.Now, Record: func(dir Dir, _ time.Time, data []byte) {
		mu.Lock()
		recorded[dir] += string(data)
		mu.Unlock()
	}}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- tap.Run(stop) }()
	exchange := func(from, to net.Conn, msg string) {
		t.Helper()
		go from.Write([]byte(msg))
		buf := make([]byte, len(msg))
		if _, err := io.ReadFull(to, buf); err != nil || string(buf) != msg {
			t.Fatalf("passed %q (%v), want %q", buf, err, msg)
		}
	}
	exchange(app, modem, "AT+QMTDISC=0\r")
	exchange(modem, app, "\r\nOK\r\n\x1a\x00\xff")
	close(stop)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("stopped: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not end when stopped")
	}
	mu.Lock()
	defer mu.Unlock()
	if recorded[ToModem] != "AT+QMTDISC=0\r" || recorded[FromModem] != "\r\nOK\r\n\x1a\x00\xff" {
		t.Errorf("recorded %q", recorded)
	}
}

// TestTapEndsWhenASideCloses: the application going away ends the tap
// with no error, and closes the modem's side.
func TestTapEndsWhenASideCloses(t *testing.T) {
	app, hostEnd := net.Pipe()
	modem, modemEnd := net.Pipe()
	tap := &Tap{Host: hostEnd, Modem: modemEnd, Now: time.Now, Record: func(Dir, time.Time, []byte) {}}
	done := make(chan error, 1)
	go func() { done <- tap.Run(make(chan struct{})) }()
	app.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not end when the application closed")
	}
	if _, err := modem.Write([]byte("x")); err == nil {
		t.Error("the modem's side is still open")
	}
}
