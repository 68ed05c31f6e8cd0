package cli

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"

	"atscope/analyze"
	"atscope/decode"
	"atscope/dialect"
	"atscope/export"
	"atscope/timeline"
)

// opPrinter prints ops one by one as a live command decides them: a
// timeline line with the client in front, a JSON line or a CSV record,
// each flushed at once, with the live status line out of its way.
type opPrinter struct {
	out    *bufio.Writer
	form   tableForm
	style  timeline.Style
	jl     *export.JSONLines
	rc     *recordCSV
	status *liveStatus
	err    error // the first write error; later ops are dropped
}

func newOpPrinter(io *IO, out *bufio.Writer, form tableForm, color bool) *opPrinter {
	p := &opPrinter{out: out, form: form, style: timeline.Style{Color: color}, jl: export.NewJSONLines(out), status: newLiveStatus(io)}
	if form == formCSV {
		p.rc = newRecordCSV(out, opCSVHeader...)
	}
	return p
}

// op prints op and counts it in the status line.
func (p *opPrinter) op(op *dialect.Op) {
	if p.err != nil {
		return
	}
	p.status.op(op)
	p.err = p.status.print(func() error { return p.write(op) }, p.flush)
}

func (p *opPrinter) write(op *dialect.Op) error {
	switch p.form {
	case formJSON:
		r := export.NewOpRecord(op)
		return p.jl.WriteOp(&r)
	case formCSV:
		return p.rc.write(export.NewOpRecord(op))
	}
	who := "module"
	if op.Client != dialect.ModuleClient {
		who = fmt.Sprintf("client %d", op.Client)
	}
	_, err := fmt.Fprintf(p.out, "%-9s %s\n", who, timeline.OpLine(op, p.style))
	return err
}

func (p *opPrinter) flush() error {
	if p.rc != nil {
		if err := p.rc.flush(); err != nil {
			return err
		}
	}
	return p.out.Flush()
}

// timelineFollow is timeline --follow: each op printed as it is decided,
// in log order as far as Live.MaxHold allows, rather than sessions at the
// end.
func timelineFollow(io *IO, opts *sessionOptions, paths []string, out *bufio.Writer, form tableForm, color bool) error {
	p := newOpPrinter(io, out, form, color)
	defer p.status.end()
	return followLog(io, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		opt.Ordered = true
		l, err := analyze.Run(src, opt, analyze.Sinks{Op: func(op *dialect.Op) {
			if opts.wants(op.Client) {
				p.op(op)
			}
		}})
		p.status.end()
		if l != nil && l.Dialect == nil && form == formText {
			fmt.Fprintf(out, "%s: no MQTT operations\n", l.File)
		}
		return cmp.Or(p.err, err)
	})
}

// followEvents is eventWriter for events --follow: rows are not held for
// alignment (tab-separated, as into a pipe) and each is flushed at once.
func followEvents(_ *IO, out *bufio.Writer, form tableForm, cw *csv.Writer, color bool) (write func(*decode.Event) error, done func() error) {
	row, done := eventWriter(&IO{Out: out}, out, form, cw, color)
	return func(ev *decode.Event) error {
		if err := row(ev); err != nil {
			return err
		}
		if cw != nil {
			cw.Flush()
		}
		return out.Flush()
	}, done
}
