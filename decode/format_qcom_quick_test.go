package decode

import (
	"testing"
)

// quickAgrees checks that quickPrefix, when it reads line, reads it as
// qcomPrefix does, with the second cache fresh and warmed by line itself.
func quickAgrees(t *testing.T, p *qcomParser, line []byte) {
	t.Helper()
	start, dir, st, ok := p.quickPrefix(line)
	if !ok {
		return
	}
	var times timeParser
	wStart, wDir, wSt, wOK := qcomPrefix(line, &times)
	if !wOK || start != wStart || dir != wDir || st != wSt || !st.Time.Equal(wSt.Time) {
		t.Errorf("%q: quickPrefix = %d %v %v %v, qcomPrefix = %d %v %v %v", line, start, dir, st, ok, wStart, wDir, wSt, wOK)
	}
}

func TestQCOMQuickPrefix(t *testing.T) {
	lines := []string{
		"[2019-01-31 02:58:52:462_S:] AT",
		"[2019-01-31 02:58:52:999_R:] OK",
		"[2019-01-31 02:58:53:000_R:] ",
		"[2019-01-31 02:58:53:000_R:]",   // no space: the general parser's
		"[2019/01/31 02:58:53:001_R:] x", // slashes
		"[2019-01-31T02:58:53:001_R:] x", // a T
		"[2019-01-31 2:58:53:001_R:] x",  // one hour digit: another layout
		"[2019-01-31 02:58:53:0a1_R:] x", // no millisecond
		"[2019-01-31 02:58:53:001_X:] x", // no direction
		"[2019-02-30 02:58:53:001_S:] x", // no such day
		"[2019-01-31 24:00:00:001_S:] x",
		"\xef\xbb\xbf[2019-01-31 02:58:53:001_S:] x",
	}
	var p qcomParser
	read := 0
	for _, l := range lines {
		quickAgrees(t, &p, []byte(l))
		if _, _, _, ok := p.quickPrefix([]byte(l)); ok {
			read++
		}
	}
	if read < 4 {
		t.Errorf("quickPrefix read %d lines, want at least 4", read)
	}
	// The cached second must not leak into a line of another second.
	p = qcomParser{}
	for _, l := range []string{"[2019-01-31 02:58:52:462_S:] AT", "[2019-01-31 02:58:53:462_S:] AT", "[2020-01-31 02:58:53:462_S:] AT"} {
		quickAgrees(t, &p, []byte(l))
	}
}

func FuzzQCOMQuickPrefix(f *testing.F) {
	f.Add([]byte("[2019-01-31 02:58:52:462_S:] AT"), []byte("[2019-01-31 02:58:52:463_R:] OK"))
	f.Add([]byte("[2019-01-31 23:59:59:999_S:] AT"), []byte("[2019-02-01 00:00:00:000_R:] OK"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var p qcomParser
		quickAgrees(t, &p, a)
		quickAgrees(t, &p, b) // with a's second cached
		quickAgrees(t, &p, a)
	})
}
