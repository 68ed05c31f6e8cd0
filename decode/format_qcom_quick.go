package decode

import "time"

// qcomQuickLen is the length of nearly every QCOM line's prefix,
// "[YYYY-MM-DD HH:MM:SS:mmm_S:] ". A line with a prefix of exactly that
// layout, stamped in the same second as the line before, is read by
// comparing bytes at fixed places instead of by the general stamp parser:
// reading the prefix was a third of reading a line. Any other line takes
// qcomPrefix, which gives the same answer on these (TestQCOMQuickPrefix,
// FuzzQCOMQuickPrefix).
const qcomQuickLen = len("[2019-01-31 02:58:52:462_S:] ")

// qcomSecond is the date and time to the second of the latest quick
// prefix, and its time read as UTC in Unix seconds.
type qcomSecond struct {
	text [len("2019-01-31 02:58:52")]byte
	unix int64
	ok   bool
}

// quickPrefix is qcomPrefix of a line with the usual layout; ok is false
// for any other line, which qcomPrefix must read.
func (p *qcomParser) quickPrefix(line []byte) (start int, dir Dir, st Stamp, ok bool) {
	if len(line) < qcomQuickLen || line[0] != '[' || line[20] != ':' || line[24] != '_' ||
		line[26] != ':' || line[27] != ']' || line[28] != ' ' {
		return 0, 0, Stamp{}, false
	}
	if dir, ok = qcomDir(line[25]); !ok {
		return 0, 0, Stamp{}, false
	}
	d0, d1, d2 := line[21]-'0', line[22]-'0', line[23]-'0'
	if d0 > 9 || d1 > 9 || d2 > 9 {
		return 0, 0, Stamp{}, false
	}
	ms := int64(d0)*100 + int64(d1)*10 + int64(d2)
	sec := &p.second
	if !sec.ok || string(line[1:20]) != string(sec.text[:]) {
		unix, n, good := parseDateTimeToSecond(line[1:])
		if !good || n != len(sec.text) {
			return 0, 0, Stamp{}, false
		}
		copy(sec.text[:], line[1:20])
		sec.unix, sec.ok = unix, true
	}
	return qcomQuickLen, dir, Stamp{Time: time.Unix(sec.unix, ms*1e6).UTC(), HasDate: true}, true
}
