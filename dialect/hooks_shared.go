package dialect

import "atscope/decode"

// countFraming frames the payload of a command whose length argument is
// arg: exactly that many bytes, or, when arg is present but no
// non-negative integer ("-1", "1e30", "99999999999999999999"), a count
// marked Bad, which the tokenizer notes on the command while it still
// reads the payload after the prompt. ok is false when arg is missing.
func countFraming(arg string) (f decode.Framing, ok bool) {
	if arg == "" {
		return decode.Framing{}, false
	}
	if n, ok := atoi(arg); ok && n >= 0 && !isQuoted(arg) {
		return decode.Framing{Kind: decode.FrameCount, N: n}, true
	}
	return decode.Framing{Kind: decode.FrameCount, Bad: arg}, true
}

// numberLike reports whether s is written as a number, integer or not:
// "20", "-1", "1e30", "2.5", "99999999999999999999". An argument in the
// place of either a length or a message is a length when it is.
func numberLike(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && (isDigitByte(s[i]) || s[i] == '.') {
		if isDigitByte(s[i]) {
			digits++
		}
		i++
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := i
		for i < len(s) && isDigitByte(s[i]) {
			i++
		}
		if i == exp {
			return false
		}
	}
	return i == len(s)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// urcNames are the names of the lines a module sends on its own, read from
// facts tables: the URC rows, and the commands whose result arrives as a
// URC of their name. The hooks' KnownURC answers from them, so that the
// tokenizer splits URCs a log glued together without line ends.
type urcNames map[string]bool

func urcNamesOf(facts ...*Facts) urcNames {
	names := urcNames{}
	for _, f := range facts {
		for _, c := range f.Commands {
			if c.URC || c.Result == ResultURC {
				names[c.Name] = true
			}
		}
	}
	return names
}

var (
	quectelURCs = urcNamesOf(&quectel.Facts)
	simcomURCs  = urcNamesOf(&simcom.Facts)
	smURCs      = urcNamesOf(&simcomSM.Facts)
	espatURCs   = urcNamesOf(&espat.Facts, &cipmqtt.Facts) // the hooks both share
	luatURCs    = urcNamesOf(&luat.Facts)
	nordicURCs  = urcNamesOf(&nordic.Facts)
	tencentURCs = urcNamesOf(&tencent.Facts)
	ubloxURCs   = urcNamesOf(&ublox.Facts)
	// the socket families share one set of hooks
	sockURCs = urcNamesOf(&simcomCIP.Facts, &espSock.Facts, &simcomLTE.Facts, &nordicSock.Facts, &quectelSock.Facts, &ubloxSock.Facts)
)

func (quectelHooks) KnownURC(name string) bool { return quectelURCs[name] }
func (simcomHooks) KnownURC(name string) bool  { return simcomURCs[name] }
func (smHooks) KnownURC(name string) bool      { return smURCs[name] }
func (espatHooks) KnownURC(name string) bool   { return espatURCs[name] }
func (luatHooks) KnownURC(name string) bool    { return luatURCs[name] }
func (nordicHooks) KnownURC(name string) bool  { return nordicURCs[name] }
func (tencentHooks) KnownURC(name string) bool { return tencentURCs[name] }
func (ubloxHooks) KnownURC(name string) bool   { return ubloxURCs[name] }
func (sockHooks) KnownURC(name string) bool    { return sockURCs[name] }
