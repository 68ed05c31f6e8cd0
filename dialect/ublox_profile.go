package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
)

// ubloxProfile is what AT+UMQTT has set [§7.2].
type ubloxProfile struct {
	clientID, host, user, password string
	port                           int
	secure                         bool
	keepalive                      int
	clean                          *bool
	willQoS, willRetain            int
	willTopic, willMsg             string
	will                           bool
	notes                          []string // rejected settings, for the next login
}

// profile keeps an AT+UMQTT setting for the next login [§7.2].
func (u *ubloxMachine) profile(ev *decode.Event, emit func(*Op)) {
	if ev.Form != decode.FormWrite {
		return
	}
	text := strings.TrimSpace(ev.Args)
	if strings.HasSuffix(text, "?") {
		u.setSyntax(ubloxSyntaxOld, "AT+UMQTT=<op>? is the old SARA-R4 read form", emit)
		return
	}
	args := splitArgs(text, 0)
	if len(args) < 2 {
		return // a new-syntax read: AT+UMQTT=<op>
	}
	u.before = u.prof
	p := &u.prof
	switch intArg(args, 0, -1) {
	case 0:
		p.clientID = strArg(args, 1)
	case 2, 3:
		p.host, p.port = strArg(args, 1), intArg(args, 2, 0)
	case 4:
		p.user, p.password = strArg(args, 1), strArg(args, 2)
	case 6:
		p.willQoS, p.will = intArg(args, 1, 0), true
	case 7:
		p.willRetain, p.will = intArg(args, 1, 0), true
	case 8:
		p.willTopic, p.will = strArg(args, 1), true
	case 9:
		p.willMsg, p.will = strArg(args, 1), true
	case 10:
		p.keepalive = intArg(args, 1, -1)
	case 11:
		p.secure = intArg(args, 1, 0) == 1
	case 12:
		clean := intArg(args, 1, 1) == 1
		p.clean = &clean
	}
}

// profileLine reads +UMQTT: <op>,<result> (write) or <op>,<value> (read).
func (u *ubloxMachine) profileLine(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	c := u.cmd
	if c == nil || c.ev.Name != "+UMQTT" || len(args) < 2 {
		return
	}
	if len(splitArgs(c.ev.Args, 0)) < 2 {
		if isQuoted(args[1]) {
			u.setSyntax(ubloxSyntaxNew, "AT+UMQTT=<op> reads the value back (new syntax)", emit)
		}
		if u.syntax != ubloxSyntaxOld {
			u.readBack(intArg(args, 0, -1), args[1:])
		}
		return
	}
	if strArg(args, 1) == "0" {
		u.rejectSetting()
		u.prof.notes = append(u.prof.notes, fmt.Sprintf("AT+UMQTT=%s was rejected (+UMQTT: %s,0, line %d)", strArg(args, 0), strArg(args, 0), ev.Pos.Line))
	}
}

// readBack keeps a profile value the module read back: new syntax
// +UMQTT: <op>,<value>, old syntax +UUMQTT<op>: <value> [§7.2]. A value
// may be missing when it is still at its default.
func (u *ubloxMachine) readBack(op int, v []string) {
	if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
		return
	}
	p := &u.prof
	switch op {
	case 0:
		p.clientID = strArg(v, 0)
	case 2, 3:
		p.host, p.port = strArg(v, 0), intArg(v, 1, p.port)
	case 10:
		p.keepalive = intArg(v, 0, p.keepalive)
	case 11:
		p.secure = intArg(v, 0, 0) == 1
	case 12:
		clean := intArg(v, 0, 1) == 1
		p.clean = &clean
	}
}

// rejectSetting undoes the pending AT+UMQTT setting, which the module
// refused.
func (u *ubloxMachine) rejectSetting() {
	notes := u.prof.notes
	u.prof = u.before
	u.prof.notes = notes
}
