package dialect

import (
	"fmt"
	"strconv"
	"strings"

	"atscope/decode"
)

// The facts of this file answer the questions diagnose and export used to
// answer by naming vendor commands or reading the machines' prose
// (issue 13): is this op a keep-alive, does this URC say the network is
// gone, what mistake does this rejected command show, how does a module
// buffer received messages.

// KeepAliveOp reports whether op is the module's report of a keep-alive
// exchange (PINGREQ and, when it succeeded, PINGRESP): the only way a log
// shows one. Its command row says so (Command.KeepAlive).
func KeepAliveOp(op *Op) bool {
	if op == nil || op.Kind != OpLink {
		return false
	}
	f, ok := FactsOf(op.Dialect)
	if !ok {
		return false
	}
	c, ok := f.Command(op.Name)
	if !ok || !c.KeepAlive {
		return false
	}
	if c.KeepAliveType == 0 {
		return true
	}
	fields, ok := op.CodeFields()
	return ok && len(fields) > 0 && fields[0] == c.KeepAliveType
}

// SocketPingOp reports whether op is a PINGREQ the host wrote to a socket
// itself (a socket-level dialect), with its PINGRESP when one came: unlike
// the modules of MQTT commands, whose pings the log never shows, the host
// pings here, so the log shows every ping and its timing. (KeepAliveOp
// stays the modules' reports: exporters write a socket's own bytes.)
func SocketPingOp(op *Op) bool { return op != nil && op.ping }

// NetworkLostURC reports whether a line named name is a URC that says the
// network is gone for every client (Command.NetworkLost in any table).
func NetworkLostURC(name string) bool {
	for _, d := range All() {
		if c, ok := d.Facts.Command(name); ok && c.URC && c.NetworkLost {
			return true
		}
	}
	return false
}

// SupplyWarning reports a line saying the supply voltage is out of range
// (UNDER-VOLTAGE WARNNING, UNDER-VOLTAGE POWER DOWN, OVER-VOLTAGE POWER
// DOWN): what explains a reset that follows.
func SupplyWarning(ev *decode.Event) bool { return strings.Contains(ev.Text, "VOLTAGE") }

// Mistake is a command a user typed wrong that a module answers ERROR,
// with what to write instead.
type Mistake struct {
	Name   string // the command as the tokenizer names it ("+QMTCLS")
	Prefix bool   // Name is a prefix: every command that starts with it
	// When, if not nil, says whether the arguments (spaces removed, split
	// at commas; "" as one empty field) show the mistake.
	When func(args []string) bool
	Hint string
}

// mistakes are the known mistakes, from logs users posted.
var mistakes = []Mistake{
	{Name: "+QMTSTAT", Hint: "+QMTSTAT is only a URC; there is no AT+QMTSTAT command (AT+QMTCONN? and AT+QMTOPEN? show the state)."},
	{Name: "+QMTCLS", Hint: "The command is AT+QMTCLOSE."},
	{Name: "+CNOPS", Hint: "AT+CNOPS is not a command; AT+COPS selects the operator."},
	{Name: "+CGACT", When: func(a []string) bool { return len(a) == 2 && a[1] == "0" },
		Hint: "The syntax is AT+CGACT=<state>,<cid>: context 0 does not exist on most modules (state and cid swapped?)."},
	{Name: "+CIPRXGET", Hint: "AT+CIPRXGET is a SIMCom socket command; ESP-AT uses AT+CIPRECVMODE and AT+CIPRECVDATA."},
	{Name: "+CIPCLOSE", When: func(a []string) bool { return len(a) == 1 && a[0] == "" },
		Hint: "With AT+CIPMUX=1 AT+CIPCLOSE needs the link ID (AT+CIPCLOSE=<link ID>; 5 closes all)."},
	{Name: "+CIPMQTT", Prefix: true, Hint: "AT+CIPMQTT* is not an Espressif ESP-AT command; ESP-AT 2.x speaks AT+MQTTUSERCFG and AT+MQTTCONN."},
}

// MistakeHint names the known mistake of command name with arguments args
// (as written after "="), "" when none is known.
func MistakeHint(name, args string) string {
	a := strings.Split(strings.ReplaceAll(args, " ", ""), ",")
	for _, m := range mistakes {
		if m.Name != name && !(m.Prefix && strings.HasPrefix(name, m.Name)) {
			continue
		}
		if m.When == nil || m.When(a) {
			return m.Hint
		}
	}
	return ""
}

// Advice shared by every dialect that cites one vendor's commands as the
// example.
const (
	// PacketTimeoutAdvice is what to do when an MQTT packet got no answer.
	PacketTimeoutAdvice = "Check the network and the broker; the module's wait is pkt_timeout x retries (Quectel AT+QMTCFG=\"timeout\"). If the log was cut, the result may simply be missing from it."
	// RetransmitWait is the example of a module's packet timeout.
	RetransmitWait = "Quectel: 5 s by default"
	// RetransmitAdvice is what to do when a module resent packets.
	RetransmitAdvice = "Check the latency and the signal; on slow networks raise the packet timeout (Quectel: AT+QMTCFG=\"timeout\",<idx>,<pkt_timeout>,<retries>,<notice>). Make receivers tolerate duplicates: QoS 1 is at-least-once."
	// OverLimitAdvice is what to do with data over a module's limit.
	OverLimitAdvice = "Split the data into smaller messages, shorten the topic or client ID, or use the module's long form (ESP-AT: AT+MQTTPUBRAW, AT+MQTTLONGCLIENTID)."
)

// ReceiveBuffer is a module's buffered receive mode: it keeps up to Slots
// received messages and announces each with the URC Announce (its
// arguments AnnounceFields integers, the client index first when
// PerClient); the host reads them out with the command Read. Messages
// announced beyond Slots without a read-out between are lost.
type ReceiveBuffer struct {
	Announce       string
	AnnounceFields int
	PerClient      bool
	Read           string
	Slots          int
	// Describe words an overflow for a finding.
	Describe func(o BufferOverflow) (title, why, advice string)
}

// BufferOverflow is one overflow of a receive buffer: Waited messages were
// announced (at Lines) without a read-out, Lost of them are gone.
type BufferOverflow struct {
	Client, Waited, Lost int
	Lines                string
}

// IsAnnouncement reports whether a URC named name with arguments fields
// announces a buffered message; client is its client index.
func (b *ReceiveBuffer) IsAnnouncement(name string, fields []string) (client int, ok bool) {
	if b == nil || name != b.Announce || len(fields) != b.AnnounceFields {
		return 0, false
	}
	for _, f := range fields {
		if _, ok := atoiSpace(f); !ok {
			return 0, false
		}
	}
	if b.PerClient {
		client, _ = atoiSpace(fields[0])
	}
	return client, true
}

// IsReadOut reports whether a command named name (exec or write form,
// arguments fields) reads the buffer out; client is whose.
func (b *ReceiveBuffer) IsReadOut(name string, fields []string) (client int, ok bool) {
	if b == nil || name != b.Read {
		return 0, false
	}
	if b.PerClient && len(fields) > 0 {
		client, _ = atoiSpace(fields[0])
	}
	return client, true
}

func atoiSpace(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// messagesWere is "1 message was" or "n messages were".
func messagesWere(n int) string {
	if n == 1 {
		return "1 message was"
	}
	return fmt.Sprintf("%d messages were", n)
}

// luatCache is Luat's RAM cache of received messages [Luat MQTT AT §6.3].
var luatCache = &ReceiveBuffer{Announce: "+MSUB", AnnounceFields: 1, Read: "+MQTTMSGGET", Slots: 4,
	Describe: func(o BufferOverflow) (string, string, string) {
		return fmt.Sprintf("The Luat receive cache overflowed: %d messages waited, it keeps 4", o.Waited),
			fmt.Sprintf("With AT+MQTTMSGSET=1 the module keeps received messages in a RAM table of 4 (at most 4 KB each) and announces each with +MSUB: <slot>; when the table is full a new message overwrites the oldest [seed 001]. %d messages were announced (%s) without an AT+MQTTMSGGET in between, so %s lost.",
				o.Waited, o.Lines, messagesWere(o.Lost)),
			"Read the cache with AT+MQTTMSGGET as soon as +MSUB: <slot> arrives (at the latest every 4 messages), or use direct mode (AT+MQTTMSGSET=0). The table is also lost at a restart."
	}}

// quectelRecvBuffer is Quectel's buffered receive mode (recv/mode 1)
// [Quectel MQTT AN §3.2.9, §4.2].
var quectelRecvBuffer = &ReceiveBuffer{Announce: "+QMTRECV", AnnounceFields: 2, PerClient: true, Read: "+QMTRECV", Slots: 5,
	Describe: func(o BufferOverflow) (string, string, string) {
		return fmt.Sprintf("The Quectel receive buffer of client %d overflowed: %d messages waited, it keeps 5", o.Client, o.Waited),
			fmt.Sprintf("In buffered mode (AT+QMTCFG=\"recv/mode\",<idx>,1) the module keeps up to 5 messages per client and announces each with +QMTRECV: <idx>,<recv_id>. %d were announced (%s) without a read-out (AT+QMTRECV=<idx>) in between, so at least %s lost.",
				o.Waited, o.Lines, messagesWere(o.Lost)),
			"Read each message with AT+QMTRECV=<idx>,<recv_id> when it is announced, or use direct push (recv/mode 0)."
	}}
