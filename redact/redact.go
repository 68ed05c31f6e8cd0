// Package redact hides the secrets of a log so that it can be shared: user
// names, passwords, tokens and device secrets, IMEI, IMSI and ICCID, Wi-Fi
// passwords, and (at level All) client IDs and hosts. A Redactor learns the
// secrets from the commands that carry them (AT+QMTCONN, AT+QMTCFG="aliauth",
// AT+MCONFIG, AT+MQTTUSERCFG, AT+CMQTTCONNECT, AT+UMQTT, AT+SMCONF,
// AT+TCDEVINFOSET, AT+CWJAP, ...) and from the answers to AT+CGSN, AT+CIMI,
// AT+QCCID and the like, then replaces every occurrence with a stable
// placeholder: the same secret gets the same placeholder ("<password-1>")
// for the whole run, so the story of the log stays readable.
//
// Secrets of 8 bytes or more are replaced wherever they occur (inside topics
// and client IDs too); shorter ones only where they stand alone (between
// quotes, commas, slashes), and those under 4 bytes (or short numbers such
// as a PIN) only in the argument they were learned from.
package redact

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Level is how much to hide.
type Level uint8

const (
	Off     Level = iota // nothing
	Secrets              // credentials, device secrets, IMEI/IMSI/ICCID, Wi-Fi passwords
	All                  // also client IDs, hosts and Wi-Fi network names
)

// ParseLevel reads a --redact value: "" or "off"/"none", "secrets", "all".
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "off", "none", "false":
		return Off, nil
	case "secrets", "secret", "true", "on":
		return Secrets, nil
	case "all":
		return All, nil
	}
	return Off, fmt.Errorf("unknown redaction level %q: want secrets or all", s)
}

func (l Level) String() string {
	return [...]string{Off: "off", Secrets: "secrets", All: "all"}[min(int(l), 2)]
}

// Kind is what a secret is; it names its placeholders.
type Kind string

const (
	User         Kind = "user"          // user names, and identifiers that sign in (product key, device name)
	Password     Kind = "password"      // passwords
	DeviceSecret Kind = "secret"        // device secrets, access keys, tokens
	IMEI         Kind = "imei"          // 15-digit module identities
	IMSI         Kind = "imsi"          // subscriber identities
	ICCID        Kind = "iccid"         // SIM card numbers
	WiFiPassword Kind = "wifi-password" // AT+CWJAP passwords
	PIN          Kind = "pin"           // SIM PINs
	ClientID     Kind = "client-id"     // MQTT client IDs (level All)
	Host         Kind = "host"          // broker hosts and addresses (level All)
	SSID         Kind = "ssid"          // Wi-Fi network names (level All)
)

// identity kinds are hidden only at level All.
func (k Kind) level() Level {
	switch k {
	case ClientID, Host, SSID:
		return All
	}
	return Secrets
}

// Secret is one learned secret.
type Secret struct {
	Value       string
	Placeholder string
	Kind        Kind
}

// scope says where a secret is replaced.
type scope uint8

const (
	anywhere scope = iota // any occurrence
	alone                 // occurrences not touching a letter, digit or '_'
	inPlace               // only in the argument it was learned from
)

type secret struct {
	Secret
	scope scope
}

// Redactor learns secrets and replaces them. The zero value is not usable;
// a nil *Redactor leaves everything as it is.
type Redactor struct {
	level   Level
	secrets map[string]*secret
	counts  map[Kind]int
	byFirst map[byte][]*secret // replace candidates by first byte, longest first
	dirty   bool
	// places holds, per line, the in-place secrets learned there.
	places map[int][]*secret

	// learning state
	identity string // the pending identity command (+CGSN, +CIMI, ...)
	prompted Kind   // the credential the next payload carries (ESP-AT AT+MQTTLONG*)
}

// New returns a redactor for level; nil for Off.
func New(level Level) *Redactor {
	if level == Off {
		return nil
	}
	return &Redactor{level: level, secrets: map[string]*secret{}, counts: map[Kind]int{}, places: map[int][]*secret{}}
}

// Level returns the redactor's level (Off for nil).
func (r *Redactor) Level() Level {
	if r == nil {
		return Off
	}
	return r.level
}

// Secrets lists what was learned, in the order of the placeholders.
func (r *Redactor) Secrets() []Secret {
	if r == nil {
		return nil
	}
	var out []Secret
	for _, s := range r.secrets {
		out = append(out, s.Secret)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Placeholder != out[j].Placeholder {
			return out[i].Placeholder < out[j].Placeholder
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// Add learns value as a secret of kind and returns its placeholder ("" when
// the level does not hide that kind or the value is empty). line, when not
// 0, is where an in-place secret stands.
func (r *Redactor) Add(value string, kind Kind, line int) string {
	if r == nil {
		return ""
	}
	value = strings.TrimSpace(value)
	if kind == ClientID && isIMEI(value) {
		kind = IMEI // an IMEI used as the client ID is hidden at every level
	}
	if kind == ClientID || kind == User {
		// An IMEI inside an ID ("nrf-352656100123456") also shows alone, in topics.
		for _, run := range digitRuns(value, 15) {
			if run != value {
				r.Add(run, IMEI, line)
			}
		}
	}
	if value == "" || isPlaceholder(value) || kind.level() > r.level {
		return ""
	}
	s, ok := r.secrets[value]
	if !ok {
		r.counts[kind]++
		s = &secret{Secret: Secret{Value: value, Kind: kind, Placeholder: fmt.Sprintf("<%s-%d>", kind, r.counts[kind])}, scope: scopeOf(value)}
		r.secrets[value] = s
		r.dirty = true
	}
	if s.scope == inPlace && line > 0 && !slices.Contains(r.places[line], s) && len(r.places) < 100000 {
		r.places[line] = append(r.places[line], s)
	}
	return s.Placeholder
}

// alias makes another spelling of a learned secret (an escaped form) share
// its placeholder.
func (r *Redactor) alias(value, of string) {
	s, ok := r.secrets[of]
	if !ok || value == of || value == "" {
		return
	}
	if _, ok := r.secrets[value]; ok {
		return
	}
	r.secrets[value] = &secret{Secret: Secret{Value: value, Kind: s.Kind, Placeholder: s.Placeholder}, scope: scopeOf(value)}
	r.dirty = true
}

func scopeOf(v string) scope {
	digits := strings.Trim(v, "0123456789") == ""
	switch {
	case len(v) >= 8:
		return anywhere
	case len(v) >= 4 && !digits:
		return alone
	}
	return inPlace
}

func isPlaceholder(s string) bool {
	return len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>' && strings.LastIndexByte(s, '-') > 0
}

// digitRuns returns the runs of exactly n digits in s.
func digitRuns(s string, n int) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		d := i < len(s) && s[i] >= '0' && s[i] <= '9'
		if d && start < 0 {
			start = i
		}
		if !d && start >= 0 {
			if i-start == n {
				out = append(out, s[start:i])
			}
			start = -1
		}
	}
	return out
}

// isIMEI reports a 15-digit number: an IMEI used as a client ID or user
// name (the Luat guide's AT+MCONFIG="866289037465624",...).
func isIMEI(s string) bool {
	return len(s) == 15 && strings.Trim(s, "0123456789") == ""
}

// prepare sorts the secrets for replacement.
func (r *Redactor) prepare() {
	if !r.dirty {
		return
	}
	r.dirty = false
	r.byFirst = map[byte][]*secret{}
	for _, s := range r.secrets {
		if s.scope == inPlace {
			continue
		}
		r.byFirst[s.Value[0]] = append(r.byFirst[s.Value[0]], s)
	}
	for _, list := range r.byFirst {
		sort.Slice(list, func(i, j int) bool {
			if len(list[i].Value) != len(list[j].Value) {
				return len(list[i].Value) > len(list[j].Value)
			}
			return list[i].Value < list[j].Value
		})
	}
}

// String replaces every learned secret in s.
func (r *Redactor) String(s string) string {
	if r == nil || len(r.secrets) == 0 || s == "" {
		return s
	}
	return r.replace(s, false)
}

// Bytes replaces every learned secret in b; it returns b itself when
// nothing changed.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || len(r.secrets) == 0 || len(b) == 0 {
		return b
	}
	s := string(b)
	if out := r.replace(s, false); out != s {
		return []byte(out)
	}
	return b
}

// replace is one pass over s: at each byte, the longest secret that starts
// there (and may be replaced there) gives way to its placeholder, fitted to
// the secret's length when fit is set.
func (r *Redactor) replace(s string, fit bool) string {
	r.prepare()
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		cands := r.byFirst[s[i]]
		found := false
		for _, c := range cands {
			if !strings.HasPrefix(s[i:], c.Value) {
				continue
			}
			end := i + len(c.Value)
			if c.scope == alone && (i > 0 && isWord(s[i-1]) || end < len(s) && isWord(s[end])) {
				continue
			}
			b.WriteString(s[last:i])
			b.WriteString(placeholder(c.Placeholder, len(c.Value), fit))
			i, last, found = end, end, true
			break
		}
		if !found {
			i++
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// placeholder is ph, or with fit a form exactly n bytes long: ph padded
// with '*', a short "<k1>" form, or '*' only, so that lengths a log
// declares (payload counts) stay true.
func placeholder(ph string, n int, fit bool) string {
	if !fit {
		return ph
	}
	if n >= len(ph) {
		return ph + strings.Repeat("*", n-len(ph))
	}
	if dash := strings.LastIndexByte(ph, '-'); dash > 1 {
		short := "<" + ph[1:2] + ph[dash+1:]
		if n >= len(short) {
			return short + strings.Repeat("*", n-len(short))
		}
	}
	return strings.Repeat("*", n)
}

// inPlaceAt replaces the in-place secrets learned on lines from..to where
// they stand as a whole argument: between quotes, or between '=', ',' and
// the end of the text.
func (r *Redactor) inPlaceAt(s string, from, to int, fit bool) string {
	if r == nil || len(r.places) == 0 {
		return s
	}
	for l := from; l <= to; l++ {
		for _, sec := range r.places[l] {
			s = replaceArg(s, sec.Value, placeholder(sec.Placeholder, len(sec.Value), fit))
		}
	}
	return s
}

// replaceArg replaces v where it is a whole argument of a command line.
func replaceArg(s, v, ph string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+len(v) <= len(s); {
		j := strings.Index(s[i:], v)
		if j < 0 {
			break
		}
		at, end := i+j, i+j+len(v)
		before, after := byte(0), byte(0)
		if at > 0 {
			before = s[at-1]
		}
		if end < len(s) {
			after = s[end]
		}
		quoted := before == '"' && after == '"'
		bare := (before == '=' || before == ',' || before == ':' || before == ' ') && (after == ',' || after == 0 || after == '\r' || after == '\n' || after == ' ')
		if quoted || bare {
			b.WriteString(s[last:at])
			b.WriteString(ph)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Event replaces the secrets in an event's text, arguments and raw bytes.
func (r *Redactor) Event(ev *decode.Event) {
	if r == nil || len(r.secrets) == 0 {
		return
	}
	to := max(ev.EndLine, ev.Pos.Line)
	ev.Text = r.inPlaceAt(r.String(ev.Text), ev.Pos.Line, to, false)
	ev.Args = r.inPlaceAt(r.String(ev.Args), ev.Pos.Line, to, false)
	raw := r.Bytes(ev.Raw)
	if s := r.inPlaceAt(string(raw), ev.Pos.Line, to, false); s != string(raw) {
		raw = []byte(s)
	}
	ev.Raw = raw
}

// Op replaces the secrets in an op's fields, learning the credentials the
// op names that the events did not show.
func (r *Redactor) Op(op *dialect.Op) {
	if r == nil {
		return
	}
	r.LearnOp(op)
	if len(r.secrets) == 0 {
		return
	}
	line := 0
	if len(op.Lines) > 0 {
		line = op.Lines[0]
	}
	str := func(s string) string { return r.inPlaceAt(r.String(s), line, line, false) }
	field := func(s string) string {
		if sec, ok := r.secrets[s]; ok && s != "" {
			return sec.Placeholder // a credential field that is a secret, however short
		}
		return str(s)
	}
	op.Host, op.ClientID, op.Username, op.Password = field(op.Host), field(op.ClientID), field(op.Username), field(op.Password)
	op.Topic, op.Payload, op.Code, op.Reason = str(op.Topic), str(op.Payload), str(op.Code), str(op.Reason)
	op.Topics = mapStrings(op.Topics, str)
	op.Notes = slices.Clone(op.Notes) // the op's own notes stay as logged
	for i := range op.Notes {
		op.Notes[i].Text = str(op.Notes[i].Text)
	}
	if op.Will != nil {
		w := *op.Will // the dialect may share it between ops
		w.Topic, w.Message = str(w.Topic), str(w.Message)
		op.Will = &w
	}
}

func mapStrings(in []string, f func(string) string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// LearnOp learns the credentials an op carries: the dialects know where
// every vendor puts them, so this covers commands the event rules miss.
func (r *Redactor) LearnOp(op *dialect.Op) {
	if r == nil {
		return
	}
	line := 0
	if len(op.Lines) > 0 {
		line = op.Lines[0]
	}
	if op.Kind != dialect.OpConnect && op.Kind != dialect.OpOpen && op.Kind != dialect.OpSetup {
		return
	}
	r.Add(op.Username, userKind(op.Username), line)
	r.Add(op.Password, Password, line)
	r.Add(op.ClientID, ClientID, line)
	r.Add(op.Host, Host, line)
}

// userKind is User, or IMEI for a 15-digit user name.
func userKind(v string) Kind {
	if isIMEI(v) {
		return IMEI
	}
	return User
}
