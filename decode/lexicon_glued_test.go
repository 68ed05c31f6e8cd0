package decode

import "testing"

// TestSplitResultGluedToURC: a lost CR LF glues "OK" to the URC after it.
func TestSplitResultGluedToURC(t *testing.T) {
	for s, want := range map[string]int{
		"OK+QMTPUB: 0,3,0": 2,
		"OK+QMTPB: 0,3,0":  2,
		"ERROR+CME: 1":     5,
		"OK+":              0,
		"OK+abc: 1":        0,
		"OK+QMTPUB":        0,
		"OK+1: 2":          0,
	} {
		if got := splitMerged(s); got != want {
			t.Errorf("splitMerged(%q) = %d, want %d", s, got, want)
		}
	}
}
