// Package redact hides the secrets of a log so that it can be shared: user
// names, passwords, tokens and device secrets, IMEI, IMSI and ICCID, Wi-Fi
// passwords, and (at level All) client IDs and hosts. A Redactor learns the
// secrets from the commands that carry them (AT+QMTCONN, AT+QMTCFG="aliauth",
// AT+MCONFIG, AT+MQTTUSERCFG, AT+CMQTTCONNECT, AT+UMQTT, AT+SMCONF,
// AT+TCDEVINFOSET, AT+CWJAP, ...) and from the answers to AT+CGSN, AT+CIMI,
// AT+QCCID and the like, then replaces every occurrence with a stable
// placeholder: the same secret gets the same placeholder ("<password-1>")
// for the whole run, so the story of the log stays readable. Where a
// length must stay true (the file copy, an op's topic and payload) the
// placeholder is its short form padded to the secret's length ("<p1>***").
//
// Identity numbers and passwords of 8 bytes or more are replaced wherever
// they occur (inside topics too); names (users, client IDs, hosts) and
// shorter passwords only where they stand alone, not inside a longer
// identifier such as a client ID that contains the user name; short
// numbers (a PIN, a 3-byte password) and user names that read as words
// ("fleet", "test") only in an argument that holds them by its role. Numbers shaped like an IMEI (Luhn), an ICCID or the IMSI
// after AT+CIMI are learned from any text, decoded or not.
package redact

import (
	"fmt"
	"slices"
	"sort"
	"strings"

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

// Secret is one learned secret in one role (a value that plays two roles,
// user name and password, is listed once for each, with one placeholder).
type Secret struct {
	Value       string
	Placeholder string
	Kind        Kind
	InPlace     bool // replaced only in the arguments that hold it by its role
}

// scope says where a secret is replaced.
type scope uint8

const (
	anywhere scope = iota // any occurrence
	token                 // occurrences not touching an identifier byte (letter, digit, _ - . @)
	inPlace               // only in an argument that holds it by its role
)

type secret struct {
	Secret
	scope scope
	also  []Kind // the other roles the same value plays (a password equal to the user name)
}

// Redactor learns secrets and replaces them. The zero value is not usable;
// a nil *Redactor leaves everything as it is.
type Redactor struct {
	level   Level
	secrets map[string]*secret
	counts  map[Kind]int
	match   *matcher // built from secrets when needed; nil when dirty
	all     *matcher // match with the secrets replaced in place too
	stack   []hit    // the matcher's scratch
	scratch scratch

	// learning state
	identity string // the pending identity command (+CGSN, +CIMI, ...)
	prompted Kind   // the credential the next payload carries (ESP-AT AT+MQTTLONG*)
	imsiDue  int    // events left in which a number answers a typed AT+CIMI
	seen     census // what the learning pass recognised
}

// scratch is the space reading one argument list needs, kept from one
// command to the next: most of a log's lines are commands.
type scratch struct {
	args  []argSpan
	raw   []string
	roles []role
}

// New returns a redactor for level; nil for Off.
func New(level Level) *Redactor {
	if level == Off {
		return nil
	}
	return &Redactor{level: level, secrets: map[string]*secret{}, counts: map[Kind]int{}}
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
		for _, k := range s.also {
			out = append(out, Secret{Value: s.Value, Placeholder: s.Placeholder, Kind: k, InPlace: s.scope == inPlace})
		}
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
// the level does not hide that kind or the value is empty).
func (r *Redactor) Add(value string, kind Kind) string {
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
				r.Add(run, IMEI)
			}
		}
	}
	if value == "" || isPlaceholder(value) || kind.level() > r.level {
		return ""
	}
	s, ok := r.secrets[value]
	if ok && kind != s.Kind && !slices.Contains(s.also, kind) {
		// One value, two roles: one placeholder, both counted, the wider scope.
		s.also = append(s.also, kind)
		s.scope = min(s.scope, scopeOf(value, kind))
		s.InPlace = s.scope == inPlace
		r.match, r.all = nil, nil
	}
	if !ok {
		r.counts[kind]++
		sc := scopeOf(value, kind)
		s = &secret{Secret: Secret{Value: value, Kind: kind, Placeholder: fmt.Sprintf("<%s-%d>", kind, r.counts[kind]), InPlace: sc == inPlace}, scope: sc}
		r.secrets[value] = s
		r.match, r.all = nil, nil
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
	sc := scopeOf(value, s.Kind)
	r.secrets[value] = &secret{Secret: Secret{Value: value, Kind: s.Kind, Placeholder: s.Placeholder, InPlace: sc == inPlace}, scope: sc}
	r.match, r.all = nil, nil
}

// scopeOf says where a secret is replaced: identity numbers and long
// passwords wherever they show; names (users, client IDs, hosts) and short
// passwords where they stand alone; short numbers (a PIN, a "0" in a
// password's place) and user names that read as words ("fleet", "test")
// only in the argument that holds them: replacing a word everywhere would
// rewrite topics and payloads that merely use it.
func scopeOf(v string, kind Kind) scope {
	digits := strings.Trim(v, "0123456789") == ""
	switch {
	case kind == IMEI || kind == IMSI || kind == ICCID:
		return anywhere
	case kind == PIN || len(v) < 4 || digits && len(v) < 8 || kind == User && wordLike(v):
		return inPlace
	case len(v) >= 8 && (kind == Password || kind == DeviceSecret || kind == WiFiPassword):
		return anywhere
	}
	return token
}

// wordLike reports a user name short or plain enough to be a common word:
// under 6 bytes, or lowercase letters only and under 10 bytes. Longer or
// mixed values ("Meter-Demo-9", "node_0007") identify the account and are
// replaced wherever they stand alone.
func wordLike(v string) bool {
	return len(v) < 6 || len(v) < 10 && strings.Trim(v, "abcdefghijklmnopqrstuvwxyz") == ""
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
	str := r.String
	field := func(s string) string {
		if sec, ok := r.secrets[s]; ok && s != "" {
			return sec.Placeholder // a credential field that is a secret, however short
		}
		return str(s)
	}
	op.Host, op.ClientID, op.Username, op.Password = field(op.Host), field(op.ClientID), field(op.Username), field(op.Password)
	// Topics and payloads keep their length: sizes, JSON and pcapng show the logged ones.
	op.Topic, op.Payload = r.fitted(op.Topic), r.fitted(op.Payload)
	op.Code, op.Reason = str(op.Code), str(op.Reason)
	op.Topics = mapStrings(op.Topics, r.fitted)
	op.Notes = slices.Clone(op.Notes) // the op's own notes stay as logged
	for i := range op.Notes {
		op.Notes[i].Text = str(op.Notes[i].Text)
	}
	if op.Will != nil {
		w := *op.Will // the dialect may share it between ops
		w.Topic, w.Message = r.fitted(w.Topic), r.fitted(w.Message)
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
	if op.Kind != dialect.OpConnect && op.Kind != dialect.OpOpen && op.Kind != dialect.OpSetup {
		return
	}
	r.Add(op.Username, userKind(op.Username))
	r.Add(op.Password, Password)
	r.Add(op.ClientID, ClientID)
	r.Add(op.Host, Host)
}

// userKind is User, or IMEI for a 15-digit user name.
func userKind(v string) Kind {
	if isIMEI(v) {
		return IMEI
	}
	return User
}
