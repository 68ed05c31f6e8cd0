package dialect

import "slices"

// commonFacts are the 3GPP commands every module speaks whose arguments a
// consumer must know (secrets and identities) [3GPP TS 27.007]. What they
// do to the network is in network.go.
var commonFacts = Facts{
	Commands: []Command{
		{Name: "+CGDCONT", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgAPN}, Cite: "27.007 §10.1.1: AT+CGDCONT=<cid>,<PDP_type>,\"<APN>\""},
		{Name: "+CGAUTH", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgBearerUser, ArgBearerPassword}, Cite: "27.007 §10.1.31: AT+CGAUTH=<cid>,<auth_prot>,\"<user>\",\"<password>\""},
		{Name: "+CPIN", NotOp: true, Args: []ArgRole{ArgPIN, ArgPIN}, Cite: "27.007 §8.3: AT+CPIN=<pin>[,<new pin>]"},
		{Name: "+CPWD", NotOp: true, Args: []ArgRole{ArgOther, ArgPIN, ArgPIN}, Cite: "27.007 §7.5: AT+CPWD=\"<fac>\",\"<oldpwd>\",\"<newpwd>\""},
		{Name: "+CLCK", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgPIN}, Cite: "27.007 §7.4: AT+CLCK=\"<fac>\",<mode>,\"<passwd>\""},
	},
}

// Identity is the number a command answers with.
type Identity uint8

const (
	IdentityNone  Identity = iota
	IdentityIMEI           // the module's serial number
	IdentityIMSI           // the SIM's subscriber identity
	IdentityICCID          // the SIM card's number
	IdentityInfo           // ATI: product information, with the IMEI on some modules
)

// identityCommands answer with the module's or the SIM's numbers
// [3GPP TS 27.007 §5.4, §5.6; V.250 I], and the vendors' own forms.
var identityCommands = map[string]Identity{
	"+CGSN": IdentityIMEI, "+GSN": IdentityIMEI, "+QGSN": IdentityIMEI, "+EGMR": IdentityIMEI, "I": IdentityInfo,
	"+CIMI": IdentityIMSI, "+QCIMI": IdentityIMSI,
	"+QCCID": IdentityICCID, "+CCID": IdentityICCID, "+ICCID": IdentityICCID, "+ZGETICCID": IdentityICCID, "+CICCID": IdentityICCID,
}

// IdentityOf says which number command (or answer line) name gives.
func IdentityOf(name string) (Identity, bool) {
	id, ok := identityCommands[name]
	return id, ok
}

// IdentityCommands lists the commands that answer with id, sorted, as
// the tokenizer names them ("+CIMI").
func IdentityCommands(id Identity) []string {
	var out []string
	for name, i := range identityCommands {
		if i == id {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
