package dialect

import (
	"strings"

	"atscope/decode"
)

// ubloxHooks tells the tokenizer how u-blox payloads are framed.
type ubloxHooks struct{}

func (ubloxHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: []string{"+UDWNFILE"}, prefixes: []string{"+UMQTT"}}, claim{names: []string{"+UMQTTC", ubloxLenName}}, "TL"
}

func (ubloxHooks) Payload(cmd *decode.Event) decode.Framing {
	switch cmd.Name {
	case "+UMQTTC":
		args := splitArgs(cmd.Args, 0)
		if cmd.Form != decode.FormWrite || intArg(args, 0, -1) != 9 {
			return decode.Framing{Kind: decode.FrameNone}
		}
		if f, ok := countFraming(lastArg(cmd.Args)); ok && len(args) >= 4 {
			return f
		}
		return decode.Framing{}
	case "+UDWNFILE":
		if f, ok := countFraming(strArg(splitArgs(cmd.Args, 0), 1)); ok && cmd.Form == decode.FormWrite {
			return f
		}
		return decode.Framing{}
	}
	if strings.HasPrefix(cmd.Name, "+UMQTT") {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail keeps a read-out message with line breaks in one event: the new
// syntax +UMQTTC: 6 line, and the old "Len:<n> QoS:<q>" line with the
// "Msg:" after it. The old form's line ends are "\r\r\n" or whatever the log
// tool made of them, so the count assumes the shortest ("\nMsg:") and the
// tokenizer takes the rest of the last line.
func (ubloxHooks) Tail(ev *decode.Event) (int, int) {
	switch ev.Name {
	case "+UMQTTC":
		if !strings.HasPrefix(strings.TrimSpace(ev.Args), "6,") {
			return 0, 0
		}
		m, ok := parseUbloxMessage(ev.Args)
		if !ok || m.msgLen < 0 {
			return 0, 0
		}
		have := ubloxBodyLen(ev.Args)
		if have >= 0 && have < m.msgLen {
			return m.msgLen - have, 0
		}
	case ubloxLenName:
		n, _, _, _ := parseUbloxCM(ev.Text)
		if n >= 0 {
			return n + len("\nMsg:"), 0
		}
	}
	return 0, 0
}

// ubloxBodyLen is how many message bytes a read-out line holds after the
// message's opening quote, or -1.
func ubloxBodyLen(args string) int {
	all := splitArgs(args, 0)
	ti := -1
	for i := 1; i < len(all) && i <= 4; i++ {
		if strings.HasPrefix(all[i], `"`) {
			ti = i
			break
		}
	}
	if ti < 0 {
		return -1
	}
	f := splitArgs(args, ti+2)
	if ti+1 >= len(f) {
		return -1
	}
	rest := f[ti+1]
	if i := strings.IndexByte(rest, ','); i > 0 && !strings.HasPrefix(rest, `"`) {
		rest = rest[i+1:]
	}
	if !strings.HasPrefix(rest, `"`) {
		return -1
	}
	return len(rest) - 1
}

// Bare names the "Len:<n> QoS:<q>" line of an old SARA-R4 message.
func (ubloxHooks) Bare(text string) (string, bool, bool) {
	if strings.HasPrefix(text, "Topic:") {
		return ubloxTopicName, false, true // old SARA-R4 read-out: the topic line
	}
	if !strings.HasPrefix(text, "Len:") {
		return "", false, false
	}
	f := strings.Fields(text)
	if len(f) == 2 && strings.HasPrefix(f[1], "QoS:") {
		if _, ok := atoi(f[0][4:]); ok {
			return ubloxLenName, false, true
		}
	}
	return "", false, false
}
