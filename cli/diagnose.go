package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"atscope/analyze"
	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
	"atscope/export"
	"atscope/report"
	"atscope/timeline"
	"github.com/spf13/cobra"
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
		Long: `Run every rule over each log. Under the log's name come, as in the report,
what atscope could not understand (with what to try) and one verdict per
client: how its session ended and which finding explains it. Then the
findings, most severe first: an
error, warning or info line with the rule and the client, a one-line title,
the explanation, the advice, and the log lines it rests on, read back from the
log (with a caret under the part that matters): a .gz log, standard input and
a FIFO are quoted too, from a temporary copy when they cannot be read twice.

Rules explain every result and error code each dialect documents (open,
connect and link-state results, error codes and causes of connection loss,
and the standard mobile-equipment and message-service errors), and look for what logs posted in support tickets show again and
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
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON Lines: a log's understanding (when not understood) and verdicts, then one finding per line (id, severity, title, explanation, advice, client, lines, file)")
	cmd.Flags().BoolVar(&opts.csv, "csv", false, "print CSV with a header line, one finding per record (the JSON fields)")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "exit 1 when there is an error finding")
	cmd.Flags().BoolVar(&opts.list, "list", false, "list every rule and exit")
	opts.follow.addFlag(cmd)
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

func newFindingRecord(f diagnose.Finding) findingRecord {
	lines := f.Lines
	if lines == nil {
		lines = []int{}
	}
	return findingRecord{ID: f.Rule, Severity: f.Severity, Title: f.Title, Explanation: f.Explanation,
		Advice: f.Advice, Client: f.Client, Lines: lines, File: f.File}
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
	form, err := opts.form()
	if err != nil {
		return err
	}
	if opts.list {
		return listRules(io, out, form)
	}
	color, err := colorOn(io, opts.color)
	if err != nil {
		return err
	}
	st := timeline.Style{Color: color}
	errors, n := 0, 0
	type diagnosed struct {
		log *analyze.Log
		fs  []diagnose.Finding
	}
	work := func(src *analyze.Source, opt analyze.Options) (diagnosed, bool, error) {
		opt.Quotes = form == formText
		l, err := analyze.Run(src, opt, analyze.Sinks{})
		if l == nil {
			return diagnosed{}, false, err
		}
		if opt.Quotes && report.Framed(l.Format.Name) && err == nil {
			// A binary capture's bytes are no text: quote its frames' AT text.
			if l.Quotes, err = report.FrameText(src, opt, func(n int) bool { _, ok := l.Quotes[n]; return ok }); err != nil {
				return diagnosed{}, false, err
			}
		}
		if note := opts.client.missing(l.File, sessionClients(l.DiagnosedSessions())); note != "" {
			opt.Warn(note)
		}
		var fs []diagnose.Finding
		for _, f := range l.Findings {
			if opts.wants(f.Client) {
				fs = append(fs, f)
			}
		}
		return diagnosed{l, fs}, true, err
	}
	var rc *recordCSV
	if form == formCSV {
		rc = newRecordCSV(out, "id", "severity", "title", "explanation", "advice", "client", "lines", "file")
	}
	each := eachLogParallel[diagnosed]
	if opts.follow.on { // findings print when the follow ends
		each = followParallel[diagnosed]
	}
	readErr := each(io, paths, &opts.input, work, func(d diagnosed) error {
		l, fs := d.log, d.fs
		errors += diagnose.Count(fs)[diagnose.Error]
		head := diagnoseHeadline(l, opts.wants)
		switch form {
		case formJSON:
			if err := writeHeadlineRecords(out, l.File, head); err != nil {
				return err
			}
			fallthrough
		case formCSV:
			return writeFindingRecords(out, rc, fs)
		}
		if n > 0 {
			fmt.Fprintln(out)
		}
		n++
		writeFindings(out, l, fs, head.Headline(), st)
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

// diagnoseHeadline is what diagnose says before the findings (issue 15.8,
// 15.9): whether the log was understood, then the verdict of each client
// asked for, in the report's words.
func diagnoseHeadline(l *analyze.Log, wants func(int) bool) *report.Report {
	var vs []diagnose.Verdict
	for _, v := range l.Verdicts() {
		if wants(v.Client) {
			vs = append(vs, v)
		}
	}
	return report.Build(report.Input{Understanding: l.Understanding(), Stats: l.Stats, Findings: l.Findings, Verdicts: vs})
}

// understandingRecord and verdictRecord are the JSON Lines diagnose --json
// writes before a log's findings: {"understanding":{...},"file":...} when
// the log was not understood, then one {"verdict":{...},"file":...} per
// client. Finding records have an "id"; these have none.
type understandingRecord struct {
	Understanding report.Understanding `json:"understanding"`
	File          string               `json:"file"`
}

type verdictRecord struct {
	Verdict report.Verdict `json:"verdict"`
	File    string         `json:"file"`
}

// writeHeadlineRecords writes the understanding (when the log was not
// understood) and the verdicts of r as JSON Lines.
func writeHeadlineRecords(out io.Writer, file string, r *report.Report) error {
	jl := export.NewJSONLines(out)
	if u := r.Understanding; !u.Understood {
		if err := jl.Write(understandingRecord{u, file}); err != nil {
			return err
		}
	}
	for _, v := range r.Verdicts {
		if err := jl.Write(verdictRecord{v, file}); err != nil {
			return err
		}
	}
	return nil
}

// writeFindingRecords writes findings as JSON Lines, or as CSV when rc is
// not nil.
func writeFindingRecords(out io.Writer, rc *recordCSV, fs []diagnose.Finding) error {
	jl := export.NewJSONLines(out)
	for _, f := range fs {
		r := newFindingRecord(f)
		write := jl.Write
		if rc != nil {
			write = rc.write
		}
		if err := write(r); err != nil {
			return err
		}
	}
	if rc != nil {
		return rc.flush()
	}
	return nil
}

func listRules(io *IO, out *bufio.Writer, form tableForm) error {
	if form == formCSV {
		rc := newRecordCSV(out, "id", "severity", "title", "doc")
		for _, r := range diagnose.Rules() {
			if err := rc.write(ruleRecord{ID: r.ID, Severity: r.Severity, Title: r.Title, Doc: r.Doc}); err != nil {
				return err
			}
		}
		return rc.flush()
	}
	if form == formJSON {
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

// writeFindings writes one log's headline (understanding and verdicts)
// and its findings as a readable list with the log lines quoted under each.
func writeFindings(w io.Writer, l *analyze.Log, fs []diagnose.Finding, headline []string, st timeline.Style) {
	c := diagnose.Count(fs)
	head := fmt.Sprintf("%s: %s", l.File, plural(len(fs), "finding"))
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
	for _, h := range headline {
		wrapHanging(w, "  ", "    ", h, 100)
	}
	for _, f := range fs {
		fmt.Fprintln(w)
		where := []string{}
		if f.Client != dialect.ModuleClient {
			where = append(where, fmt.Sprintf("client %d", f.Client))
		}
		if len(f.Lines) > 0 {
			where = append(where, positionRange(l.Format, f.Lines))
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
		quoteLines(w, f, l.Quotes)
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

// positionRange is lineRange in the words of the log's format: frames of
// a binary capture, lines of any other.
func positionRange(format decode.Format, lines []int) string {
	s := lineRange(lines)
	if report.Framed(format.Name) {
		s = "frame" + strings.TrimPrefix(s, "line")
	}
	return s
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
	wrapHanging(w, prefix, strings.Repeat(" ", columns(prefix)), text, width)
}

// wrapHanging is wrap with continuation lines after indent.
func wrapHanging(w io.Writer, prefix, indent, text string, width int) {
	if text == "" {
		return
	}
	line, col := prefix, columns(prefix)
	for _, word := range strings.Fields(text) {
		n := columns(word)
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

const maxQuoteCols = 160 // columns of a quoted line

// quoteLines writes the cited lines of f under it, with a caret under the
// marked text.
func quoteLines(w io.Writer, f diagnose.Finding, quotes map[int]string) {
	if len(quotes) == 0 || len(f.Lines) == 0 {
		return
	}
	shown := analyze.QuotedLines(f.Lines)
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
	if n := len(f.Lines) - analyze.QuotedCount(f.Lines); n > 0 {
		fmt.Fprintf(w, "    %*s   ... and %s\n", width, "", plural(n, "more line"))
	}
}

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

// columns is the display width of s, as the tables measure it: East Asian
// wide characters take two columns, combining marks none.
func columns(s string) int { return displayWidth(s) }

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
	all := d.log.Findings
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
		where := positionRange(d.log.Format, f.Lines)
		if f.Client != dialect.ModuleClient {
			where = fmt.Sprintf("client %d, %s", f.Client, where)
		}
		fmt.Fprintf(w, "  %s %s (%s)\n", severityTag(st, f.Severity), f.Rule, where)
		wrap(w, "    ", f.Title, 100)
		wrap(w, "    advice: ", f.Advice, 100)
	}
	fmt.Fprintf(w, "  (atscope diagnose %s explains each one and quotes its lines)\n", shellQuote(d.log.File))
}

// reportClients says which clients' findings a report shows: all, unless
// --client left some sessions out.
func reportClients(d *decodedLog) func(int) bool {
	all := d.log.DiagnosedSessions()
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
	if s == analyze.StdinName {
		return "-"
	}
	if strings.ContainsAny(s, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
