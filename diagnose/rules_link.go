package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// Rules about the link: when it was opened, lost, reset, and how often.

const (
	idConnectWindow  = "connect-window"
	idBeforeNetwork  = "connect-before-network"
	idPDPLost        = "pdp-lost"
	idModuleReset    = "module-reset"
	idReconnectStorm = "reconnect-storm"
	idKeepalive      = "keepalive"
	idDuplicateID    = "duplicate-client-id"
	idWill           = "will-message"
)

// connectWindow is the ThingsCloud seed's number: the server waits 5 s for
// CONNECT after the TCP open, then closes the link [seed 000].
const connectWindow = 5 * time.Second

// connectCommand names the CONNECT command of a dialect with a separate
// open step.
func connectCommand(d string) string { return commandOf(d, dialect.OpConnect, "the CONNECT") }

// commandOf names the command of dialect d that makes ops of kind k, from
// its table, or def.
func commandOf(d string, k dialect.OpKind, def string) string {
	if f, ok := dialect.FactsOf(d); ok {
		for _, c := range f.Commands {
			if c.Op == k && !c.URC && !c.NotOp {
				return "AT" + c.Name
			}
		}
	}
	return def
}

// connectWindowRule: the broker closed a TCP link that sent no CONNECT in
// time (open ok, then a link loss before any connect), or a connect sent
// late after the open failed.
type connectWindowRule struct{ base }

func (connectWindowRule) finish(r *run) {
	for _, s := range r.clientSessions() {
		var open *dialect.Op
		for i, op := range s.Ops {
			switch {
			case op.Kind == dialect.OpOpen && op.Status == dialect.StatusOK:
				open = op
			case op.Kind == dialect.OpConnect && open != nil:
				gap := opStart(op).Sub(opEnd(open))
				if op.Status != dialect.StatusOK && op.Timed && open.Timed && gap >= connectWindow && !r.claimed[op] {
					r.add(Finding{Rule: idConnectWindow, Severity: Error, Client: s.Client,
						Title: fmt.Sprintf("%s was sent %s after the open and failed", r.command(op), timeline.HumanDuration(gap)),
						Explanation: fmt.Sprintf("%s opened the TCP link at line %d, but %s followed only %s later (line %d) and failed (%s). Brokers close a TCP connection that sends no CONNECT within a few seconds (ThingsCloud: 5 s; MQTT 3.1.1 lets a server close a connection that sends no CONNECT in a reasonable time).",
							r.command(open), lastLineOf(open), r.command(op), timeline.HumanDuration(gap), firstLineOf(op), reasonOf(op)),
						Advice: fmt.Sprintf("Send %s right after the open succeeds, within a second or two: do not wait for other setup or user input in between.", connectCommand(op.Dialect)),
						Lines:  append(append([]int{lastLineOf(open)}, op.Lines...), lossLines(s.Ops[i+1:], r)...)})
					r.claim(op)
				}
				open = nil
			case op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed && open != nil:
				r.windowLoss(s, open, op, s.Ops[i+1:])
				open = nil
			case op.Kind == dialect.OpClose || op.Kind == dialect.OpDisconnect:
				open = nil
			}
		}
	}
}

// lossLines claims the link loss that ends a late connect's attempt (the
// next op of the client, when it is one) and returns its lines.
func lossLines(rest []*dialect.Op, r *run) []int {
	for _, op := range rest {
		if op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed {
			r.claim(op)
			return op.Lines
		}
		if op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect {
			break
		}
	}
	return nil
}

// windowLoss reports a link lost after an open and before any connect.
func (r *run) windowLoss(s *timeline.Session, open, loss *dialect.Op, rest []*dialect.Op) {
	gap := opStart(loss).Sub(opEnd(open))
	timed := open.Timed && loss.Timed && gap >= 0
	title := "The broker closed the link before any CONNECT was sent"
	when := "later"
	if timed {
		title = fmt.Sprintf("The broker closed the link %s after the open: no CONNECT was sent in time", timeline.HumanDuration(gap))
		when = timeline.HumanDuration(gap) + " later"
	}
	why := fmt.Sprintf("%s opened the TCP link at line %d, but no %s followed; %s the link was closed (%s, line %d). Brokers close a TCP connection that sends no CONNECT within a few seconds (ThingsCloud: 5 s; MQTT 3.1.1 lets a server close a connection that sends no CONNECT in a reasonable time).",
		r.command(open), lastLineOf(open), connectCommand(open.Dialect), when, firstClause(resultTextOp(r, loss)), firstLineOf(loss))
	lines := append([]int{lastLineOf(open)}, loss.Lines...)
	claimed := []*dialect.Op{loss}
	for _, next := range rest {
		if next.Kind == dialect.OpOpen {
			break
		}
		if next.Kind == dialect.OpConnect {
			if next.Status != dialect.StatusOK {
				g := ""
				if d := span(opEnd(open), opStart(next)); d != "" {
					g = ", " + d + " after the open,"
				}
				why += fmt.Sprintf(" The %s at line %d%s then failed (%s): the link was already closed.", r.command(next), firstLineOf(next), g, reasonOf(next))
				lines = append(lines, next.Lines...)
				claimed = append(claimed, next)
			}
			break
		}
	}
	r.add(Finding{Rule: idConnectWindow, Severity: Error, Client: s.Client, Title: title, Explanation: why,
		Advice: fmt.Sprintf("Send %s right after %s succeeds, within a second or two; do not wait for other setup or user input in between. After a link loss, open again (%s) before connecting.",
			connectCommand(open.Dialect), r.command(open), r.command(open)),
		Lines: lines})
	r.claim(claimed...)
}

func resultTextOp(r *run, op *dialect.Op) string {
	if t := resultText(op, r.factsOf(op)); t != "" {
		return t
	}
	return op.Name
}

// boot is a module start-up seen in the log.
type boot struct {
	ev       evInfo
	expected bool   // the host asked for a restart just before
	voltage  bool   // an under- or over-voltage report
	cmd      string // the restart command, when expected
}

// moduleResetRule: the module restarted (RDY) in the middle of a session,
// or reported a voltage problem.
type moduleResetRule struct {
	base
	lastCmd evInfo
	boots   []boot
}

// restarting reports whether a command restarts or powers off the module
// on purpose.
func restarting(ev evInfo) bool {
	a := dialect.CommandNetAction(ev.Name, ev.Form, ev.Args)
	return a == dialect.NetReset || a == dialect.NetPowerOff
}

func (m *moduleResetRule) event(r *run, ev *decode.Event) {
	switch ev.Kind {
	case decode.KindCommand:
		m.lastCmd = ringInfo(ev)
		return
	case decode.KindURC, decode.KindResponse, decode.KindText, decode.KindResult:
	default:
		return
	}
	voltage := dialect.SupplyWarning(ev)
	start, down, again := dialect.Boot(ev)
	isBoot := start && !again || down
	if !voltage && !isBoot || len(m.boots) >= 50 {
		return
	}
	if n := len(m.boots); n > 0 && !voltage && ev.Seq-m.boots[n-1].ev.Seq < 30 && !m.boots[n-1].voltage {
		return // the same start-up (RDY, then its other lines)
	}
	b := boot{ev: infoOf(ev), voltage: voltage}
	if m.lastCmd.Seq >= 0 && restarting(m.lastCmd) && ev.Seq-m.lastCmd.Seq < 40 {
		b.expected, b.cmd = true, strings.Clone(m.lastCmd.Text)
	}
	m.boots = append(m.boots, b)
}

func (m *moduleResetRule) finish(r *run) {
	for _, b := range m.boots {
		if b.voltage {
			r.add(Finding{Rule: idModuleReset, Severity: Error, Client: dialect.ModuleClient,
				Title:       "The module reported a supply voltage problem (" + b.ev.Text + ")",
				Explanation: fmt.Sprintf("Line %d: %s. A module warns, then powers down, when its supply leaves the allowed range; a cellular module draws current peaks of up to 2 A when it transmits.", b.ev.Line, b.ev.Text),
				Advice:      "Check the supply: its voltage under load, the current it can deliver, the capacitors near the module, and the wiring; then restart the module and redo the setup.",
				Lines:       []int{b.ev.Line}, Marks: []Mark{{Line: b.ev.Line, Text: b.ev.Text}}})
			continue
		}
		if b.expected {
			continue
		}
		seq := b.ev.Seq
		var after []*dialect.Op
		for _, op := range r.ops {
			if op.Client != dialect.ModuleClient && firstSeq(op) >= seq {
				after = append(after, op)
			}
		}
		first := r.firstClient
		if first == nil || firstSeq(first) >= seq {
			continue // a start-up before the MQTT work: normal
		}
		var connected []string
		for _, s := range r.clientSessions() {
			for _, c := range s.Connections {
				if c.Connected != nil && lastSeq(c.Connected) < seq && (c.Ended == nil || lastSeq(c.Ended) >= seq) {
					connected = append(connected, fmt.Sprintf("%s (connected at line %d)", clientName(s.Client), lastLineOf(c.Connected)))
				}
			}
		}
		e := decode.Event{Name: b.ev.Name, Text: b.ev.Text}
		_, down, _ := dialect.Boot(&e)
		title := fmt.Sprintf("The module restarted (%s) in the middle of the session", b.ev.Text)
		why := fmt.Sprintf("Line %d shows %s after the MQTT work had started (line %d).", b.ev.Line, b.ev.Text, firstLineOf(first))
		if down {
			title = fmt.Sprintf("The module powered down (%s) in the middle of the session", b.ev.Text)
			why = fmt.Sprintf("Line %d shows %s, and the host did not ask for it.", b.ev.Line, b.ev.Text)
		}
		if len(connected) > 0 {
			why += " " + strings.Join(connected, ", ") + " lost its session."
		}
		why += " A restart closes every MQTT client and the PDP context and forgets the MQTT configuration commands' settings (receive mode, keep-alive, will: they are not saved), and echo is back on (ATE1 is the default)."
		lines := []int{b.ev.Line}
		for _, op := range after {
			if r.anyGapBetween(seq, firstSeq(op), func(k kindStatus) bool {
				return k.status == dialect.StatusFailed || k.status == dialect.StatusTimeout
			}) {
				break // the first to fail may be one the engine did not keep
			}
			if op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout {
				why += fmt.Sprintf(" The first operation after it to fail is the %s at line %d (%s): it assumed the state from before the restart.", op.Kind, firstLineOf(op), firstClause(reasonOf(op)))
				lines = append(lines, op.Lines...)
				r.claim(op)
				break
			}
		}
		r.add(Finding{Rule: idModuleReset, Severity: Error, Client: dialect.ModuleClient, Title: title, Explanation: why,
			Advice: "Find why it restarted: supply dips when the radio transmits (check the supply under load and its capacitors), a watchdog, or the host toggling RESET or PWRKEY. Make the host watch for RDY and redo the whole setup after it (ATE0, configuration, open, connect, subscribe).",
			Lines:  lines, Marks: []Mark{{Line: b.ev.Line, Text: b.ev.Text}}})
	}
}

// keepaliveRule: keep-alive off, a keep-alive longer than cellular NATs
// keep idle links, and the link losses a failed ping the log shows
// explains: a module's report of a failed keep-alive exchange, or a PINGREQ
// the host wrote to a socket that got no PINGRESP. A loss after silence
// alone is no keep-alive story: the modules of MQTT commands ping by
// themselves without a line in the log, and over a socket the host's
// silence is socket-no-pingreq's. Following the ops in log order, the rule
// notes for each of the host's PINGREQs the latest traffic before it.
type keepaliveRule struct {
	base
	traffic map[int]trafficAt         // per client, the latest traffic so far
	before  map[*dialect.Op]trafficAt // per PINGREQ, the client's latest traffic before it
}

// trafficAt is when an op's traffic ended, and where it is in the log.
type trafficAt struct {
	at  time.Time
	seq int
}

func (k *keepaliveRule) inOrder(r *run, op *dialect.Op) {
	if k.traffic == nil {
		k.traffic, k.before = map[int]trafficAt{}, map[*dialect.Op]trafficAt{}
	}
	switch op.Kind {
	case dialect.OpPublish, dialect.OpReceive, dialect.OpSubscribe, dialect.OpUnsubscribe:
		if t := opEnd(op); !t.IsZero() {
			k.traffic[op.Client] = trafficAt{t, firstSeq(op)}
		}
	case dialect.OpLink:
		if dialect.SocketPingOp(op) { // a PINGREQ is traffic: the broker heard the client
			if t, ok := k.traffic[op.Client]; ok {
				k.before[op] = t
			}
			t := opEnd(op)
			if op.Status != dialect.StatusOK || t.IsZero() {
				t = opStart(op)
			}
			if !t.IsZero() {
				k.traffic[op.Client] = trafficAt{t, firstSeq(op)}
			}
		}
	}
}

// natIdle is a typical idle timeout of carrier NATs for TCP.
const natIdle = 300

// pingLoss reports whether a link loss names a failed keep-alive.
func pingLoss(op *dialect.Op) bool {
	code, _ := dialect.ExplainOp(op)
	return pingFailed(op, code)
}

func (k *keepaliveRule) finish(r *run) {
	for _, s := range r.clientSessions() {
		var conn *dialect.Op
		reported := map[string]bool{}
		for _, op := range s.Ops {
			switch {
			case op.Kind == dialect.OpConnect && op.Status == dialect.StatusOK:
				conn = op
				configFindings(r, s.Client, op, reported)
			case conn == nil:
			case op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed && r.claimed[op]:
				conn = nil // explained already (socket-no-pingreq)
			case dialect.SocketPingOp(op) && (op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout):
				k.unansweredPing(r, conn, op, reported)
				conn = nil
			case op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed:
				failedPingLoss(r, conn, op, reported)
				conn = nil
			case op.Kind == dialect.OpDisconnect || op.Kind == dialect.OpClose:
				conn = nil
			}
		}
	}
}

// configFindings are the findings of a connect's keep-alive setting: off,
// or longer than carrier NATs keep idle links.
func configFindings(r *run, client int, op *dialect.Op, reported map[string]bool) {
	if op.KeepAlive > natIdle && !wifiDialect(op.Dialect) && !reported["long"] {
		reported["long"] = true
		r.add(Finding{Rule: idKeepalive, Severity: Info, Client: client,
			Title:       fmt.Sprintf("%s uses a keep-alive of %d s, longer than carrier NATs keep idle links", clientName(client), op.KeepAlive),
			Explanation: fmt.Sprintf("The connect at line %d asks for a keep-alive of %d s. Many mobile networks drop an idle TCP connection from their NAT after a few minutes (often 2-5), so between two pings the connection can die without either side knowing; the broker notices only after 1.5 times the keep-alive.", firstLineOf(op), op.KeepAlive),
			Advice:      "Use 60-240 s on cellular links (under the carrier's NAT timeout), or accept that a silent drop is noticed late. A device that sleeps longer than the keep-alive must reconnect after waking.",
			Lines:       op.Lines})
	}
	if op.KeepAlive == 0 && op.Dialect != "espat" && op.Dialect != "cipmqtt" && !reported["off"] {
		reported["off"] = true
		r.add(Finding{Rule: idKeepalive, Severity: Warning, Client: client,
			Title:       fmt.Sprintf("%s connected with the keep-alive off (0)", clientName(client)),
			Explanation: fmt.Sprintf("The connect at line %d has a keep-alive of 0: no PINGREQ is ever sent, so a dead link is only noticed when a publish fails, the broker keeps a dead session open, and it never publishes the will for a device that simply went silent.", firstLineOf(op)),
			Advice:      fmt.Sprintf("Set a keep-alive of 60-120 s (in the client's configuration before %s).", connectCommand(op.Dialect)),
			Lines:       op.Lines})
	}
}

// unansweredPing reports a PINGREQ the host wrote that the broker never
// answered: when it was sent (on time or late for the keep-alive) and how
// long the client waited before it gave up.
func (k *keepaliveRule) unansweredPing(r *run, conn, ping *dialect.Op, reported map[string]bool) {
	ka := conn.KeepAlive
	why := fmt.Sprintf("%s sent a PINGREQ at line %d", clientName(ping.Client), firstLineOf(ping))
	t, ok := k.before[ping]
	if !ok || t.seq < firstSeq(conn) {
		t = trafficAt{opEnd(conn), firstSeq(conn)} // the CONNECT is the latest traffic
	}
	if conn.Timed && ping.Timed && !t.at.IsZero() && !opStart(ping).IsZero() {
		idle := opStart(ping).Sub(t.at)
		when := "on time for"
		if ka > 0 && idle > time.Duration(ka)*time.Second {
			when = "later than"
		}
		if ka > 0 {
			why += fmt.Sprintf(", %s after its last traffic (%s its keep-alive of %d s)", timeline.HumanDuration(idle), when, ka)
		}
	}
	why += ", and the broker never answered it with a PINGRESP."
	by := r.after(ping, func(o *dialect.Op) bool {
		return ping.AbandonedBy >= 0 && slices.Contains(o.Seqs, int(ping.AbandonedBy))
	})
	switch {
	case by != nil && ping.Timed && by.Timed && !opStart(by).IsZero():
		why += fmt.Sprintf(" The client gave up %s later (line %d) and closed the link.", timeline.HumanDuration(opStart(by).Sub(opStart(ping))), firstLineOf(by))
	case ping.AbandonedLine >= 0:
		why += fmt.Sprintf(" The link ended at line %d.", ping.AbandonedLine)
	}
	why += " An unanswered PINGREQ means the broker, or the way to it, is gone: a NAT that dropped the idle mapping, a broker that closed the session, or lost coverage."
	reportLoss(r, ping, Finding{
		Title:       fmt.Sprintf("%s's PINGREQ got no PINGRESP (keep-alive %s)", clientName(ping.Client), keepText(ka)),
		Explanation: why,
		Advice:      "Reconnect when a PINGRESP does not come within a reasonable time (as this client did). If it happens often, use a keep-alive under the carrier's NAT idle timeout (60-120 s is safe) and check the signal and the broker's log for why it closed the session.",
		Lines:       pingLines(conn, ping, by)}, reported)
}

// pingLines are the lines of an unanswered ping's finding: the connect, the
// PINGREQ, and the first line of the op that gave up on it.
func pingLines(conn, ping, by *dialect.Op) []int {
	lines := append(append([]int{}, conn.Lines...), ping.Lines...)
	if by != nil {
		lines = append(lines, firstLineOf(by))
	}
	return lines
}

// failedPingLoss reports a link loss that the module says a failed
// keep-alive exchange caused (its ping report, or its code's row).
func failedPingLoss(r *run, conn, op *dialect.Op, reported map[string]bool) {
	if !pingLoss(op) {
		return // silence alone proves nothing: the module pings unlogged
	}
	if _, _, down := r.net.at(firstSeq(op)).problem(); down {
		return // the network went first (pdp-lost explains it)
	}
	ka := conn.KeepAlive
	why := fmt.Sprintf("The link of %s was lost at line %d because the keep-alive exchange failed (%s).", clientName(op.Client), firstLineOf(op), resultTextOp(r, op))
	if ka > natIdle {
		why += fmt.Sprintf(" The keep-alive of %d s is longer than many carriers keep an idle TCP connection in their NAT (often 2-5 minutes), so the mapping can expire between pings.", ka)
	}
	reportLoss(r, op, Finding{
		Title:       fmt.Sprintf("%s lost its link when its keep-alive exchange failed (keep-alive %s)", clientName(op.Client), keepText(ka)),
		Explanation: why,
		Advice:      "Use a keep-alive shorter than the carrier's NAT idle timeout (60-120 s is safe); make sure the module is awake to ping (PSM or eDRX sleep longer than the keep-alive makes the broker drop the client), and check the signal.",
		Lines:       append(append([]int{}, conn.Lines...), op.Lines...)}, reported)
}

// reportLoss adds the keep-alive finding f of a link loss once per client
// and explanation: a warning when the client connected again, else an
// error; the loss is explained.
func reportLoss(r *run, loss *dialect.Op, f Finding, reported map[string]bool) {
	f.Rule, f.Client, f.Severity = idKeepalive, loss.Client, Error
	if back, exact := r.recoveredAfter(loss); back != nil {
		f.Severity = Warning
		f.Explanation += " The client connected again " + againAt(back, exact) + "."
	}
	r.claim(loss)
	if reported[f.Explanation] {
		return
	}
	reported[f.Explanation] = true
	r.add(f)
}

// wifiDialect reports a dialect of Wi-Fi modules, whose links do not go
// through carrier NATs.
func wifiDialect(d string) bool {
	f, ok := dialect.FactsOf(d)
	return ok && f.WiFi
}

func keepText(k int) string {
	if k < 0 {
		return "not known"
	}
	return fmt.Sprintf("%d s", k)
}

// duplicateIDRule: two clients of one log connect with the same client ID.
type duplicateIDRule struct{ base }

func (duplicateIDRule) finish(r *run) {
	byID := map[string][]*dialect.Op{}
	var ids []string
	for _, op := range r.ops {
		if op.Kind != dialect.OpConnect || op.ClientID == "" || op.Client == dialect.ModuleClient {
			continue
		}
		if _, ok := byID[op.ClientID]; !ok {
			ids = append(ids, op.ClientID)
		}
		byID[op.ClientID] = append(byID[op.ClientID], op)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ops := byID[id]
		clients := map[int]*dialect.Op{}
		var order []int
		for _, op := range ops {
			if _, ok := clients[op.Client]; !ok {
				clients[op.Client] = op
				order = append(order, op.Client)
			}
		}
		if len(order) < 2 {
			continue
		}
		var lines []int
		var names []string
		for _, c := range order {
			lines = append(lines, firstLineOf(clients[c]))
			names = append(names, fmt.Sprintf("%s (line %d)", clientName(c), firstLineOf(clients[c])))
		}
		r.add(Finding{Rule: idDuplicateID, Severity: Error, Client: order[0],
			Title:       fmt.Sprintf("Client ID %q is used by %d clients", id, len(order)),
			Explanation: fmt.Sprintf("%s connect with the same client ID. A broker keeps one session per client ID: when a client connects with an ID that is already connected, the broker disconnects the existing one [MQTT-3.1.4-2], so the clients take turns losing their link.", strings.Join(names, " and ")),
			Advice:      "Give every client a unique client ID (for example the IMEI plus the client index).",
			Lines:       lines})
	}
}

// willRule explains when the broker publishes a configured will, and warns
// when a reconnect after a link loss is not followed by an "online" message
// on the will topic. It follows each client's ops in log order, the
// publishes that went well included (they are not kept for the end).
type willRule struct {
	base
	clients map[int]*willState
}

// willState is what the will rule follows of a client.
type willState struct {
	first    *dialect.Op // the first connect with a will
	lost     bool        // a link loss so far
	lastConn *dialect.Op // the latest successful connect after a loss, after first
	online   bool        // a publish on the will topic since lastConn
}

func (w *willRule) inOrder(_ *run, op *dialect.Op) {
	if op.Client == dialect.ModuleClient {
		return
	}
	if w.clients == nil {
		w.clients = map[int]*willState{}
	}
	st := w.clients[op.Client]
	if st == nil {
		st = &willState{}
		w.clients[op.Client] = st
	}
	switch {
	case st.first == nil && op.Kind == dialect.OpConnect && op.Will != nil && op.Will.Topic != "":
		st.first = op
	case op.Kind == dialect.OpLink && op.Status == dialect.StatusFailed:
		st.lost = true
	case op.Kind == dialect.OpConnect && op.Status == dialect.StatusOK && st.first != nil && firstSeq(op) > firstSeq(st.first):
		if st.lost {
			st.lastConn, st.online = op, false
		}
	case op.Kind == dialect.OpPublish && st.lastConn != nil && op.Topic == st.first.Will.Topic:
		st.online = true
	}
}

func (w *willRule) finish(r *run) {
	for _, s := range r.clientSessions() {
		st := w.clients[s.Client]
		if st == nil || st.first == nil {
			continue
		}
		first := st.first
		w := first.Will
		k := first.KeepAlive
		ka := "1.5 times the keep-alive"
		if k > 0 {
			ka = fmt.Sprintf("1.5 times the keep-alive (%d s here, so about %s)", k, timeline.HumanDuration(time.Duration(k)*1500*time.Millisecond))
		}
		why := fmt.Sprintf("%s connects with a will: %q on %q (QoS %d, retain %v). The broker publishes it when the connection ends without a DISCONNECT: the link breaks, the module loses power or coverage, or the broker hears nothing for %s. A DISCONNECT (%s) makes the broker discard it [MQTT-3.1.2-10]. Two surprises follow: after a power cut the will comes only when that time has passed; and if the device comes back sooner with the same client ID, the broker ends the old session then and publishes the will just as the device is back online.",
			clientName(s.Client), w.Message, w.Topic, w.QoS, w.Retain, ka, commandOf(first.Dialect, dialect.OpDisconnect, "the disconnect command"))
		sev := Info
		lines := first.Lines
		// A reconnect after a loss with no "online" publish on the will topic.
		lastConn := st.lastConn
		if lastConn != nil && !st.online {
			sev = Warning
			why += fmt.Sprintf(" This client reconnected after a link loss (line %d) and published nothing on the will topic afterwards, so subscribers may still see the will message.", firstLineOf(lastConn))
			lines = append(append([]int{}, lines...), lastConn.Lines...)
		}
		r.add(Finding{Rule: idWill, Severity: sev, Client: s.Client,
			Title:       fmt.Sprintf("%s has a will on %q: when the broker publishes it", clientName(s.Client), w.Topic),
			Explanation: why,
			Advice:      "After every CONNACK publish a retained \"online\" message on the will topic (and make the will retained too), so that the last word on the topic is always right.",
			Lines:       lines})
	}
}
