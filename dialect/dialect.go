// Package dialect maps the AT events of each vendor's MQTT command set to
// MQTT operations (Ops): open, connect, subscribe, publish with its
// acknowledgement, receive, disconnect, close, link loss.
//
// Each vendor lives in one file that starts with a table of its commands and
// URCs, citing the manual. The shapes several vendors share ("OK, then a
// result URC", "prompt, then a counted payload", "a receive told in several
// URCs") are helpers in this package, so vendor files stay declarative.
package dialect

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"atscope/decode"
)

// A Machine turns one log's events into ops. It is fed every event in order
// and calls emit for each op when the op is complete (or when it can no
// longer complete); Close emits what is still open when the log ends. Feed
// must not keep ev, whose memory the next event reuses: it copies what it
// keeps.
type Machine interface {
	Feed(ev *decode.Event, emit func(*Op))
	Close(emit func(*Op))
}

// Dialect is one vendor's MQTT AT command set.
type Dialect struct {
	Name    string // stable id for --dialect: "quectel", "luat", "espat"
	Doc     string // one line for `atscope dialects`
	Modules string // module families it covers
	// Evidence scores how strongly an event says "this dialect": 0 for
	// nothing, 10 for one of its own commands or URCs.
	Evidence func(ev *decode.Event) int
	// Hooks tells the tokenizer this dialect's payload framings.
	Hooks decode.Hooks
	// NewMachine returns a fresh machine for one log.
	NewMachine func(file string) Machine
	// Facts are the vendor's commands, codes and limits as data.
	Facts Facts
}

var dialects []*Dialect

// Register adds d. It panics on a duplicate name, a programming error.
func Register(d *Dialect) {
	if _, dup := Lookup(d.Name); dup {
		panic("dialect: Register called twice for " + d.Name)
	}
	dialects = append(dialects, d)
	indexArgRows(argRows, &d.Facts)
}

// Lookup finds a dialect by name.
func Lookup(name string) (*Dialect, bool) {
	i := slices.IndexFunc(dialects, func(d *Dialect) bool { return d.Name == name })
	if i < 0 {
		return nil, false
	}
	return dialects[i], true
}

// All lists the dialects sorted by name.
func All() []*Dialect {
	all := slices.Clone(dialects)
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

// Names lists the dialect names, for help and error texts.
func Names() []string {
	var names []string
	for _, d := range All() {
		names = append(names, d.Name)
	}
	return names
}

// HooksFor returns the tokenizer hooks for --dialect name: the dialect's own,
// or for "auto" all dialects' together (their command names do not clash,
// and the tokenizer runs before the dialect is known). The hooks serve one
// tokenizer at a time: they remember the latest name they routed.
func HooksFor(name string) (decode.Hooks, error) {
	if name == "" || name == "auto" {
		var hs multiHooks
		for _, d := range All() {
			// Hooks answer from the event alone: a second copy of the
			// same hooks (cipmqtt's are espat's) would never answer.
			if d.Hooks != nil && !slices.Contains(hs, d.Hooks) {
				hs = append(hs, d.Hooks)
			}
		}
		return newRoutedHooks(hs), nil
	}
	d, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown dialect %q: want auto or one of %s", name, strings.Join(Names(), ", "))
	}
	return hooksOf(d), nil
}

// hooksOf is d's hooks, asked alone; a dialect without payload framing has
// none (Hooks nil), and then nothing answers.
func hooksOf(d *Dialect) multiHooks {
	if d.Hooks == nil {
		return multiHooks{}
	}
	return multiHooks{d.Hooks}
}

// multiHooks asks each dialect in turn and takes the first answer.
type multiHooks []decode.Hooks

func (m multiHooks) Payload(cmd *decode.Event) decode.Framing {
	for _, h := range m {
		if f := h.Payload(cmd); f.Kind != decode.FrameUnknown {
			return f
		}
	}
	return decode.Framing{}
}

func (m multiHooks) Tail(ev *decode.Event) (int, int) {
	for _, h := range m {
		if inline, follow := h.Tail(ev); inline != 0 || follow != 0 {
			return inline, follow
		}
	}
	return 0, 0
}

func (m multiHooks) Bare(text string) (string, bool, bool) {
	for _, h := range m {
		if name, final, ok := h.Bare(text); ok {
			return name, final, ok
		}
	}
	return "", false, false
}

// KnownURC is true when one of the hooks knows name.
func (m multiHooks) KnownURC(name string) bool {
	for _, h := range m {
		if n, ok := h.(decode.URCNamer); ok && n.KnownURC(name) {
			return true
		}
	}
	return false
}

// namedHooks are hooks that say what they answer for, so that "auto" asks
// them about nothing else: Payload and Tail answer only for the event names
// they claim, Bare only for lines that start with a byte of bareFirst.
type namedHooks interface {
	decode.Hooks
	claims() (payload, tail claim, bareFirst string)
}

// A claim is the event names a hook can answer for: names, and every name
// that starts with one of prefixes. A hook must answer "unknown" for any
// other name.
type claim struct {
	names, prefixes []string
	all             bool // every name: hooks that do not say
}

// covers reports whether the hook may answer for name, or for some names
// that start with it when it is a prefix.
func (c claim) covers(name string) bool {
	return c.all || slices.Contains(c.names, name) ||
		slices.ContainsFunc(c.prefixes, func(p string) bool { return strings.HasPrefix(name, p) })
}

// routedHooks are multiHooks that ask about an event only the hooks that can
// answer for its name, and about a line only those that can answer for its
// first byte, in the same order.
type routedHooks struct {
	payload, tail router
	bare          [256]multiHooks // by the line's first byte
	bareEmpty     multiHooks      // for the empty line
	namers        []decode.URCNamer
}

func newRoutedHooks(hs multiHooks) *routedHooks {
	r := &routedHooks{}
	payload := make([]claim, len(hs))
	tail := make([]claim, len(hs))
	for i, h := range hs {
		if n, ok := h.(decode.URCNamer); ok {
			r.namers = append(r.namers, n)
		}
		n, ok := h.(namedHooks)
		if !ok {
			payload[i], tail[i] = claim{all: true}, claim{all: true}
			r.bareEmpty = append(r.bareEmpty, h)
			for b := range r.bare {
				r.bare[b] = append(r.bare[b], h)
			}
			continue
		}
		var first string
		payload[i], tail[i], first = n.claims()
		for b := range r.bare {
			if strings.IndexByte(first, byte(b)) >= 0 {
				r.bare[b] = append(r.bare[b], h)
			}
		}
	}
	r.payload, r.tail = newRouter(hs, payload), newRouter(hs, tail)
	return r
}

func (r *routedHooks) Payload(cmd *decode.Event) decode.Framing {
	return r.payload.route(cmd.Name).Payload(cmd)
}

func (r *routedHooks) Tail(ev *decode.Event) (int, int) {
	return r.tail.route(ev.Name).Tail(ev)
}

func (r *routedHooks) Bare(text string) (string, bool, bool) {
	if text == "" {
		return r.bareEmpty.Bare(text)
	}
	return r.bare[text[0]].Bare(text)
}

// KnownURC is true when one of the hooks knows name. The tokenizer asks it
// only at a "+NAME:" inside a module line, so asking each in turn is cheap.
func (r *routedHooks) KnownURC(name string) bool {
	for _, n := range r.namers {
		if n.KnownURC(name) {
			return true
		}
	}
	return false
}

// A router lists, for an event name, the hooks whose claims cover it.
type router struct {
	byName map[string]multiHooks
	// prefixes, longest first, and the hooks covering the names that
	// start with them but are not in byName. Of the prefixes a name starts
	// with, each is a prefix of the longest, so its hooks are all there.
	prefixes []string
	byPrefix []multiHooks
	rest     multiHooks // for the names of neither: the hooks claiming all
	// last is the latest name routed and its hooks: a log asks about a few
	// names over and over ("+QMTPUB"), and a string compare is cheaper than
	// a map lookup. A router serves one tokenizer (HooksFor makes one per
	// call), so this needs no lock.
	last struct {
		name  string
		hooks multiHooks
		ok    bool
	}
}

func newRouter(hs multiHooks, claims []claim) router {
	covering := func(key string) multiHooks {
		var m multiHooks
		for i, h := range hs {
			if claims[i].covers(key) {
				m = append(m, h)
			}
		}
		return m
	}
	r := router{byName: map[string]multiHooks{}, rest: covering("")}
	for _, c := range claims {
		for _, name := range c.names {
			r.byName[name] = covering(name)
		}
		for _, p := range c.prefixes {
			if !slices.Contains(r.prefixes, p) {
				r.prefixes = append(r.prefixes, p)
			}
		}
	}
	slices.SortFunc(r.prefixes, func(a, b string) int { return len(b) - len(a) })
	for _, p := range r.prefixes {
		r.byPrefix = append(r.byPrefix, covering(p))
	}
	return r
}

// route returns the hooks to ask about name, in dialect order.
func (r *router) route(name string) multiHooks {
	if l := &r.last; l.ok && l.name == name {
		return l.hooks
	}
	hs := r.lookUp(name)
	r.last.name, r.last.hooks, r.last.ok = name, hs, true
	return hs
}

// lookUp is route without the cache.
func (r *router) lookUp(name string) multiHooks {
	if hs, ok := r.byName[name]; ok {
		return hs
	}
	for i, p := range r.prefixes {
		if strings.HasPrefix(name, p) {
			return r.byPrefix[i]
		}
	}
	return r.rest
}

// bareLines is a table of bare lines (line → final), with what turns most
// lines away before they are hashed: their length or their first byte.
type bareLines struct {
	final   map[string]bool
	longest int
	first   [256]bool // the first bytes of the lines
}

func newBareLines(final map[string]bool) *bareLines {
	b := &bareLines{final: final}
	for line := range final {
		b.longest = max(b.longest, len(line))
		if line != "" {
			b.first[line[0]] = true
		}
	}
	return b
}

// firsts are the first bytes of the lines.
func (b *bareLines) firsts() string {
	var s []byte
	for c, ok := range b.first {
		if ok {
			s = append(s, byte(c))
		}
	}
	return string(s)
}

// lookUp looks text up in the table.
func (b *bareLines) lookUp(text string) (final, ok bool) {
	if len(text) > b.longest || text != "" && !b.first[text[0]] {
		return false, false
	}
	final, ok = b.final[text]
	return final, ok
}
