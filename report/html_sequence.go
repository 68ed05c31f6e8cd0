package report

import (
	"fmt"
	"unicode/utf8"
)

// Geometry of a sequence diagram: a column of times and lines on the left,
// the three lanes, the op's kind on the right.
const (
	seqRow     = 22
	seqTop     = 44
	seqLeft    = 150
	seqLaneGap = 300
	seqWidth   = seqLeft + 2*seqLaneGap + 200
	seqLabel   = 42 // runes of a label; the whole text is its tooltip
)

func laneX(l Lane) int { return seqLeft + 60 + int(l)*seqLaneGap }

func (p *page) sequences() {
	p.printf("<section id=\"sequence\">\n<h2>Sequence</h2>\n")
	p.printf("<p class=\"note\">Solid arrows are logged AT lines; dashed ones the MQTT packets (and TCP steps) they stand for, as atscope infers them. Failures are red.</p>\n")
	if len(p.r.sequences) == 0 {
		p.printf("<p>No operations.</p>\n")
	}
	for _, seq := range p.r.sequences {
		p.printf("<h3>%s</h3>\n<div class=\"diagram\">\n", esc(seq.Title))
		p.sequenceSVG(seq)
		p.printf("</div>\n")
		if seq.MoreOps > 0 {
			p.printf("<p class=\"note\">%d more operations, see <code>atscope timeline --client %d %s</code>.</p>\n", seq.MoreOps, seq.Client, esc(p.r.File))
		}
	}
	p.printf("</section>\n")
}

func (p *page) sequenceSVG(seq Sequence) {
	h := seqTop + len(seq.Messages)*seqRow + 16
	p.printf("<svg class=\"seq\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"sequence of %s\">\n",
		seqWidth, h, seqWidth, h, esc(seq.Title))
	p.printf("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n")
	for _, l := range []Lane{LaneHost, LaneModule, LaneBroker} {
		x := laneX(l)
		p.printf("<rect class=\"lanebox\" x=\"%d\" y=\"6\" width=\"90\" height=\"22\" rx=\"3\"/><text x=\"%d\" y=\"21\" text-anchor=\"middle\">%s</text>\n", x-45, x, l)
		p.printf("<line class=\"lane\" x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"%d\"/>\n", x, x, h-4)
	}
	for i, m := range seq.Messages {
		y := seqTop + i*seqRow + 12
		if m.Gap > 0 {
			p.printf("<text class=\"dim\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">… %d operations left out …</text>\n", laneX(LaneModule), y+4, m.Gap)
			continue
		}
		p.messageSVG(m, y)
		if m.OpStart {
			p.printf("<text class=\"dim\" x=\"%d\" y=\"%d\">%s</text>\n", laneX(LaneBroker)+14, y+4, esc(m.Op))
		}
	}
	p.printf("</svg>\n")
}

// messageSVG draws one arrow with its label above it and its time and
// line on the left.
func (p *page) messageSVG(m Message, y int) {
	if m.Timed && !m.Time.IsZero() {
		p.printf("<text class=\"dim\" x=\"6\" y=\"%d\">%s</text>", y+4, m.Time.Format("15:04:05.000"))
	}
	if m.Line > 0 {
		link := fmt.Sprintf("L%d", m.Line)
		if p.r.rec.hasLine(m.Line) {
			link = fmt.Sprintf("<a href=\"#L%d\"><text x=\"100\" y=\"%d\">L%d</text></a>", m.Line, y+4, m.Line)
		} else {
			link = fmt.Sprintf("<text class=\"dim\" x=\"100\" y=\"%d\">L%d</text>", y+4, m.Line)
		}
		p.printf("%s", link)
	}
	class := "msg"
	textClass := ""
	if m.Packet {
		class += " packet"
		textClass = "packet"
	}
	if m.Failed {
		class += " failed"
		textClass = "failed"
	}
	x1, x2 := laneX(m.From), laneX(m.To)
	p.printf("<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#arrow)\"/>", class, x1, y+6, x2, y+6)
	label := m.Text
	if m.Failed {
		label = "✗ " + label
	}
	short := label
	if utf8.RuneCountInString(short) > seqLabel {
		short = string([]rune(short)[:seqLabel-1]) + "…"
	}
	p.printf("<text class=\"%s\" x=\"%d\" y=\"%d\" text-anchor=\"middle\"><title>%s</title>%s</text>\n",
		textClass, (x1+x2)/2, y+2, esc(label), esc(short))
}
