package dialect

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"atscope/decode"
)

// GeneratedLogs returns the generator's logs of every dialect and format,
// by name. hooks_gen_test.go sets it: the generator imports dialect, so
// only the external test package may import the generator.
var GeneratedLogs func() map[string][]byte

// everyDialect is the plain reading of "auto": every dialect's hooks asked
// in turn, the first answer taken.
type everyDialect struct{}

func (everyDialect) Payload(cmd *decode.Event) decode.Framing {
	for _, d := range All() {
		if f := d.Hooks.Payload(cmd); f.Kind != decode.FrameUnknown {
			return f
		}
	}
	return decode.Framing{}
}

func (everyDialect) Tail(ev *decode.Event) (int, int) {
	for _, d := range All() {
		if inline, follow := d.Hooks.Tail(ev); inline != 0 || follow != 0 {
			return inline, follow
		}
	}
	return 0, 0
}

func (everyDialect) Bare(text string) (string, bool, bool) {
	for _, d := range All() {
		if name, final, ok := d.Hooks.Bare(text); ok {
			return name, final, ok
		}
	}
	return "", false, false
}

func (everyDialect) KnownURC(name string) bool {
	for _, d := range All() {
		if n, ok := d.Hooks.(decode.URCNamer); ok && n.KnownURC(name) {
			return true
		}
	}
	return false
}

// TestHooksKnowTheirURCs checks that every dialect's hooks, asked alone
// (--dialect) or with the others (auto), know the URC rows of its facts
// table, so that the tokenizer splits them when a log glues them together,
// and that auto knows a name exactly when one dialect does.
func TestHooksKnowTheirURCs(t *testing.T) {
	auto, _ := HooksFor("auto")
	autoNamer, ok := auto.(decode.URCNamer)
	if !ok {
		t.Fatal("auto's hooks name no URC")
	}
	var names []string
	for _, d := range All() {
		hooks, _ := HooksFor(d.Name)
		namer, ok := hooks.(decode.URCNamer)
		if !ok {
			t.Fatalf("%s: hooks name no URC", d.Name)
		}
		for _, c := range d.Facts.Commands {
			names = append(names, c.Name, c.Name+"X")
			if c.URC && d.Hooks != nil && !namer.KnownURC(c.Name) {
				t.Errorf("%s: KnownURC(%q) = false for a URC row", d.Name, c.Name)
			}
		}
	}
	for _, ev := range hookCorpus(t).events {
		names = append(names, ev.Name)
	}
	for _, name := range names {
		if got, want := autoNamer.KnownURC(name), (everyDialect{}).KnownURC(name); got != want {
			t.Errorf("auto KnownURC(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestAutoHooksAskEveryDialect checks that the hooks of --dialect auto
// answer what asking every dialect would, on every event and line of the
// samples, test logs and generated logs, and on the bare lines each dialect
// knows.
func TestAutoHooksAskEveryDialect(t *testing.T) {
	auto, err := HooksFor("auto")
	if err != nil {
		t.Fatal(err)
	}
	c := hookCorpus(t)
	for _, ev := range c.events {
		if got, want := auto.Payload(&ev), (everyDialect{}).Payload(&ev); got != want {
			t.Errorf("%s:%d: Payload(%q) = %+v, want %+v", ev.Pos.File, ev.Pos.Line, ev.Text, got, want)
		}
		gi, gf := auto.Tail(&ev)
		wi, wf := everyDialect{}.Tail(&ev)
		if gi != wi || gf != wf {
			t.Errorf("%s:%d: Tail(%q) = %d, %d, want %d, %d", ev.Pos.File, ev.Pos.Line, ev.Text, gi, gf, wi, wf)
		}
	}
	for _, text := range c.texts {
		gn, gfinal, gok := auto.Bare(text)
		wn, wfinal, wok := everyDialect{}.Bare(text)
		if gn != wn || gfinal != wfinal || gok != wok {
			t.Errorf("Bare(%q) = %q, %v, %v, want %q, %v, %v", text, gn, gfinal, gok, wn, wfinal, wok)
		}
	}
}

// corpus is what the hooks are asked about in tests: every event of the
// samples, the dialects' test logs and a small generated log of each
// dialect and format; and as lines, their lines and events' texts, and the
// bare lines each dialect knows.
type corpus struct {
	events []decode.Event
	texts  []string
}

func hookCorpus(t *testing.T) corpus {
	t.Helper()
	c := corpus{texts: []string{"", "OK", "busy p...", "busy processing", "ERR CODE:0x01090000", "+mqttpub:ok", "+MQTTPUB:FAIL",
		"CONNACK OK", "CONNECT FAIL 5", "#XMQTTEVT=1,0", "+TCMQTTDISCON,1", "+TCMQTTDISCON", "+CME ERR: 1", "+TCMQTTPUB: OK",
		"Topic:a/b", "Len:12 QoS:1", "Len:x QoS:1"}}
	for _, words := range []map[string]bool{espBare, luatBare} {
		for w := range words {
			c.texts = append(c.texts, w, w+" ", strings.ToLower(w))
		}
	}
	logs := map[string][]byte{}
	paths, _ := filepath.Glob("../samples/*.log")
	more, _ := filepath.Glob("testdata/*/*.log")
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		logs[p] = data
	}
	if GeneratedLogs == nil {
		t.Fatal("no generated logs: hooks_gen_test.go sets GeneratedLogs")
	}
	maps.Copy(logs, GeneratedLogs())
	for p, data := range logs {
		for _, line := range strings.FieldsFunc(string(data), func(r rune) bool { return r == '\n' || r == '\r' }) {
			c.texts = append(c.texts, strings.TrimSpace(line))
		}
		for _, ev := range tokenizeSample(t, p, data) {
			c.events = append(c.events, ev)
			c.texts = append(c.texts, ev.Text)
		}
	}
	return c
}

// docNames are the command and URC names of dialects.md that no log here
// shows.
var docNames = []string{
	"#XMQTT", "+CGEREP", "+CMD", "+CME", "+CMQTT", "+CMQTTSSLCFG", "+CMS", "+COPS", "+FSWRITE", "+MQTT", "+MQTTALPN",
	"+MQTTTMOUT", "+QATWAKEUP", "+QIDEACT", "+QIOPEN", "+QIURC", "+QMT", "+SAPBR", "+UDWNFILE", "+UMQTTNV", "+UMQTTSN",
	"+UMQTTSNC", "+UMQTTSNER", "+UUMQTT", "+UUMQTTSNC", "+UUPSDA", "+UUPSDD",
}

// TestHooksClaimTheirNames checks that no dialect's hooks answer for what
// their claims leave out, which auto's routing would not ask them about:
// Payload and Tail are asked about every name the logs and dialects.md
// show, with the arguments and text of every event of that name and
// others; Bare about every line.
func TestHooksClaimTheirNames(t *testing.T) {
	c := hookCorpus(t)
	events := map[string][]decode.Event{}
	for _, ev := range c.events {
		if ev.Name != "" && len(events[ev.Name]) < 50 {
			events[ev.Name] = append(events[ev.Name], ev)
		}
	}
	names := append(slices.Collect(maps.Keys(events)), docNames...)
	args := append([]string{"", "0", `0,"t"`, `0,"t",5`, `0,5,"hello"`, `9,0,0,"t",5`, `6,1,1,"t",5,"hello"`, `"t",12`, "1,2,3,4,5"}, quectelPubCases...)
	for _, d := range All() {
		h, ok := d.Hooks.(namedHooks)
		if !ok {
			continue // asked about everything
		}
		payload, tail, bareFirst := h.claims()
		for _, name := range names {
			asked := slices.Clone(events[name])
			for _, a := range args {
				for form := decode.FormNone; form <= decode.FormWrite; form++ {
					asked = append(asked, decode.Event{Kind: decode.KindURC, Form: form, Name: name, Args: a, Text: name + ": " + a})
				}
			}
			for _, ev := range asked {
				if f := h.Payload(&ev); f.Kind != decode.FrameUnknown && !payload.covers(name) {
					t.Errorf("%s: Payload(%q) = %+v, but %s is not among the names it claims", d.Name, ev.Text, f, name)
				}
				if inline, follow := h.Tail(&ev); (inline != 0 || follow != 0) && !tail.covers(name) {
					t.Errorf("%s: Tail(%q) = %d, %d, but %s is not among the names it claims", d.Name, ev.Text, inline, follow, name)
				}
			}
		}
		for _, text := range c.texts {
			if _, _, ok := h.Bare(text); ok && (text == "" || strings.IndexByte(bareFirst, text[0]) < 0) {
				t.Errorf("%s: Bare(%q) answers, but its claimed first bytes are %q", d.Name, text, bareFirst)
			}
		}
	}
}

func tokenizeSample(t *testing.T, file string, data []byte) []decode.Event {
	t.Helper()
	cr, _, err := decode.Open(bytes.NewReader(data), file, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var evs []decode.Event
	tok := decode.NewTokenizer(cr, everyDialect{})
	for tok.Next() {
		evs = append(evs, tok.Event())
	}
	return evs
}

// quectelPubCases are publish arguments in every layout parseQuectelPubArgs
// knows, and broken ones.
var quectelPubCases = []string{
	`0,1,1,0,"t",5`, `0,0,0,0,"fleet/dev-3/telemetry",43`, `0,1,1,0,"t"`, `0,1,1,0,"t",5,"hello"`,
	`0,1,1,0,"t","5"`, `0,"t",1,0,5`, `0,1,"t",1,0,5`, `0,1,"t",1,0`, `0,"1",1,0,"t",5`,
	`0,1,"1",0,"t",5`, `0,1,1,"0","t",5`, `0,1,1,0,t,5`, `0,1,1,0,"a,b",5`, `0,1,1,0,"t",hello, world`,
	`0, 1, 1, 0, "t", 5`, `0,1,1,0,"t",`, `,,,,,`, ``, `0`, `0,1,1,0,"t",{"a":1,"b":2}`, `0,1,1,0,"t",5,6,7`,
}

// The fast path of quectelPubTail answers as the full parse does.
func TestQuectelPubTailIsParsedTail(t *testing.T) {
	for _, args := range quectelPubCases {
		checkQuectelPubTail(t, args)
	}
}

func FuzzQuectelPubTail(f *testing.F) {
	for _, args := range quectelPubCases {
		f.Add(args)
	}
	f.Fuzz(checkQuectelPubTail)
}

func checkQuectelPubTail(t *testing.T, args string) {
	want := parseQuectelPubArgs(args, splitArgs(args, 0)).tail
	if got := quectelPubTail(args); got != want {
		t.Errorf("quectelPubTail(%q) = %q, parseQuectelPubArgs's tail is %q", args, got, want)
	}
}

// bareLines answers as its map does.
func TestBareLinesLookUpIsMapLookUp(t *testing.T) {
	for _, m := range []map[string]bool{espBare, luatBare, {"": true, "A": false}, {}} {
		b := newBareLines(m)
		texts := []string{"", "OK", "+QMTPUBEX: 0,1,0", "SEND OKAY", "send ok", "CONNECT", "a much longer line than any bare line"}
		for line := range m {
			texts = append(texts, line, line+" ", " "+line, strings.ToLower(line))
			if line != "" {
				texts = append(texts, line[1:], line[:len(line)-1])
			}
		}
		for _, text := range texts {
			final, ok := b.lookUp(text)
			if wantFinal, wantOK := m[text]; final != wantFinal || ok != wantOK {
				t.Errorf("lookUp(%q) = %v, %v; the map says %v, %v", text, final, ok, wantFinal, wantOK)
			}
		}
	}
}

// TestHooksMarkBadLengths checks that every hook with a counted payload
// answers a length argument that is no byte count with a bad count, so that
// the '>' stays a prompt and the payload the payload.
func TestHooksMarkBadLengths(t *testing.T) {
	commands := []struct {
		hooks decode.Hooks
		name  string
		args  string // %s is the length
	}{
		{quectelHooks{}, "+QMTPUBEX", `0,1,1,0,"t",%s`},
		{quectelHooks{}, "+QMTPUB", `0,1,1,0,"t",%s`},
		{simcomHooks{}, "+CMQTTPAYLOAD", `0,%s`},
		{simcomHooks{}, "+CMQTTTOPIC", `0,%s`},
		{simcomHooks{}, "+CMQTTSUB", `0,%s,1`},
		{simcomHooks{}, "+CMQTTPUB", `0,"t",1,%s`},
		{smHooks{}, "+SMPUB", `"t",%s,1,0`},
		{espatHooks{}, "+MQTTPUBRAW", `0,"t",%s,1,0`},
		{espatHooks{}, "+MQTTLONGPASSWORD", `0,%s`},
		{luatHooks{}, "+MPUBEX", `"t",1,0,%s`},
		{tencentHooks{}, "+TCMQTTPUBL", `"t",1,%s`},
		{ubloxHooks{}, "+UMQTTC", `9,1,0,"t",%s`},
		{ubloxHooks{}, "+UDWNFILE", `"f",%s`},
		{sockHooks{}, "+CIPSEND", `%s`},
		{sockHooks{}, "+CIPSEND", `1,%s`},
		{sockHooks{}, "+QISEND", `0,%s`},
	}
	for _, c := range commands {
		for _, arg := range []string{"1e30", "99999999999999999999", "-1"} {
			args := strings.Replace(c.args, "%s", arg, 1)
			ev := decode.Event{Kind: decode.KindCommand, Form: decode.FormWrite, Name: c.name, Args: args}
			want := decode.Framing{Kind: decode.FrameCount, Bad: arg}
			if got := c.hooks.Payload(&ev); got != want {
				t.Errorf("%T.Payload(AT%s=%s) = %+v, want %+v", c.hooks, c.name, args, got, want)
			}
		}
		args := strings.Replace(c.args, "%s", "7", 1)
		ev := decode.Event{Kind: decode.KindCommand, Form: decode.FormWrite, Name: c.name, Args: args}
		if got := c.hooks.Payload(&ev); got != (decode.Framing{Kind: decode.FrameCount, N: 7}) {
			t.Errorf("%T.Payload(AT%s=%s) = %+v, want a count of 7", c.hooks, c.name, args, got)
		}
	}
}
