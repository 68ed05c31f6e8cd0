package diagnose

import (
	"fmt"

	"atscope/decode"
	"atscope/dialect"
)

const (
	idNotText = "not-text"
	// notTextSample is how much of the input the rule looks at, and
	// notTextMin how much it needs to judge.
	notTextSample = 64 << 10
	notTextMin    = 256
)

// notTextRule notices input that is no text log: a compressed or binary
// file, a capture of a format no reader takes, or a serial line read at the
// wrong baud rate. Text logs hold few control bytes besides CR, LF, tab,
// Ctrl-Z and ESC; random bytes hold one in nine.
type notTextRule struct {
	base
	seen, control int
	first         int // the first line with a control byte
}

func (n *notTextRule) event(_ *run, ev *decode.Event) {
	if n.seen >= notTextSample || ev.Note || ev.Kind == decode.KindData {
		return // payloads may be binary
	}
	for _, c := range ev.Raw[:min(len(ev.Raw), notTextSample-n.seen)] {
		n.seen++
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1a && c != 0x1b || c == 0x7f {
			n.control++
			if n.first == 0 {
				n.first = ev.Pos.Line
			}
		}
	}
}

func (n *notTextRule) finish(r *run) {
	if n.seen < notTextMin || n.control*20 < n.seen { // under 5%
		return
	}
	r.add(Finding{Rule: idNotText, Severity: Warning, Client: dialect.ModuleClient,
		Title: fmt.Sprintf("The input is not a text log: %d%% of its first %d bytes are control bytes", n.control*100/n.seen, n.seen),
		Explanation: "An AT log is text: commands, responses and URCs between CR and LF. This input is mostly other bytes, " +
			"as a compressed or encrypted file is, a capture in a format atscope does not read, or a serial line read at the wrong baud rate, which turns every byte into noise.",
		Advice: "Check what the file is: decompress it, export the capture as text or in a format `atscope formats` lists (--input-format picks one), " +
			"or capture again at the module's baud rate (115200 8N1 for most modules).",
		Lines: []int{n.first}})
}
