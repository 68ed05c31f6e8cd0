package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"atscope/diagnose"
	"atscope/dialect"
	"atscope/export"
	"atscope/redact"
	"atscope/timeline"
	"github.com/spf13/cobra"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type diagnoseOptions struct {
	sessionOptions
	strict bool
	list   bool
}

func newDiagnoseCmd(io *IO) *cobra.Command {
	opts := &diagnoseOptions{}
	opts.input.findings = true
	cmd := &cobra.Command{
		Use:   "diagnose <log>...",
		Short: "Say what went wrong, why, and what to do, with the log lines quoted",
		Long: `Run every rule over each log and print its findings, most severe first: an
error, warning or info line with the rule and the client, a one-line title,
the explanation, the advice, and the log lines it rests on, read back from the
file (with a caret under the part that matters). Standard input is diagnosed
the same way, without the quoted lines.

Rules explain every result and error code of each dialect (Quectel QMTOPEN,
QMTCONN, QMTSTAT; SIMCom CMQTT errors and CONNLOST causes; ESP-AT ERR CODE;
u-blox UMQTTER; Luat failure lines; Nordic and Tencent results; +CME/+CMS
ERROR), and look for what logs posted in support tickets show again and
again: CONNECT too late after the open, connecting before the network is up,
PDP loss, module restarts, wrong payload lengths, unanswered prompts, commands
that deviate from the manual, missing acknowledgements, retransmissions,
rejected or missing subscriptions, reconnect storms, keep-alive trouble, a
client ID used twice, receive buffer overflows, and what a will message does.
--list prints every rule.`,
		Example: `  atscope diagnose samples/ec200-5s-window.log
  atscope diagnose --json samples/*.log | jq -r 'select(.severity=="error") | .title'
  atscope diagnose --strict ci-capture.log && echo clean
  atscope diagnose --list`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.list {
				return noArgs(cmd, args)
			}
			return logArgs(cmd, args)
		},
		RunE: func(_ *cobra.Command, args []string) error { return diagnoseRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON Lines, one finding per line (id, severity, title, explanation, advice, client, lines, file)")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "exit 1 when there is an error finding")
	cmd.Flags().BoolVar(&opts.list, "list", false, "list every rule and exit")
	return cmd
}

// findingRecord is the JSON form of a finding (one line of `atscope
// diagnose --json`). The field names are a contract.
type findingRecord struct {
	ID          string            `json:"id"`
	Severity    diagnose.Severity `json:"severity"`
	Title       string            `json:"title"`
	Explanation string            `json:"explanation"`
	Advice      string            `json:"advice"`
	Client      int               `json:"client"`
	Lines       []int             `json:"lines"`
	File        string            `json:"file"`
}

// ruleRecord is the JSON form of a rule (`atscope diagnose --list --json`).
type ruleRecord struct {
	ID       string            `json:"id"`
	Severity diagnose.Severity `json:"severity"`
	Title    string            `json:"title"`
	Doc      string            `json:"doc"`
}

func diagnoseRun(io *IO, opts *diagnoseOptions, paths []string) error {
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	if opts.list {
		return listRules(io, out, opts.json)
	}
	color, err := colorOn(io, opts.color)
	if err != nil {
		return err
	}
	st := timeline.Style{Color: color}
	errors, n := 0, 0
	type diagnosed struct {
		in *logInput
		fs []diagnose.Finding
	}
	work := func(in *logInput) (diagnosed, error) {
		if _, err := in.ops(func(*dialect.Op) {}, false); err != nil {
			return diagnosed{}, err
		}
		var fs []diagnose.Finding
		for _, f := range findingsOf(in) {
			if opts.wants(f.Client) {
				fs = append(fs, f)
			}
		}
		return diagnosed{in, fs}, nil
	}
	readErr := eachLogParallel(io, paths, &opts.input, work, func(d diagnosed) error {
		in, fs := d.in, d.fs
		errors += diagnose.Count(fs)[diagnose.Error]
		if opts.json {
			jl := export.NewJSONLines(out)
			for _, f := range fs {
				lines := f.Lines
				if lines == nil {
					lines = []int{}
				}
				if err := jl.Write(findingRecord{ID: f.Rule, Severity: f.Severity, Title: f.Title, Explanation: f.Explanation,
					Advice: f.Advice, Client: f.Client, Lines: lines, File: f.File}); err != nil {
					return err
				}
			}
			return nil
		}
		if n > 0 {
			fmt.Fprintln(out)
		}
		n++
		writeFindings(out, in, fs, st)
		return nil
	})
	if readErr != nil {
		return readErr
	}
	if opts.strict && errors > 0 {
		out.Flush()
		return fmt.Errorf("%s (--strict)", plural(errors, "error finding"))
	}
	return nil
}

func listRules(io *IO, out *bufio.Writer, asJSON bool) error {
	if asJSON {
		jl := export.NewJSONLines(out)
		for _, r := range diagnose.Rules() {
			if err := jl.Write(ruleRecord{ID: r.ID, Severity: r.Severity, Title: r.Title, Doc: r.Doc}); err != nil {
				return err
			}
		}
		return nil
	}
	t := newTable(&IO{Out: out, IsTerminal: io.IsTerminal}, "rule", "severity", "title", "looks for")
	for _, r := range diagnose.Rules() {
		if err := t.row(r.ID, r.Severity.String(), r.Title, r.Doc); err != nil {
			return err
		}
	}
	return t.flush()
}

// findingsOf returns a decoded log's findings, redacted when --redact is on.
func findingsOf(in *logInput) []diagnose.Finding {
	fs := in.diag.Findings()
	if red := in.redactor; red != nil {
		for i := range fs {
			fs[i] = redactFinding(red, fs[i])
		}
	}
	return fs
}

func redactFinding(red *redact.Redactor, f diagnose.Finding) diagnose.Finding {
	f.Title, f.Explanation, f.Advice = red.String(f.Title), red.String(f.Explanation), red.String(f.Advice)
	marks := make([]diagnose.Mark, len(f.Marks))
	for i, m := range f.Marks {
		marks[i] = diagnose.Mark{Line: m.Line, Text: red.String(m.Text)}
	}
	f.Marks = marks
	return f
}

// writeFindings writes one log's findings as a readable list with the log
// lines quoted under each.
func writeFindings(w io.Writer, in *logInput, fs []diagnose.Finding, st timeline.Style) {
	c := diagnose.Count(fs)
	head := fmt.Sprintf("%s: %s", in.file, plural(len(fs), "finding"))
	if len(fs) > 0 {
		var parts []string
		for _, s := range []diagnose.Severity{diagnose.Error, diagnose.Warning, diagnose.Info} {
			if c[s] > 0 {
				parts = append(parts, plural(c[s], s.String(), s.String()+"s"))
			}
		}
		head += " (" + strings.Join(parts, ", ") + ")"
	}
	fmt.Fprintln(w, bold(st, head))
	quotes := readLines(in.file, fs, in.redactor)
	for _, f := range fs {
		fmt.Fprintln(w)
		where := []string{}
		if f.Client != dialect.ModuleClient {
			where = append(where, fmt.Sprintf("client %d", f.Client))
		}
		if len(f.Lines) > 0 {
			where = append(where, lineRange(f.Lines))
		}
		tag := severityTag(st, f.Severity)
		fmt.Fprintf(w, "%s %s", tag, f.Rule)
		if len(where) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(where, ", "))
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "  %s\n", bold(st, f.Title))
		wrap(w, "  ", f.Explanation, 100)
		wrap(w, "  advice: ", f.Advice, 100)
		quoteLines(w, f, quotes)
	}
}

func severityTag(st timeline.Style, s diagnose.Severity) string {
	tag := strings.ToUpper(s.String())
	if !st.Color {
		return tag
	}
	code := map[diagnose.Severity]string{diagnose.Error: "\x1b[1;31m", diagnose.Warning: "\x1b[1;33m", diagnose.Info: "\x1b[1;36m"}[s]
	return code + tag + "\x1b[0m"
}

// lineRange renders lines as "line 4", "lines 13-16" or "lines 13-16, 20".
func lineRange(lines []int) string {
	var parts []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", lines[i], lines[j]))
		} else {
			parts = append(parts, fmt.Sprint(lines[i]))
		}
		i = j + 1
	}
	if len(parts) > 6 {
		parts = append(parts[:6], "...")
	}
	word := "lines "
	if len(lines) == 1 {
		word = "line "
	}
	return word + strings.Join(parts, ", ")
}

// wrap writes text after prefix, wrapped at width columns, continuation
// lines indented under the text.
func wrap(w io.Writer, prefix, text string, width int) {
	if text == "" {
		return
	}
	indent := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	line, col := prefix, utf8.RuneCountInString(prefix)
	for _, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		if col+1+n > width && col > len(indent) {
			fmt.Fprintln(w, line)
			line, col = indent+word, len(indent)+n
			continue
		}
		if col > len(indent) || line != prefix {
			if !strings.HasSuffix(line, " ") {
				line += " "
				col++
			}
		}
		line += word
		col += n
	}
	fmt.Fprintln(w, line)
}

const (
	maxQuoted    = 12  // lines quoted per finding
	maxQuoteCols = 160 // columns of a quoted line
)

// readLines reads back the lines the findings cite from the log file (not
// from standard input, which cannot be read twice), redacted.
func readLines(file string, fs []diagnose.Finding, red *redact.Redactor) map[int]string {
	want := map[int]bool{}
	for _, f := range fs {
		for _, l := range shownLines(f.Lines) {
			want[l] = true
		}
	}
	out := map[int]string{}
	if len(want) == 0 || file == "<stdin>" {
		return out
	}
	fh, err := os.Open(file)
	if err != nil {
		return out
	}
	defer fh.Close()
	br := bufio.NewReader(fh)
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

// readLine reads one "\n"-terminated line, keeping at most 4 KiB of it.
func readLine(br *bufio.Reader) (line []byte, long bool, err error) {
	for {
		part, err := br.ReadSlice('\n')
		if len(line) < 4096 {
			line = append(line, part[:min(len(part), 4096-len(line))]...)
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
	b = []byte(strings.TrimRight(string(b), "\r\n"))
	s := string(b)
	if !utf8.Valid(b) {
		if u, err := simplifiedchinese.GBK.NewDecoder().Bytes(b); err == nil && utf8.Valid(u) {
			s = string(u)
		}
	}
	return timeline.Visible(s)
}

// quoteLines writes the cited lines of f under it, with a caret under the
// marked text.
func quoteLines(w io.Writer, f diagnose.Finding, quotes map[int]string) {
	if len(quotes) == 0 || len(f.Lines) == 0 {
		return
	}
	shown := shownLines(f.Lines)
	width := len(fmt.Sprint(shown[len(shown)-1]))
	marks := map[int][]string{}
	for _, m := range f.Marks {
		marks[m.Line] = append(marks[m.Line], timeline.Visible(m.Text))
	}
	fmt.Fprintln(w)
	prev := 0
	for _, l := range shown {
		text, ok := quotes[l]
		if !ok {
			continue
		}
		if prev > 0 && l > prev+1 {
			fmt.Fprintf(w, "    %*s ┆\n", width, "")
		}
		prev = l
		shownText := clipColumns(text, maxQuoteCols)
		fmt.Fprintf(w, "    %*d │ %s\n", width, l, shownText)
		if c := caret(shownText, marks[l]); c != "" {
			fmt.Fprintf(w, "    %*s │ %s\n", width, "", c)
		}
	}
	if n := len(f.Lines) - quotedCount(f.Lines); n > 0 {
		fmt.Fprintf(w, "    %*s   ... and %s\n", width, "", plural(n, "more line"))
	}
}

// shownLines are the lines quoted for a finding: its first maxQuoted lines,
// with gaps of one or two lines between them filled in (blank lines and
// echoes that a reader wants to see).
func shownLines(lines []int) []int {
	var out []int
	for i, l := range lines[:quotedCount(lines)] {
		if i > 0 {
			for g := lines[i-1] + 1; g < l && l-lines[i-1] <= 3; g++ {
				out = append(out, g)
			}
		}
		out = append(out, l)
	}
	return out
}

func quotedCount(lines []int) int { return min(len(lines), maxQuoted) }

// caret draws ^ under the first occurrence of each mark in text.
func caret(text string, marks []string) string {
	if len(marks) == 0 {
		return ""
	}
	cols := []rune{}
	set := func(from, n int) {
		for len(cols) < from+n {
			cols = append(cols, ' ')
		}
		for i := from; i < from+n; i++ {
			cols[i] = '^'
		}
	}
	for _, m := range marks {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		i := strings.Index(text, m)
		if i < 0 {
			continue
		}
		set(columns(text[:i]), max(1, columns(m)))
	}
	return strings.TrimRight(string(cols), " ")
}

// columns is the display width of s: East Asian wide characters take two.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || r >= 0xFF00 && r <= 0xFF60 || r >= 0x3000 && r <= 0x303F:
			n += 2
		case unicode.Is(unicode.Mn, r):
		default:
			n++
		}
	}
	return n
}

// clipColumns cuts s to at most n columns.
func clipColumns(s string, n int) string {
	if columns(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		w += columns(string(r))
		if w > n-1 {
			return s[:i] + "…"
		}
	}
	return s
}

// writeFindingsSection writes the findings of a report: one line each,
// most severe first, with the advice under it.
func writeFindingsSection(w io.Writer, d *decodedLog, st timeline.Style) {
	all := findingsOf(d.in)
	keep := reportClients(d)
	var fs []diagnose.Finding
	for _, f := range all {
		if keep(f.Client) {
			fs = append(fs, f)
		}
	}
	fmt.Fprintf(w, "\n%s\n", bold(st, "findings"))
	if len(fs) == 0 {
		fmt.Fprintln(w, "  none")
		return
	}
	for _, f := range fs {
		where := lineRange(f.Lines)
		if f.Client != dialect.ModuleClient {
			where = fmt.Sprintf("client %d, %s", f.Client, where)
		}
		fmt.Fprintf(w, "  %s %s (%s)\n", severityTag(st, f.Severity), f.Rule, where)
		wrap(w, "    ", f.Title, 100)
		wrap(w, "    advice: ", f.Advice, 100)
	}
	fmt.Fprintf(w, "  (atscope diagnose %s explains each one and quotes its lines)\n", shellQuote(d.in.file))
}

// reportClients says which clients' findings a report shows: all, unless
// --client left some sessions out.
func reportClients(d *decodedLog) func(int) bool {
	all := d.in.diag.Sessions()
	if len(d.sessions) >= len(all) {
		return func(int) bool { return true }
	}
	keep := map[int]bool{}
	for _, s := range d.sessions {
		keep[s.Client] = true
	}
	return func(c int) bool { return keep[c] }
}

func shellQuote(s string) string {
	if s == "<stdin>" {
		return "-"
	}
	if strings.ContainsAny(s, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
