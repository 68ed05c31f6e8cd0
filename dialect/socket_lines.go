package dialect

import (
	"bytes"
	"strings"

	"atscope/decode"
)

// The lines of the socket families that have no "+NAME:" prefix, with
// whether each is a final result code [docs/socket-dialects.md §1.1-1.5,
// §3.2, §4.1-4.4]. In multi-connection mode SIMCom prefixes them with
// "<id>, " and ESP-AT with "<id>,": sockBare names such a line by its word
// and sockLink reads the id back.
var sockBareWords = map[string]bool{
	"CONNECT OK": false, "CONNECT FAIL": false, "ALREADY CONNECT": false, "ALREADY CONNECTED": false,
	"CLOSED": false, "SEND OK": true, "SEND FAIL": true, "CLOSE OK": true, "SHUT OK": true,
}

// sockBareLines looks sockBareWords up.
var sockBareLines = newBareLines(sockBareWords)

// sockHeads are the bare lines known by their start: receive headers whose
// data follows on the line ("+IPD,4:...", "+RECEIVE,0,4:"), ESP-AT's
// "Recv 4 bytes", SIMCom's "DATA ACCEPT:4" (the result of a quick send) and
// "RECV FROM:<ip>:<port>" [docs/socket-dialects.md §1.2-1.3, §4.2-4.3].
var sockHeads = []struct {
	prefix, name string
	final        bool
}{
	{"+IPD", "+IPD", false}, {"+RECEIVE,", "+RECEIVE", false}, {"+CIPRECVDATA,", "+CIPRECVDATA", false},
	{"Recv ", "Recv", false}, {"DATA ACCEPT:", "DATA ACCEPT", true}, {"RECV FROM:", "RECV FROM", false},
}

// sockBare names a socket family's bare line.
func sockBare(text string) (name string, final, ok bool) {
	if final, ok := sockBareLines.lookUp(text); ok {
		return text, final, true
	}
	if _, word, ok := sockLinkWord(text); ok {
		final, _ := sockBareLines.lookUp(word)
		return word, final, true
	}
	for _, h := range sockHeads {
		if strings.HasPrefix(text, h.prefix) {
			if h.name == "Recv" && !strings.HasSuffix(text, " bytes") {
				continue
			}
			if h.name == "+IPD" && (len(text) < 5 || text[4] != ',') {
				continue // SIM7600's "+IPD<n>" is not decoded
			}
			return h.name, h.final, true
		}
	}
	return "", false, false
}

// sockLinkWord splits "0, CONNECT OK" or "0,CLOSED" into the link id and the
// word; ok is false for other lines.
func sockLinkWord(text string) (link int, word string, ok bool) {
	i := 0
	for i < len(text) && i < 2 && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(text) || text[i] != ',' {
		return 0, "", false
	}
	word = strings.TrimLeft(text[i+1:], " ")
	if _, known := sockBareLines.lookUp(word); !known && word != "CONNECT" {
		return 0, "", false
	}
	link, _ = atoi(text[:i])
	return link, word, true
}

// sockRecv is a receive header: the link, the count of bytes (or of hex
// digits) that follow, and where the data starts in the header's bytes.
type sockRecv struct {
	name    string // "+IPD", "+RECEIVE", "+CIPRECVDATA"
	link, n int
	hasLink bool
	at      int  // the data's offset after the header
	notice  bool // "+IPD,<id>,<n>" of passive mode: data waits in the module
	// nextLine: the data starts on the next line (+RECEIVE, SIM7600's
	// "+IPD<n>").
	nextLine bool
}

// parseRecvHeader reads "+IPD,[<id>,]<n>[,<ip>,<port>]:", "+RECEIVE,<id>,<n>:",
// "+CIPRECVDATA,<n>:" (NONOS) and "+CIPRECVDATA:<n>," (ESP-AT 2.x) at the
// start of b [docs/socket-dialects.md §1.3, §4.3]. ok is false when b does
// not start with one.
func parseRecvHeader(b []byte) (r sockRecv, ok bool) {
	var name string
	if bytes.HasPrefix(b, []byte("+USORD: ")) {
		return parseUSORD(b)
	}
	for _, p := range []string{"+IPD", "+RECEIVE", "+CIPRECVDATA"} {
		if bytes.HasPrefix(b, []byte(p)) {
			name = p
			break
		}
	}
	if name == "" || len(b) <= len(name) {
		return r, false
	}
	rest := b[len(name):]
	r.name = name
	sep := byte(':')
	if name == "+IPD" && rest[0] >= '0' && rest[0] <= '9' {
		// SIM7500/SIM7600: "+IPD<n>", the data on the next line [docs/socket-dialects.md §2.2].
		k := 0
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' && k < 7 {
			k++
		}
		n, _ := atoi(string(rest[:k]))
		r.n, r.at, r.nextLine = n, len(name)+k, true
		return r, k < len(rest) && (rest[k] == '\r' || rest[k] == '\n') || k == len(rest)
	}
	if name == "+CIPRECVDATA" && rest[0] == ':' {
		rest, sep = rest[1:], ','
	} else if rest[0] == ',' {
		rest = rest[1:]
	} else {
		return r, false
	}
	end := bytes.IndexByte(rest, sep)
	eol := bytes.IndexAny(rest, "\r\n")
	if end < 0 || eol >= 0 && eol < end {
		// No data on the line: a passive-mode notice ("+IPD,0,295").
		if eol < 0 {
			eol = len(rest)
		}
		f := splitArgs(string(rest[:eol]), 0)
		if name != "+IPD" || len(f) < 2 {
			return r, false
		}
		r.link, r.hasLink = intArg(f, 0, 0), true
		r.n, r.notice = intArg(f, 1, -1), true
		r.at = len(b) - len(rest) + eol
		return r, r.n >= 0
	}
	f := splitArgs(string(rest[:end]), 0)
	if len(f) == 0 || len(f) > 4 {
		return r, false
	}
	n, okN := atoi(strArg(f, 0))
	if second, ok := atoi(strArg(f, 1)); ok && len(f) != 3 {
		// "<id>,<n>" or "<id>,<n>,<ip>,<port>"; "<n>,<ip>,<port>" has no id.
		r.link, r.hasLink, n = n, true, second
	}
	if !okN || n < 0 {
		return r, false
	}
	r.n, r.at, r.nextLine = n, len(b)-len(rest)+end+1, name == "+RECEIVE"
	return r, true
}

// parseUSORD reads u-blox's `+USORD: <socket>,<n>,"` before the data,
// which is n bytes (2n hex digits in hex mode) and a closing quote
// [docs/socket-dialects.md §5]. The read-count form "+USORD: <socket>,<n>"
// has no data.
func parseUSORD(b []byte) (r sockRecv, ok bool) {
	q := bytes.IndexByte(b, '"')
	eol := bytes.IndexAny(b, "\r\n")
	if q < 0 || eol >= 0 && eol < q {
		return r, false
	}
	f := splitArgs(string(b[len("+USORD: "):q]), 0)
	if len(f) != 3 || strings.TrimSpace(f[2]) != "" {
		return r, false
	}
	link, ok1 := atoi(strArg(f, 0))
	n, ok2 := atoi(strArg(f, 1))
	if !ok1 || !ok2 || n < 0 {
		return r, false
	}
	return sockRecv{name: "+USORD", link: link, hasLink: true, n: n, at: q + 1}, true
}

// sockHooks tells the tokenizer the socket families' payload framings and
// names their bare lines. The three socket dialects share it: their
// command names are the same where they meet (AT+CIPSEND of SIMCom and
// ESP-AT).
type sockHooks struct{}

func (sockHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: []string{"+CIPSEND", "+CIPSENDEX", "+QISEND", "+QISENDEX", "+CIPSTART", "+QIOPEN", "+USOWR", "#XSEND"}},
		claim{names: []string{"+RECEIVE", "+QIURC", "+QIRD", "+CIPRECVDATA", "+USORD"}, prefixes: []string{"+IPD"}},
		sockBareLines.firsts() + "0123456789+RD"
}

// Payload: AT+CIPSEND=[<id>,]<n>, AT+CIPSENDEX=[<id>,]<n> and
// AT+QISEND=<id>,<n> are counted; AT+CIPSEND and AT+QISEND=<id> end at
// Ctrl-Z. A single number is a length for AT+CIPSEND (a link id needs
// CIPMUX=1, which the hooks cannot see), a link id for AT+QISEND.
func (sockHooks) Payload(cmd *decode.Event) decode.Framing {
	args := splitArgs(cmd.Args, 0)
	switch cmd.Name {
	case "+QISENDEX", "+CIPSTART", "+QIOPEN", "+USOWR": // USOWR's prompt is "@", which the tokenizer does not know
		return decode.Framing{Kind: decode.FrameNone}
	case "#XSEND":
		if cmd.Form != decode.FormWrite || intArg(args, 1, -1) == 2 {
			return decode.Framing{Kind: decode.FrameUntil, Until: sockDataEnd, Silent: true}
		}
		return decode.Framing{Kind: decode.FrameNone}
	case "+QISEND":
		if len(args) < 2 {
			return decode.Framing{Kind: decode.FrameCtrlZ}
		}
		if n, ok := atoi(args[1]); ok && n == 0 {
			return decode.Framing{Kind: decode.FrameNone} // =<id>,0 asks what was sent
		}
		if f, ok := countFraming(args[1]); ok {
			return f // "1e30" too: a bad length
		}
		return decode.Framing{Kind: decode.FrameNone}
	case "+CIPSEND", "+CIPSENDEX":
		if cmd.Form != decode.FormWrite {
			return decode.Framing{Kind: decode.FrameCtrlZ}
		}
		if f, ok := countFraming(strArgRaw(args, max(len(args)-1, 0))); ok {
			return f // "1e30" too: a bad length
		}
	}
	return decode.Framing{}
}

// Tail: a receive header's data follows on its line ("+IPD,4:<4 bytes>") or
// on the next ("+QIURC: "recv",0,4", "+QIRD: 4", "+RECEIVE,0,4:").
func (sockHooks) Tail(ev *decode.Event) (int, int) {
	switch {
	case strings.HasPrefix(ev.Name, "+IPD"), ev.Name == "+CIPRECVDATA", ev.Name == "+RECEIVE", ev.Name == "+USORD":
		r, ok := parseRecvHeader([]byte(ev.Text))
		switch {
		case !ok || r.notice:
		case r.nextLine && r.at < len(ev.Text):
			return -(r.at + r.n), 0 // "+RECEIVE,0,4:abcd": the data is on the line after all
		case r.nextLine:
			return 0, r.n
		case r.name == "+USORD": // a closing quote follows; hex mode doubles the count
			if r.n > len(ev.Text)-r.at {
				return r.n - (len(ev.Text) - r.at), 0
			}
		default:
			// The event ends after the data: what follows on the line
			// (in a log that lost its line ends) is the next line.
			return -(r.at + r.n), 0
		}
	case ev.Name == "+QIURC":
		args := splitArgs(ev.Args, 0)
		if strArg(args, 0) == "recv" && len(args) == 3 {
			return 0, max(intArg(args, 2, 0), 0)
		}
	case ev.Name == "+QIRD":
		if args := splitArgs(ev.Args, 0); len(args) == 1 {
			return 0, max(intArg(args, 0, 0), 0)
		}
	}
	return 0, 0
}

func (sockHooks) Bare(text string) (string, bool, bool) { return sockBare(text) }
