package decode

import "testing"

func TestUndot(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AT..", "AT\r\n"},
		{"..OK..", "\r\nOK\r\n"},
		{"31.6", "31.6"},
		{"end...", "end.\r\n"},
		{"...x", "\r\n.x"},
		{"....", "\r\n\r\n"},
		{".", "."},
		{"> ", "> "},
	}
	for _, tt := range tests {
		if got := string(undot(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("undot(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlocksHeader(t *testing.T) {
	tests := []struct {
		line string
		dir  Dir
		hex  bool
		ok   bool
	}{
		{"[2024-01-02 10:11:12.345]# SEND ASCII>>>", DirToModule, false, true},
		{"[2024-01-02 10:11:12.345]# RECV ASCII/n <<<", DirFromModule, false, true},
		{"[2024-01-02 10:11:12.345] # recv HEX<", DirFromModule, true, true},
		{"[2024-01-02 10:11:12.345]# SEND ASCII>>> AT", 0, false, false},
		{"[2024-01-02 10:11:12.345]# NOTE ASCII>>>", 0, false, false},
		{"[10:11:12.345]# SEND ASCII>>>", 0, false, false},
		{"[2024-01-02 10:11:12.345]", 0, false, false},
		{"[2024-01-02 10:11:12.345]# SEND", 0, false, false},
		{"", 0, false, false},
	}
	for _, tt := range tests {
		dir, _, hex, ok := blocksHeader([]byte(tt.line))
		if dir != tt.dir || hex != tt.hex || ok != tt.ok {
			t.Errorf("blocksHeader(%q) = %v, %v, %v; want %v, %v, %v", tt.line, dir, hex, ok, tt.dir, tt.hex, tt.ok)
		}
	}
}
