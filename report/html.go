package report

import (
	_ "embed"
	"fmt"
	"html"
	"io"
	"strings"
)

// The page's style and script, inlined: the report opens from a mail
// attachment, with no network.
var (
	//go:embed assets/report.css
	pageCSS string
	//go:embed assets/report.js
	pageJS string
)

// page writes one HTML report.
type page struct {
	b strings.Builder
	r *Report
}

// WriteHTML writes the report as one self-contained HTML page: inline
// style, script and SVG, nothing fetched. Its body gets data-ready="1"
// once its script ran.
func WriteHTML(w io.Writer, r *Report) error {
	p := &page{r: r}
	p.printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	p.printf("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p.printf("<meta name=\"generator\" content=\"atscope\">\n<title>atscope report: %s</title>\n", esc(r.File))
	p.printf("<style>\n%s</style>\n</head>\n<body>\n<main>\n", pageCSS)
	p.header()
	p.printf("<nav><a href=\"#clients\">Clients</a><a href=\"#findings\">Findings (%d)</a><a href=\"#sequence\">Sequence</a>"+
		"<a href=\"#latency\">Latency</a><a href=\"#timeline\">Timeline</a><a href=\"#log\">Log</a></nav>\n", len(r.Findings))
	p.clients()
	p.findings()
	p.sequences()
	p.latency()
	p.timeline()
	p.log()
	p.printf("</main>\n<script>\n%s</script>\n</body>\n</html>\n", pageJS)
	_, err := io.WriteString(w, p.b.String())
	return err
}

func (p *page) printf(format string, a ...any) { fmt.Fprintf(&p.b, format, a...) }

func esc(s string) string { return html.EscapeString(s) }

// line links a line number to its place in the log section, when the
// section shows it.
func (p *page) line(n int) string {
	if p.r.rec.hasLine(n) {
		return fmt.Sprintf("<a href=\"#L%d\">%d</a>", n, n)
	}
	return fmt.Sprint(n)
}

// lines links a finding's lines: "12, 14–16" stays short by joining
// runs. A finding over a long log may rest on thousands of lines, which
// its quote and atscope diagnose give: past maxLinkedRuns runs, the rest
// are counted.
func (p *page) lines(ls []int) string {
	var parts []string
	for i := 0; i < len(ls); {
		if len(parts) == maxLinkedRuns {
			parts[len(parts)-1] += fmt.Sprintf(" and %d more", len(ls)-i)
			break
		}
		j := i
		for j+1 < len(ls) && ls[j+1] == ls[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, p.line(ls[i]))
		} else {
			parts = append(parts, p.line(ls[i])+"–"+p.line(ls[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// maxLinkedRuns bounds the runs of lines a finding links.
const maxLinkedRuns = 50

func (p *page) header() {
	r := p.r
	p.printf("<h1>atscope report <span class=\"file\">%s</span></h1>\n<ul class=\"headline\">\n", esc(r.File))
	if u := r.Understanding; !u.Understood && u.Reason != "" {
		p.printf("<li class=\"unknown\">atscope did not understand this log: %s", esc(u.Reason))
		if u.Line > 0 {
			p.printf(" (line %s)", p.line(u.Line))
		}
		p.printf(". Try: %s</li>\n", esc(u.Hint))
	}
	for _, v := range r.Verdicts {
		class := ""
		if v.Line > 0 {
			class = " class=\"trouble\""
		}
		p.printf("<li%s>%s</li>\n", class, p.verdict(v))
	}
	p.printf("</ul>\n<table class=\"facts\">\n")
	fact := func(name, value string) { p.printf("<tr><th>%s</th><td>%s</td></tr>\n", name, esc(value)) }
	fact("format", r.Format)
	fact("dialect", r.Dialect)
	if r.Module != "" {
		fact("module", r.Module)
	}
	fact("time", r.Span)
	fact(r.positions(), r.sizeFact())
	p.printf("</table>\n")
}

// verdict is a verdict's line with its line numbers linked.
func (p *page) verdict(v Verdict) string {
	s := "<b>" + esc(clientLabel(v.Client)) + "</b>: " + esc(v.Outcome)
	if v.Line == 0 {
		return s
	}
	s += " at "
	if v.Time != nil {
		s += v.Time.Format("15:04:05") + " "
	}
	s += "(line " + p.line(v.Line) + ")"
	if v.Cause != "" {
		s += ": " + esc(v.Cause)
	} else {
		s += ": no finding explains it"
	}
	switch {
	case v.Back > 0 && v.BackBy:
		s += "; reconnected by line " + p.line(v.Back) + " or earlier"
	case v.Back > 0:
		s += "; reconnected at line " + p.line(v.Back)
	}
	return s
}

func (p *page) clients() {
	p.printf("<section id=\"clients\">\n<h2>Clients</h2>\n")
	if len(p.r.Clients) == 0 {
		p.printf("<p class=\"note\">No MQTT operations and no module context found.</p>\n</section>\n")
		return
	}
	p.printf("<table>\n<thead><tr><th>client</th><th>dialect</th><th>connections</th><th>operations</th></tr></thead>\n<tbody>\n")
	for _, c := range p.r.Clients {
		p.printf("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", esc(c.Title), esc(c.Dialect), esc(c.Connections), esc(c.Operations))
		for _, op := range c.Problems {
			p.printf("<tr><td></td><td colspan=\"3\">%s</td></tr>\n", p.opLine(op))
		}
	}
	p.printf("</tbody>\n</table>\n</section>\n")
}

// opLine is a problem op as one line, its lines linked.
func (p *page) opLine(o Op) string {
	s := ""
	if o.Start != nil {
		s += o.Start.Format("15:04:05.000") + " "
	}
	if len(o.Lines) > 0 {
		s += "line " + p.line(o.Lines[0]) + " "
	}
	s += "<b>" + esc(o.Op) + "</b> " + esc(o.What) + " <span class=\"status-" + o.Status + "\">" + esc(o.Status) + "</span>"
	if o.Outcome != "" {
		s += ": " + esc(o.Outcome)
	}
	return s
}

func (p *page) findings() {
	p.printf("<section id=\"findings\">\n<h2>Findings</h2>\n")
	if len(p.r.Findings) == 0 {
		p.printf("<p>None.</p>\n")
	}
	for _, f := range shownFindings(p.r.Findings) {
		p.printf("<article class=\"finding %s\">\n<h3><span class=\"sev %s\">%s</span>%s</h3>\n", f.Severity, f.Severity, strings.ToUpper(f.Severity), esc(f.Title))
		who := ""
		if f.Client >= 0 {
			who = esc(clientLabel(f.Client)) + " · "
		}
		p.printf("<p class=\"meta\">%s · %s%ss %s</p>\n", esc(f.Rule), who, positionWord(p.r.Format), p.lines(f.Lines))
		p.printf("<p>%s</p>\n", esc(f.Explanation))
		if f.Advice != "" {
			p.printf("<p class=\"advice\"><b>Advice:</b> %s</p>\n", esc(f.Advice))
		}
		if len(f.Quotes) > 0 {
			p.printf("<pre class=\"quote\">")
			for _, q := range f.Quotes {
				p.printf("%s%s  %s\n", strings.Repeat(" ", max(0, 5-len(fmt.Sprint(q.Line)))), p.line(q.Line), esc(q.Text))
			}
			p.printf("</pre>\n")
		}
		p.printf("</article>\n")
	}
	if more := len(p.r.Findings) - maxDocFindings; more > 0 {
		p.printf("<p class=\"note\">%d more findings, see <code>atscope diagnose %s</code>.</p>\n", more, esc(p.r.File))
	}
	p.printf("</section>\n")
}

func (p *page) log() {
	rec := p.r.rec
	p.printf("<section id=\"log\">\n<h2>Log</h2>\n")
	if rec == nil || len(rec.lines) == 0 {
		p.printf("<p class=\"note\">The log could not be read again for this section.</p>\n</section>\n")
		return
	}
	p.printf("<pre>")
	for i, l := range rec.lines {
		p.printf("<span class=\"ln\" id=\"L%d\"><a href=\"#L%d\">%d</a>%s</span>", i+1, i+1, i+1, esc(l))
	}
	p.printf("</pre>\n")
	if more := rec.totalLines - len(rec.lines); more > 0 {
		p.printf("<p class=\"note\">%d more lines, see <code>atscope events %s</code>.</p>\n", more, esc(p.r.File))
	}
	p.printf("</section>\n")
}
