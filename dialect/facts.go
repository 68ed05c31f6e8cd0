package dialect

import (
	"slices"
	"sort"
	"strings"
)

// Facts are what one vendor's manual says, as data: its commands and URCs
// (op kind, how the result arrives, argument roles, result codes with their
// meaning and advice), its limits and how it shows acknowledgements.
// Consumers (diagnose, redact, export, the log generator) read these and
// never name a vendor command themselves. Each row cites its source.
type Facts struct {
	Commands []Command
	Limits   Limits
	// Acked says the module reports publish acknowledgements (PUBACK,
	// PUBREC/PUBCOMP) so that a QoS 1/2 publish without one is a finding;
	// AckEvidence says what that report looks like in a log.
	Acked       bool
	AckEvidence string
	// Success lists the final result lines, besides OK, that mean success.
	Success []string
	// WiFi says the module reaches the broker over Wi-Fi, not cellular.
	WiFi bool
	// Manual names the manual whose tables explain codes this table lacks:
	// "See the result tables of <Manual>."
	Manual string
	// ErrorAdvice is what to do when a command fails with a plain ERROR
	// and neither its row nor a code says more.
	ErrorAdvice string
	// BearerAdvice says how to bring the packet data bearer up before the
	// MQTT service needs it; BearerLostAdvice how to recover after the
	// network took it down. "" for the general advice.
	BearerAdvice, BearerLostAdvice string
	// CME are the vendor's +CME ERROR values, which take precedence over
	// 3GPP's (see CMEErrorFor).
	CME []Code
	// ExplainOp explains the codes a row cannot hold (ESP-AT's
	// "ERR CODE:0x..." bit fields); nil when every code is in a row.
	ExplainOp func(op *Op) (Code, bool)
	// MQTTRestart are the MQTT steps after the bearer is back ("" when
	// only the general "open and connect again" applies).
	MQTTRestart string
	// ReceiveBuffer is the module's buffered receive mode; nil when it
	// has none that can overflow unnoticed.
	ReceiveBuffer *ReceiveBuffer
	// LongCredentialAdvice and LongLineAdvice say how to give a string
	// or a command line longer than the module takes (MaxLen,
	// Limits.CommandLine): its long forms.
	LongCredentialAdvice, LongLineAdvice string
}

// Limits are the sizes a module takes; 0 is "no limit known". Source says
// where they come from, for the reader of a finding.
type Limits struct {
	Clients     int // concurrent MQTT clients
	Topic       int // bytes
	Payload     int // bytes of a published message
	ClientID    int // bytes
	CommandLine int // bytes of an AT command line, CR LF included
	Source      string
}

// Command is one row of a dialect's table: a command (AT<Name>...) or a
// line from the module (URC true).
type Command struct {
	Name string // as the tokenizer names it: "+QMTOPEN", "CONNECT OK", "#XMQTTEVT"
	URC  bool
	// Op is the op kind the command (or URC) starts; NotOp marks
	// configuration, loading and query commands whose values feed the ops.
	Op    OpKind
	NotOp bool
	// Result says how the outcome arrives.
	Result ResultShape
	// Args are the roles of the write form's arguments by position (0 is
	// the first after "="); ArgsOf replaces them for layouts that depend
	// on the values (an item name first, an optional protocol argument).
	Args   []ArgRole
	ArgsOf func(args []string) []ArgRole
	// MaxLen is the longest each argument may be, in bytes without its
	// quotes and escapes, by position as Args (0: no limit known).
	MaxLen []int
	// Data is what the bytes after the prompt carry (ArgOther: none or
	// nothing to know).
	Data ArgRole
	// Codes explains the vendor's result numbers (or the URC's own). An op
	// of this command has its number at CodeField of op.CodeFields(): 0 is
	// the first, -1 the last.
	Codes     []Code
	CodeField int
	// KeepAlive says the row's link ops report a keep-alive exchange
	// (PINGREQ, PINGRESP): all of them when KeepAliveType is 0, else
	// those whose first code field is KeepAliveType (an event type). A
	// command row's link ops are its keep-alive action (u-blox
	// AT+UMQTTC=8: its other actions are ops of their own kinds).
	KeepAlive     bool
	KeepAliveType int
	// NetworkLost says the URC reports that the network (the bearer) is
	// gone for every client.
	NetworkLost bool
	// Advice is what to do when the op fails with no code row to say it
	// (a URC without a code, a code missing from Codes).
	Advice string
	// Cite is the manual section.
	Cite string
	// Reconnect is the part the URC plays in the module's own reconnection.
	Reconnect ReconnectStep
}

// ResultShape is how a command's outcome arrives.
type ResultShape uint8

const (
	ResultFinal       ResultShape = iota // the final result code (OK, ERROR, +CME ERROR) is the outcome
	ResultURC                            // OK, then a result URC with the command's name
	ResultPrompt                         // a prompt, then a counted payload, then the result
	ResultLine                           // OK, then a bare line ("CONNECT OK", "SUBACK")
	ResultUnsolicited                    // a line from the module that is the whole op
)

// ArgRole is what an argument carries.
type ArgRole uint8

const (
	ArgOther          ArgRole = iota // nothing a consumer needs to know
	ArgClient                        // the client index (Quectel client_idx, ESP LinkID)
	ArgHost                          // broker host name or address
	ArgPort                          // broker port
	ArgURL                           // a URL or "tcp://host:port" holding the host
	ArgClientID                      // MQTT client identifier
	ArgUser                          // MQTT user name
	ArgPassword                      // MQTT password
	ArgDeviceID                      // a cloud platform's product key, device name or id
	ArgDeviceSecret                  // a cloud platform's device or product secret
	ArgTopic                         // topic or topic filter
	ArgQoS                           // QoS 0-2
	ArgRetain                        // retain flag
	ArgMsgID                         // packet identifier
	ArgPayloadLen                    // declared payload length in bytes
	ArgPayload                       // the message itself
	ArgKeepAlive                     // keep-alive in seconds
	ArgClean                         // clean session flag
	ArgScheme                        // transport or TLS selector
	ArgSSID                          // Wi-Fi network name
	ArgWiFiPassword                  // Wi-Fi passphrase
	ArgPIN                           // SIM PIN or PUK
	ArgAPN                           // access point name
	ArgBearerUser                    // user name of the packet data bearer
	ArgBearerPassword                // password of the packet data bearer
)

var argRoleNames = [...]string{
	ArgOther: "other", ArgClient: "client", ArgHost: "host", ArgPort: "port", ArgURL: "url",
	ArgClientID: "client_id", ArgUser: "user", ArgPassword: "password", ArgDeviceID: "device_id",
	ArgDeviceSecret: "device_secret", ArgTopic: "topic", ArgQoS: "qos", ArgRetain: "retain",
	ArgMsgID: "msgid", ArgPayloadLen: "payload_len", ArgPayload: "payload", ArgKeepAlive: "keepalive",
	ArgClean: "clean", ArgScheme: "scheme", ArgSSID: "ssid", ArgWiFiPassword: "wifi_password",
	ArgPIN: "pin", ArgAPN: "apn", ArgBearerUser: "bearer_user", ArgBearerPassword: "bearer_password",
}

func (r ArgRole) String() string {
	if int(r) < len(argRoleNames) {
		return argRoleNames[r]
	}
	return "arg?"
}

// MarshalText makes ArgRole a string in JSON.
func (r ArgRole) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Secret says the argument must never be shown: passwords, secrets, PINs.
func (r ArgRole) Secret() bool {
	switch r {
	case ArgPassword, ArgDeviceSecret, ArgWiFiPassword, ArgPIN, ArgBearerPassword:
		return true
	}
	return false
}

// Identifying says the argument names a person, device or place a redacted
// copy should hide, though it is no secret: client ID, user, host...
func (r ArgRole) Identifying() bool {
	switch r {
	case ArgHost, ArgURL, ArgClientID, ArgUser, ArgDeviceID, ArgSSID, ArgBearerUser:
		return true
	}
	return false
}

// Code is one row of a result code table.
type Code struct {
	// N is the code; Thru, when not 0, the last code of a range N..Thru.
	N, Thru int
	Meaning string // what the code means, in the manual's words
	Advice  string // what a support engineer tells the user
	// Connack is the MQTT CONNACK return code (1-5) the code stands for;
	// 0 when it is not a broker's refusal.
	Connack int
	// SubackRefused says the broker refused a subscription (granted 0x80).
	SubackRefused bool
	// Normal says the code reports no failure (a normal end, "already
	// started"): a finding about it is information only.
	Normal bool
	// KeepAlive says the code reports a failed keep-alive exchange (a
	// PINGREQ unanswered, an inactivity timeout).
	KeepAlive bool
}

// covers reports whether row c is for code n.
func (c *Code) covers(n int) bool {
	if c.Thru == 0 {
		return c.N == n
	}
	return n >= min(c.N, c.Thru) && n <= max(c.N, c.Thru)
}

// findCode finds code n in codes: an exact row before a range.
func findCode(codes []Code, n int) (Code, bool) {
	for _, c := range codes {
		if c.Thru == 0 && c.N == n {
			return c, true
		}
	}
	for _, c := range codes {
		if c.covers(n) {
			return c, true
		}
	}
	return Code{}, false
}

// exactMeaning is the meaning of code n from its own row of codes (not a
// range): the machines' reason for a result.
func exactMeaning(codes []Code, n int) (string, bool) {
	for _, c := range codes {
		if c.Thru == 0 && c.N == n {
			return c.Meaning, true
		}
	}
	return "", false
}

// Command finds the row of name (a command or a URC of that name) in f.
func (f *Facts) Command(name string) (*Command, bool) {
	for i := range f.Commands {
		if f.Commands[i].Name == name {
			return &f.Commands[i], true
		}
	}
	return nil, false
}

// Code explains code n of the command or URC name.
func (f *Facts) Code(name string, n int) (Code, bool) {
	c, ok := f.Command(name)
	if !ok {
		return Code{}, false
	}
	return findCode(c.Codes, n)
}

// CommandFor is the command (not a URC) that starts ops of kind k, as
// written in a log: "AT+QMTCONN". ok is false when no row has one.
func (f *Facts) CommandFor(k OpKind) (string, bool) {
	for _, c := range f.Commands {
		if !c.URC && !c.NotOp && c.Op == k {
			return "AT" + c.Name, true
		}
	}
	return "", false
}

// names is the set of the table's names that start with prefix: what a
// dialect's Evidence counts as its own.
func (f *Facts) names(prefix string) map[string]bool {
	out := map[string]bool{}
	for _, c := range f.Commands {
		if strings.HasPrefix(c.Name, prefix) {
			out[c.Name] = true
		}
	}
	return out
}

// IsSuccess says whether a final result line means success for f.
func (f *Facts) IsSuccess(line string) bool {
	return line == "OK" || slices.Contains(f.Success, line)
}

// roles gives the argument roles of c for args.
func (c *Command) roles(args []string) []ArgRole {
	if c.ArgsOf != nil {
		return c.ArgsOf(args)
	}
	return c.Args
}

// ArgRoles gives the roles of the arguments args of command name (as the
// tokenizer names it: "+QMTCONN") from whichever dialect's table has it,
// the 3GPP commands included. The result may be shorter than args; nil
// when no table knows the command.
func ArgRoles(name string, args []string) []ArgRole {
	if c, ok := argRows[name]; ok {
		return c.roles(args)
	}
	return nil
}

// argRows indexes the command rows that give argument roles by name, for
// ArgRoles (redact asks at every command of a log). Register adds each
// dialect's; no two tables give one command different roles
// (TestArgRowsAgree).
var argRows = indexArgRows(map[string]*Command{}, &commonFacts)

// indexArgRows adds the rows of f that give argument roles to index.
func indexArgRows(index map[string]*Command, f *Facts) map[string]*Command {
	for i := range f.Commands {
		if c := &f.Commands[i]; !c.URC && (c.Args != nil || c.ArgsOf != nil) {
			if _, dup := index[c.Name]; !dup {
				index[c.Name] = c
			}
		}
	}
	return index
}

// ExplainOp explains the outcome of op from its dialect's tables: the
// CONNACK row when the broker refused the connect, else the row of the
// vendor's own result code in op.Name's table; for a plain final result
// (ERROR), the command row's Advice or the dialect's ErrorAdvice. ok is
// false for +CME/+CMS ERROR (see CMEErrorFor, CMSError) and when no table
// says anything.
func ExplainOp(op *Op) (Code, bool) {
	switch op.CodeFrom {
	case CodeCME, CodeCMS:
		return Code{}, false
	case CodeFinal:
		return explainFinal(op)
	}
	f, ok := FactsOf(op.Dialect)
	if !ok {
		if op.HasConnack && op.Connack > 0 {
			return ConnackCode(int(op.Connack))
		}
		return Code{}, false
	}
	if f.ExplainOp != nil {
		if c, ok := f.ExplainOp(op); ok {
			return c, true
		}
	}
	c, ok := f.Command(op.Name)
	if !ok {
		c = &Command{}
	}
	code, found := c.code(op)
	switch {
	case found && code.Advice != "":
		return code, true
	case op.HasConnack && op.Connack > 0:
		return ConnackCode(int(op.Connack))
	case found:
		return code, true
	}
	// A result line with a row of its own ("CONNECT FAIL"), or of its
	// first word ("CONNACK ...").
	word, _, _ := strings.Cut(op.Code, " ")
	for _, name := range []string{op.Code, word} {
		if r, ok := f.Command(name); ok && r.URC && r.Advice != "" && name != "" {
			return Code{Meaning: op.Reason, Advice: r.Advice}, true
		}
	}
	if c.Advice != "" {
		return Code{Meaning: op.Reason, Advice: c.Advice}, true
	}
	return Code{}, false
}

// explainFinal is the advice for an op that failed with a plain final
// result code: its command's, else its dialect's.
func explainFinal(op *Op) (Code, bool) {
	f, ok := FactsOf(op.Dialect)
	if !ok {
		return Code{}, false
	}
	if c, ok := f.Command(op.Name); ok && c.Advice != "" {
		return Code{Meaning: op.Reason, Advice: c.Advice}, true
	}
	if f.ErrorAdvice != "" {
		return Code{Meaning: op.Reason, Advice: f.ErrorAdvice}, true
	}
	return Code{}, false
}

// code is the row of op's vendor code in c's table.
func (c *Command) code(op *Op) (Code, bool) {
	fields, ok := op.CodeFields()
	if !ok {
		return Code{}, false
	}
	i := c.CodeField
	if i < 0 {
		i += len(fields)
	}
	if i < 0 || i >= len(fields) {
		return Code{}, false
	}
	code, ok := findCode(c.Codes, fields[i])
	if ok && code.Connack > 0 && code.Advice == "" {
		ca, _ := ConnackCode(code.Connack)
		code.Advice = ca.Advice
	}
	return code, ok
}

// CMEErrorFor explains +CME ERROR code n as dialect dialectName means it:
// its own values first, then 3GPP TS 27.007's and the vendor tables'.
func CMEErrorFor(dialectName string, n int) (Code, bool) {
	if f, ok := FactsOf(dialectName); ok {
		if c, ok := findCode(f.CME, n); ok {
			return c, true
		}
	}
	return CMEError(n)
}

// ExplainCode explains code n of the command or URC name in the table of
// dialect dialectName.
func ExplainCode(dialectName, name string, n int) (Code, bool) {
	d, ok := Lookup(dialectName)
	if !ok {
		return Code{}, false
	}
	return d.Facts.Code(name, n)
}

// FactsOf returns the table of dialect name.
func FactsOf(name string) (*Facts, bool) {
	d, ok := Lookup(name)
	if !ok {
		return nil, false
	}
	return &d.Facts, true
}

// CommandNames lists every command and URC name of every dialect's table
// and of the common (3GPP) table, sorted: the vendor words no package
// outside dialect may spell (literals_test.go).
func CommandNames() []string {
	seen := map[string]bool{}
	for _, d := range All() {
		for _, c := range d.Facts.Commands {
			seen[c.Name] = true
		}
	}
	for _, c := range commonFacts.Commands {
		seen[c.Name] = true
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// itemOf is the first argument, unquoted and in lower case: the item or
// opcode that decides an ArgsOf layout ("aliauth", "4").
func itemOf(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return strings.ToLower(unquote(args[0]))
}
