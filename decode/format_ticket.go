package decode

import (
	"bufio"
	"bytes"
	"io"
	"strings"
)

// ticketFormat reads an AT log that someone pasted into a support ticket,
// chat or forum post, and decodes it as well as the clean log it came from:
//
//	Step 2: connect
//	```
//	> AT+QMTOPEN=0,“broker.example.com”,1883   // open the network
//	> OK
//	> +QMTOPEN: 0,0
//	....
//	[APP] sending telemetry
//	> AT+QMTPUB=0,1,1,0,"dev/telemetry"
//	> > {"t":21.5}
//	```
//
// What people add around the serial text is stripped or set apart:
//   - markdown quote prefixes, when the file quotes most of its AT lines
//     (then "> >" is a quoted data prompt; otherwise "> " is the prompt);
//   - curly quotes that editors put into commands become straight quotes;
//   - "//", "#" and "<--" annotations, at the end of a line or on a line of
//     their own, become notes, outside double quotes only ("tcp://..." stays);
//   - code fences, headings, numbered steps, separators, "...." elisions,
//     and application debug prints ("[APP] ...", "I (1234) app: ...") are notes.
//
// Time prefixes and direction marks (see parseTimePrefix, parseDirMark) are
// read as in the stamped and marked formats. AT commands, module lines
// (OK, +QMTOPEN: 0,0, CONNECT OK) and prompts are data; other plain lines are
// data inside a code fence or after serial data (they may be responses), and
// notes elsewhere (the prose around the log).
var ticketFormat = Format{
	Name:    "ticket",
	Doc:     "an AT log pasted into a ticket or forum post: > quotes, fences, curly quotes, // and # notes, steps, debug prints",
	Example: `> AT+CGDCONT=1,“IP”,“internet”   // APN`,
	Sniff:   sniffTicket,
	Open: func(r io.Reader, file string, opt Options) ChunkReader {
		// How the file is quoted is decided once, from its head.
		br := bufio.NewReaderSize(r, maxLine)
		head, err := br.Peek(SniffSize)
		var src io.Reader = br
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			// Peek reports a read error once; keep it for Err.
			src = io.MultiReader(bytes.NewReader(bytes.Clone(head)), errReader{err})
		}
		return newLineReader(src, file, &ticketParser{times: timeParser{opt: opt}, lay: surveyTicket(head)})
	},
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Evidence that a file is a ticket rather than a clean log: each kind is
// something no serial tool writes.
const (
	evQuote   = 1 << iota // AT lines behind markdown quote prefixes
	evCurly               // curly quotes in AT lines
	evNote                // "//" or "<--" annotations, "//" comment lines
	evHash                // "#" annotations and comment lines
	evFence               // code fences
	evHeading             // "### ", "Step 3:", "1. Check network"
	evInline              // `AT+CPIN?` in backticks
)

// ticketLayout is what the head of a file says about all of it.
type ticketLayout struct {
	depth     int  // markdown quote levels before the log lines; 0 when not quoted
	markPairs bool // "<<" lines exist, so ">>" is a direction mark, not a nested quote
	fenced    bool // the log sits in code fences; plain lines outside are prose
	atLines   int  // lines of AT traffic
	stamped   int  // of which a tool stamped with a time
	evidence  int  // ev* bits
	other     int  // lines of tools with a reader of their own (SSCOM, QCOM)
}

// surveyTicket reads the head of a file for its layout and for evidence.
func surveyTicket(head []byte) ticketLayout {
	var lay ticketLayout
	eachHeadLine(head, func(line []byte) {
		if c := trimBlankLeft(line); len(c) > 2 && c[0] == '<' && c[1] == '<' && c[2] != '<' {
			lay.markPairs = true
		}
	})
	var byDepth [4]int
	eachHeadLine(head, func(line []byte) {
		if otherToolLine(line) {
			lay.other++
			return
		}
		i, _, levels := quoteLevels(line, 0, 8, lay.markPairs)
		c := trimBlankLeft(line[i:])
		if isFence(c) {
			lay.fenced = true
			lay.evidence |= evFence
			return
		}
		_, n, stamped := parseTimePrefix(c, Options{})
		c = c[n:]
		if _, n, ok := parseLevelDirMark(c); ok {
			c = c[n:]
		}
		c = trimBlankRight(c)
		if len(c) == 0 {
			return
		}
		switch note, _ := ticketNote(c); {
		case stamped && note != noteNone:
			return // a program's print, stamped by the tool: no evidence of a person
		case note == noteHeading:
			lay.evidence |= evHeading
			return
		case note == noteComment:
			if c[0] == '#' {
				lay.evidence |= evHash
			} else {
				lay.evidence |= evNote
			}
			return
		case note != noteNone:
			return
		}
		ann := findAnnotation(c)
		cls := serialText(c, ann)
		if !isATTraffic(cls) {
			return
		}
		lay.atLines++
		if stamped {
			lay.stamped++
		}
		byDepth[min(levels, 3)]++
		if hasCurlyQuote(cls) {
			lay.evidence |= evCurly
		}
		if c[0] == '`' {
			lay.evidence |= evInline
		}
		switch {
		case ann < 0:
		case c[ann] == '#':
			lay.evidence |= evHash
		default:
			lay.evidence |= evNote
		}
	})
	if quoted := byDepth[1] + byDepth[2] + byDepth[3]; quoted >= 2 && quoted > byDepth[0] {
		lay.depth = 1
		for d := 2; d <= 3; d++ {
			if byDepth[d] > byDepth[lay.depth] {
				lay.depth = d
			}
		}
		lay.evidence |= evQuote
	}
	return lay
}

// sniffTicket claims a file only on evidence that a person edited it, and
// then outranks the stamped and marked formats, whose lines it also reads.
// Files of tools with a reader of their own stay with that reader.
func sniffTicket(head []byte) int {
	lay := surveyTicket(head)
	if lay.atLines == 0 || lay.evidence == 0 || curlyFromTerminal(lay) {
		return 0
	}
	kinds := 0
	for e := lay.evidence; e != 0; e &= e - 1 {
		kinds++
	}
	score := min(84+4*kinds, 96)
	if lay.other > 0 {
		score = min(score, 30)
	}
	return score
}

// curlyFromTerminal: curly quotes are the only evidence and a tool stamped
// the AT lines. A serial tool records what reached the module, so there the
// curly quotes were typed into the terminal and the module got them: the
// stamped reader must keep them (a ticket reader would straighten them and
// hide the cause of the ERROR that follows).
func curlyFromTerminal(lay ticketLayout) bool {
	return lay.evidence == evCurly && 2*lay.stamped > lay.atLines
}

// Context: what the last line that counts was.
const (
	ctxNone = iota // nothing yet, or the file's start
	ctxNote        // prose, a heading or a fence: plain lines are prose too
	ctxData        // serial data: plain lines may be responses
)

type ticketParser struct {
	// indent is the least indent of the block's data lines, once indentSet.
	indent    int
	indentSet bool
	// blankBefore: the line before was blank (after its quote marks).
	blankBefore bool
	times       timeParser
	lay         ticketLayout
	st          Stamp
	dir         Dir
	ctx         int
	inFence     bool
	lastSet     bool // the last data line was a set command, which a bare '>' prompt may answer
	// contNote: the last piece of an over-long line ended in a note, so the
	// next piece is note too.
	contNote bool
}

func (p *ticketParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		if p.contNote {
			out.add(l.Note(p.st))
		} else {
			out.add(l.Data(0, p.dir, p.st))
		}
		return
	}
	p.contNote = false
	b := l.Bytes
	te := len(b)
	for te > 0 && isCROrLF(b[te-1]) {
		te--
	}
	i, lastQ, levels := quoteLevels(b[:te], bomLen(*l), p.lay.depth, p.lay.markPairs)
	quoted := levels == p.lay.depth
	j := i + leadingBlanks(b[i:te])
	c := trimBlankRight(b[j:te])

	afterBlank := p.blankBefore
	p.blankBefore = len(c) == 0
	if len(c) == 0 {
		p.emptyLine(l, quoted, levels > 0, lastQ, j, out)
		return
	}
	if isFence(c) {
		p.inFence = !p.inFence
		p.structural()
		out.add(l.Note(Stamp{}))
		return
	}

	// A time or a mark starts a record, as in the stamped and marked formats.
	k := j
	st, n, hasTime := p.times.timePrefix(b[k:te])
	if hasTime {
		k += n
	}
	d, m, hasMark := parseLevelDirMark(b[k:te])
	if hasMark {
		k += m
	}
	if hasTime || hasMark {
		p.st, p.dir = st, d
	}
	c = trimBlankRight(b[k:te])
	lineSt := Stamp{}
	if hasTime {
		lineSt = st
	}

	if !hasMark && len(c) > 0 {
		note, rest := ticketNote(c)
		switch note {
		case noteDebug, noteComment:
			// Between serial lines, without breaking the context.
			p.contNote = true
			out.add(l.Note(lineSt))
			return
		case noteHeading, noteElision, noteSeparator:
			if rest > 0 && isATTraffic(serialText(c[rest:], findAnnotation(c[rest:]))) {
				// "1. AT+CPIN?": the list item is the command.
				k += rest
				c = c[rest:]
				break
			}
			p.structural()
			p.contNote = true
			out.add(l.Note(lineSt))
			return
		}
	}

	ann := findAnnotation(c)
	cls := serialText(c, ann)
	if ann >= 0 && len(cls) == 0 {
		// Nothing but an annotation ("<-- fails here", "--> // why?").
		p.contNote = true
		out.add(l.Note(lineSt))
		return
	}
	traffic := hasMark || hasTime || len(cls) == 0 || cls[0] == '>' || isATTraffic(cls)
	if !traffic && (!p.plainIsData(quoted, true) || isProseIntro(cls)) {
		p.structural()
		p.contNote = true
		out.add(l.Note(lineSt))
		return
	}
	p.ctx = ctxData
	p.lastSet = isSetCommand(cls)
	keep := 0
	if k == j && !afterBlank { // a payload goes on right below its line
		keep = p.excessIndent(j - i)
	}
	p.emitData(*l, k, k+len(c), te, ann, keep, out)
}

// excessIndent returns how many of a data line's blanks, after its quote
// marks, go beyond the block's indent (the least of its data lines so far):
// they may be payload ("  \"on\": true" inside a JSON body), which the
// tokenizer keeps or not as the declared length says.
func (p *ticketParser) excessIndent(blanks int) int {
	if !p.indentSet || blanks < p.indent {
		p.indent, p.indentSet = blanks, true
	}
	return blanks - p.indent
}

// emptyLine handles a line with nothing after its quote marks and blanks,
// which end at j; the last quote mark ends at lastQ. quoted: the line has
// the log's quote depth; marked: it has quote marks at all.
func (p *ticketParser) emptyLine(l *Line, quoted, marked bool, lastQ, j int, out *chunkQueue) {
	switch {
	case marked && quoted && p.lastSet && p.ctx == ctxData:
		// A quote line with nothing else after a set command: the
		// module's data prompt, not a blank line of the quote.
		p.lastSet = false
		out.add(l.Data(lastQ, p.dir, p.st))
	case p.plainIsData(quoted, false):
		emitRest(*l, j, p.dir, p.st, out)
	default:
		out.add(l.Note(Stamp{}))
	}
}

// serialText is what a data line says without its annotation (at ann, or
// -1) and inline code backticks: the text to classify.
func serialText(c []byte, ann int) []byte {
	if ann >= 0 {
		c = trimBlankRight(c[:ann])
	}
	c, _ = unwrapBackticks(c)
	return c
}

// plainIsData says whether a line that is neither a command nor a module
// line is serial data: inside a fence, or right after serial data, in the
// quote the log is in. Elsewhere it is prose.
func (p *ticketParser) plainIsData(quoted, nonBlank bool) bool {
	switch {
	case p.inFence:
		return true
	case !quoted && p.lay.depth > 0, p.lay.fenced && nonBlank:
		return false
	}
	return p.ctx == ctxData
}

// structural ends the current block: a heading, fence or prose line
// separates logs, so times and directions do not carry over it.
func (p *ticketParser) structural() {
	p.ctx = ctxNote
	p.indentSet = false
	p.st, p.dir = Stamp{}, DirUnknown
	p.lastSet = false
}

// emitData emits the line's serial text b[start:end] (with the keep blanks
// before it when it is plain text) and its line end
// b[te:], then the annotation that starts at ann in the text (-1: none) as a
// note. The data chunk is a verbatim copy unless the text had to be edited
// (annotation cut, curly quotes, backticks).
func (p *ticketParser) emitData(l Line, start, end, te, ann, keep int, out *chunkQueue) {
	b := l.Bytes
	text := b[start:end]
	if ann >= 0 {
		text = trimBlankRight(text[:ann])
	}
	tick := false
	if u, ok := unwrapBackticks(text); ok {
		text, tick = u, true
	}
	curly := hasCurlyQuote(text)
	if ann < 0 && !tick && !curly {
		emitRest(l, start-keep, p.dir, p.st, out)
		return
	}
	off := start
	if tick {
		off++
	}
	data := make([]byte, 0, len(text)+len(b)-te)
	data = appendStraightQuotes(data, text)
	data = append(data, b[te:]...)
	out.add(Chunk{
		Data:    data,
		Pos:     Pos{File: l.Pos.File, Line: l.Pos.Line, Offset: l.Pos.Offset + int64(off)},
		Dir:     p.dir,
		Time:    p.st.Time,
		TimeSrc: p.st.source(),
	})
	if ann >= 0 {
		a := start + ann
		out.add(Chunk{
			Data:     bytes.Clone(b[a:te]),
			Pos:      Pos{File: l.Pos.File, Line: l.Pos.Line, Offset: l.Pos.Offset + int64(a)},
			Verbatim: true,
			Time:     p.st.Time,
			TimeSrc:  p.st.source(),
			Note:     true,
		})
		p.contNote = te == len(b) // an over-long line continues in the note
	}
}

func (p *ticketParser) flush(*chunkQueue) {}

// quoteLevels steps over up to limit markdown quote levels ("> ", ">", "> > ",
// ">>") of b from i, after up to three spaces. It returns where the text
// after them starts, the index of the last '>' taken, and the levels taken.
// With markPairs, ">>" is a direction mark and ends the quote.
func quoteLevels(b []byte, i, limit int, markPairs bool) (end, last, levels int) {
	j := i
	end, last = i, i
	for k := 0; k < 3 && j < len(b) && b[j] == ' '; k++ {
		j++
	}
	for levels < limit && j < len(b) && b[j] == '>' {
		if markPairs && j+1 < len(b) && b[j+1] == '>' {
			break
		}
		last = j
		j++
		if j < len(b) && b[j] == ' ' {
			j++
		}
		levels++
		end = j
	}
	return end, last, levels
}

// Kinds of lines that a person added.
const (
	noteNone      = iota
	noteDebug     // an application's log print
	noteComment   // "// ..." or "# ..." on its own line
	noteHeading   // "### Publish", "Step 3: connect", "1. Check network", "- item"
	noteElision   // "....", "…", "[...]", "<snip>"
	noteSeparator // "---", "===", "***"
)

// IsElision reports whether a note's text marks lines a person cut from
// the log ("....", "…", "[...]", "<snip>"): a result may be among them.
func IsElision(text string) bool {
	c := trimBlankRight([]byte(strings.TrimLeft(text, " \t")))
	if len(c) == 0 {
		return false
	}
	kind, _ := ticketNote(c)
	return kind == noteElision
}

// ticketNote classifies a line's text (blank-trimmed, after any time
// prefix) as one a person or a program added. For list items and steps it
// also returns where the item's text starts, which may be a command.
func ticketNote(c []byte) (kind, rest int) {
	switch c[0] {
	case '.':
		if startsWith(c, "...") {
			return noteElision, 0
		}
	case 0xE2:
		if startsWith(c, "…") {
			return noteElision, 0
		}
		if startsWith(c, "•") {
			return noteHeading, len("•") + leadingBlanks(c[len("•"):])
		}
	case '[', '(', '<':
		if len(c) > 1 && (startsWith(c[1:], "...") || startsWith(c[1:], "…") || startsWithFold(c[1:], "snip")) {
			return noteElision, 0
		}
	case 's', 'S':
		if startsWithFold(c, "snip") && (len(c) == 4 || !isASCIILetter(c[4])) {
			return noteElision, 0
		}
		if startsWithFold(c, "step") {
			k := 4 + leadingBlanks(c[4:])
			if n := leadingDigits(c[k:]); n > 0 {
				k += n
				if k == len(c) || c[k] == ':' || c[k] == '.' || c[k] == ')' || isSpaceOrTab(c[k]) {
					k++
					return noteHeading, min(k+leadingBlanks(c[min(k, len(c)):]), len(c))
				}
			}
		}
	case '#':
		n := 0
		for n < len(c) && c[n] == '#' {
			n++
		}
		if n == len(c) || isSpaceOrTab(c[n]) {
			if n == 1 {
				return noteComment, 0
			}
			return noteHeading, 0
		}
	case '/':
		if startsWith(c, "//") {
			return noteComment, 0
		}
	case '-', '*':
		if len(c) > 2 && c[1] == ' ' {
			return noteHeading, 2 + leadingBlanks(c[2:])
		}
	}
	if startsWith(c, "步骤") {
		return noteHeading, 0
	}
	if isSeparatorLine(c) {
		return noteSeparator, 0
	}
	if n := leadingDigits(c); n > 0 && n <= 2 && n < len(c) {
		switch {
		case (c[n] == '.' || c[n] == ')') && n+2 < len(c) && c[n+1] == ' ' && !isDigit(c[n+2]):
			return noteHeading, n + 1 + leadingBlanks(c[n+1:])
		case startsWith(c[n:], "、"):
			return noteHeading, n + len("、")
		}
	}
	if isDebugLine(c) {
		return noteDebug, 0
	}
	return noteNone, 0
}

// isSeparatorLine: three or more of '-', '=', '*', '_' or '~' first
// ("---", "=== MQTT NOT CONNECTED ==="). "+++" is the data mode escape and
// is not one.
func isSeparatorLine(c []byte) bool {
	if len(c) < 3 {
		return false
	}
	switch c[0] {
	case '-', '=', '*', '_', '~':
		return c[1] == c[0] && c[2] == c[0]
	}
	return false
}

// isDebugLine recognises the log prints of the host application between
// module lines: "[APP] sending", "[12345] ### Network", "[  1234][I][mqtt.cpp:12]",
// ESP-IDF "I (1234) app: ...", Zephyr "<dbg> ...", "DEBUG: ...".
func isDebugLine(c []byte) bool {
	if c[0] == 0x1b { // an ANSI color sequence before an ESP-IDF line
		k := 1
		for k < len(c) && !isASCIILetter(c[k]) {
			k++
		}
		if c = c[min(k+1, len(c)):]; len(c) == 0 {
			return false
		}
	}
	switch c[0] {
	case '[':
		return isLogTag(c)
	case 'E', 'W', 'I', 'D', 'V':
		if len(c) > 3 && c[1] == ' ' && c[2] == '(' && isDigit(c[3]) {
			return true
		}
	case '<':
		for _, z := range [...]string{"<dbg>", "<inf>", "<wrn>", "<err>"} {
			if startsWith(c, z) {
				return true
			}
		}
	}
	for _, w := range [...]string{"debug", "dbg", "info", "warn", "warning", "trace", "verbose", "notice"} {
		if startsWithFold(c, w) && (len(c) == len(w) || c[len(w)] == ':' || c[len(w)] == ']' || c[len(w)] == ' ') {
			return true
		}
	}
	return false
}

// isLogTag matches a bracketed tag at the start of c, followed by a blank
// or another tag: "[APP] ", "[12345] ", "[D][". Brackets with quotes or
// commas are JSON payloads, and a tag that starts with a digit and holds a
// ':' is a time this package does not read (left as data).
func isLogTag(c []byte) bool {
	end := bytes.IndexByte(c, ']')
	if end < 2 || end > 40 || end+1 >= len(c) {
		return false
	}
	switch c[end+1] {
	case ' ', '\t', '[', '(', '<', ':':
	default:
		return false
	}
	tag := c[1:end]
	if isDigit(tag[0]) && bytes.IndexByte(tag, ':') >= 0 {
		return false
	}
	for _, x := range tag {
		if !isASCIILetter(x) && !isDigit(x) && strings.IndexByte(" _-./:", x) < 0 {
			return false
		}
	}
	return true
}

// isFence: a markdown code fence, with or without an info string.
func isFence(c []byte) bool { return startsWith(c, "```") || startsWith(c, "~~~") }

// isProseIntro: a sentence that introduces what follows ("then it fails:",
// "日志如下："), not a response.
func isProseIntro(c []byte) bool {
	if !(c[len(c)-1] == ':' || endsWith(c, "：")) {
		return false
	}
	lower, space := false, false
	for _, x := range c {
		lower = lower || ('a' <= x && x <= 'z') || x >= 0x80
		space = space || x == ' '
	}
	return lower && (space || c[len(c)-1] != ':')
}

// isATTraffic: an AT command, a line the module sends, or the "+++" escape.
func isATTraffic(c []byte) bool {
	return len(c) > 0 && (isATCommandLine(c) || isModuleLine(c) || string(c) == "+++")
}

// isATCommandLine: "AT", "AT+X", "ATE0", "AT&W", "at+cpin?". Capital "AT"
// followed by a lower-case letter is a word ("ATtiny"), and "at" followed by
// a letter is English.
func isATCommandLine(c []byte) bool {
	if len(c) < 2 {
		return false
	}
	upper := c[0] == 'A' && c[1] == 'T'
	if !upper && !(c[0] == 'a' && c[1] == 't') {
		return false
	}
	if len(c) == 2 {
		return true
	}
	switch x := c[2]; {
	case strings.IndexByte(`+&#^$%*\?=`, x) >= 0:
		return true
	case upper:
		return ('A' <= x && x <= 'Z') || isDigit(x)
	}
	return false
}

// isSetCommand: a command with arguments, which a data prompt may answer.
func isSetCommand(c []byte) bool {
	return isATCommandLine(c) && bytes.IndexByte(c, '=') > 0 && !endsWith(c, "=?")
}

// isModuleLine: what modules send: "+QMTOPEN: 0,0", "#XMQTTEVT: 1,0",
// "^SYSSTART", and bare capital words and numbers ("OK", "CONNECT OK",
// "SUBACK", "RDY", "0,CONNECT", an IMEI).
func isModuleLine(c []byte) bool {
	switch c[0] {
	case '+', '#', '^', '$', '%', '*':
		return len(c) > 1 && 'A' <= c[1] && c[1] <= 'Z'
	}
	upper := false
	for _, x := range c {
		switch {
		case 'A' <= x && x <= 'Z':
			upper = true
		case isDigit(x), x == ' ', x == ',', x == ':', x == '.', x == '_', x == '-', x == '/', x == '\t':
		default:
			return false
		}
	}
	return upper || isDigit(c[0])
}

// findAnnotation returns where an annotation starts in a data line, or -1:
// "//", "#" followed by a blank, "<-" or "←", each first or after a blank,
// and outside double quotes (straight or curly), so that "tcp://host" and
// "AT#XMQTTCON" stay. "+CME ERROR" texts may hold '#' and are not searched
// for it.
func findAnnotation(c []byte) int {
	hash := !startsWith(c, "+CME ERROR") && !startsWith(c, "+CMS ERROR")
	inQ := false
	for i := 0; i < len(c); i++ {
		x := c[i]
		if x == '"' {
			inQ = !inQ
			continue
		}
		if x == 0xE2 && i+2 < len(c) && c[i+1] == 0x80 && (c[i+2] == 0x9C || c[i+2] == 0x9D) {
			inQ = c[i+2] == 0x9C // “ opens, ” closes
			continue
		}
		if inQ || i > 0 && !isSpaceOrTab(c[i-1]) {
			continue
		}
		switch {
		case x == '/' && i+1 < len(c) && c[i+1] == '/',
			x == '<' && i+1 < len(c) && c[i+1] == '-',
			startsWith(c[i:], "←"):
			return i
		case x == '#' && hash && (i+1 == len(c) || isSpaceOrTab(c[i+1]) || c[i+1] == '#'):
			return i
		}
	}
	return -1
}

// unwrapBackticks returns the text of a line that is one inline code span.
func unwrapBackticks(c []byte) ([]byte, bool) {
	if len(c) > 2 && c[0] == '`' && c[len(c)-1] == '`' && c[1] != '`' {
		return c[1 : len(c)-1], true
	}
	return c, false
}

// hasCurlyQuote reports “ ” ‘ ’ in c.
func hasCurlyQuote(c []byte) bool {
	for i := bytes.IndexByte(c, 0xE2); i >= 0 && i+2 < len(c); {
		if c[i+1] == 0x80 && 0x98 <= c[i+2] && c[i+2] <= 0x9D && c[i+2] != 0x9A && c[i+2] != 0x9B {
			return true
		}
		k := bytes.IndexByte(c[i+1:], 0xE2)
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// appendStraightQuotes appends c with “ ” as a double quote and ‘ ’ as a
// single quote: what the person typed before an editor curled them.
func appendStraightQuotes(dst, c []byte) []byte {
	for i := 0; i < len(c); i++ {
		if c[i] == 0xE2 && i+2 < len(c) && c[i+1] == 0x80 {
			switch c[i+2] {
			case 0x9C, 0x9D:
				dst = append(dst, '"')
				i += 2
				continue
			case 0x98, 0x99:
				dst = append(dst, '\'')
				i += 2
				continue
			}
		}
		dst = append(dst, c[i])
	}
	return dst
}
