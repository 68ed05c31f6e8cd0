package export

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"atscope/dialect"
	"atscope/timeline"
)

// Packet comments: the provenance of each packet, the log lines that show
// it.

// commentText makes a comment valid pcapng option text: UTF-8, at most
// 65535 bytes.
func commentText(c string) string {
	if !utf8.ValidString(c) {
		c = strings.ToValidUTF8(c, "\uFFFD")
	}
	if len(c) > 65535 {
		cut := 65535 - len("…")
		for cut > 0 && !utf8.RuneStart(c[cut]) {
			cut--
		}
		c = c[:cut] + "…"
	}
	return c
}

// comment is the provenance of an op's packets: "file:line,line: what".
func (lx *logExport) comment(op *dialect.Op) string {
	file := op.File
	if file == "" {
		file = lx.file
	}
	b := append(lx.scratch[:0], file...)
	b = append(b, ':')
	for i, l := range op.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(l), 10)
	}
	b = append(b, ": "...)
	if op.Client == dialect.ModuleClient {
		b = append(b, "module "...)
	}
	b = append(b, op.Kind.String()...)
	if op.Name != "" {
		b = append(append(b, ' '), op.Name...)
	}
	b = appendEssentialsOrCode(b, op)
	b = append(append(b, ": "...), op.Status.String()...)
	if op.Reason != "" && (op.Status != dialect.StatusOK || op.Kind == dialect.OpLink) {
		b = append(append(append(b, " ("...), op.Reason...), ')')
	}
	if !lx.clk.synthetic && op.Start.IsZero() {
		b = append(b, " [time not logged: placed at the previous logged time]"...)
	}
	lx.scratch = b
	return string(b)
}

// appendEssentialsOrCode appends " " and the op's essentials, or its code
// when it has none to show (links and setup steps name theirs already).
func appendEssentialsOrCode(b []byte, op *dialect.Op) []byte {
	if op.Kind != dialect.OpLink && op.Kind != dialect.OpSetup {
		n := len(b)
		if b = timeline.AppendEssentials(append(b, ' '), op); len(b) > n+1 {
			return b
		}
		b = b[:n]
	}
	if op.Code != "" {
		b = append(append(b, ' '), op.Code...)
	}
	return b
}
