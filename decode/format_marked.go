package decode

import "io"

// markedFormat reads transcripts that mark each write and read with a
// direction but no time: host libraries' debug output (Adafruit FONA and
// Botletics print "\t---> " and "\t<--- "), test scripts, and logs people
// annotate by hand:
//
//	--> AT+QMTCONN=0,"dev01"
//	<-- OK
//	<-- +QMTCONN: 0,0,0
//	» AT+MQTTPUB=0,"t","hi",0,0
//	TX: AT+CMQTTCONNECT=0,"tcp://broker.example.com:1883",60,1
//	Recv: +CMQTTCONNECT: 0,0
//
// A line without a mark continues the direction before it: a response of
// several lines, a payload. The host program's prints that are plainly its
// own ("[app] publish #1", "DEBUG: ...") become notes; others, such as
// FONA's "Found SIM7000", cannot be told from a response and stay data.
var markedFormat = Format{
	Name:    "marked",
	Doc:     "transcripts with a direction mark per line: --> <--, >> <<, » «, TX: RX:, Send: Recv:, \\t---> \\t<--- (FONA)",
	Example: `--> AT+CPIN?`,
	Sniff:   sniffMarked,
	Open: func(r io.Reader, file string, _ Options) ChunkReader {
		return newLineReader(r, file, &markedParser{})
	},
}

// sniffMarked scores by the share of non-blank lines that start with a
// mark. A transcript shows both directions; marks of one direction only
// are more likely nested quotes (">> ") or a payload that starts with
// ">>": a few are ignored, many score half.
func sniffMarked(head []byte) int {
	var hits, total int
	var seen [3]bool
	eachHeadLine(head, func(line []byte) {
		total++
		if otherToolLine(line) {
			return
		}
		if d, _, ok := parseLevelDirMark(line); ok {
			hits++
			seen[d] = true
		}
	})
	both := seen[DirToModule] && seen[DirFromModule]
	if hits == 0 || hits*4 < total || !both && hits < 3 {
		return 0
	}
	score := 20 + 60*hits/total
	if !both {
		score /= 2
	}
	return score
}

type markedParser struct{ dir Dir }

func (p *markedParser) parse(l *Line, out *chunkQueue) {
	if l.Cont {
		out.add(l.Data(0, p.dir, Stamp{}))
		return
	}
	start := bomLen(*l)
	if d, n, ok := parseLevelDirMark(l.Bytes[start:]); ok {
		p.dir = d
		emitRest(*l, start+n, p.dir, Stamp{}, out)
		return
	}
	if isDebugPrint(l.Bytes[start:]) {
		out.add(l.Note(Stamp{}))
		return
	}
	emitRest(*l, start, p.dir, Stamp{}, out)
}

func (p *markedParser) flush(*chunkQueue) {}
