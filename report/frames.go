package report

import (
	"fmt"
	"strings"

	"atscope/analyze"
	"atscope/decode"
	"atscope/timeline"
)

// Framed says whether a format's positions are frame numbers of a binary
// capture (as Wireshark numbers them) rather than lines of text: its
// file's bytes are no text to quote, and it has frames, not lines.
func Framed(format string) bool { return format == "usb" }

// positionWord is what the positions of a format are: "line" or "frame".
func positionWord(format string) string {
	if Framed(format) {
		return "frame"
	}
	return "line"
}

// frameLines are the first n frames of a binary capture as the log
// section shows them: their AT text, "" for frames with none.
func frameLines(src *analyze.Source, opt analyze.Options, n, total int) ([]string, error) {
	text, err := FrameText(src, opt, func(f int) bool { return f <= n })
	if err != nil {
		return nil, err
	}
	lines := make([]string, min(n, total))
	for i := range lines {
		lines[i] = text[i+1]
	}
	return lines, nil
}

// FrameText reads src once more and returns, for each frame of a binary
// capture that want keeps, the AT text of its events (redacted like the
// run's, control bytes escaped): what a quote of that frame shows in place
// of the capture's bytes. opt is the options of the run that read it.
func FrameText(src *analyze.Source, opt analyze.Options, want func(frame int) bool) (map[int]string, error) {
	opt.Findings, opt.Quotes, opt.Warn, opt.Progress, opt.Filter = false, false, nil, nil, analyze.Filter{}
	parts := map[int][]string{}
	event := func(ev *decode.Event) error {
		if ev.Note || !want(ev.Pos.Line) {
			return nil
		}
		if s := strings.TrimSpace(timeline.Visible(strings.TrimRight(string(ev.Raw), "\r\n"))); s != "" {
			parts[ev.Pos.Line] = append(parts[ev.Pos.Line], s)
		}
		return nil
	}
	if _, err := analyze.Run(src, opt, analyze.Sinks{Event: event}); err != nil {
		return nil, err
	}
	text := make(map[int]string, len(parts))
	for frame, p := range parts {
		text[frame] = strings.Join(p, " · ")
	}
	return text, nil
}

// positions names the report's count of lines: "lines", or "frames" for a
// binary capture.
func (r *Report) positions() string { return positionWord(r.Format) + "s" }

// sizeFact is how much the log holds, in its positions.
func (r *Report) sizeFact() string {
	return fmt.Sprintf("%d %s, %d events, %d unrecognised, %d damaged", r.Lines, r.positions(), r.Events, r.Unrecognised, r.Damaged)
}
