package loggen

import (
	"fmt"
	"strings"

	"atscope/dialect"
)

// args are the values of a command's arguments by role.
type args map[dialect.ArgRole]string

// at renders the write form of command name with its arguments in the
// order its dialect's table gives their roles (dialect.ArgRoles): the
// table, not the script, says where each value goes. The list ends at the
// first role without a value. It panics on a command no table has, a
// programming error in a script.
func at(name string, vals args) string {
	roles := dialect.ArgRoles(name, nil)
	if roles == nil {
		panic("loggen: no dialect table has " + name)
	}
	var b strings.Builder
	b.WriteString("AT" + name + "=")
	for i, r := range roles {
		v, ok := vals[r]
		if !ok {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v)
	}
	return b.String()
}

// urc renders a module line "<name>: <field>,<field>...".
func urc(name string, fields ...any) string {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = fmt.Sprint(f)
	}
	return name + ": " + strings.Join(s, ",")
}

// quoted puts s in double quotes, as AT string arguments are written.
func quoted(s string) string { return `"` + s + `"` }
