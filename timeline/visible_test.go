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

// TestVisiblePrintableAsIs checks that printable ASCII, nearly every line
// of a log, comes back as it is without a copy, and that one byte to
// escape anywhere still takes the slow way.
func TestVisiblePrintableAsIs(t *testing.T) {
	line := `+QMTRECV: 0,1,"fleet/dev-0/cmd",17,"{"id":"a1","v":2}"`
	for name, f := range map[string]func(string) string{"Visible": Visible, "VisibleBytes": VisibleBytes} {
		if got := f(line); got != line {
			t.Errorf("%s(%q) = %q", name, line, got)
		}
		if n := testing.AllocsPerRun(10, func() { f(line) }); n != 0 {
			t.Errorf("%s of printable ASCII allocates %v times", name, n)
		}
		for _, tail := range []string{"\x7f", "\t", "\x00", "\r\n"} {
			if got := f(line + tail); got == line+tail {
				t.Errorf("%s(%q) kept the byte to escape", name, line+tail)
			}
		}
	}
}

// TestVisibleTabs: a tab in text shows as the spaces to the next tab stop
// (a quoted "\t---> AT" log line, a payload); in binary data, beside other
// control bytes or bytes that are not UTF-8, it stays \x09.
func TestVisibleTabs(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func(string) string
		in   string
		want string
	}{
		{"Visible", Visible, "\t---> AT+CSQ", "        ---> AT+CSQ"},
		{"Visible", Visible, "12:00:01\tAT\t\tOK", "12:00:01        AT              OK"},
		{"Visible", Visible, "a\r\n\tb", `a\r\n` + "   b"},
		{"Visible", Visible, "é\tx", "é       x"},
		{"Visible", Visible, "0\t\x00\x02", `0\x09\x00\x02`},
		{"VisibleBytes", VisibleBytes, "\t<--- OK\r\n", `        <--- OK\r\n`},
		{"VisibleBytes", VisibleBytes, "\x82\t\x00", `\x82\x09\x00`},
		{"Preview", func(s string) string { return Preview(s, previewRunes) }, "k\tv", `"k       v"`},
	} {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
