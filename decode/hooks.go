package decode

// FrameKind says how a payload ends.
type FrameKind uint8

const (
	FrameUnknown FrameKind = iota // not known: up to Ctrl-Z, or to the module's answer
	FrameNone                     // the command takes no payload, so a '>' is no prompt
	FrameCount                    // exactly N bytes follow
	FrameCtrlZ                    // bytes up to Ctrl-Z (0x1A); ESC (0x1B) cancels
	FrameUntil                    // bytes up to a terminator string ("+++"), which is not payload
)

// Framing says how many payload bytes follow a prompt or a URC.
type Framing struct {
	Kind  FrameKind
	N     int    // for FrameCount
	Until string // for FrameUntil
	// Silent means the module takes the payload without a prompt, right
	// after the command's OK (Nordic SLM data mode).
	Silent bool
	// Bad is, for FrameCount, the declared length as logged when it is no
	// byte count ("-1", "1e30", "99999999999999999999"); N is then ignored.
	// The tokenizer notes it on the command and reads the payload up to the
	// module's answer, as it does for a negative N.
	Bad string
}

// Hooks carries vendor knowledge into the tokenizer, which knows none. The
// dialect package implements it; nil Hooks mean generic V.250 rules only.
type Hooks interface {
	// Payload says how the payload after the prompt of cmd ends.
	Payload(cmd *Event) Framing
	// Tail is asked about every response and URC. inline is how many payload
	// bytes the line claims beyond its end (a payload with line breaks inside
	// "+MQTTSUBRECV:0,"t",11,two\r\nlines"); follow is how many bytes follow
	// the line as a separate data event ("+CMQTTRXPAYLOAD: 0,12" then 12 bytes).
	// A negative inline says the event is exactly -inline bytes long from
	// its first byte, header and counted payload ("+IPD,4:<4 bytes>" is
	// -11), NULs and line ends inside the payload included: what follows
	// them on the line is a new event.
	Tail(ev *Event) (inline, follow int)
	// Bare names a module line that has no "+NAME:" prefix but that the
	// vendor sends unsolicited ("CONNECT OK", "SUBACK", "WIFI GOT IP") or as
	// a final result ("SEND OK"). ok is false for lines it does not know.
	Bare(text string) (name string, final, ok bool)
}

// URCNamer is implemented by Hooks that know the names of their
// vocabulary's responses and URCs. With it the tokenizer splits URCs that a
// log glued together without line ends
// ("+CMQTTRXSTART: 0,44,203+CMQTTRXTOPIC: 0,44..."), framing the payloads
// between them by their declared lengths. Hooks without it leave such a line
// one event.
type URCNamer interface {
	// KnownURC reports whether name ("+CMQTTRXTOPIC", upper case) is the
	// name of a response or URC the vocabulary has.
	KnownURC(name string) bool
}
