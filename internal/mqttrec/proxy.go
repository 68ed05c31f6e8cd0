package mqttrec

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"atscope/mqttstream"
)

// Proxy relays one TCP connection from a client to a broker and records it.
// The clock is the caller's: nothing below cli reads the wall clock itself.
type Proxy struct {
	ln       net.Listener
	upstream string
	now      func() time.Time

	mu    sync.Mutex
	rec   Recording
	start time.Time
	done  chan error

	closeSeen bool
}

// Listen opens a proxy on a free loopback port towards upstream (host:port).
func Listen(upstream string, now func() time.Time) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, upstream: upstream, now: now, done: make(chan error, 1)}
	go func() { p.done <- p.serve() }()
	return p, nil
}

// Addr is where clients connect.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Wait returns the recording once the connection has closed both ways, or
// the first error. It gives up after timeout.
func (p *Proxy) Wait(timeout time.Duration) (Recording, error) {
	select {
	case err := <-p.done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.rec, err
	case <-time.After(timeout):
		p.ln.Close()
		return Recording{}, errors.New("proxy: the connection did not close in time")
	}
}

func (p *Proxy) serve() error {
	defer p.ln.Close()
	client, err := p.ln.Accept()
	if err != nil {
		return err
	}
	defer client.Close()
	p.start = p.now()
	broker, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return err
	}
	defer broker.Close()
	errs := make(chan error, 2)
	go func() { errs <- p.pipe(client, broker, mqttstream.ToBroker) }()
	go func() { errs <- p.pipe(broker, client, mqttstream.FromBroker) }()
	first, second := <-errs, <-errs
	return errors.Join(first, second)
}

// pipe copies one direction, recording every read, and half-closes the far
// side when the near side ends so the other direction can drain.
func (p *Proxy) pipe(from, to net.Conn, dir mqttstream.Dir) error {
	buf := make([]byte, 4096)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			p.record(dir, buf[:n])
			if _, werr := to.Write(buf[:n]); werr != nil {
				return nil // the far side is gone: the other pipe reports why
			}
		}
		if err != nil {
			p.closed(dir)
			if tc, ok := to.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
	}
}

func (p *Proxy) record(dir mqttstream.Dir, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rec.Chunks = append(p.rec.Chunks, Chunk{Dir: dir, At: p.now().Sub(p.start), Data: append([]byte(nil), b...)})
}

// closed notes the side that ended first: reads from the client ending means
// the client (the device) closed.
func (p *Proxy) closed(dir mqttstream.Dir) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closeSeen {
		p.closeSeen, p.rec.ClosedBy = true, dir
	}
}
