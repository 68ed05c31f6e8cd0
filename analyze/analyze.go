// Package analyze is atscope's one analysis pipeline: it reads a log
// through decode (format reader and tokenizer), its dialect, the redactor
// and the diagnose engine, and hands events and ops to a command's sinks
// as they stream. Every command runs its logs through Run; cli only parses
// flags and renders what the sinks and the Log give.
package analyze

import (
	"fmt"
	"time"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
	"atscope/redact"
	"atscope/timeline"
)

// Options say how to read a log and what to work out besides the sinks.
type Options struct {
	Format  string // input format name, or "auto"
	Dialect string // dialect name, or "auto"
	Decode  decode.Options
	// Redactor hides secrets in events, ops, findings and quoted lines.
	// It learns them in a read of the log of its own, before the run, so a
	// secret is hidden even where it shows before the command that sets it.
	// One redactor for several logs gives a secret one placeholder in all.
	Redactor *redact.Redactor
	// Findings runs the diagnose engine (Log.Findings).
	Findings bool
	// Quotes reads back the lines the findings quote (Log.Quotes).
	Quotes bool
	// Ordered hands ops to Sinks.Op in log order (by first event) rather
	// than in the order they complete.
	Ordered bool
	// Filter narrows what reaches the sinks and Log.Findings.
	Filter Filter
	// EventClient, when set, selects the events Sinks.Event gets by client:
	// the client of the op that has the event, or dialect.ModuleClient when
	// none has it. The events then come a little later than they are read.
	EventClient func(int) bool
	// Warn, when set, gets what a run could not do as asked ("file: what"),
	// when it is known; Log.Warnings keeps it too.
	Warn func(string)
	// Progress, when set, is called as the run starts reading its source
	// (Source.Size, Source.BytesRead); what it returns is called when the
	// reading is over, before Run returns and before anything a command
	// renders at the end.
	Progress func(*Source) (done func())
	// Live, when set, follows a source that grows (live.go).
	Live *Live
}

// Sinks receive what a run produces, as it is produced. A nil sink is not
// called; with neither Op nor Options.Findings the dialect is not run.
type Sinks struct {
	// Event gets every event, redacted; it is valid during the call. An
	// error stops the run.
	Event func(*decode.Event) error
	// Op gets every op, redacted.
	Op func(*dialect.Op)
}

// Log is what a run learned of one log besides what went to the sinks.
type Log struct {
	File    string
	Format  decode.Format
	Dialect *dialect.Decoder // the dialect chosen; nil when no ops were decoded
	Stats   decode.Stats
	// Unrecognised holds the first lines of unrecognised text.
	Unrecognised []int
	// First and Last are the earliest and latest logged times; Timed is
	// false when the log has none.
	First, Last time.Time
	Timed       bool
	// Findings are the diagnose engine's, redacted (Options.Findings).
	Findings []diagnose.Finding
	// Quotes are the log lines the findings quote (QuotedLines), by line
	// number, printable and redacted (Options.Quotes).
	Quotes map[int]string
	// Warnings say what the run could not do as asked (a time window over
	// a log without timestamps).
	Warnings []string
	// ClientOps counts the ops of MQTT clients (not the module-wide
	// context) the dialect decoded, filtered or not.
	ClientOps int

	diag     *diagnose.Engine
	window   *window
	redactor *redact.Redactor // for Verdicts
	live     *liveState
}

// DiagnosedSessions are the sessions the diagnose engine assembled, every
// client of the log whatever a command line filters.
func (l *Log) DiagnosedSessions() []*timeline.Session { return l.diag.Sessions() }

// Verdicts are the diagnose engine's verdicts, one per client
// (Options.Findings), redacted.
func (l *Log) Verdicts() []diagnose.Verdict {
	vs := l.diag.Verdicts()
	for i := range vs {
		vs[i].Cause = l.redactor.String(vs[i].Cause)
		if l.window != nil {
			vs[i] = l.window.verdict(vs[i])
		}
	}
	return vs
}

// Span is the time the run covers: the window's when --lines, --since or
// --until narrowed it, else the log's; timed is false without logged times.
func (l *Log) Span() (first, last time.Time, timed bool) {
	if l.Windowed() {
		return l.window.firstTime, l.window.lastTime, l.window.timed
	}
	return l.First, l.Last, l.Timed
}

// Windowed reports whether --lines, --since or --until narrowed the run to
// part of the log.
func (l *Log) Windowed() bool { return l.window != nil && l.window.narrows() }

// Understanding says whether the log was understood (Options.Findings).
func (l *Log) Understanding() diagnose.Understanding { return l.diag.Understanding() }

// maxUnrecognised is how many lines of unrecognised text Log lists.
const maxUnrecognised = 10

// orderLag is how many events ops wait behind the latest event before
// they are handed on in log order, besides what the decoder says
// (Decoder.Oldest): a machine may give an op events from just before it
// starts it (a publish takes the topic and payload loaded before it).
const orderLag = 1024

// Run reads src through the pipeline, calls sinks as events and ops come,
// and returns what it learned of the log. When the log breaks off (a gzip
// file cut short), the Log of what came before is returned with the error;
// when nothing can be shown (the source cannot be read, a sink failed) the
// Log is nil.
func Run(src *Source, opt Options, sinks Sinks) (*Log, error) {
	if opt.Redactor != nil || opt.Quotes {
		if err := src.keep(); err != nil {
			return nil, err
		}
	}
	if opt.Redactor != nil {
		if err := learn(src, opt); err != nil {
			return nil, err
		}
	}
	tok, format, err := tokenizer(src, opt)
	if err != nil {
		return nil, err
	}
	l := &Log{File: src.Name, Format: format, redactor: opt.Redactor}
	if opt.Live != nil {
		l.live = &liveState{opt: opt.Live}
	}
	if !opt.Filter.IsZero() {
		l.window = &window{f: opt.Filter, l: l}
	}
	if opt.Findings {
		l.diag = diagnose.New(src.Name)
	}
	done := func() {}
	if opt.Progress != nil {
		done = opt.Progress(src)
	}
	err = l.stream(tok, opt, sinks)
	done()
	l.Stats = tok.Stats()
	if err != nil {
		return nil, err
	}
	l.finish(opt)
	if opt.Quotes {
		l.Quotes = quotes(src, l.Findings, opt.Redactor)
	}
	if err := tok.Err(); err != nil {
		return l, fmt.Errorf("%s: %w", src.Name, err)
	}
	return l, nil
}

// finish sets what the log gives once read: its findings, in the window
// and redacted, and its warnings.
func (l *Log) finish(opt Options) {
	if opt.Findings {
		l.Findings = redactFindings(opt.Redactor, l.diag.Findings())
	}
	if l.window != nil {
		l.Findings = l.window.findings(l.Findings)
		l.Warnings = l.window.warnings()
	}
	if l.Dialect != nil && l.ClientOps == 0 && opt.Dialect != "" && opt.Dialect != "auto" && l.Stats.Events > 0 {
		l.Warnings = append(l.Warnings, fmt.Sprintf("--dialect %s: the log shows no operation of it; --dialect auto picks by evidence", opt.Dialect))
	}
	for _, w := range l.Warnings {
		if opt.Warn != nil {
			opt.Warn(l.File + ": " + w)
		}
	}
}

// tokenizer opens one more read of src as a stream of events.
func tokenizer(src *Source, opt Options) (*decode.Tokenizer, decode.Format, error) {
	r, err := src.pass()
	if err != nil {
		return nil, decode.Format{}, err
	}
	hooks, err := dialect.HooksFor(opt.Dialect)
	if err != nil {
		return nil, decode.Format{}, err
	}
	if opt.Live != nil {
		return liveTokenizer(r, src, opt, hooks)
	}
	cr, format, err := decode.Open(r, src.Name, opt.Format, opt.Decode)
	if err != nil {
		return nil, decode.Format{}, err
	}
	return decode.NewTokenizer(cr, hooks), format, nil
}

// stream runs every event of the log through the stages and the sinks.
func (l *Log) stream(tok *decode.Tokenizer, opt Options, sinks Sinks) error {
	var dec *dialect.Decoder
	var ord *timeline.Orderer
	var byClient *clientEvents
	emit := func(*dialect.Op) {}
	eventOut := func(ev *decode.Event) error {
		opt.Redactor.Event(ev)
		return sinks.Event(ev)
	}
	if sinks.Event != nil && opt.EventClient != nil {
		byClient = newClientEvents(opt.EventClient, eventOut)
		eventOut = func(ev *decode.Event) error { byClient.add(ev); return nil }
		if sinks.Op == nil {
			sinks.Op = func(*dialect.Op) {}
		}
	}
	if sinks.Op != nil || opt.Findings {
		var err error
		if dec, err = dialect.NewDecoder(l.File, opt.Dialect); err != nil {
			return err
		}
		l.Dialect = dec
		emit = l.opSink(opt, sinks, &ord, byClient)
	}
	s := newEventStream(tok, l.live != nil)
	defer s.Close()
	if l.live != nil {
		s.tick, s.onTick = opt.Live.Tick, l.onTick(dec, emit, ord, byClient)
	}
	for ev, ok := s.Next(); ok; ev, ok = s.Next() {
		l.see(ev)
		if dec != nil {
			l.diag.Event(ev)
			dec.Feed(ev, emit)
			low := min(dec.Oldest(), ev.Seq-orderLag) // no op still to come starts before it
			l.diag.Release(low)
			if ord != nil {
				ord.Release(low)
			}
			if byClient != nil {
				if err := byClient.release(low); err != nil {
					return err
				}
			}
		}
		if l.window != nil && !l.window.event(ev) {
			continue
		}
		if sinks.Event != nil {
			if err := eventOut(ev); err != nil {
				return err
			}
		}
	}
	if s.err != nil {
		return s.err
	}
	if dec != nil {
		dec.Close(emit)
	}
	if ord != nil {
		ord.Flush()
	}
	if byClient != nil {
		return byClient.flush()
	}
	return nil
}

// opSink is what the dialect's ops go to: the redactor, the diagnose
// engine and the command's sink, through an orderer when asked.
func (l *Log) opSink(opt Options, sinks Sinks, ord **timeline.Orderer, byClient *clientEvents) func(*dialect.Op) {
	out := func(*dialect.Op) {}
	switch {
	case sinks.Op != nil && l.window != nil:
		out = func(op *dialect.Op) {
			if l.window.op(op) {
				sinks.Op(op)
			}
		}
	case sinks.Op != nil:
		out = sinks.Op
	}
	if opt.Ordered {
		out = l.live.order(out, ord)
	}
	return func(op *dialect.Op) {
		if op.Client != dialect.ModuleClient {
			l.ClientOps++
		}
		if byClient != nil {
			byClient.op(op)
		}
		opt.Redactor.Op(op) // before anything renders it: tables, JSON, CSV, pcapng
		l.diag.Op(op)
		out(op)
	}
}

// see notes an event's time and whether it is unrecognised text.
func (l *Log) see(ev *decode.Event) {
	l.live.saw(ev)
	if n := len(l.Unrecognised); ev.Kind == decode.KindText && !ev.Note && ev.Text != "" && n < maxUnrecognised &&
		(n == 0 || l.Unrecognised[n-1] != ev.Pos.Line) {
		l.Unrecognised = append(l.Unrecognised, ev.Pos.Line)
	}
	if ev.TimeSrc != decode.TimeLog {
		return
	}
	widen(&l.First, &l.Last, &l.Timed, ev.Time)
}

// widen stretches the span first..last (empty while !timed) to hold t.
func widen(first, last *time.Time, timed *bool, t time.Time) {
	if !*timed || t.Before(*first) {
		*first = t
	}
	if !*timed || t.After(*last) {
		*last = t
	}
	*timed = true
}
