package redact

import (
	"sort"
	"strings"

	"atscope/decode"
)

// edit replaces text[start:end] with repl.
type edit struct {
	start, end int
	repl       string
}

// matcherNow returns the matcher over the secrets learned so far.
func (r *Redactor) matcherNow() *matcher {
	if r.match == nil {
		r.match = newMatcher(r.secrets, false)
	}
	return r.match
}

// allNow returns the matcher over every secret learned so far, those
// replaced in place included.
func (r *Redactor) allNow() *matcher {
	if r.all == nil {
		r.all = newMatcher(r.secrets, true)
	}
	return r.all
}

// edits lists, in order, what to replace in text: the arguments that hold
// a learned secret by their role (found wherever a command stands in the
// text), then every learned secret where its scope allows. fit keeps each
// replacement as long as what it replaces; lineEnds steps over one line
// break inside a long secret (fit only).
func (r *Redactor) edits(text string, fit, lineEnds bool, out []edit) []edit {
	if !holds(r.allNow(), text, len(text), lineEnds) {
		return out
	}
	var roles []edit
	r.scratch.args = scanCommands(text, r.scratch.args, func(name string, answer bool, args []argSpan) {
		roles = r.roleEdits(name, answer, text, args, fit, roles)
	})
	sort.Slice(roles, func(i, j int) bool { return roles[i].start < roles[j].start })
	m := r.matcherNow()
	var h hit
	for i, next := 0, 0; i < len(text); {
		if next < len(roles) && roles[next].start <= i {
			if roles[next].start == i {
				out = append(out, roles[next])
				i = roles[next].end
			}
			next++
			continue
		}
		h, r.stack = m.at(text, i, lineEnds, r.stack)
		if h.s == nil || next < len(roles) && h.end > roles[next].start {
			i++
			continue
		}
		out = append(out, edit{i, h.end, fitted(h.s, text[i:h.end], fit)})
		i = h.end
	}
	return out
}

// roleEdits adds the edits of the arguments of one command or answer that
// hold a learned secret by their role.
func (r *Redactor) roleEdits(name string, answer bool, text string, args []argSpan, fit bool, out []edit) []edit {
	for i, ro := range r.argRoles(name, answer, args) {
		a := args[i]
		if ro.kind == "" || ro.url || a.open || a.end <= a.start {
			continue
		}
		if s, ok := r.secrets[strings.TrimSpace(text[a.start:a.end])]; ok {
			out = append(out, edit{a.start, a.end, placeholder(s.Placeholder, a.end-a.start, fit)})
		}
	}
	return out
}

// fitted is the placeholder of s for the text it replaces: as long as it
// with fit, the line break a split secret holds kept in place.
func fitted(s *secret, replaced string, fit bool) string {
	br := strings.IndexAny(replaced, "\r\n")
	if br < 0 || !fit {
		return placeholder(s.Placeholder, len(replaced), fit)
	}
	end := br
	for end < len(replaced) && (replaced[end] == '\r' || replaced[end] == '\n') {
		end++
	}
	ph := placeholder(s.Placeholder, len(replaced)-(end-br), true)
	return ph[:br] + replaced[br:end] + ph[br:]
}

func apply(text string, edits []edit) string {
	if len(edits) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, e := range edits {
		b.WriteString(text[last:e.start])
		b.WriteString(e.repl)
		last = e.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// placeholder is ph, or with fit a form exactly n bytes long, so that
// lengths a log declares (payload counts, MQTT lengths) stay true. The
// fitted form has one scheme: the short tag of ph ("<user-1>" is "<u1>",
// see shortTags) padded with '*', or '*' only when the secret is shorter
// than the tag.
func placeholder(ph string, n int, fit bool) string {
	if !fit {
		return ph
	}
	if short := shortForm(ph); short != "" && n >= len(short) {
		return short + strings.Repeat("*", n-len(short))
	}
	return strings.Repeat("*", n)
}

// shortTags name the kinds in fitted placeholders; each is distinct, so
// "<p2>" is "<password-2>" and no other secret.
var shortTags = map[Kind]string{
	User: "u", Password: "p", DeviceSecret: "k", IMEI: "imei", IMSI: "imsi", ICCID: "iccid",
	WiFiPassword: "w", PIN: "pin", ClientID: "id", Host: "h", SSID: "ssid",
}

// shortForm turns "<kind-N>" into "<tagN>" ("" when ph is not of that form).
func shortForm(ph string) string {
	dash := strings.LastIndexByte(ph, '-')
	if !isPlaceholder(ph) || dash < 1 {
		return ""
	}
	tag, ok := shortTags[Kind(ph[1:dash])]
	if !ok {
		return ""
	}
	return "<" + tag + ph[dash+1:]
}

// String replaces every learned secret in s.
func (r *Redactor) String(s string) string {
	if r == nil || len(r.secrets) == 0 || s == "" {
		return s
	}
	return apply(s, r.edits(s, false, false, nil))
}

// fitted replaces every learned secret in s with a placeholder as long as
// the secret, so that s keeps its length (an op's topic and payload: their
// sizes and MQTT lengths are the logged ones).
func (r *Redactor) fitted(s string) string {
	if r == nil || len(r.secrets) == 0 || s == "" {
		return s
	}
	return apply(s, r.edits(s, true, false, nil))
}

// Bytes replaces every learned secret in b; it returns b itself when
// nothing changed.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || len(r.secrets) == 0 || len(b) == 0 {
		return b
	}
	s := string(b)
	if out := r.String(s); out != s {
		return []byte(out)
	}
	return b
}

// Event replaces the secrets in an event's text, arguments and raw bytes.
func (r *Redactor) Event(ev *decode.Event) {
	if r == nil || len(r.secrets) == 0 {
		return
	}
	ev.Text = r.String(ev.Text)
	if ev.Args != "" && ev.Name != "" {
		answer := !ev.IsCommand()
		r.scratch.args = parseArgs(ev.Args, 0, r.scratch.args[:0])
		e := r.roleEdits(ev.Name, answer, ev.Args, r.scratch.args, false, nil)
		ev.Args = r.String(apply(ev.Args, e))
	}
	ev.Raw = r.Bytes(ev.Raw)
}

// EventLeaks is Leaks over an event's text and raw bytes, a line break
// between them: a check of a redacted copy, at each of its events.
func (r *Redactor) EventLeaks(ev *decode.Event) []Secret {
	if r == nil || len(r.secrets) == 0 {
		return nil
	}
	if m := r.matcherNow(); !m.lineBreaks && !holds(m, ev.Text, len(ev.Text), false) && !holds(m, ev.Raw, len(ev.Raw), false) {
		return nil // nor can the two together: no secret runs over the line break
	}
	return r.Leaks(ev.Text + "\n" + string(ev.Raw))
}

// LeaksBytes is Leaks over b, which it copies only when a secret may be in
// it: a check of a redacted copy, at each of its lines.
func (r *Redactor) LeaksBytes(b []byte) []Secret {
	if r == nil || len(r.secrets) == 0 || !holds(r.matcherNow(), b, len(b), false) {
		return nil
	}
	return r.Leaks(string(b))
}

// Leaks lists the learned secrets that text still holds where their scope
// says they are to be replaced: a check after redaction.
func (r *Redactor) Leaks(text string) []Secret {
	if r == nil || len(r.secrets) == 0 {
		return nil
	}
	m := r.matcherNow()
	seen := map[*secret]bool{}
	var out []Secret
	var h hit
	for i := 0; i < len(text); i++ {
		if h, r.stack = m.at(text, i, false, r.stack); h.s != nil && !seen[h.s] {
			seen[h.s] = true
			out = append(out, h.s.Secret)
		}
	}
	return out
}
