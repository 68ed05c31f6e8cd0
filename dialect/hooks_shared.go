package dialect

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
