package decode

import (
	"encoding/binary"
	"strings"
)

// upperName is strings.ToUpper for a name, which is nearly always upper-case
// ASCII already: it looks at eight bytes at a time for one that would
// change, where strings.ToUpper costs a call and two byte loops on every
// command and URC line.
func upperName(s string) string {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if mayChangeUpper(binary.LittleEndian.Uint64([]byte(s[i : i+8]))) {
			return strings.ToUpper(s)
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'a' <= c && c <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

// mayChangeUpper reports whether one of the eight bytes of x is not ASCII
// or is a lower-case letter. For an ASCII byte b, b+0x1f has its high bit
// set when b >= 'a', and b+0x05 when b > 'z'; no sum carries into the next
// byte.
func mayChangeUpper(x uint64) bool {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	if x&high != 0 {
		return true
	}
	return (x+0x1f*ones)&^(x+0x05*ones)&high != 0
}
