package decode

// Line prefixes shared by the stamped, marked and ticket formats. Serial
// tools, terminal programs and people put a time and a direction mark before
// the serial bytes of a line in many small variations. These helpers
// recognise them without allocating, since they run on every line of logs
// that reach hundreds of megabytes.

// parseTimePrefix recognises a timestamp at the start of b and returns the
// time and the bytes it takes, including one space or tab after it:
//
//	[14:17:35.895] ...              bracketed time of day
//	[2024-05-30 09:23:10.053] ...   bracketed date-time (also ISO 8601 inside)
//	18:13:18.620 -> ...             Arduino serial monitor; "->" is its separator, not a direction
//	2024-05-30 09:23:10,053 ...     Python logging (any of '.', ',' or ':' before the fraction)
//	2024-05-30T09:23:10.053Z ...    ISO 8601, also with "+08:00"
//	0000/01/01 00:13:43.600: ...    a module whose clock was never set
//
// A bracket must close right after the time, so QCOM's "[... 02:58:52:462_S:]"
// and Zephyr's "[00:00:04.050,000]" are not taken for plain stamps. An
// unbracketed stamp must be followed by a space, a tab or the line end, so
// "2019-06-26 14:05:09:055[Send->]" is left to its own format.
func parseTimePrefix(b []byte, opt Options) (Stamp, int, bool) {
	p := timeParser{opt: opt}
	return p.timePrefix(b)
}

// timePrefix is parseTimePrefix for the lines of one log.
func (p *timeParser) timePrefix(b []byte) (Stamp, int, bool) {
	if n := csiLen(b); n > 0 {
		// A coloured logger's line: "\x1b[32m[14:17:35.895] OK\x1b[0m".
		st, m, ok := p.timePrefix(b[n:])
		return st, n + m, ok
	}
	if len(b) == 0 {
		return Stamp{}, 0, false
	}
	if b[0] == '[' {
		st, n, ok := p.stampBody(b[1:])
		if !ok || 1+n >= len(b) || b[1+n] != ']' {
			return Stamp{}, 0, false
		}
		return st, skipOneBlank(b, n+2), true
	}
	if !isDigit(b[0]) {
		return Stamp{}, 0, false
	}
	if t, n, ok := p.dateTime(b); ok {
		if n < len(b) && b[n] == ':' {
			n++
		}
		if n < len(b) && !isSpaceOrTab(b[n]) && !isCROrLF(b[n]) {
			return Stamp{}, 0, false
		}
		return Stamp{Time: t, HasDate: true}, skipOneBlank(b, n), true
	}
	if st, n, ok := p.clock(b); ok && startsWith(b[n:], " ->") {
		n += 3
		if n < len(b) && !isSpaceOrTab(b[n]) && !isCROrLF(b[n]) {
			return Stamp{}, 0, false
		}
		return st, skipOneBlank(b, n), true
	}
	return Stamp{}, 0, false
}

// stampBody parses a date-time or a time of day, the inside of a bracketed
// stamp.
func (p *timeParser) stampBody(b []byte) (Stamp, int, bool) {
	if t, n, ok := p.dateTime(b); ok {
		return Stamp{Time: t, HasDate: true}, n, true
	}
	return p.clock(b)
}

// parseDirMark recognises a direction mark at the start of b (after any
// spaces or tabs) and returns the direction and the bytes it takes,
// including one space or tab after the mark. Marks that point towards the
// right, or name the sending side, mean host to module:
//
//	-->  >>  »  TX:  TX  [TX]  Send:  SEND:  Sent:      DirToModule
//	<--  <<  «  RX:  RX  [RX]  Recv:  RECV:  Received:  DirFromModule
//	\t---> AT / \t<--- OK                              Adafruit FONA, Botletics
//
// A single '>' is never a mark: it is the module's data prompt. Words that
// end AT results ("SEND OK", "RECV FROM:...", "Recv 5 bytes") lack the colon
// and are not marks.
func parseDirMark(b []byte) (Dir, int, bool) {
	i := 0
	for i < len(b) && isSpaceOrTab(b[i]) {
		i++
	}
	d, n := dirMarkAt(b[i:])
	if n == 0 {
		return DirUnknown, 0, false
	}
	return d, skipOneBlank(b, i+n), true
}

// parseLevelDirMark is parseDirMark after a log level, as loggers print it
// between the time and the message: "DEBUG TX: AT", "[INFO] --> AT",
// "WARNING: RX: +CME ERROR: 10". The level is taken only when a mark follows,
// so that a module's "ERROR" is never mistaken for one.
func parseLevelDirMark(b []byte) (Dir, int, bool) {
	if d, n, ok := parseDirMark(b); ok {
		return d, n, true
	}
	i := leadingBlanks(b)
	br := i < len(b) && b[i] == '['
	if br {
		i++
	}
	w := 0
	for _, lv := range logLevels {
		if startsWithFold(b[i:], lv) {
			w = len(lv)
			break
		}
	}
	if w == 0 {
		return DirUnknown, 0, false
	}
	i += w
	if br {
		if i >= len(b) || b[i] != ']' {
			return DirUnknown, 0, false
		}
		i++
	}
	if i < len(b) && b[i] == ':' {
		i++
	}
	if i >= len(b) || !isSpaceOrTab(b[i]) {
		return DirUnknown, 0, false
	}
	if d, n, ok := parseDirMark(b[i:]); ok {
		return d, i + n, true
	}
	return DirUnknown, 0, false
}

// logLevels are level names of common loggers, longest first where one is
// a prefix of another.
var logLevels = [...]string{"debug", "dbg", "information", "info", "inf", "notice", "warning", "warn", "wrn",
	"error", "err", "critical", "crit", "fatal", "trace", "verbose"}

// dirMarkAt matches one mark at the very start of b and returns its length,
// 0 when there is none.
func dirMarkAt(b []byte) (Dir, int) {
	if len(b) < 2 {
		return DirUnknown, 0
	}
	switch b[0] {
	case '-': // "-->", "--->": two or more dashes and '>'
		k := leadingDashes(b)
		if k >= 2 && k < len(b) && b[k] == '>' {
			return DirToModule, k + 1
		}
	case '<':
		if k := leadingDashes(b[1:]); k >= 2 { // "<--", "<---"
			return DirFromModule, 1 + k
		}
		if b[1] == '<' && (len(b) == 2 || b[2] != '<') {
			return DirFromModule, 2
		}
	case '>':
		if b[1] == '>' && (len(b) == 2 || b[2] != '>') {
			return DirToModule, 2
		}
	case 0xC2: // UTF-8 guillemets
		switch b[1] {
		case 0xBB: // »
			return DirToModule, 2
		case 0xAB: // «
			return DirFromModule, 2
		}
	case '[':
		if len(b) >= 4 && b[3] == ']' {
			if d := txrxDir(b[1:3]); d != DirUnknown {
				return d, 4
			}
		}
	case 'T', 't', 'R', 'r':
		if d := txrxDir(b[:2]); d != DirUnknown && len(b) > 2 {
			// "TX:" in any case; "TX " only in capitals, where it is not a word.
			switch {
			case b[2] == ':':
				return d, 3
			case b[2] == ' ' && b[0] <= 'Z' && b[1] <= 'Z':
				return d, 2
			}
		}
		fallthrough
	case 'S', 's':
		for _, w := range dirWords {
			if n := len(w.word); len(b) > n && b[n] == ':' && startsWithFold(b, w.word) {
				return w.dir, n + 1
			}
		}
	}
	return DirUnknown, 0
}

// dirWords are the words that, followed by ':', name a direction.
var dirWords = [...]struct {
	word string
	dir  Dir
}{
	{"send", DirToModule},
	{"sent", DirToModule},
	{"recv", DirFromModule},
	{"receive", DirFromModule},
	{"received", DirFromModule},
}

// txrxDir reads "TX" or "RX" in any letter case.
func txrxDir(b []byte) Dir {
	if len(b) < 2 || b[1]|0x20 != 'x' {
		return DirUnknown
	}
	switch b[0] | 0x20 {
	case 't':
		return DirToModule
	case 'r':
		return DirFromModule
	}
	return DirUnknown
}

// leadingDashes counts the '-' at the start of b.
func leadingDashes(b []byte) int {
	k := 0
	for k < len(b) && b[k] == '-' {
		k++
	}
	return k
}

// skipOneBlank steps over one space or tab at b[i], the separator after a
// prefix; further blanks belong to the data.
func skipOneBlank(b []byte, i int) int {
	if i < len(b) && isSpaceOrTab(b[i]) {
		i++
	}
	return i
}

func isSpaceOrTab(c byte) bool { return c == ' ' || c == '\t' }
func isCROrLF(c byte) bool     { return c == '\r' || c == '\n' }

// startsWith is bytes.HasPrefix for a string, without a conversion that
// might allocate.
func startsWith(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// startsWithFold is startsWith ignoring ASCII letter case; s is lower case.
func startsWithFold(b []byte, s string) bool {
	if len(b) < len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// endsWith is bytes.HasSuffix for a string, without a conversion.
func endsWith(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func trimBlankLeft(b []byte) []byte { return b[leadingBlanks(b):] }
func trimBlankRight(b []byte) []byte {
	n := len(b)
	for n > 0 && isSpaceOrTab(b[n-1]) {
		n--
	}
	return b[:n]
}

func leadingBlanks(b []byte) int {
	n := 0
	for n < len(b) && isSpaceOrTab(b[n]) {
		n++
	}
	return n
}

func leadingDigits(b []byte) int {
	n := 0
	for n < len(b) && isDigit(b[n]) {
		n++
	}
	return n
}

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
