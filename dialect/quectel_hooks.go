package dialect

import (
	"strings"

	"atscope/decode"
)

// quectelHooks tells the tokenizer how Quectel payloads are framed.
type quectelHooks struct{}

func (quectelHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{prefixes: []string{"+QMT"}}, claim{names: []string{"+QMTRECV"}}, ""
}

func (quectelHooks) Payload(cmd *decode.Event) decode.Framing {
	switch cmd.Name {
	case "+QMTPUB", "+QMTPUBEX":
		return quectelPub{tail: quectelPubTail(cmd.Args)}.framing(cmd.Name)
	}
	if strings.HasPrefix(cmd.Name, "+QMT") {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail makes a +QMTRECV payload with a length span lines when the payload
// holds line breaks.
func (quectelHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+QMTRECV" {
		return 0, 0
	}
	var buf [argsOnStack]string
	f := appendArgs(buf[:0], ev.Args, 5)
	if len(f) != 5 || !isQuoted(f[2]) {
		return 0, 0
	}
	n, ok := atoi(f[3])
	if !ok || isQuoted(f[3]) {
		return 0, 0
	}
	body := f[4]
	if strings.HasPrefix(body, `"`) {
		body = body[1:]
	}
	if have := len(body); have < n {
		return n - have, 0
	}
	return 0, 0
}

func (quectelHooks) Bare(string) (string, bool, bool) { return "", false, false }
