package redact

import (
	"slices"
	"strings"

	"atscope/dialect"
)

// role is what one argument of a command holds.
type role struct {
	kind Kind
	url  bool // "tcp://host:port": only the host is the secret
}

// kindOf maps the dialects' argument roles to the kinds of secret (an
// array: it is read at every argument of every command of a log).
var kindOf = [...]role{
	dialect.ArgHost:           {kind: Host},
	dialect.ArgURL:            {kind: Host, url: true},
	dialect.ArgClientID:       {kind: ClientID},
	dialect.ArgUser:           {kind: User},
	dialect.ArgDeviceID:       {kind: User},
	dialect.ArgBearerUser:     {kind: User},
	dialect.ArgPassword:       {kind: Password},
	dialect.ArgBearerPassword: {kind: Password},
	dialect.ArgDeviceSecret:   {kind: DeviceSecret},
	dialect.ArgSSID:           {kind: SSID},
	dialect.ArgWiFiPassword:   {kind: WiFiPassword},
	dialect.ArgPIN:            {kind: PIN},
}

// secretRole is the role of a secret that ar names, if it names one.
func secretRole(ar dialect.ArgRole) (role, bool) {
	if int(ar) >= len(kindOf) || kindOf[ar].kind == "" {
		return role{}, false
	}
	return kindOf[ar], true
}

// rolesOf returns the role of each argument of a command (answer false)
// or a read-back (answer true), from the dialects' tables, given its
// arguments as written (quotes kept).
//
// Where a line quotes its strings, a bare value in a string's place is not
// that string: the numbers of a mistyped AT+QMTCONN=0,"id",60,0,1 are no
// user and password. A read-back is read for names only, and only in
// quotes: its layout may differ from the command's (a Wi-Fi join's answer
// holds the access point's MAC where the command has the password).
//
// out is scratch space for the result; a command none of whose arguments
// can hold a secret (most of a log's) gives an empty one.
func rolesOf(name string, args []string, answer bool, out []role) []role {
	roles := dialect.ArgRoles(name, args)
	if !anySecretRole(roles[:min(len(roles), len(args))]) {
		return out[:0]
	}
	out = slices.Grow(out[:0], len(args))[:len(args)]
	clear(out)
	quotes := false
	for _, a := range args {
		quotes = quotes || isQuoted(a)
	}
	for i, ar := range roles {
		if i >= len(args) {
			break
		}
		ro, ok := secretRole(ar)
		switch {
		case !ok:
		case answer && (ar.Secret() || !isQuoted(args[i])):
		case quotes && !isQuoted(args[i]) && ar != dialect.ArgPIN && ar != dialect.ArgHost:
		default:
			out[i] = ro
		}
	}
	return out
}

// anySecretRole reports whether one of roles names a kind of secret.
func anySecretRole(roles []dialect.ArgRole) bool {
	for _, ar := range roles {
		if _, ok := secretRole(ar); ok {
			return true
		}
	}
	return false
}

// argRoles is rolesOf for the arguments args found in text, in the
// redactor's scratch space: valid until its next call.
func (r *Redactor) argRoles(name string, answer bool, args []argSpan) []role {
	raw := r.scratch.raw[:0]
	for _, a := range args {
		raw = append(raw, strings.TrimSpace(a.raw))
	}
	r.scratch.raw = raw
	r.scratch.roles = rolesOf(name, raw, answer, r.scratch.roles)
	return r.scratch.roles
}

// promptedKind is the credential that the bytes after the prompt of
// command name carry, "" if none (ESP-AT's long user name and password).
func promptedKind(name string) Kind { return promptedKinds[name] }

// promptedKinds maps the commands whose prompted bytes carry a credential
// to its kind, from the first dialect (by name) whose row says so: looked
// up at every command of a log.
var promptedKinds = func() map[string]Kind {
	out := map[string]Kind{}
	for _, d := range dialect.All() {
		for i := range d.Facts.Commands {
			name := d.Facts.Commands[i].Name
			c, _ := d.Facts.Command(name) // the row a lookup finds: the first of its name
			if _, done := out[name]; done || c.Data == dialect.ArgOther {
				continue
			}
			if ro, ok := secretRole(c.Data); ok {
				out[name] = ro.kind
			}
		}
	}
	return out
}()

// identityKind is the kind of secret that answers an identity command
// of the dialects' table; "" for ATI (a product listing that may hold the
// IMEI). ok is false for any other command.
func identityKind(name string) (k Kind, ok bool) {
	id, ok := dialect.IdentityOf(name)
	return identityKinds[id], ok
}

var identityKinds = map[dialect.Identity]Kind{
	dialect.IdentityIMEI: IMEI, dialect.IdentityIMSI: IMSI, dialect.IdentityICCID: ICCID,
}

// imsiCommands are the typed commands ("AT+CIMI") whose answer is an
// IMSI, to find in any text.
var imsiCommands = func() []string {
	var out []string
	for _, name := range dialect.IdentityCommands(dialect.IdentityIMSI) {
		out = append(out, "AT"+name)
	}
	return out
}()

// escaped reports whether a string uses ESP-AT style escapes (\, \" \\),
// so that its unescaped spelling is hidden too.
func escaped(v string) bool {
	return strings.Contains(v, `\`)
}
