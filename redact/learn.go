package redact

import (
	"strconv"
	"strings"

	"atscope/decode"
)

// Where the secrets are: the argument positions of the commands that carry
// them, per vendor (../shared/dialects.md §2.2, §2.4, §3.2, §4.2, §5.2, §6.2,
// §7.2, §8.3; 3GPP TS 27.007 for the bearer and SIM commands; the Tencent
// IoT AT set). Positions count from 0 after the "=".
var argSecrets = map[string][]Kind{
	// Quectel
	"+QMTCONN": {"", ClientID, User, Password},
	// Luat: AT+MCONFIG=<clientid>,<user>,<password>[,<will...>]
	"+MCONFIG": {ClientID, User, Password},
	// ESP-AT
	"+MQTTUSERCFG":  {"", "", ClientID, User, Password},
	"+MQTTCLIENTID": {"", ClientID},
	"+MQTTUSERNAME": {"", User},
	"+MQTTPASSWORD": {"", Password},
	"+MQTTCONN":     {"", Host},
	"+MQTTSNI":      {"", Host},
	"+CWJAP":        {SSID, WiFiPassword},
	"+CWJAP_CUR":    {SSID, WiFiPassword},
	"+CWJAP_DEF":    {SSID, WiFiPassword},
	"+CWSAP":        {SSID, WiFiPassword},
	"+CWSAP_CUR":    {SSID, WiFiPassword},
	"+CWSAP_DEF":    {SSID, WiFiPassword},
	// ESP8266 third-party AT+CIPMQTTCFG="host",port,"id","user","?","password",...
	"+CIPMQTTCFG": {Host, "", ClientID, User, DeviceSecret, Password},
	// SIMCom CMQTT
	"+CMQTTACCQ": {"", ClientID},
	// Luat, TCP open
	"+MIPSTART":    {Host},
	"+SSLMIPSTART": {Host},
	"+QMTOPEN":     {"", Host},
	// Nordic SLM
	"#XMQTTCFG": {ClientID},
	// Tencent: AT+TCDEVINFOSET=<tls>,"<product id>","<device name>","<device secret>"
	"+TCDEVINFOSET": {"", User, User, DeviceSecret},
	// AT+TCPRDINFOSET=<tls>,"<product id>","<product secret>","<device name>"
	"+TCPRDINFOSET": {"", User, DeviceSecret, User},
	"+TCMQTTSRV":    {Host},
	// Bearer credentials: Quectel AT+QICSGP=<cid>,<type>,"<apn>","<user>","<password>"
	"+QICSGP": {"", "", "", User, Password},
	// 3GPP AT+CGAUTH=<cid>,<auth_prot>,"<user>","<password>"
	"+CGAUTH": {"", "", User, Password},
	// SIMCom AT+CSTT="<apn>","<user>","<password>"; SIM7080 AT+CNCFG=<pdpidx>,<type>,"<apn>","<user>","<password>"
	"+CSTT":  {"", User, Password},
	"+CNCFG": {"", "", "", User, Password},
	// SIM PIN: AT+CPIN=<pin>[,<new pin>]; AT+CPWD="<fac>","<old>","<new>"; AT+CLCK="<fac>",<mode>,"<passwd>"
	"+CPIN": {PIN, PIN},
	"+CPWD": {"", PIN, PIN},
	"+CLCK": {"", "", PIN},
}

// identityCommands answer with the module's or the SIM's numbers.
var identityCommands = map[string]Kind{
	"+CGSN": IMEI, "+GSN": IMEI, "+QGSN": IMEI, "+EGMR": IMEI, "I": "",
	"+CIMI": IMSI, "+QCIMI": IMSI,
	"+QCCID": ICCID, "+CCID": ICCID, "+ICCID": ICCID, "+ZGETICCID": ICCID, "+CICCID": ICCID,
}

// espEscaped lists the commands whose strings use ESP-AT's escapes (\, \" \\).
func espEscaped(name string) bool {
	return strings.HasPrefix(name, "+MQTT") || strings.HasPrefix(name, "+CWJAP") || strings.HasPrefix(name, "+CWSAP")
}

// LearnEvent learns the secrets an event shows. Feed it every event of a
// log in order (a first pass over the log) before rewriting anything, so
// that a secret is known wherever it shows, even before its command.
func (r *Redactor) LearnEvent(ev *decode.Event) {
	if r == nil {
		return
	}
	line := ev.Pos.Line
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		r.prompted = ""
		r.identity = ""
		if k, ok := identityCommands[ev.Name]; ok && ev.Form != decode.FormTest {
			r.identity = string(k)
			if k == "" {
				r.identity = "I"
			}
		}
		if ev.Form == decode.FormWrite {
			r.command(ev.Name, ev.Args, line)
		}
		switch ev.Name {
		case "+MQTTLONGCLIENTID":
			r.prompted = ClientID
		case "+MQTTLONGUSERNAME":
			r.prompted = User
		case "+MQTTLONGPASSWORD":
			r.prompted = Password
		}
	case decode.KindData:
		if r.prompted != "" {
			r.Add(ev.Text, r.prompted, line)
			r.prompted = ""
		}
	case decode.KindResponse, decode.KindURC, decode.KindText:
		r.answer(ev)
	case decode.KindResult:
		r.identity = ""
	}
}

// command learns from a write command's arguments.
func (r *Redactor) command(name, args string, line int) {
	a := splitArgs(args)
	get := func(i int) (string, bool) {
		if i >= len(a) {
			return "", false
		}
		return unquote(a[i]), true
	}
	learn := func(i int, k Kind) {
		v, ok := get(i)
		if !ok {
			return
		}
		if k == User && isIMEI(v) {
			k = IMEI
		}
		if ph := r.Add(v, k, line); ph != "" && espEscaped(name) {
			if u := espUnescape(v); u != v {
				r.alias(u, v)
			}
		}
	}
	switch name {
	case "+QMTCFG":
		item, _ := get(0)
		switch strings.ToLower(item) {
		case "aliauth": // "aliauth",<idx>,"<product key>","<device name>","<device secret>"
			learn(2, User)
			learn(3, User)
			learn(4, DeviceSecret)
		case "onenet": // "onenet",<idx>,"<product id>","<access key>"
			learn(2, User)
			learn(3, DeviceSecret)
		case "hwauth": // "hwauth",<idx>,"<device id>","<device secret>"
			learn(2, User)
			learn(3, DeviceSecret)
		case "hwprodid": // "hwprodid",<idx>,"<product id>","<product secret>","<node id>"
			learn(2, User)
			learn(3, DeviceSecret)
			learn(4, User)
		case "ctwing": // "CTWing",<idx>,"<client id>","<feature string>"
			learn(2, ClientID)
			learn(3, DeviceSecret)
		}
	case "+QMTOPEN":
		// A BC26-style extra protocol argument moves the host.
		if v, _ := get(1); strings.EqualFold(v, "tcp") || strings.EqualFold(v, "udp") {
			learn(2, Host)
		} else {
			learn(1, Host)
		}
	case "+SMCONF": // "<ITEM>",<value>
		item, _ := get(0)
		switch strings.ToUpper(item) {
		case "URL":
			v, _ := get(1)
			learn(1, Host)
			if h := hostOfURL(v); h != v {
				r.Add(h, Host, line)
			}
		case "CLIENTID":
			learn(1, ClientID)
		case "USERNAME":
			learn(1, User)
		case "PASSWORD":
			learn(1, Password)
		}
	case "+UMQTT": // <op>,<values>
		op, _ := get(0)
		switch op {
		case "0":
			learn(1, ClientID)
		case "2", "3":
			learn(1, Host)
		case "4":
			learn(1, User)
			learn(2, Password)
		}
	case "+CMQTTCONNECT": // <idx>,"tcp://host:port",<keepalive>,<clean>,"<user>","<password>"
		if v, ok := get(1); ok {
			r.Add(hostOfURL(v), Host, line)
		}
		learn(4, User)
		learn(5, Password)
	case "#XMQTTCON": // <op>[,"<client id>"],"<user>","<password>","<url>",<port>
		var strs []int
		for i := 1; i < len(a); i++ {
			if isQuoted(a[i]) {
				strs = append(strs, i)
			}
		}
		kinds := []Kind{User, Password, Host}
		if len(strs) >= 4 {
			kinds = []Kind{ClientID, User, Password, Host}
		}
		for j, i := range strs {
			if j < len(kinds) {
				learn(i, kinds[j])
			}
		}
	case "+SAPBR": // 3,1,"USER","..." / "PWD","..."
		if p, _ := get(2); strings.EqualFold(p, "USER") {
			learn(3, User)
		} else if strings.EqualFold(p, "PWD") {
			learn(3, Password)
		}
	default:
		for i, k := range argSecrets[name] {
			if k != "" {
				learn(i, k)
			}
		}
	}
}

// answer learns from responses: identity numbers, and credentials read back
// (AT+MQTTUSERCFG?, AT+UMQTT=4, AT#XMQTTCON?).
func (r *Redactor) answer(ev *decode.Event) {
	line := ev.Pos.Line
	name := ev.Name
	switch name {
	case "+CGSN", "+GSN", "+QGSN", "+EGMR":
		r.numbers(ev.Args, IMEI, line)
		return
	case "+CIMI", "+QCIMI":
		r.numbers(ev.Args, IMSI, line)
		return
	case "+QCCID", "+CCID", "+ICCID", "+ZGETICCID", "+CICCID":
		r.numbers(ev.Args, ICCID, line)
		return
	case "+MQTTUSERCFG":
		r.command(name, ev.Args, line)
		return
	case "+UMQTT", "#XMQTTCFG":
		// read-backs quote their strings; "+UMQTT: 4,1" is a write result
		if a := splitArgs(ev.Args); len(a) > 0 && (isQuoted(a[0]) || len(a) > 1 && isQuoted(a[1])) {
			r.command(name, ev.Args, line)
		}
		return
	case "#XMQTTCON":
		r.command(name, "1,"+ev.Args, line)
		return
	case "+CWJAP":
		if strings.HasPrefix(strings.TrimSpace(ev.Args), `"`) {
			r.command(name, ev.Args, line)
		}
		return
	}
	if r.identity != "" && ev.Kind != decode.KindURC {
		k := Kind(r.identity)
		if r.identity == "I" {
			k = IMEI // ATI lists the IMEI on some modules
		}
		r.numbers(ev.Text, k, line)
	}
	if u := strings.ToUpper(ev.Text); strings.Contains(u, "IMEI") {
		r.numbers(ev.Text, IMEI, line)
	} else if strings.Contains(u, "ICCID") {
		r.numbers(ev.Text, ICCID, line)
	} else if strings.Contains(u, "IMSI") {
		r.numbers(ev.Text, IMSI, line)
	}
}

// numbers learns the long digit runs of s (an ICCID may end in F).
func (r *Redactor) numbers(s string, k Kind, line int) {
	start := -1
	for i := 0; i <= len(s); i++ {
		digit := i < len(s) && (s[i] >= '0' && s[i] <= '9' || k == ICCID && start >= 0 && (s[i] == 'F' || s[i] == 'f'))
		if digit && start < 0 {
			start = i
		}
		if !digit && start >= 0 {
			if n := i - start; n >= 14 && n <= 22 {
				kind := k
				if k == IMEI && n != 15 {
					kind = ICCID // a long number after AT+CGSN is not an IMEI; still hide it
					if n < 17 {
						kind = IMEI
					}
				}
				r.Add(s[start:i], kind, line)
			}
			start = -1
		}
	}
}

// hostOfURL takes the host from "tcp://host:port" (or "host:port").
func hostOfURL(v string) string {
	h := v
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[:i], ":") {
		if _, err := strconv.Atoi(h[i+1:]); err == nil {
			h = h[:i]
		}
	}
	return h
}

// splitArgs splits AT arguments at commas outside double quotes (ASCII or
// curly), keeping the quotes. ESP-AT's escaped comma (\,) does not split.
func splitArgs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
		case c == '"':
			quoted = !quoted
		case strings.HasPrefix(s[i:], "“") || strings.HasPrefix(s[i:], "”"):
			quoted = !quoted
			i += len("“") - 1
		case c == ',' && !quoted:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func isQuoted(s string) bool {
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' ||
		strings.HasPrefix(s, "“") && strings.HasSuffix(s, "”") && len(s) >= 6
}

// unquote strips one pair of quotes, ASCII or curly.
func unquote(s string) string {
	switch {
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		return s[1 : len(s)-1]
	case len(s) >= 6 && strings.HasPrefix(s, "“") && strings.HasSuffix(s, "”"):
		return s[len("“") : len(s)-len("”")]
	}
	return s
}

// espUnescape undoes ESP-AT's string escapes: \, \" \\.
func espUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
