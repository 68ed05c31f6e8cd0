package redact

import (
	"strings"

	"atscope/dialect"
)

// role is what one argument of a command holds.
type role struct {
	kind Kind
	url  bool // "tcp://host:port": only the host is the secret
}

// kindOf maps the dialects' argument roles to the kinds of secret.
var kindOf = map[dialect.ArgRole]role{
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

// rolesOf returns the role of each argument of a command (answer false)
// or a read-back (answer true), from the dialects' tables, given its
// arguments as written (quotes kept).
//
// Where a line quotes its strings, a bare value in a string's place is not
// that string: the numbers of a mistyped AT+QMTCONN=0,"id",60,0,1 are no
// user and password. A read-back is read for names only, and only in
// quotes: its layout may differ from the command's (a Wi-Fi join's answer
// holds the access point's MAC where the command has the password).
func rolesOf(name string, args []string, answer bool) []role {
	out := make([]role, len(args))
	quotes := false
	for _, a := range args {
		quotes = quotes || isQuoted(a)
	}
	for i, ar := range dialect.ArgRoles(name, args) {
		if i >= len(args) {
			break
		}
		ro, ok := kindOf[ar]
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

// promptedKind is the credential that the bytes after the prompt of
// command name carry, "" if none (ESP-AT's long user name and password).
func promptedKind(name string) Kind {
	for _, d := range dialect.All() {
		if c, ok := d.Facts.Command(name); ok && c.Data != dialect.ArgOther {
			if ro, ok := kindOf[c.Data]; ok {
				return ro.kind
			}
		}
	}
	return ""
}

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
