package decode

import (
	"bytes"
	"io"
	"time"
)

// zephyrFormat reads a Zephyr console with the modem_chat module at debug
// level (CONFIG_MODEM_MODULES_LOG_LEVEL_DBG=y):
//
//	[00:00:04.050,000] <dbg> modem_chat: modem_chat_script_next: sending: AT+CSQ
//	[00:00:04.110,000] <dbg> modem_chat: modem_chat_log_received_command: +CSQ:  99 99
//	[00:00:04.111,000] <dbg> modem_chat: modem_chat_log_received_command: OK
//
// modem_chat logs what it sends and each line it matched, without the line
// end, so the reader adds "\r\n" to each (not verbatim). A matched line is
// logged as its parsed arguments joined by spaces, the separators lost; the
// reader puts commas back between the arguments of a "+NAME:" line (spaces
// inside quotes are kept), which is right for AT responses whose match
// splits on ','. Lines that matched nothing are logged as they came
// (modem_chat_on_unknown_command_received). The stamp is the uptime, placed
// after Options Start. Other log lines become notes; colour sequences are
// dropped.
var zephyrFormat = Format{
	Name:    "zephyr",
	Doc:     "Zephyr modem_chat debug logs: <dbg> modem_chat: ...: sending: AT+CSQ; uptime from --start",
	Origin:  OriginBoot,
	Example: "[00:00:04.050,000] <dbg> modem_chat: modem_chat_script_next: sending: AT+CSQ",
	Sniff: func(head []byte) int {
		n := 0
		captureHeadLines(head, func(line []byte) bool {
			if bytes.Contains(line, []byte("<dbg> modem_chat: ")) {
				n++
			}
			return n < 2
		})
		return []int{0, 90, 98}[n]
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &zephyrParser{opt: opt})
	},
}

var zephyrChat = []byte("<dbg> modem_chat: ")

// zephyrUptime parses "[00:00:04.050,000]" at the start of b.
func zephyrUptime(b []byte) (time.Duration, bool) {
	if len(b) < 2 || b[0] != '[' {
		return 0, false
	}
	end := bytes.IndexByte(b, ']')
	if end < 0 {
		return 0, false
	}
	f := b[1:end]
	// HH:MM:SS.mmm,uuu: hours may exceed 23 on a long-running device.
	c := bytes.IndexByte(f, ':')
	if c < 1 || len(f) < c+6 || f[c+3] != ':' {
		return 0, false
	}
	h, ok1 := digits(f, c)
	m, ok2 := digits(f[c+1:], 2)
	s, ok3 := digits(f[c+4:], 2)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	rest := f[c+6:]
	if len(rest) >= 4 && rest[0] == '.' {
		ms, ok := digits(rest[1:], 3)
		if !ok {
			return 0, false
		}
		d += time.Duration(ms) * time.Millisecond
		rest = rest[4:]
		if len(rest) >= 4 && rest[0] == ',' {
			us, ok := digits(rest[1:], 3)
			if !ok {
				return 0, false
			}
			d += time.Duration(us) * time.Microsecond
		}
	}
	return d, true
}

// zephyrMessage splits a modem_chat debug line into the function that
// logged it ("" when CONFIG_LOG_FUNC_NAME_PREFIX_DBG is off) and the
// message.
func zephyrMessage(line []byte) (fn, msg []byte, ok bool) {
	k := bytes.Index(line, zephyrChat)
	if k < 0 {
		return nil, nil, false
	}
	msg = line[k+len(zephyrChat):]
	if i := bytes.Index(msg, []byte(": ")); i > 0 && isIdent(msg[:i]) && bytes.HasPrefix(msg, []byte("modem_chat_")) {
		fn, msg = msg[:i], msg[i+2:]
	}
	return fn, msg, true
}

func isIdent(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_') {
			return false
		}
	}
	return len(b) > 0
}

// zephyrProgress are modem_chat's messages about its scripts, which are
// not serial data.
var zephyrProgress = [...]string{"running script: ", ": step: ", ": complete", ": aborted", ": timed out", "buffer overrun"}

// zephyrTraffic classifies a modem_chat message: bytes sent, a line
// received, or neither.
func zephyrTraffic(fn, msg []byte) (Dir, []byte, bool) {
	if bytes.HasPrefix(msg, []byte("sending: ")) {
		return DirToModule, msg[len("sending: "):], true
	}
	switch string(fn) {
	case "modem_chat_log_received_command":
		return DirFromModule, rejoinChatArgs(msg), true
	case "modem_chat_on_unknown_command_received":
		return DirFromModule, msg, true
	case "":
		for _, p := range zephyrProgress {
			if bytes.Contains(msg, []byte(p)) {
				return 0, nil, false
			}
		}
		return DirFromModule, rejoinChatArgs(msg), true
	}
	return 0, nil, false
}

// rejoinChatArgs undoes modem_chat's logging of a matched line, which
// joins the match ("+CSQ: ") and its arguments with spaces: "+CSQ:  99 99"
// becomes "+CSQ: 99,99". Lines without a "+NAME:" prefix, and arguments
// that already hold commas, are left as they are.
func rejoinChatArgs(msg []byte) []byte {
	if len(msg) == 0 || bytes.IndexByte([]byte("+^$#%*"), msg[0]) < 0 {
		return msg
	}
	c := bytes.IndexByte(msg, ':')
	if c < 0 || bytes.IndexByte(msg[:c], '"') >= 0 {
		return msg
	}
	args := bytes.TrimLeft(msg[c+1:], " ")
	out := append(bytes.Clone(msg[:c+1]), ' ')
	quoted := false
	for _, b := range args {
		switch {
		case b == '"':
			quoted = !quoted
		case b == ',' && !quoted:
			return msg
		case b == ' ' && !quoted:
			b = ','
		}
		out = append(out, b)
	}
	return out
}

type zephyrParser struct {
	opt Options
}

func (p *zephyrParser) parse(l *Line, out *chunkQueue) {
	text := stripANSI(l.Text())
	if blank(text) {
		return
	}
	var st Stamp
	if d, ok := zephyrUptime(text); ok {
		st = offsetStamp(d, p.opt)
	}
	fn, msg, ok := zephyrMessage(text)
	if l.Cont || !ok {
		out.add(l.Note(st))
		return
	}
	dir, data, ok := zephyrTraffic(fn, bytes.TrimRight(msg, " "))
	if !ok || len(data) == 0 {
		out.add(l.Note(st))
		return
	}
	at := bytes.Index(l.Bytes, msg)
	out.add(decoded(*l, at, append(bytes.Clone(data), '\r', '\n'), dir, st))
}

func (p *zephyrParser) flush(*chunkQueue) {}
