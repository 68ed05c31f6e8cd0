package analyze

import (
	"bufio"
	"fmt"
	"io"

	"atscope/decode"
	"atscope/redact"
)

// Lines reads back the first n lines of a log after its run, printable
// and redacted like the quotes (through decode, so the lines of a .gz log
// are those inside it), and the number of lines there are in all. The
// source must have been kept (Options.Redactor or Options.Quotes) unless
// it is a regular file. The HTML report shows them with anchors.
func Lines(src *Source, n int, red *redact.Redactor) (lines []string, total int, err error) {
	r, err := src.pass()
	if err == nil {
		r, err = decode.Decompress(r, src.Name)
	}
	if err != nil {
		return nil, 0, err
	}
	br := bufio.NewReader(r)
	for {
		line, long, err := readLine(br)
		if err != nil && err != io.EOF {
			return lines, total, fmt.Errorf("%s: %w", src.Name, err)
		}
		if len(line) == 0 && err != nil {
			return lines, total, nil
		}
		total++
		if len(lines) < n {
			s := displayText(line)
			if long {
				s += "…"
			}
			lines = append(lines, red.String(s))
		}
		if err != nil {
			return lines, total, nil
		}
	}
}
