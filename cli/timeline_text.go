package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/timeline"
)

// textTimeline writes the text timeline of each log in one pass without
// keeping its ops (issue 17.2): each op becomes its line as the pipeline
// hands it on in log order, appended to its client's spill, and the
// sessions are written from the spills once the log has ended (a session's
// heading names its dialect, known only then). Output is that of
// timeline.Render over the assembled sessions.
func textTimeline(io *IO, out *bufio.Writer, paths []string, opts *sessionOptions, style timeline.Style) error {
	first := true
	return eachLog(io, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		spills := map[int]*clientSpill{}
		defer func() {
			for _, s := range spills {
				s.discard()
			}
		}()
		var werr error
		// conns cuts connections as Sessions does, for the line before an
		// op that shows a connection up without its connect in the log.
		conns := timeline.NewConnectionStream(func(string, int, timeline.Connection, bool) {})
		opt.Ordered = true
		l, err := analyze.Run(src, opt, analyze.Sinks{Op: func(op *dialect.Op) {
			conns.Add(op)
			s := spills[op.Client]
			if s == nil {
				s = &clientSpill{session: timeline.Session{File: op.File, Client: op.Client}}
				spills[op.Client] = s
			}
			if op.Dialect != "" {
				s.session.Dialect = op.Dialect
			}
			if werr == nil && opts.wants(op.Client) {
				if up := timeline.UpLine(conns.Current(op.File, op.Client), op, style); up != "" {
					werr = s.add(up)
				}
				werr = cmp.Or(werr, s.add(timeline.OpLine(op, style)))
			}
		}})
		if l == nil {
			return cmp.Or(werr, err)
		}
		clients := slices.Sorted(maps.Keys(spills))
		if note := opts.client.missing(l.File, clients); note != "" {
			opt.Warn(note)
		}
		if werr != nil {
			return werr
		}
		if !first {
			fmt.Fprintln(out)
		}
		first = false
		return cmp.Or(writeSpills(out, spills, clients, opts, style, l), err)
	})
}

// writeSpills writes the sessions of the wanted clients, in client order.
func writeSpills(out *bufio.Writer, spills map[int]*clientSpill, clients []int, opts *sessionOptions, style timeline.Style, l *analyze.Log) error {
	shown := 0
	for _, c := range clients {
		if !opts.wants(c) {
			continue
		}
		if shown > 0 {
			fmt.Fprintln(out)
		}
		shown++
		s := spills[c]
		if err := timeline.Render(out, &s.session, style); err != nil {
			return err
		}
		if err := s.copyTo(out); err != nil {
			return err
		}
	}
	switch st := l.Stats; {
	case st.Lines == 0 && st.Events == 0:
		fmt.Fprintf(out, "%s: the log is empty\n", l.File)
	case shown == 0:
		fmt.Fprintf(out, "%s: no MQTT operations (dialect: %s)\n", l.File, l.Dialect.Describe())
	}
	return nil
}

// spillAt is how many bytes of timeline lines a client keeps in memory
// before they move to a temporary file.
var spillAt = 1 << 20 // a variable for the tests

// clientSpill holds a client's timeline lines: in memory while short, in
// a temporary file (removed when done) past spillAt bytes.
type clientSpill struct {
	session timeline.Session // its heading: file, client, dialect (no ops)
	mem     bytes.Buffer
	file    *os.File
	w       *bufio.Writer
}

// add appends one line, indented as timeline.Render writes it.
func (s *clientSpill) add(line string) error {
	if s.w == nil && s.mem.Len()+len(line) > spillAt {
		f, err := os.CreateTemp("", "atscope-timeline-*")
		if err != nil {
			return fmt.Errorf("spilling the timeline: %w", err)
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := s.w.Write(s.mem.Bytes()); err != nil {
			return err
		}
		s.mem = bytes.Buffer{}
	}
	var w io.Writer = &s.mem
	if s.w != nil {
		w = s.w
	}
	_, err := io.WriteString(w, "  "+line+"\n")
	return err
}

// copyTo writes the lines to w.
func (s *clientSpill) copyTo(w io.Writer) error {
	if s.w == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

// discard removes the temporary file, if any.
func (s *clientSpill) discard() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
	}
}
