package dialect

import (
	"strings"

	"atscope/decode"
)

// nordicHooks tells the tokenizer how SLM payloads are framed.
type nordicHooks struct{}

func (nordicHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{prefixes: []string{"#XMQTT"}}, claim{names: []string{"#XMQTTMSG"}}, "#"
}

func (nordicHooks) Payload(cmd *decode.Event) decode.Framing {
	if cmd.Name == "#XMQTTPUB" && (&nordicMachine{}).publish(newOp("", "", 0, OpPublish, cmd.Name), cmd.Args) {
		// No prompt: the payload follows the OK, up to "+++".
		return decode.Framing{Kind: decode.FrameUntil, Until: nordicDataTerminator, Silent: true}
	}
	if strings.HasPrefix(cmd.Name, "#XMQTT") {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail keeps "#XMQTTMSG: <tl>,<ml>", the topic line and the message in one
// event. The SLM sends CR LF after the header and between topic and
// message, but logs keep LF only, and the oldest doc shows topic and
// message with nothing between them; the count therefore assumes the
// shortest (one byte after the header, none after the topic) and the
// tokenizer takes the rest of the message's last line. (A data event that
// follows the header would need the exact count, which depends on line ends
// the hook cannot see.)
func (nordicHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "#XMQTTMSG" {
		return 0, 0
	}
	_, tl, ml := nordicLengths(ev.Args)
	if tl < 0 || ml < 0 {
		return 0, 0
	}
	return 1 + tl + ml, 0
}

// Bare names the "#XMQTTEVT=<type>,<result>" form of the SLM doc.
func (nordicHooks) Bare(text string) (string, bool, bool) {
	if strings.HasPrefix(text, "#XMQTTEVT=") {
		return "#XMQTTEVT", false, true
	}
	return "", false, false
}
