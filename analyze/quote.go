package analyze

import (
	"bufio"
	"bytes"
	"unicode/utf8"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/redact"
	"atscope/timeline"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	// MaxQuoted is how many of a finding's lines are quoted.
	MaxQuoted = 12
	// maxQuoteBytes bounds what is kept of one quoted line.
	maxQuoteBytes = 4096
)

// QuotedLines are the lines quoted for a finding that rests on lines: its
// first MaxQuoted lines, with gaps of one or two lines between them filled
// in (blank lines and echoes that a reader wants to see).
func QuotedLines(lines []int) []int {
	var out []int
	for i, l := range lines[:QuotedCount(lines)] {
		if i > 0 {
			for g := lines[i-1] + 1; g < l && l-lines[i-1] <= 3; g++ {
				out = append(out, g)
			}
		}
		out = append(out, l)
	}
	return out
}

// QuotedCount is how many of lines QuotedLines quotes.
func QuotedCount(lines []int) int { return min(len(lines), MaxQuoted) }

// quotes reads back the lines the findings quote, through decode (so the
// lines of a .gz log are those inside it) and from the source's copy when
// it is standard input or a FIFO. A source that cannot be read again gives
// what it can: quotes are a help, not the finding.
func quotes(src *Source, fs []diagnose.Finding, red *redact.Redactor) map[int]string {
	want := map[int]bool{}
	for _, f := range fs {
		for _, l := range QuotedLines(f.Lines) {
			want[l] = true
		}
	}
	out := map[int]string{}
	if len(want) == 0 {
		return out
	}
	r, err := src.pass()
	if err == nil {
		r, err = decode.Decompress(r, src.Name)
	}
	if err != nil {
		return out
	}
	br := bufio.NewReader(r)
	for n := 1; len(out) < len(want); n++ {
		line, long, err := readLine(br)
		if want[n] && (len(line) > 0 || err == nil) {
			s := displayText(line)
			if long {
				s += "…"
			}
			out[n] = red.String(s)
		}
		if err != nil {
			break
		}
	}
	return out
}

// readLine reads one "\n"-terminated line, keeping at most maxQuoteBytes
// of it.
func readLine(br *bufio.Reader) (line []byte, long bool, err error) {
	for {
		part, err := br.ReadSlice('\n')
		if len(line) < maxQuoteBytes {
			line = append(line, part[:min(len(part), maxQuoteBytes-len(line))]...)
		} else {
			long = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, long, err
	}
}

// displayText makes a log line printable: GBK decoded when it is not
// UTF-8 (SSCOM logs), line end dropped, control bytes escaped.
func displayText(b []byte) string {
	b = bytes.TrimRight(b, "\r\n")
	s := string(b)
	if !utf8.Valid(b) {
		if u, err := simplifiedchinese.GBK.NewDecoder().Bytes(b); err == nil && utf8.Valid(u) {
			s = string(u)
		}
	}
	return timeline.Visible(s)
}

// redactFindings hides the secrets in the findings' text.
func redactFindings(red *redact.Redactor, fs []diagnose.Finding) []diagnose.Finding {
	if red == nil {
		return fs
	}
	for i, f := range fs {
		f.Title, f.Explanation, f.Advice = red.String(f.Title), red.String(f.Explanation), red.String(f.Advice)
		marks := make([]diagnose.Mark, len(f.Marks))
		for j, m := range f.Marks {
			marks[j] = diagnose.Mark{Line: m.Line, Text: red.String(m.Text)}
		}
		f.Marks = marks
		fs[i] = f
	}
	return fs
}
