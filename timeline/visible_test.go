package timeline

import "testing"

// TestVisibleBytes checks that bytes that are not UTF-8 show as \xNN, while
// valid text, a real U+FFFD and control bytes show as Visible shows them.
func TestVisibleBytes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"\x82!\x00\x05", `\x82!\x00\x05`},
		{"\x04\xc2\x00<", `\x04\xc2\x00<`},
		{"é \uFFFD ok\r\n", "é \uFFFD ok\\r\\n"},
		{"\xe4\xb8", `\xe4\xb8`}, // a cut multi-byte rune
		{"", ""},
	} {
		if got := VisibleBytes(tt.in); got != tt.want {
			t.Errorf("VisibleBytes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
