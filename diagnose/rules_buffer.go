package diagnose

import (
	"slices"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// bufferRule: received messages kept in the module's buffer and
// overwritten before the host read them (the dialects' ReceiveBuffer
// facts: Luat cache mode keeps 4, Quectel buffered mode 5 per client).
type bufferRule struct {
	base
	unread map[bufferKey]*bufferState
	issues []bufferIssue
}

// bufferKey is one client's buffer of one dialect.
type bufferKey struct {
	buf    *dialect.ReceiveBuffer
	client int
}

type bufferState struct {
	ann   []evInfo // announcements since the last read-out
	issue int      // index of this streak's issue, -1 none
}

type bufferIssue struct {
	key bufferKey
	ann []evInfo
}

// receiveBuffers are the dialects' buffered receive modes.
var receiveBuffers = func() []*dialect.ReceiveBuffer {
	var out []*dialect.ReceiveBuffer
	for _, d := range dialect.All() {
		if d.Facts.ReceiveBuffer != nil {
			out = append(out, d.Facts.ReceiveBuffer)
		}
	}
	return out
}()

func (b *bufferRule) event(r *run, ev *decode.Event) {
	if b.unread == nil {
		b.unread = map[bufferKey]*bufferState{}
	}
	fields := strings.Split(ev.Args, ",")
	for _, buf := range receiveBuffers {
		switch {
		case ev.Kind == decode.KindCommand && (ev.Form == decode.FormExec || ev.Form == decode.FormWrite):
			if c, ok := buf.IsReadOut(ev.Name, fields); ok {
				delete(b.unread, bufferKey{buf, c})
			}
		case ev.Kind == decode.KindURC:
			if c, ok := buf.IsAnnouncement(ev.Name, fields); ok {
				b.announce(bufferKey{buf, c}, infoOf(ev))
			}
		}
	}
}

// announce counts one more message waiting in a buffer; the one past its
// slots opens an issue, which the streak's later ones extend.
func (b *bufferRule) announce(k bufferKey, ev evInfo) {
	st := b.unread[k]
	if st == nil {
		st = &bufferState{issue: -1}
		b.unread[k] = st
	}
	st.ann = append(st.ann, ev)
	if len(st.ann) == k.buf.Slots+1 && len(b.issues) < maxEventsPerRule {
		st.issue = len(b.issues)
		b.issues = append(b.issues, bufferIssue{key: k})
	}
	if st.issue >= 0 && len(st.ann) > k.buf.Slots {
		b.issues[st.issue].ann = slices.Clone(st.ann)
	}
}

func (b *bufferRule) finish(r *run) {
	for _, is := range b.issues {
		var lines []int
		for _, a := range is.ann {
			lines = append(lines, a.Line)
		}
		title, why, advice := is.key.buf.Describe(dialect.BufferOverflow{Client: is.key.client,
			Waited: len(is.ann), Lost: len(is.ann) - is.key.buf.Slots, Lines: lineList(lines)})
		r.add(Finding{Rule: idBufferOverflow, Severity: Error, Client: is.key.client, Lines: lines,
			Title: title, Explanation: why, Advice: advice})
	}
}
