package report

import (
	"fmt"
	"slices"

	"atscope/dialect"
	"atscope/timeline"
)

// maxTimelineRows bounds the timeline table.
const maxTimelineRows = 2000

// timeline writes the first maxTimelineRows ops in log order (the
// collector kept them) as a table that filters by client, op and status.
func (p *page) timeline() {
	p.printf("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
	var shown []*dialect.Op
	total := 0
	if c := p.r.ops; c != nil {
		shown, total = c.table, c.total
	}
	if total == 0 {
		p.printf("<p>No operations.</p>\n</section>\n")
		return
	}
	p.filters(shown)
	p.printf("<table id=\"timeline-table\">\n<thead><tr><th>time</th><th>line</th><th>client</th><th>op</th><th>status</th><th>what</th><th>outcome</th><th class=\"num\">ms</th></tr></thead>\n<tbody>\n")
	for _, op := range shown {
		p.timelineRow(op)
	}
	p.printf("</tbody>\n</table>\n")
	if more := total - len(shown); more > 0 {
		p.printf("<p class=\"note\">%d more operations, see <code>atscope timeline %s</code>.</p>\n", more, esc(p.r.File))
	}
	p.printf("</section>\n")
}

func (p *page) timelineRow(op *dialect.Op) {
	t, line, ms := "", "", ""
	if !op.Start.IsZero() {
		t = op.Start.Format("15:04:05.000")
	}
	if len(op.Lines) > 0 {
		line = p.line(op.Lines[0])
	}
	if d, ok := op.Latency(); ok {
		ms = timeline.FormatMillis(d)
	}
	client := clientLabel(op.Client)
	p.printf("<tr data-client=\"%s\" data-op=\"%s\" data-status=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"status-%s\">%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td></tr>\n",
		client, op.Kind, op.Status, t, line, client, op.Kind, op.Status, op.Status, esc(timeline.Essentials(op)), esc(timeline.Outcome(op)), ms)
}

// filters are the table's selects, one per column it filters by, with
// the values its rows have.
func (p *page) filters(ops []*dialect.Op) {
	var clients, kinds, statuses []string
	add := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	for _, op := range ops {
		add(&clients, clientLabel(op.Client))
		add(&kinds, op.Kind.String())
		add(&statuses, op.Status.String())
	}
	p.printf("<div class=\"filters\">")
	for _, f := range []struct {
		name   string
		values []string
	}{{"client", clients}, {"op", kinds}, {"status", statuses}} {
		slices.Sort(f.values)
		p.printf("<label>%s<select name=\"%s\"><option value=\"\">all</option>", f.name, f.name)
		for _, v := range f.values {
			p.printf("<option>%s</option>", esc(v))
		}
		p.printf("</select></label>")
	}
	p.printf("<span id=\"timeline-count\" class=\"note\">%s</span></div>\n", fmt.Sprintf("%d shown", len(ops)))
}
