package analyze

import (
	"math"

	"atscope/decode"
	"atscope/dialect"
)

// clientEvents hands on the events of the clients asked for: an event is
// its op's client's, or the module-wide context's (dialect.ModuleClient)
// when no op has it. An event is held until no op still to come can claim
// it (the release point of the log order), so memory stays bounded.
type clientEvents struct {
	wants  func(int) bool
	out    func(*decode.Event) error
	held   []decode.Event // in log order
	client map[int]int    // event seq → the client of the op that has it
}

func newClientEvents(wants func(int) bool, out func(*decode.Event) error) *clientEvents {
	return &clientEvents{wants: wants, out: out, client: map[int]int{}}
}

// op notes the client of an op's events.
func (c *clientEvents) op(op *dialect.Op) {
	for _, seq := range op.Seqs {
		c.client[seq] = op.Client
	}
}

// add holds a copy of ev (the stream reuses it).
func (c *clientEvents) add(ev *decode.Event) { c.held = append(c.held, *ev) }

// release hands on the held events before seq low: no op to come has them.
func (c *clientEvents) release(low int) error {
	i := 0
	for ; i < len(c.held) && c.held[i].Seq < low; i++ {
		ev := &c.held[i]
		client, ok := c.client[ev.Seq]
		if !ok {
			client = dialect.ModuleClient
		}
		delete(c.client, ev.Seq)
		if c.wants(client) {
			if err := c.out(ev); err != nil {
				return err
			}
		}
		*ev = decode.Event{} // let its bytes go
	}
	c.held = c.held[i:]
	return nil
}

// flush hands on every event still held, at the end of the log.
func (c *clientEvents) flush() error { return c.release(math.MaxInt) }
