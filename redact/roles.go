package redact

import "strings"

// Where the secrets are: the argument positions of the commands that carry
// them, per vendor (../shared/dialects.md §2.2, §2.4, §3.2, §4.2, §5.2, §6.2,
// §7.2, §8.3; 3GPP TS 27.007 for the bearer and SIM commands; the Tencent
// IoT AT set). Positions count from 0 after the "=". This table moves to
// the dialects' argument roles (issue 13) once they carry secrets.
var argSecrets = map[string][]Kind{
	// Quectel: AT+QMTCONN=<idx>,"<client id>"[,"<user>","<password>"]
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

// answerSecrets are the read-backs that show credentials again, by the
// position of each value after ": ". An answer not listed here is not
// read for credentials (+CWJAP: "<ssid>","<bssid>",... carries none).
var answerSecrets = map[string][]Kind{
	"+MQTTUSERCFG": {"", "", ClientID, User, Password},
	"+CWJAP":       {SSID},
	"+CWJAP_CUR":   {SSID},
	"+CWJAP_DEF":   {SSID},
}

// role is what one argument of a command holds.
type role struct {
	kind Kind
	url  bool // "tcp://host:port": only the host is the secret
}

// rolesOf returns the role of each argument of a command (answer false)
// or a read-back (answer true), given its unquoted arguments; "" for an
// argument that holds no secret.
func rolesOf(name string, args []string, answer bool) []role {
	get := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	out := make([]role, len(args))
	set := func(i int, k Kind) {
		if i < len(out) {
			out[i].kind = k
		}
	}
	if answer {
		return answerRoles(name, args, out, set)
	}
	switch name {
	case "+QMTCONN":
		set(1, ClientID)
		// User and password are strings: the numbers of the BC26 long form
		// (<keepalive>,<clean>,<will>...) and of mistyped lines stand there too.
		for i := 2; i <= 3; i++ {
			if isQuoted(get(i)) {
				set(i, []Kind{2: User, 3: Password}[i])
			}
		}
	case "+QMTCFG":
		qmtcfgRoles(strings.ToLower(unquote(get(0))), set)
	case "+QMTOPEN":
		// A BC26-style extra protocol argument moves the host.
		if v := unquote(get(1)); strings.EqualFold(v, "tcp") || strings.EqualFold(v, "udp") {
			set(2, Host)
		} else {
			set(1, Host)
		}
	case "+SMCONF": // "<ITEM>",<value>
		switch strings.ToUpper(unquote(get(0))) {
		case "URL":
			if len(out) > 1 {
				out[1] = role{kind: Host, url: true}
			}
		case "CLIENTID":
			set(1, ClientID)
		case "USERNAME":
			set(1, User)
		case "PASSWORD":
			set(1, Password)
		}
	case "+UMQTT": // <op>,<values>
		umqttRoles(unquote(get(0)), set)
	case "+CMQTTCONNECT": // <idx>,"tcp://host:port",<keepalive>,<clean>,"<user>","<password>"
		if len(out) > 1 {
			out[1] = role{kind: Host, url: true}
		}
		set(4, User)
		set(5, Password)
	case "#XMQTTCON": // <op>[,"<client id>"],"<user>","<password>","<url>",<port>
		xmqttconRoles(args, set)
	case "+SAPBR": // 3,1,"USER","..." / "PWD","..."
		if p := unquote(get(2)); strings.EqualFold(p, "USER") {
			set(3, User)
		} else if strings.EqualFold(p, "PWD") {
			set(3, Password)
		}
	default:
		for i, k := range argSecrets[name] {
			set(i, k)
		}
	}
	return out
}

// answerRoles are the roles of a read-back's values.
func answerRoles(name string, args []string, out []role, set func(int, Kind)) []role {
	quotedAt := func(i int) bool { return i < len(args) && isQuoted(args[i]) }
	switch name {
	case "+UMQTT", "#XMQTTCFG":
		// read-backs quote their strings; "+UMQTT: 4,1" is a write result
		if quotedAt(0) || quotedAt(1) {
			return rolesOf(name, args, false)
		}
	case "#XMQTTCON":
		r := rolesOf(name, append([]string{"1"}, args...), false)
		return r[1:]
	case "+CWJAP", "+CWJAP_CUR", "+CWJAP_DEF":
		if quotedAt(0) {
			set(0, SSID)
		}
	default:
		for i, k := range answerSecrets[name] {
			set(i, k)
		}
	}
	return out
}

func qmtcfgRoles(item string, set func(int, Kind)) {
	switch item {
	case "aliauth": // "aliauth",<idx>,"<product key>","<device name>","<device secret>"
		set(2, User)
		set(3, User)
		set(4, DeviceSecret)
	case "onenet", "hwauth": // "onenet",<idx>,"<product id>","<access key>"; "hwauth",<idx>,"<device id>","<device secret>"
		set(2, User)
		set(3, DeviceSecret)
	case "hwprodid": // "hwprodid",<idx>,"<product id>","<product secret>","<node id>"
		set(2, User)
		set(3, DeviceSecret)
		set(4, User)
	case "ctwing": // "CTWing",<idx>,"<client id>","<feature string>"
		set(2, ClientID)
		set(3, DeviceSecret)
	}
}

func umqttRoles(op string, set func(int, Kind)) {
	switch op {
	case "0":
		set(1, ClientID)
	case "2", "3":
		set(1, Host)
	case "4":
		set(1, User)
		set(2, Password)
	}
}

func xmqttconRoles(args []string, set func(int, Kind)) {
	var strs []int
	for i := 1; i < len(args); i++ {
		if isQuoted(args[i]) {
			strs = append(strs, i)
		}
	}
	kinds := []Kind{User, Password, Host}
	if len(strs) >= 4 {
		kinds = []Kind{ClientID, User, Password, Host}
	}
	for j, i := range strs {
		if j < len(kinds) {
			set(i, kinds[j])
		}
	}
}

// identityCommands answer with the module's or the SIM's numbers.
var identityCommands = map[string]Kind{
	"+CGSN": IMEI, "+GSN": IMEI, "+QGSN": IMEI, "+EGMR": IMEI, "I": "",
	"+CIMI": IMSI, "+QCIMI": IMSI,
	"+QCCID": ICCID, "+CCID": ICCID, "+ICCID": ICCID, "+ZGETICCID": ICCID, "+CICCID": ICCID,
}

// longCredential names the ESP-AT commands whose payload after the prompt
// is a credential.
var longCredential = map[string]Kind{
	"+MQTTLONGCLIENTID": ClientID,
	"+MQTTLONGUSERNAME": User,
	"+MQTTLONGPASSWORD": Password,
}

// espEscaped lists the commands whose strings use ESP-AT's escapes (\, \" \\).
func espEscaped(name string) bool {
	return strings.HasPrefix(name, "+MQTT") || strings.HasPrefix(name, "+CWJAP") || strings.HasPrefix(name, "+CWSAP")
}
