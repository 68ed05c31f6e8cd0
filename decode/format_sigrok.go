package decode

import (
	"io"
	"strings"
)

// sigrokFormat reads the UART annotations that sigrok-cli prints, and the
// annotation export of PulseView:
//
//	sigrok-cli -i capture.sr -P uart:baudrate=115200:rx=D0:tx=D1:format=hex -A uart=rx-data:tx-data --protocol-decoder-ann-class
//
//	uart-1: tx-data: 41
//	uart-1: rx-data: [0D]
//	5120-5988 UART: RX data: O
//
// A line is "[start-end ]<decoder>: [<class or row>: ]<value>". The value is
// hex ("41", the decoder's default), a character ("A") or a bracketed hex
// byte ("[0D]", format=ascii). RX and TX follow the names of the decoder's
// pins, so "tx-data" is host to module and "rx-data" module to host; with
// one decoder instance per line ("uart-1", "uart-2") the first one seen is
// host to module. Options TxChannel and RxChannel match an instance or a
// class ("uart-2"). Other annotations (start and stop bits, "Frame error")
// become notes: ask sigrok for the data classes only. The text carries
// sample numbers, not times, so events have no time.
var sigrokFormat = Format{
	Name:    "sigrok",
	Doc:     "sigrok-cli and PulseView UART annotations: uart-1: rx-data: [0D]; tx-data is host to module",
	Example: "uart-1: tx-data: 41",
	Sniff: func(head []byte) int {
		return sniffShare(head, 60, 3, func(line []byte) bool {
			_, _, _, ok := sigrokLine(line)
			return ok
		})
	},
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		return newLineReader(r, file, &sigrokParser{chans: channelDirs{opt: opt}})
	},
}

// sigrokLine splits an annotation line into decoder instance, class (empty
// when not shown) and value text. Only UART decoders are taken.
func sigrokLine(line []byte) (inst, class, value string, ok bool) {
	s := strings.TrimRight(string(line), "\r")
	if i := strings.IndexByte(s, ' '); i > 0 && isSampleRange(s[:i]) {
		s = s[i+1:]
	}
	k := strings.Index(s, ": ")
	if k <= 0 {
		return "", "", "", false
	}
	inst, s = s[:k], s[k+2:]
	if !strings.HasPrefix(strings.ToLower(inst), "uart") || strings.ContainsAny(inst, " \t\"") {
		return "", "", "", false
	}
	if k := strings.Index(s, ": "); k > 0 && !strings.ContainsAny(s[:k], "\"[") {
		class, s = s[:k], s[k+2:]
	}
	if len(s) > 1 {
		s = strings.TrimRight(s, " ") // a space alone is the byte ' '
	}
	if s == "" {
		return "", "", "", false
	}
	return inst, class, s, true
}

// isSampleRange reports whether s is "start-end" in samples.
func isSampleRange(s string) bool {
	k := strings.IndexByte(s, '-')
	return k > 0 && isDigits(s[:k]) && isDigits(s[k+1:])
}

// sigrokValue reads an annotation's value: the first of its texts when
// they are quoted ("\"41\" \"41\""), as hex, [XX] or one character.
func sigrokValue(s string) (byte, bool) {
	if len(s) >= 2 && s[0] == '"' {
		if k := strings.IndexByte(s[1:], '"'); k >= 0 {
			s = s[1 : 1+k]
		}
	}
	switch {
	case len(s) == 1:
		return s[0], true
	case len(s) == 2:
		return hexValue(s)
	case len(s) == 4 && s[0] == '[' && s[3] == ']':
		return hexValue(s[1:3])
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		return hexValue(s[2:])
	}
	return 0, false
}

// sigrokDataClass reports whether an annotation class or row carries data
// bytes; "" (class not shown) is taken to.
func sigrokDataClass(class string) bool {
	c := strings.ToLower(class)
	return c == "" || strings.Contains(c, "data") && !strings.Contains(c, "bit")
}

type sigrokParser struct {
	chans channelDirs
}

func (p *sigrokParser) parse(l *Line, out *chunkQueue) {
	text := lineText(*l)
	if blank(text) {
		return
	}
	inst, class, value, ok := sigrokLine(text)
	if l.Cont || !ok || !sigrokDataClass(class) {
		out.add(l.Note(Stamp{}))
		return
	}
	v, ok := sigrokValue(value)
	if !ok {
		out.add(l.Note(Stamp{}))
		return
	}
	out.add(decoded(*l, 0, []byte{v}, p.chans.dir(sigrokChannel(inst, class)), Stamp{}))
}

// sigrokChannel names the line a byte came on: the decoder instance, and
// the side of the class ("rx", "tx") when the class shows it.
func sigrokChannel(inst, class string) string {
	c := strings.ToLower(class)
	switch {
	case strings.HasPrefix(c, "rx"):
		return inst + " rx"
	case strings.HasPrefix(c, "tx"):
		return inst + " tx"
	}
	return inst
}

func (p *sigrokParser) flush(*chunkQueue) {}
