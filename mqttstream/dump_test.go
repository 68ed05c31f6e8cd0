package mqttstream

import (
	"bytes"
	"testing"
)

func TestParseDump(t *testing.T) {
	connack := []byte{0x20, 0x02, 0x00, 0x00}
	cases := []struct {
		name, text string
		want       int
		bytes      []byte
		ok         bool
	}{
		{"hex pairs", "20 02 00 00", 4, connack, true},
		{"hex 0x commas", "0x20,0x02,0x00,0x00", 4, connack, true},
		{"hex contiguous quoted", `"20020000"`, 4, connack, true},
		{"hex colons", "20:02:00:00", 4, connack, true},
		{"decimal", "32, 2, 0, 0", 4, connack, true},
		{"decimal spaces", "16 44 0 4 77 81 84 84", 8, []byte{16, 44, 0, 4, 77, 81, 84, 84}, true},
		{"count differs", "20 02 00 00", 5, nil, false},
		{"not a byte", "20 02 0g 00", 4, nil, false},
		{"decimal over 255", "32 2 0 256", 4, nil, false},
		{"odd contiguous", "2002000", 4, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseDump(c.text, c.want)
			if (err == nil) != c.ok || !bytes.Equal(got, c.bytes) {
				t.Errorf("ParseDump(%q, %d) = % x, %v", c.text, c.want, got, err)
			}
		})
	}
}

func TestParseHexContiguous(t *testing.T) {
	got, err := ParseHex("104300044D515454")
	if err != nil || !bytes.Equal(got, []byte{0x10, 0x43, 0, 4, 'M', 'Q', 'T', 'T'}) {
		t.Errorf("ParseHex = % x, %v", got, err)
	}
}

// FuzzParseDump: no panic, and what parses has the asked length.
func FuzzParseDump(f *testing.F) {
	f.Add("10 2c 00 04", 4)
	f.Add("16, 44, 0", 3)
	f.Add(`"0x"`, 1)
	f.Fuzz(func(t *testing.T, text string, want int) {
		if b, err := ParseDump(text, want); err == nil && len(b) != want {
			t.Fatalf("%q: %d bytes, asked %d", text, len(b), want)
		}
	})
}
