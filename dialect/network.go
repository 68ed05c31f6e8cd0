package dialect

import (
	"slices"
	"strconv"
	"strings"

	"atscope/decode"
)

// The module's network, as 3GPP TS 27.007 and the vendors' TCP/IP command
// sets describe it: which commands bring packet data up or down, power the
// radio or the module off, or restart it; which lines report registration,
// access technology and bearer changes. Facts as data, for consumers that
// must not name commands (diagnose). MQTT commands are not here: they live
// in their dialect's table.

// NetAction is what a command does to the module's network once the module
// accepts it.
type NetAction uint8

const (
	NetNone       NetAction = iota
	NetActivate             // a packet data context or bearer comes up
	NetDeactivate           // the host takes a context or its sockets down
	NetDetach               // the host detaches from the packet domain or deregisters
	NetRadioOff             // the radio is switched off (minimum or flight mode)
	NetPowerOff             // the module powers down
	NetReset                // the module restarts
	NetWifiJoin             // the host joins a Wi-Fi network
	NetWifiLeave            // the host leaves the Wi-Fi network
)

var netActionNames = [...]string{NetNone: "none", NetActivate: "activate", NetDeactivate: "deactivate",
	NetDetach: "detach", NetRadioOff: "radio off", NetPowerOff: "power off", NetReset: "reset",
	NetWifiJoin: "wifi join", NetWifiLeave: "wifi leave"}

func (a NetAction) String() string {
	if int(a) < len(netActionNames) {
		return netActionNames[a]
	}
	return "net action " + strconv.Itoa(int(a))
}

// Down reports an action that takes the network (or the whole module)
// down: a link lost after it was the host's doing.
func (a NetAction) Down() bool {
	return a == NetDeactivate || a == NetDetach || a == NetRadioOff || a == NetPowerOff || a == NetReset || a == NetWifiLeave
}

// netCommand is one row of the network command table: the action of a
// command by its form and first argument. args maps a first argument (as
// written, spaces removed) to an action; "" is any argument.
type netCommand struct {
	exec  NetAction            // the execute form (no arguments)
	write map[string]NetAction // the write form, by the first argument; "*" any
	// last says the action depends on the last argument instead of the first
	// (AT+CNACT=<pdpidx>,<action>).
	last bool
}

// netCommands: 27.007 §8.2 (+CFUN), §7.3 (+COPS), §10.1.9-10 (+CGATT,
// +CGACT), V.250 §6.1.1 (Z); Quectel TCP/IP AT manual §2.1 (+QIACT,
// +QIDEACT), Quectel +QPOWD and +QRST; SIMCom TCP/IP (+CIICR, +CIPSHUT,
// +NETOPEN, +NETCLOSE, +CNACT, +SAPBR, +CPOWD, +CRESET); ESP-AT (+RST,
// +CWJAP, +CWQAP); u-blox (+UPSDA, +CPWROFF); Nordic (+RESET via #XRESET is
// SLM's, not here).
var netCommands = map[string]netCommand{
	"+CFUN":     {write: map[string]NetAction{"0": NetRadioOff, "4": NetRadioOff, "1,1": NetReset, "15": NetReset}},
	"+COPS":     {write: map[string]NetAction{"2": NetDetach}},
	"+CGATT":    {write: map[string]NetAction{"0": NetDetach}},
	"+CGACT":    {write: map[string]NetAction{"1": NetActivate, "0": NetDeactivate}},
	"+QIACT":    {write: map[string]NetAction{"*": NetActivate}},
	"+QIDEACT":  {write: map[string]NetAction{"*": NetDeactivate}, exec: NetDeactivate},
	"+CNACT":    {write: map[string]NetAction{"1": NetActivate, "0": NetDeactivate}, last: true},
	"+SAPBR":    {write: map[string]NetAction{"1": NetActivate, "0": NetDeactivate}},
	"+NETOPEN":  {exec: NetActivate},
	"+NETCLOSE": {exec: NetDeactivate},
	"+CIICR":    {exec: NetActivate},
	"+CIPSHUT":  {exec: NetDeactivate},
	"+UPSDA":    {write: map[string]NetAction{"3": NetActivate, "4": NetDeactivate}, last: true},
	"+QPOWD":    {exec: NetPowerOff, write: map[string]NetAction{"*": NetPowerOff}},
	"+CPOWD":    {exec: NetPowerOff, write: map[string]NetAction{"*": NetPowerOff}},
	"+CPWROFF":  {exec: NetPowerOff},
	"+QRST":     {exec: NetReset, write: map[string]NetAction{"*": NetReset}},
	"+CRESET":   {exec: NetReset},
	"+RST":      {exec: NetReset},
	"+RESET":    {exec: NetReset},
	"+NRB":      {exec: NetReset},
	"+SRST":     {exec: NetReset},
	"Z":         {exec: NetReset, write: map[string]NetAction{"*": NetReset}},
	"+CWJAP":    {write: map[string]NetAction{"*": NetWifiJoin}},
	"+CWQAP":    {exec: NetWifiLeave},
}

// CommandNetAction says what command name (as the tokenizer names it,
// "+CFUN") in form with args does to the network once accepted.
func CommandNetAction(name string, form decode.Form, args string) NetAction {
	c, ok := netCommands[strings.ToUpper(name)]
	if !ok {
		return NetNone
	}
	if form == decode.FormExec || form == decode.FormNone && args == "" {
		return c.exec
	}
	if form != decode.FormWrite && form != decode.FormNone {
		return NetNone
	}
	a := strings.ReplaceAll(args, " ", "")
	if act, ok := c.write[a]; ok {
		return act // a whole argument list the table names ("1,1")
	}
	key := a
	if i := strings.IndexByte(a, ','); i >= 0 {
		key = a[:i]
		if c.last {
			key = a[strings.LastIndexByte(a, ',')+1:]
		}
	}
	if act, ok := c.write[key]; ok {
		return act
	}
	return c.write["*"]
}

// ContextListing says whether a read command lists the active packet data
// contexts (AT+QIACT?, AT+CGACT?): answered OK with no active one listed,
// no context is up [27.007 §10.1.10; Quectel TCP/IP §2.1.3].
func ContextListing(name string, form decode.Form) bool {
	return form == decode.FormRead && (name == "+QIACT" || name == "+CGACT")
}

// socketSuccess are the success words of the TCP/IP socket families
// [SIMCom TCP/IP AT manual: SEND OK, SHUT OK, CLOSE OK, CONNECT OK, DATA
// ACCEPT; Quectel TCP/IP: SEND OK; V.250 §6.3.8: CONNECT].
var socketSuccess = []string{"SEND OK", "SHUT OK", "CLOSE OK", "CONNECT OK", "DATA ACCEPT", "CONNECT"}

// SuccessResult reports a final result that means the command succeeded:
// OK [V.250 §5.7.1], a socket family's success word, or one a dialect's
// table lists (Facts.Success).
func SuccessResult(name string) bool {
	if name == "OK" || slices.Contains(socketSuccess, name) {
		return true
	}
	for _, d := range All() {
		if slices.Contains(d.Facts.Success, name) {
			return true
		}
	}
	return false
}

// Bearer is a change of the packet data bearer that a module line reports.
type Bearer uint8

const (
	BearerSame    Bearer = iota // the line says nothing about the bearer
	BearerUp                    // a context, bearer or Wi-Fi station is up
	BearerDown                  // it is down; the line does not say who took it down
	BearerDownNet               // the network took it down
)

// BearerReport reads what a response, URC or text line says about packet
// data or Wi-Fi: +CGEV [27.007 §10.1.19], +QIACT/+CGACT listings, +CGATT,
// +CNACT, +APP PDP and +SAPBR (SIMCom), +QIURC "pdpdeact" (Quectel), +IP,
// and ESP-AT's WIFI GOT IP / WIFI DISCONNECT and +CWJAP:<error>.
func BearerReport(ev *decode.Event) Bearer {
	args := netArgs(ev.Args)
	resp := ev.Kind == decode.KindResponse
	switch name := ev.Name; {
	case name == "+CGEV":
		a := strings.ToUpper(ev.Args)
		switch {
		case strings.Contains(a, "NW") && (strings.Contains(a, "DEACT") || strings.Contains(a, "DETACH")):
			return BearerDownNet
		case strings.Contains(a, "DEACT") || strings.Contains(a, "DETACH"):
			return BearerDown
		case strings.Contains(a, "ACT"):
			return BearerUp
		}
	case name == "+QIURC":
		if strings.Contains(strings.ToLower(ev.Args), "pdpdeact") {
			return BearerDownNet
		}
	case (name == "+QIACT" || name == "+CGACT") && resp:
		if netInt(args, 1) == 1 {
			return BearerUp
		}
	case name == "+CGATT" && resp:
		if netInt(args, 0) == 0 {
			return BearerDown
		}
	case name == "+CNACT":
		if netInt(args, 1) == 1 {
			return BearerUp
		}
	case name == "+APP PDP" || name == "+APP":
		a := strings.ToUpper(ev.Args)
		if strings.Contains(a, "DEACTIVE") {
			return BearerDown
		} else if strings.Contains(a, "ACTIVE") {
			return BearerUp
		}
	case name == "+SAPBR" && resp:
		switch netInt(args, 1) {
		case 1:
			return BearerUp
		case 3:
			return BearerDown
		}
	case name == "+IP":
		return BearerUp
	case ev.Text == "WIFI GOT IP" || name == "WIFI GOT IP":
		return BearerUp
	case ev.Text == "WIFI DISCONNECT" || name == "WIFI DISCONNECT":
		return BearerDown
	case name == "+CWJAP" && len(args) == 1 && netInt(args, 0) >= 1 && netInt(args, 0) <= 4:
		return BearerDown // +CWJAP:<error code> before FAIL
	}
	return BearerSame
}

// WifiReport reports a bearer line that is about Wi-Fi, not cellular data.
func WifiReport(ev *decode.Event) bool {
	return ev.Text == "WIFI GOT IP" || ev.Name == "WIFI GOT IP" || ev.Text == "WIFI DISCONNECT" ||
		ev.Name == "WIFI DISCONNECT" || ev.Name == "+CWJAP"
}

// Boot reports a line a module prints when it starts (RDY, ready) or powers
// down; again says it repeats a start-up just reported (APP RDY after RDY).
func Boot(ev *decode.Event) (start, down, again bool) {
	switch {
	case ev.Name == "APP RDY":
		return true, false, true
	case ev.Name == "RDY" || ev.Text == "ready" || ev.Text == "Ready":
		return true, false, false
	case ev.Name == "POWERED DOWN" || ev.Name == "NORMAL POWER DOWN":
		return false, true, false
	}
	return false, false, false
}

// Domain is the network domain a registration line reports on.
type Domain uint8

const (
	DomainCS  Domain = iota // +CREG: circuit switched
	DomainPS                // +CGREG: GPRS / UMTS packet switched
	DomainEPS               // +CEREG: LTE, LTE-M and NB-IoT
)

var netDomains = map[string]Domain{"+CREG": DomainCS, "+CGREG": DomainPS, "+CEREG": DomainEPS}

// Registration reads <stat> of a +CREG, +CGREG or +CEREG line: a URC has
// <stat> first, the read response <n> first [27.007 §7.2, §10.1.20-22].
func Registration(ev *decode.Event) (d Domain, stat int, ok bool) {
	d, ok = netDomains[ev.Name]
	if !ok || ev.Kind != decode.KindResponse && ev.Kind != decode.KindURC {
		return 0, 0, false
	}
	args := netArgs(ev.Args)
	i := 0
	if ev.Kind == decode.KindResponse && len(args) >= 2 {
		i = 1
	}
	stat = netInt(args, i)
	return d, stat, stat >= 0
}

// Registered reports a <stat> that means the module is registered (home,
// roaming, SMS only, CSFB not preferred) [27.007 §7.2].
func Registered(stat int) bool {
	return stat == 1 || stat == 5 || stat >= 6 && stat <= 10 && stat != 8
}

// RegistrationMeaning explains a <stat>.
func RegistrationMeaning(stat int) string {
	if s, ok := regStates[stat]; ok {
		return s
	}
	if stat == 90 {
		return "not registered: UICC failure"
	}
	return "not registered"
}

// Access is a radio access technology.
type Access uint8

const (
	AccessUnknown Access = iota
	Access2G3G           // GSM, GPRS, EDGE, UMTS: +CGREG tells packet registration
	AccessLTE            // LTE (E-UTRAN): +CEREG tells it
	AccessLTEM           // LTE Cat-M1 (eMTC)
	AccessNBIoT          // NB-IoT
)

var accessNames = [...]string{AccessUnknown: "unknown", Access2G3G: "2G/3G", AccessLTE: "LTE", AccessLTEM: "LTE-M", AccessNBIoT: "NB-IoT"}

func (a Access) String() string {
	if int(a) < len(accessNames) {
		return accessNames[a]
	}
	return "access " + strconv.Itoa(int(a))
}

// EPS reports an access registered through +CEREG only: on it +CREG and
// +CGREG may say "not registered" while the module is [27.007 §10.1.22].
func (a Access) EPS() bool { return a == AccessLTE || a == AccessLTEM || a == AccessNBIoT }

// copsAccess maps <AcT> of +COPS [27.007 §7.3; Quectel BG96/BG95 use 8 for
// Cat-M1 and 9 for NB-IoT].
var copsAccess = map[int]Access{0: Access2G3G, 1: Access2G3G, 2: Access2G3G, 3: Access2G3G, 4: Access2G3G,
	5: Access2G3G, 6: Access2G3G, 7: AccessLTE, 8: AccessLTEM, 9: AccessNBIoT}

// AccessReport reads the access technology a line reports, and whether it
// also says the module is registered (+COPS naming an operator): +COPS
// read response [27.007 §7.3], +QNWINFO (Quectel), +CEREG with <AcT>.
func AccessReport(ev *decode.Event) (a Access, registered, ok bool) {
	if ev.Kind != decode.KindResponse && ev.Kind != decode.KindURC {
		return AccessUnknown, false, false
	}
	args := netArgs(ev.Args)
	switch ev.Name {
	case "+COPS":
		if len(args) < 3 || netText(args, 2) == "" || strings.HasPrefix(netText(args, 0), "(") {
			return AccessUnknown, false, false // not registered, or the test form's list
		}
		a = copsAccess[netInt(args, 3)]
		return a, true, true
	case "+QNWINFO":
		t := strings.ToUpper(netText(args, 0))
		switch {
		case strings.Contains(t, "CAT-M") || strings.Contains(t, "EMTC"):
			return AccessLTEM, false, true
		case strings.Contains(t, "NB"):
			return AccessNBIoT, false, true
		case strings.Contains(t, "LTE"):
			return AccessLTE, false, true
		case t == "" || strings.Contains(t, "NO SERVICE"):
			return AccessUnknown, false, false
		}
		return Access2G3G, false, true
	case "+CEREG":
		_, stat, _ := Registration(ev)
		if !Registered(stat) {
			return AccessUnknown, false, false
		}
		return AccessLTE, true, true
	}
	return AccessUnknown, false, false
}

// netArgs splits a line's arguments at commas.
func netArgs(s string) []string { return strings.Split(s, ",") }

// netText is argument i, trimmed and unquoted, or "".
func netText(args []string, i int) string {
	if i < len(args) {
		return strings.Trim(strings.TrimSpace(args[i]), `"`)
	}
	return ""
}

// netInt is argument i as a number, or -1.
func netInt(args []string, i int) int {
	n, err := strconv.Atoi(netText(args, i))
	if err != nil {
		return -1
	}
	return n
}

// SIMReport reads +CPIN: READY is a ready SIM, anything else (SIM PIN,
// NOT INSERTED...) is not [27.007 §8.3].
func SIMReport(ev *decode.Event) (ready, ok bool) {
	if ev.Name != "+CPIN" || ev.Kind != decode.KindResponse && ev.Kind != decode.KindURC {
		return false, false
	}
	return strings.EqualFold(strings.TrimSpace(ev.Args), "READY"), true
}

// SIMQuery reports the command whose error answer means the SIM is not
// ready (AT+CPIN? answered +CME ERROR: 10, SIM not inserted).
func SIMQuery(name string) bool { return name == "+CPIN" }

// SignalReport reads +CSQ: <rssi> 99 is "not known or not detectable"
// [27.007 §8.5]; some LTE modules print it while registered.
func SignalReport(ev *decode.Event) (none, ok bool) {
	if ev.Name != "+CSQ" || ev.Kind != decode.KindResponse {
		return false, false
	}
	rssi := netInt(netArgs(ev.Args), 0)
	return rssi == 99, rssi >= 0
}

// NetProblem is what kept the network from being up.
type NetProblem uint8

const (
	ProblemSIM          NetProblem = iota // the SIM was not ready
	ProblemRegistration                   // not registered, or no signal
	ProblemBearer                         // no packet data context
	ProblemWifi                           // the Wi-Fi station was not connected
)

// netAdviceKey picks advice by problem, dialect and moment.
type netAdviceKey struct {
	problem NetProblem
	dialect string // "" for any
	recover bool   // after a loss, rather than before the first open
}

// netAdvice says how to bring the network up, in the commands of each
// module family [Quectel TCP/IP §2.1; SIMCom SIM7080 MQTT(S) §3.2.2; Luat
// 4G MQTT guide §3; 27.007 §7.2].
var netAdvice = map[netAdviceKey]string{
	{ProblemSIM, "", false}:             "Check the SIM (inserted, PIN, contacts) and wait for +CPIN: READY before anything else.",
	{ProblemRegistration, "", false}:    "Wait for registration before opening: poll AT+CEREG? (or AT+CREG?) until it shows 1 (home) or 5 (roaming), or enable the URC with AT+CEREG=1. If it never registers, check the antenna, the coverage, the bands and the SIM's service.",
	{ProblemWifi, "", false}:            "Wait for WIFI GOT IP (AT+CWJAP) before connecting; check the access point and the signal (AT+CWJAP? shows the RSSI).",
	{ProblemBearer, "", false}:          "Activate the packet data context (PDP) before connecting, and check it has an IP address.",
	{ProblemBearer, "quectel", false}:   `Activate the PDP context before the MQTT open: AT+QICSGP=<cid>,1,"<apn>", AT+QIACT=<cid>, and check AT+QIACT? lists an IP address.`,
	{ProblemBearer, "luat", false}:      "Wait until the module is attached (AT+CGATT? answers 1, or +CGEV: ME PDN ACT) before the MQTT open.",
	{ProblemBearer, "simcom", false}:    "Make sure the module is registered and the APN is set (AT+CGDCONT) before starting the MQTT service.",
	{ProblemBearer, "simcom-sm", false}: "Activate the bearer first: AT+CNACT=0,1 and wait for +APP PDP: 0,ACTIVE.",
	{ProblemRegistration, "", true}:     "Wait for registration to come back (+CEREG: 1 or 5), then connect again; if coverage is lost often, check the antenna, the installation site and the bands (AT+CSQ, AT+CESQ show the signal).",
	{ProblemWifi, "", true}:             "Wait for WIFI GOT IP, then connect again (with automatic reconnection on, the module does it by itself); check the access point and the signal (AT+CWJAP? shows the RSSI).",
	{ProblemBearer, "", true}:           "Reactivate the packet data context",
	{ProblemBearer, "quectel", true}:    "Reactivate the context (AT+QIACT=<cid>, check AT+QIACT?)",
	{ProblemBearer, "luat", true}:       "Wait for the context to come back (+CGEV: ME PDN ACT)",
	{ProblemBearer, "simcom", true}:     "Wait for the context to come back (AT+CGACT? lists it active)",
	{ProblemBearer, "simcom-sm", true}:  "Activate the bearer again (AT+CNACT=0,1, wait for +APP PDP: 0,ACTIVE)",
}

// NetworkAdvice says how to bring the network up before MQTT, or (recover)
// back after a loss, in the terms of the dialect named. The recover advice
// for a bearer is the network step alone, with no full stop: the caller
// adds the MQTT steps.
func NetworkAdvice(p NetProblem, dialectName string, recover bool) string {
	if s, ok := netAdvice[netAdviceKey{p, dialectName, recover}]; ok {
		return s
	}
	return netAdvice[netAdviceKey{p, "", recover}]
}

// netSetup are the configuration commands of packet data: the APN and
// the bearer's settings [27.007 §10.1.1; Quectel TCP/IP §2.1.1; SIMCom
// TCP/IP AT+CSTT].
var netSetup = map[string]bool{"+CGDCONT": true, "+QICSGP": true, "+CSTT": true, "+CGAUTH": true}

// NetworkCommand reports a command that sets up, brings up or takes down
// packet data: when it fails, nothing over the network can work.
func NetworkCommand(name string) bool {
	name = strings.ToUpper(name)
	if netSetup[name] {
		return true
	}
	c, ok := netCommands[name]
	if !ok {
		return false
	}
	for _, a := range c.write {
		if a == NetActivate || a == NetDeactivate || a == NetDetach {
			return true
		}
	}
	return c.exec == NetActivate || c.exec == NetDeactivate
}
