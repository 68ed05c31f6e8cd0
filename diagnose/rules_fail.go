package diagnose

import (
	"fmt"
	"strconv"
	"strings"

	"atscope/decode"
	"atscope/dialect"
)

// Failed operations, explained per vendor code family. One classifier,
// family, sends every failed op to exactly one rule; rules that explain a
// failure by what came before it (connect-window, payload-length, ...) run
// first and claim the ops they explain.

const (
	idQMTOpen      = "quectel-qmtopen"
	idQMTConn      = "quectel-qmtconn"
	idQMTStat      = "quectel-qmtstat"
	idQuectel      = "quectel-result"
	idSimcom       = "simcom-cmqtt-error"
	idSimcomLost   = "simcom-connlost"
	idESP          = "espat-err-code"
	idUblox        = "ublox-umqtter"
	idLuat         = "luat-failure"
	idNordic       = "nordic-result"
	idTencent      = "tencent-result"
	idCME          = "cme-error"
	idCommandError = "command-error"
	idOpFailed     = "op-failed"
)

func isCME(name string) bool { return name == "+CME ERROR" || name == "+CMS ERROR" }

// family names the rule that explains a failed op, or "" when no failure
// rule should (it did not fail, a link loss abandoned it, or it is a state
// line of the module that the network rules read).
func (r *run) family(op *dialect.Op) string {
	if op.Status != dialect.StatusFailed || op.Abandoned {
		return ""
	}
	if op.Kind == dialect.OpLink && r.net.joinSeq[firstSeq(op)] {
		return "" // the module left the old Wi-Fi network to join the new one
	}
	f := r.factsOf(op)
	res := f.result
	fromResult := res.Seq >= 0 && res.Kind == decode.KindResult
	if op.Client == dialect.ModuleClient && op.Kind == dialect.OpLink && !fromResult && op.Dialect == "" {
		return ""
	}
	if fromResult && isCME(res.Name) {
		return idCME
	}
	plainError := fromResult && res.Name == "ERROR" || res.Seq < 0 && op.Code == "ERROR"
	if plainError && len(deviations(op)) > 0 && op.Dialect != "cipmqtt" {
		return idDeviation
	}
	if op.Client == dialect.ModuleClient && op.Dialect == "" {
		return idCommandError
	}
	urc := res.Seq >= 0 && res.Kind != decode.KindResult
	switch op.Dialect {
	case "quectel":
		switch {
		case op.Name == "+QMTSTAT":
			return idQMTStat
		case !urc:
		case res.Name == "+QMTOPEN":
			return idQMTOpen
		case res.Name == "+QMTCONN":
			return idQMTConn
		case strings.HasPrefix(res.Name, "+QMT"):
			return idQuectel
		}
	case "simcom":
		switch op.Name {
		case "+CMQTTCONNLOST", "+CMQTTNONET", "+CMQTTPING":
			return idSimcomLost
		}
		if _, ok := op.CodeFields(); ok {
			return idSimcom // an <err> from a result URC, even when ERROR came too
		}
	case "espat", "cipmqtt":
		return idESP
	case "ublox":
		return idUblox
	case "luat":
		if !plainError {
			return idLuat
		}
	case "nordic":
		if !plainError {
			return idNordic
		}
	case "tencent":
		if !plainError {
			return idTencent
		}
	}
	return idOpFailed
}

// failRule explains the failed ops of one family; identical failures of a
// client (same command, code and reason) make one finding.
type failRule struct {
	base
	id      string
	explain func(r *run, op *dialect.Op, f *opFacts) explained
}

// explained is what a failure rule says about one op.
type explained struct {
	sev                Severity
	title, why, advice string
	marks              []Mark
	extraLines         []int
	skip               bool
	key                string // groups failures beyond command, code and reason
	// plain says a command was rejected for no known reason; result is its answer.
	plain  bool
	result string
}

func (c *failRule) finish(r *run) {
	type group struct {
		e   explained
		ops []*dialect.Op
	}
	var order []string
	groups := map[string]*group{}
	for _, op := range r.ops {
		if r.claimed[op] || r.family(op) != c.id {
			continue
		}
		e := c.explain(r, op, r.factsOf(op))
		if e.skip {
			continue
		}
		if op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect {
			e.why += r.laterSuccess(op)
		}
		if (op.Kind == dialect.OpDisconnect || op.Kind == dialect.OpClose) && e.sev == Error {
			e.sev = Warning // usually: there was nothing left to end
		}
		if op.Kind == dialect.OpLink && op.Client != dialect.ModuleClient {
			if conn := r.connectBefore(op); conn != nil && conn.KeepAlive > 0 && !pingLoss(op) {
				e.advice += fmt.Sprintf(" If the link drops after quiet periods, a NAT or firewall on the way may drop idle connections sooner than the keep-alive (%d s here) refreshes them: keep the keep-alive below that.", conn.KeepAlive)
			}
			if back := r.recoveredAfter(op); back != nil {
				if e.sev > Warning {
					e.sev = Warning
				}
				e.why += fmt.Sprintf(" The client connected again at line %d.", firstLineOf(back))
			} else {
				e.why += " The log shows no successful reconnect after it."
			}
		}
		key := fmt.Sprint(op.Client, "\x00", r.command(op), "\x00", op.Code, "\x00", op.Reason, "\x00", e.sev)
		if e.key != "" {
			key = fmt.Sprint(op.Client, "\x00", e.key, "\x00", e.sev)
		}
		g, ok := groups[key]
		if !ok {
			g = &group{e: e}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op)
		g.e.marks = append(g.e.marks, e.marks...)
		g.e.extraLines = append(g.e.extraLines, e.extraLines...)
	}
	for _, k := range order {
		g := groups[k]
		why := g.e.why
		var lines []int
		for _, op := range g.ops {
			lines = append(lines, op.Lines...)
		}
		lines = append(lines, g.e.extraLines...)
		if n := len(g.ops); n > 1 {
			var first []int
			for _, op := range g.ops {
				first = append(first, firstLineOf(op))
			}
			why += fmt.Sprintf(" It happened %d times (%s).", n, lineList(first))
		}
		r.add(Finding{Rule: c.id, Severity: g.e.sev, Title: g.e.title, Explanation: why, Advice: g.e.advice,
			Client: g.ops[0].Client, Lines: lines, Marks: g.e.marks})
		r.claim(g.ops...)
	}
}

// resultText is the line that gave an op its outcome, or its code.
func resultText(op *dialect.Op, f *opFacts) string {
	if f.result.Seq >= 0 {
		return f.result.Text
	}
	return op.Code
}

// reasonOf is an op's reason, or its code when it has none.
func reasonOf(op *dialect.Op) string {
	if op.Reason != "" {
		return op.Reason
	}
	if op.Code != "" {
		return "code " + op.Code
	}
	return "no reason given"
}

// failTitle is "AT+QMTOPEN failed: <reason> (+QMTOPEN: 0,3)".
func (r *run) failTitle(op *dialect.Op, f *opFacts) string {
	t := fmt.Sprintf("%s failed: %s", r.command(op), firstClause(reasonOf(op)))
	if rt := resultText(op, f); rt != "" && !strings.Contains(t, rt) {
		t += " (" + rt + ")"
	}
	return t
}

// firstClause cuts a reason at its first "; " so titles stay one line,
// and a long one at its first ": " or " (".
func firstClause(s string) string {
	if i := strings.Index(s, "; "); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		for _, sep := range []string{" (", ": "} {
			if i := strings.Index(s, sep); i > 20 {
				s = s[:i]
			}
		}
	}
	if strings.Count(s, "(") > strings.Count(s, ")") {
		s = strings.TrimSpace(s[:strings.LastIndex(s, "(")])
	}
	return s
}

// target says what an op was about: "client 0 to broker.example.com:1883".
func target(op *dialect.Op) string {
	s := clientName(op.Client)
	if op.Host != "" {
		s += " to " + op.Host
		if op.Port > 0 {
			s += ":" + strconv.Itoa(op.Port)
		}
	}
	if op.Topic != "" && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe) {
		s += fmt.Sprintf(" on %q", op.Topic)
	}
	return s
}

func resultMark(f *opFacts) []Mark {
	if f.result.Seq < 0 {
		return nil
	}
	return []Mark{{Line: f.result.Line, Text: f.result.Text}}
}

func explainQMTOpen(r *run, op *dialect.Op, f *opFacts) explained {
	code := vendorCode(op, -99)
	return explained{sev: Error, title: r.failTitle(op, f),
		why:    fmt.Sprintf("The module could not open the network connection of %s: %s.", target(op), reasonOf(op)),
		advice: orDefault(quectelOpenAdvice[code], "See the +QMTOPEN result table of the Quectel MQTT application note."),
		marks:  resultMark(f)}
}

func explainQMTConn(r *run, op *dialect.Op, f *opFacts) explained {
	n, _ := op.CodeFields()
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	who := clientName(op.Client)
	if op.ClientID != "" {
		who += fmt.Sprintf(" (client ID %q)", op.ClientID)
	}
	switch {
	case len(n) >= 2 && n[0] == 0:
		e.why = fmt.Sprintf("The broker answered the CONNECT of %s with CONNACK return code %d: %s.", who, n[1], strings.TrimPrefix(reasonOf(op), "CONNACK "))
		e.advice = orDefault(connackAdvice[n[1]], "CONNACK return codes above 5 are reserved in MQTT 3.1.1: check the broker's documentation.")
	case len(n) >= 1:
		e.why = fmt.Sprintf("The CONNECT of %s did not complete: %s.", who, reasonOf(op))
		e.advice = orDefault(quectelConnAdvice[n[0]], "See the +QMTCONN result table of the Quectel MQTT application note.")
	default:
		e.why = fmt.Sprintf("The CONNECT of %s failed: %s.", who, reasonOf(op))
		e.advice = "See the +QMTCONN result table of the Quectel MQTT application note."
	}
	return e
}

func explainQMTStat(r *run, op *dialect.Op, f *opFacts) explained {
	code := vendorCode(op, -99)
	e := explained{sev: Error, marks: resultMark(f)}
	e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
	if code == 5 {
		e.sev = Info
	}
	e.why = fmt.Sprintf("The link of %s went down: %s. After any +QMTSTAT the client is back to \"network closed\" and every pending operation of it is abandoned.", clientName(op.Client), firstClause(reasonOf(op)))
	if n := r.abandonedAfter(op); n > 0 {
		e.why += fmt.Sprintf(" %s abandoned here.", plural(n, "operation was", "operations were"))
	}
	e.advice = orDefault(quectelStatAdvice[code], "Codes 8-255 are reserved: reopen with AT+QMTOPEN and reconnect.")
	return e
}

func explainQuectel(r *run, op *dialect.Op, f *opFacts) explained {
	n, _ := op.CodeFields()
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	e.why = fmt.Sprintf("The module reports that the %s of %s failed: %s.", op.Kind, target(op), reasonOf(op))
	switch {
	case op.Name == "+QMTPING":
		e.sev = Warning
		e.advice = "A keep-alive ping failed; the link is usually lost next. Check the signal; if it repeats, lower the keep-alive (AT+QMTCFG=\"keepalive\")."
	case len(n) > 0:
		e.advice = orDefault(quectelSendAdvice[n[0]], "See the result tables of the Quectel MQTT application note.")
	default:
		e.advice = "See the result tables of the Quectel MQTT application note."
	}
	return e
}

func explainSimcom(r *run, op *dialect.Op, f *opFacts) explained {
	code := vendorCode(op, -99)
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	e.why = fmt.Sprintf("The %s of %s failed with <err> %d: %s.", op.Kind, target(op), code, reasonOf(op))
	switch {
	case code >= 27 && code <= 31:
		e.advice = connackAdvice[code-26]
	case code == 23:
		e.sev = Info
		e.advice = simcomAdvice[23]
	case code == 19:
		e.sev = Warning // the host restarted, the module kept the client
		e.advice = simcomAdvice[19]
	case code == 11 && op.Kind == dialect.OpDisconnect:
		e.sev = Info
		e.advice = "Nothing to do: there was no connection to end (a host restarted without the module is the usual cause)."
	default:
		e.advice = orDefault(simcomAdvice[code], "See the <err> table of the SIMCom MQTT AT command manual (0-34).")
	}
	return e
}

func explainSimcomLost(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op))), marks: resultMark(f)}
	switch op.Name {
	case "+CMQTTCONNLOST":
		cause := vendorCode(op, -1)
		e.why = fmt.Sprintf("+CMQTTCONNLOST cause %d: %s.", cause, reasonOf(op))
		e.advice = orDefault(simcomLostAdvice[cause], "Reconnect with an increasing delay.")
	case "+CMQTTNONET":
		e.why = "The network (PDP) went down: every MQTT client of the module is disconnected."
		e.advice = "Wait for registration, start the service again with AT+CMQTTSTART, acquire the clients and connect again."
	default:
		e.sev = Warning
		e.why = fmt.Sprintf("A keep-alive ping of %s failed: %s.", clientName(op.Client), reasonOf(op))
		e.advice = "The link is usually lost next. Check the signal; if it repeats, lower the keep-alive of AT+CMQTTCONNECT."
	}
	return e
}

func explainESP(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	hex := f.errCode
	if hex == "" && strings.HasPrefix(strings.ToLower(op.Code), "0x") {
		hex = op.Code
	}
	switch {
	case strings.HasPrefix(op.Name, "+CIPMQTT") && f.result.Name == "ERROR":
		e.title = "The module rejected the AT+CIPMQTT* commands: they are not ESP-AT commands"
		e.key = "cipmqtt"
		e.why = fmt.Sprintf("AT+CIPMQTT* is not in Espressif's AT firmware, and this module answered ERROR to it (%s).", reasonOf(op))
		e.advice = "ESP-AT 2.x and later speak AT+MQTTUSERCFG, AT+MQTTCONN, AT+MQTTSUB, AT+MQTTPUB (check the version with AT+GMR); ESP8266 NONOS AT 1.x has no MQTT at all; AT+CIPMQTT* exists only in some third-party builds."
	case commandHint(f.command.Name, f.command.Args) != "" && f.result.Name == "ERROR":
		e.why = fmt.Sprintf("The %s of %s failed: %s. %s", op.Kind, target(op), reasonOf(op), commandHint(f.command.Name, f.command.Args))
		e.advice = "Fix the command as above."
	case hex != "":
		e.why = fmt.Sprintf("The %s of %s failed; ERR CODE %s: %s.", op.Kind, target(op), hex, reasonOf(op))
		e.advice = espAdviceFor(hex)
		if f.errCode != "" {
			for _, s := range op.Seqs {
				if ev, ok := r.event(s); ok && strings.HasPrefix(ev.Text, "ERR CODE:") {
					e.marks = append(e.marks, Mark{Line: ev.Line, Text: ev.Text})
				}
			}
		}
	case op.Kind == dialect.OpLink:
		e.why = fmt.Sprintf("The MQTT connection of %s ended: %s.", clientName(op.Client), reasonOf(op))
		e.advice = "Check Wi-Fi (WIFI DISCONNECT before it?) and the broker. With reconnect=1 in AT+MQTTCONN the module reconnects by itself (+MQTTCONNECTED); otherwise connect again with AT+MQTTCONN."
	case strings.HasPrefix(op.Code, "busy"):
		e.why = fmt.Sprintf("The module was still busy with the previous command and dropped %s.", r.command(op))
		e.advice = espSubAdvice[0x0B]
	default:
		e.why = failedSentence(op)
		e.advice = "ESP-AT says only ERROR: enable AT+SYSLOG=1 to get an \"ERR CODE:0x...\" line that says why. Check the order (AT+MQTTUSERCFG, AT+MQTTCONNCFG, AT+MQTTCONN), Wi-Fi (WIFI GOT IP) and the arguments."
	}
	return e
}

func explainUblox(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	class, code, found := -1, -1, false
	for _, s := range op.Seqs {
		if ev, ok := r.event(s); ok && ev.Name == "+UMQTTER" {
			if n, ok := ints(ev.Args); ok && len(n) >= 2 {
				class, code, found = n[0], n[1], true
				e.marks = append(e.marks, Mark{Line: ev.Line, Text: ev.Text})
			}
		}
	}
	if op.Kind == dialect.OpLink {
		c := vendorCode(op, -1)
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		e.why = fmt.Sprintf("The MQTT session of %s ended: %s.", clientName(op.Client), reasonOf(op))
		e.advice = orDefault(ubloxLinkAdvice[c], "Log in again with AT+UMQTTC=1.")
		return e
	}
	e.why = failedSentence(op)
	switch {
	case found && class == 0 && code == 0:
		e.why += " AT+UMQTTER reports no MQTT error (0,0): the failure was below MQTT (TLS or network)."
		e.advice = "Check the network (AT+CEREG?, the packet data context) and the TLS profile (AT+UMQTT=11, AT+USECPRF)."
	case found:
		e.why = strings.Replace(e.why, "; AT+UMQTTER gives the error code", "", 1) + fmt.Sprintf(" AT+UMQTTER gives class %d, code %d.", class, code)
		e.advice = orDefault(ubloxErrAdvice[code], "The code is not in the tables known here: look it up in the u-blox AT commands manual (MQTT error codes).")
	default:
		e.advice = "Read the reason with AT+UMQTTER right after the failure. Check the client ID (AT+UMQTT=0), the server (op 2 or 3), the credentials (op 4) and TLS (op 11)."
	}
	return e
}

func explainLuat(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	text := strings.ToUpper(resultText(op, f))
	e.why = failedSentence(op)
	switch {
	case op.Kind == dialect.OpLink || text == "CLOSED":
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		e.why = "The server or the network closed the TCP connection: the MQTT session is gone."
		e.advice = "Recover as the vendor describes: AT+MIPCLOSE (ignore its answer, ERROR or +CME ERROR: 767 included), AT+MCONFIG, AT+MIPSTART, then AT+MCONNECT at once after CONNECT OK, and subscribe again."
	case strings.HasPrefix(text, "CONNECT FAIL"):
		e.advice = "Check the host and port of AT+MIPSTART, and that the module is attached (AT+CGATT? answers 1) before it."
	case strings.HasPrefix(text, "ALREADY CONNECT"):
		e.sev = Warning
		e.advice = "A TCP link is already open: send AT+MIPCLOSE first, or go on with AT+MCONNECT."
	case strings.HasPrefix(text, "CONNACK"):
		e.advice = "The broker refused the CONNECT: check the client ID, user name and password of AT+MCONFIG."
	default:
		e.advice = "Check the command against the Luat MQTT AT manual and the state of the link (AT+MQTTSTATU)."
	}
	return e
}

func explainNordic(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	code := vendorCode(op, 0)
	e.why = failedSentence(op)
	switch {
	case code > 0 && code <= 5 && op.Kind == dialect.OpConnect:
		e.advice = connackAdvice[code]
	case code < 0 && op.Kind == dialect.OpLink:
		e.advice = "The connection ended (" + reasonOf(op) + "): connect again with AT#XMQTTCON=1 after an increasing delay."
	case code < 0:
		e.advice = orDefault(nordicAdvice[-code], "The value is a negated errno of the nRF Connect SDK: look it up in its errno.h.")
	default:
		e.advice = "See the #XMQTTEVT description of the Serial LTE Modem documentation."
	}
	if op.Kind == dialect.OpLink {
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
	}
	return e
}

func explainTencent(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	e.why = failedSentence(op)
	e.advice = tencentAdvice(vendorCode(op, 0))
	if op.Kind == dialect.OpLink {
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		e.advice = "The connection dropped: with auto-reconnect (the last argument of AT+TCMQTTCONN) the module reconnects by itself; otherwise connect again. " + e.advice
	}
	return e
}

func explainOpFailed(r *run, op *dialect.Op, f *opFacts) explained {
	e := explained{sev: Error, title: r.failTitle(op, f), marks: resultMark(f)}
	e.why = failedSentence(op)
	if op.Kind == dialect.OpDisconnect || op.Kind == dialect.OpClose {
		e.sev = Warning // usually: there was nothing left to close
	}
	switch {
	case op.Kind == dialect.OpLink:
		e.title = fmt.Sprintf("%s: %s", resultText(op, f), firstClause(reasonOf(op)))
		e.why = fmt.Sprintf("The link of %s went down: %s.", clientName(op.Client), reasonOf(op))
		e.advice = "Reconnect with an increasing delay; look at what came just before (a PDP loss, a rejected publish, a second client with the same ID)."
	case commandHint(f.command.Name, f.command.Args) != "":
		e.why += " " + commandHint(f.command.Name, f.command.Args)
		e.advice = "Fix the command as above."
	case op.Kind == dialect.OpConnect && r.stillConnected(op) != nil:
		c := r.stillConnected(op)
		e.title = fmt.Sprintf("%s failed: the client was still connected (%s)", r.command(op), resultText(op, f))
		e.why += fmt.Sprintf(" The client was still connected: the connect at line %d succeeded and the log shows no disconnect or link loss since. Most modules answer ERROR to a connect while connected.", firstLineOf(c))
		e.advice = "Connect only when the client is disconnected: check the state first (AT+SMSTATE?, AT+QMTCONN?, AT+MQTTCONN?, AT+CMQTTDISC?), or disconnect before connecting again."
	case op.Code == "ERROR":
		e.advice = "The module rejected the command without saying why. Check the syntax against the manual and the client's state (open before connect, connected before subscribe or publish); AT+CMEE=1 (or 2) makes many modules say why with +CME ERROR."
	default:
		e.advice = "See the module's manual for this result."
	}
	if r.connectedBefore(op) == false && (op.Kind == dialect.OpPublish || op.Kind == dialect.OpSubscribe || op.Kind == dialect.OpUnsubscribe) {
		e.why += " The log shows no successful connect of this client before it."
	}
	return e
}

// explainCME explains an op that failed with +CME ERROR or +CMS ERROR.
func explainCME(r *run, op *dialect.Op, f *opFacts) explained {
	e := cmeExplained(f.result.Name, f.result.Args, r.command(op), op.Dialect, op.Reason)
	e.marks = resultMark(f)
	if op.Client == dialect.ModuleClient {
		e.why = fmt.Sprintf("%s failed. %s", r.command(op), e.why)
	} else {
		e.why = fmt.Sprintf("The %s of %s failed. %s", op.Kind, target(op), e.why)
	}
	return e
}

// cmeExplained explains a +CME ERROR or +CMS ERROR answer to cmd; the
// dialect's own reason, when it has one, covers vendor codes.
func cmeExplained(name, args, cmd, dialectName, reason string) explained {
	e := explained{sev: Error}
	args = strings.TrimSpace(args)
	if name == "+CMS ERROR" {
		n, _ := strconv.Atoi(args)
		e.sev = Warning
		e.title = fmt.Sprintf("%s answered +CMS ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("+CMS ERROR: %s is an SMS error code (3GPP TS 27.005).", args)
		e.advice = cmsAdvice(n)
		return e
	}
	n, ok := cmeCode(args)
	meaning, _ := dialect.CMEMeaning(n)
	if dialectName == "tencent" && n >= 200 && n <= 213 {
		meaning = "" // Tencent's extension of the table
	}
	if meaning == "" && reason != "" && reason != args {
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s (%s)", cmd, args, firstClause(reason))
		e.why = fmt.Sprintf("+CME ERROR %s: %s.", args, reason)
		e.advice = "Look the code up in the module's AT manual (its error code appendix)."
		if dialectName == "tencent" {
			e.advice = tencentAdvice(n)
		}
		return e
	}
	switch {
	case !ok:
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("The module gave a verbose error (AT+CMEE=2) that is not a 3GPP text: %q.", args)
		e.advice = "Look the text up in the module's manual."
		return e
	case meaning == "":
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s", cmd, args)
		e.why = fmt.Sprintf("+CME ERROR: %s is not in the 3GPP or vendor tables known here.", args)
		e.advice = "Look the code up in the module's AT manual (its error code appendix)."
		return e
	}
	e.title = fmt.Sprintf("%s answered +CME ERROR: %s (%s)", cmd, args, meaning)
	if _, err := strconv.Atoi(args); err != nil {
		e.title = fmt.Sprintf("%s answered +CME ERROR: %s (code %d)", cmd, args, n)
	}
	e.why = fmt.Sprintf("+CME ERROR %d is a %s error: %s.", n, cmeGroup(n), meaning)
	e.advice = orDefault(cmeAdvice[n], "Look the code up in the module's AT manual.")
	if n == 767 {
		e.sev = Info
	}
	return e
}

// stillConnected returns the connect of op's client whose connection was
// still up when op started, if any.
func (r *run) stillConnected(op *dialect.Op) *dialect.Op {
	s := r.session(op.Client)
	if s == nil {
		return nil
	}
	for _, c := range s.Connections {
		if c.Connected == nil || c.Connected == op || lastSeq(c.Connected) >= firstSeq(op) {
			continue
		}
		if c.Ended == nil || firstSeq(c.Ended) > firstSeq(op) {
			return c.Connected
		}
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// failedSentence says that an op failed and why.
func failedSentence(op *dialect.Op) string {
	if op.Kind == dialect.OpLink {
		return fmt.Sprintf("The link of %s went down: %s.", clientName(op.Client), reasonOf(op))
	}
	return fmt.Sprintf("The %s of %s failed: %s.", op.Kind, target(op), reasonOf(op))
}
