package decode

import (
	"strings"
	"testing"
)

func TestUpperName(t *testing.T) {
	for _, s := range []string{"", "+QMTPUB", "+qmtpub", "+QMTPUBz", "+QMTPUBEX_A", "E", "e", "+ÄBC", "ABCDEFGH`{@[", "abcdefghijklmnopq", "+QMTRECV\x7f", "ZZZZZZZZa"} {
		if got, want := upperName(s), strings.ToUpper(s); got != want {
			t.Errorf("upperName(%q) = %q, want %q", s, got, want)
		}
	}
	for b := 0; b < 256; b++ { // every byte at every place of a word
		for at := 0; at < 9; at++ {
			s := strings.Repeat("A", at) + string([]byte{byte(b)}) + "BCDEFGH"
			if got, want := upperName(s), strings.ToUpper(s); got != want {
				t.Fatalf("upperName(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

func FuzzUpperName(f *testing.F) {
	f.Add("+QMTPUB")
	f.Add("+qmtPub:")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := upperName(s), strings.ToUpper(s); got != want {
			t.Errorf("upperName(%q) = %q, want %q", s, got, want)
		}
	})
}
