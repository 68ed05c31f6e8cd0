package mqttstream

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseHex reads bytes written as hex: contiguous ("102C0004", as
// AT+QISENDEX, the hex data format, CIPRXGET mode 3 and USOWR hex carry them)
// or as separated pairs ("10 2c 00 04", "0x10,0x2C", "10:2c"). Surrounding
// quotes and spaces are ignored.
func ParseHex(text string) ([]byte, error) {
	text = strings.Trim(strings.TrimSpace(text), `"`)
	fields := dumpFields(text)
	if len(fields) == 1 && len(fields[0])%2 == 0 { // contiguous
		f := fields[0]
		fields = fields[:0]
		for i := 0; i < len(f); i += 2 {
			fields = append(fields, f[i:i+2])
		}
	}
	out := make([]byte, 0, len(fields))
	for i, f := range fields {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "0x"), "0X")
		v, err := strconv.ParseUint(f, 16, 8)
		if err != nil || len(f) == 0 || len(f) > 2 {
			return nil, fmt.Errorf("hex byte %d is %q", i+1, f)
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// ParseDecimal reads bytes written as a decimal list ("16, 44, 0, 4" or
// "16 44 0 4"), as FONA-style debug prints show them.
func ParseDecimal(text string) ([]byte, error) {
	fields := dumpFields(strings.TrimSpace(text))
	out := make([]byte, 0, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseUint(f, 10, 8)
		if err != nil {
			return nil, fmt.Errorf("decimal byte %d is %q", i+1, f)
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// ParseDump reads a packet dump an application printed beside its AT
// traffic and accepts it only when it holds exactly want bytes (the length of
// the send it shows). Separated fields of two characters, or with 0x, are hex;
// other separated fields (one to three digits) are decimal; one unseparated
// field is contiguous hex.
func ParseDump(text string, want int) ([]byte, error) {
	parse := ParseDecimal
	if isHexDump(dumpFields(strings.TrimSpace(text))) {
		parse = ParseHex
	}
	b, err := parse(text)
	if err != nil {
		return nil, err
	}
	if len(b) != want {
		return nil, fmt.Errorf("dump holds %d bytes, the send %d", len(b), want)
	}
	return b, nil
}

func isHexDump(fields []string) bool {
	if len(fields) == 1 {
		return true
	}
	for _, f := range fields {
		if len(f) != 2 && !strings.HasPrefix(strings.ToLower(f), "0x") {
			return false
		}
	}
	return true
}

// dumpFields splits a dump at spaces, commas, colons and semicolons.
func dumpFields(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ',' || r == ':' || r == ';'
	})
}
