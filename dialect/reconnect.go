package dialect

import "atscope/decode"

// ReconnectStep is the part a URC plays in a module's own reconnection
// after a loss (Command.Reconnect): the attempts and the success of one
// reconnection are one connect op, every attempt after the first a retry
// (issue 14 point 8).
type ReconnectStep uint8

const (
	ReconnectNone    ReconnectStep = iota
	ReconnectAttempt               // the module tries again: +TCMQTTRECONNECTING
	ReconnectDone                  // the module is connected again: +TCMQTTRECONNECTED, ESP-AT +MQTTCONNECTED after a loss with reconnect=1
)

// reconnectStep is the part ev plays in a reconnection, read from the
// dialect's table.
func (t *tracker) reconnectStep(ev *decode.Event) ReconnectStep {
	if ev.Kind != decode.KindURC {
		return ReconnectNone
	}
	f, ok := FactsOf(t.dialect)
	if !ok {
		return ReconnectNone
	}
	for i := range f.Commands {
		if c := &f.Commands[i]; c.URC && c.Name == ev.Name {
			return c.Reconnect
		}
	}
	return ReconnectNone
}

// reconnectAttempt adds an attempt to the reconnection in progress, or
// starts it (first): the caller fills a new op from the last connect.
func (t *tracker) reconnectAttempt(client int, ev *decode.Event) (op *Op, first bool) {
	if t.auto == nil {
		t.auto, first = t.op(client, OpConnect, ev.Name), true
		t.auto.Automatic = true
	} else {
		t.auto.Retries++
	}
	t.auto.add(ev)
	return t.auto, first
}

// reconnected ends the reconnection in progress with its success and
// returns its op, or a new one when the log shows no attempt (attempts
// false): the caller fills it, then completes it with ev.
func (t *tracker) reconnected(client int, ev *decode.Event) (op *Op, attempts bool) {
	op, t.auto = t.auto, nil
	if op != nil {
		return op, true
	}
	op = t.op(client, OpConnect, ev.Name)
	op.Automatic = true
	return op, false
}

// reconnectEnd takes the reconnection in progress, if any, for the caller to
// fail (the module gave up) or leave pending (the log ends).
func (t *tracker) reconnectEnd() *Op {
	op := t.auto
	t.auto = nil
	return op
}
