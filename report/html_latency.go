package report

import (
	"fmt"
	"time"

	"atscope/timeline"
)

// maxPoints bounds the points of one latency plot (series): more would
// not show more on a plot 400 pixels wide, and a page of a long log has
// dozens of plots.
const maxPoints = 500

// Plot geometry.
const (
	plotW, plotH, histW = 460, 200, 320
	plotL, plotR        = 54, 12
	plotT, plotB        = 12, 26
)

func (p *page) latency() {
	r := p.r
	p.printf("<section id=\"latency\">\n<h2>Latency</h2>\n")
	if !r.timed {
		p.printf("<p>The log has no timestamps: latencies cannot be measured.</p>\n</section>\n")
		return
	}
	if len(r.Latency) == 0 {
		p.printf("<p>No operation with a measured latency.</p>\n</section>\n")
		return
	}
	p.printf("<table>\n<thead><tr><th>client</th><th>op</th><th class=\"num\">count</th><th class=\"num\">ok</th><th class=\"num\">failed</th><th class=\"num\">timeout</th>" +
		"<th class=\"num\">timed</th><th class=\"num\">p50 ms</th><th class=\"num\">p90 ms</th><th class=\"num\">p99 ms</th><th class=\"num\">max ms</th></tr></thead>\n<tbody>\n")
	for _, l := range r.Latency {
		p.printf("<tr><td>%s</td><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"+
			"<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			clientLabel(l.Client), esc(l.Op), l.Count, l.OK, l.Failed, l.Timeout, l.Timed, msText(l.P50), msText(l.P90), msText(l.P99), msText(l.Max))
	}
	p.printf("</tbody>\n</table>\n")
	p.printf("<p class=\"note\">Each point is one op's latency at its time; the histograms count them in 1-2-5 ms buckets. Dashed lines: p50 (green), p90 (amber), p99 (red).</p>\n<div class=\"plots\">\n")
	for _, l := range r.Latency {
		if l.Timed == 0 || l.Op == timeline.RowOpenToConnack {
			continue
		}
		pts := p.points(l)
		sampled := ""
		if len(pts) < l.Timed {
			sampled = fmt.Sprintf(", an even sample of %d plotted", len(pts))
		}
		p.printf("<div class=\"plot\"><h4>%s · %s (%d timed%s)</h4>\n", clientLabel(l.Client), esc(l.Op), l.Timed, sampled)
		p.scatterSVG(l, pts)
		p.histogramSVG(l)
		p.printf("</div>\n")
	}
	p.printf("</div>\n</section>\n")
}

type point struct {
	at     time.Time
	ms     float64
	failed bool
	line   int
}

// points are the timed latencies of a row's ops: each op's while they
// are at most maxPoints, else an even sample of them (series).
func (p *page) points(l LatencyRow) []point {
	if p.r.ops == nil {
		return nil
	}
	if s := p.r.ops.points[pointKey{l.Client, l.Op}]; s != nil {
		return s.points
	}
	return nil
}

func (p *page) scatterSVG(l LatencyRow, pts []point) {
	if len(pts) == 0 {
		return
	}
	top := yMax(l)
	first, last := pts[0].at, pts[0].at
	for _, pt := range pts {
		if pt.at.Before(first) {
			first = pt.at
		}
		if pt.at.After(last) {
			last = pt.at
		}
	}
	span := last.Sub(first)
	w := float64(plotW - plotL - plotR)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return plotL + w/2
		}
		return plotL + w*float64(t.Sub(first))/float64(span)
	}
	y := yScale(top)
	p.printf("<svg class=\"scatter\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"latency over time\">\n", plotW, plotH, plotW, plotH)
	p.axes(plotW, top)
	p.printf("<text class=\"dim\" x=\"%d\" y=\"%d\">%s</text><text class=\"dim\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		plotL, plotH-8, first.Format("15:04:05"), plotW-plotR, plotH-8, last.Format("15:04:05"))
	for _, pt := range pts {
		class := "point"
		if pt.failed {
			class += " failed"
		}
		p.printf("<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>line %d: %.0f ms at %s</title></circle>\n",
			class, x(pt.at), y(pt.ms), pt.line, pt.ms, pt.at.Format("15:04:05.000"))
	}
	p.percentileLines(l, func(v float64) (float64, float64, float64, float64) {
		return plotL, y(v), float64(plotW - plotR), y(v)
	})
	p.printf("</svg>\n")
}

// yMax is the top of a plot's latency axis: a little above the largest.
func yMax(l LatencyRow) float64 {
	top := 1.0
	if l.Max != nil {
		top = max(top, *l.Max*1.08)
	}
	return top
}

func yScale(top float64) func(float64) float64 {
	h := float64(plotH - plotT - plotB)
	return func(v float64) float64 { return plotT + h - h*min(v, top)/top }
}

// axes draws a plot's frame and latency ticks.
func (p *page) axes(width int, top float64) {
	y := yScale(top)
	p.printf("<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", plotL, plotH-plotB, width-plotR, plotH-plotB)
	for _, v := range []float64{0, top / 2, top} {
		p.printf("<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/><text class=\"dim\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f ms</text>\n",
			plotL, y(v), width-plotR, y(v), plotL-4, y(v)+4, v)
	}
}

// percentileLines draws the p50, p90 and p99 lines at the places at
// gives.
func (p *page) percentileLines(l LatencyRow, at func(v float64) (x1, y1, x2, y2 float64)) {
	for _, pl := range []struct {
		name string
		v    *float64
	}{{"p50", l.P50}, {"p90", l.P90}, {"p99", l.P99}} {
		if pl.v == nil {
			continue
		}
		x1, y1, x2, y2 := at(*pl.v)
		p.printf("<line class=\"pline %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>%s %.0f ms</title></line>\n", pl.name, x1, y1, x2, y2, pl.name, *pl.v)
	}
}

func (p *page) histogramSVG(l LatencyRow) {
	bs := l.buckets
	if len(bs) == 0 {
		return
	}
	most := 1
	for _, b := range bs {
		most = max(most, b.N)
	}
	w := float64(histW-plotL-plotR) / float64(len(bs))
	h := float64(plotH - plotT - plotB)
	p.printf("<svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"latency histogram\">\n", histW, plotH, histW, plotH)
	p.printf("<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text class=\"dim\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n",
		plotL, plotH-plotB, histW-plotR, plotH-plotB, plotL-4, plotT+8, most)
	for i, b := range bs {
		bh := h * float64(b.N) / float64(most)
		p.printf("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s–%s ms: %d</title></rect>\n",
			plotL+float64(i)*w+1, plotT+h-bh, max(w-2, 1), bh, msOf(b.Lo), msOf(b.Hi), b.N)
	}
	p.printf("<text class=\"dim\" x=\"%d\" y=\"%d\">%s ms</text><text class=\"dim\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s ms</text>\n",
		plotL, plotH-8, msOf(bs[0].Lo), histW-plotR, plotH-8, msOf(bs[len(bs)-1].Hi))
	p.percentileLines(l, func(v float64) (float64, float64, float64, float64) {
		x := plotL + w*bucketPosition(bs, v)
		return x, plotT, x, plotT + h
	})
	p.printf("</svg>\n")
}

// bucketPosition is where v falls along the buckets, in bucket widths.
func bucketPosition(bs []timeline.Bucket, v float64) float64 {
	d := time.Duration(v * float64(time.Millisecond))
	for i, b := range bs {
		if d < b.Hi {
			return float64(i) + float64(d-b.Lo)/float64(b.Hi-b.Lo)
		}
	}
	return float64(len(bs))
}

func msOf(d time.Duration) string { return fmt.Sprint(d.Milliseconds()) }
