package redact

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"atscope/decode"
)

// TestUTF16Copy: a UTF-16 log's copy is UTF-16 in the same byte order,
// with its byte order mark, and differs from the log only in the code
// units of its secrets (issue 14: redact read UTF-16 as bytes and found
// nothing to hide).
func TestUTF16Copy(t *testing.T) {
	le, err := os.ReadFile("testdata/utf16le-bom.log")
	if err != nil {
		t.Fatal(err)
	}
	text := fromUTF16Units(le[2:], false)
	be := append([]byte{0xfe, 0xff}, toUTF16Units(text, true)...)
	for _, tc := range []struct {
		name string
		data []byte
		big  bool
	}{{"utf16le-bom.log", le, false}, {"utf16be-bom.log", be, true}} {
		t.Run(tc.name, func(t *testing.T) {
			_, copy := redactLog(t, tc.name, tc.data)
			if len(copy) != len(tc.data) || !bytes.Equal(copy[:2], tc.data[:2]) {
				t.Fatalf("copy of %d bytes starts % x, want %d bytes starting % x", len(copy), copy[:2], len(tc.data), tc.data[:2])
			}
			got := fromUTF16Units(copy[2:], tc.big)
			for _, secret := range []string{"u16-user", "u16-pass-42"} {
				if strings.Contains(got, secret) {
					t.Errorf("%q is still in the copy:\n%s", secret, got)
				}
			}
			// Every code unit outside the secrets is the log's.
			at := strings.Index(text, `"u16-user"`)
			end := strings.Index(text, `"u16-pass-42"`) + len(`"u16-pass-42"`)
			if at < 0 || got[:at] != text[:at] || got[end:] != text[end:] {
				t.Errorf("bytes outside the secrets changed:\n%s", got)
			}
			if !strings.Contains(got, "température 23 °C, ok 👍") {
				t.Errorf("the non-ASCII note changed:\n%s", got)
			}
		})
	}
}

// TestUTF16Damaged: a UTF-16 log with a code unit decode reads as U+FFFD
// gets no copy, and nothing is written.
func TestUTF16Damaged(t *testing.T) {
	le, err := os.ReadFile("testdata/utf16le-bom.log")
	if err != nil {
		t.Fatal(err)
	}
	damaged := append(bytes.Clone(le[:4]), 0x00, 0xd8) // a lone high surrogate
	damaged = append(damaged, le[4:]...)
	r := learnLog(t, "damaged.log", damaged)
	var out bytes.Buffer
	_, err = r.Copy(&out, bytes.NewReader(damaged), "damaged.log", "auto", decode.Options{})
	if !errors.Is(err, errUTF16Damaged) || !strings.HasPrefix(err.Error(), "damaged.log:1: ") {
		t.Errorf("Copy = %v, want damaged.log:1: %v", err, errUTF16Damaged)
	}
	if out.Len() != 0 {
		t.Errorf("%d bytes written for a log that gets no copy", out.Len())
	}
}

func fromUTF16Units(b []byte, big bool) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if big {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return string(utf16.Decode(units))
}

func toUTF16Units(s string, big bool) []byte {
	var out []byte
	for _, c := range utf16.Encode([]rune(s)) {
		if big {
			out = append(out, byte(c>>8), byte(c))
		} else {
			out = append(out, byte(c), byte(c>>8))
		}
	}
	return out
}
