package dialect

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
