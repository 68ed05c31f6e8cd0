package dialect

import (
	"testing"

	"atscope/decode"
)

func TestCommandNetAction(t *testing.T) {
	for _, tc := range []struct {
		name string
		form decode.Form
		args string
		want NetAction
	}{
		{"+QIACT", decode.FormWrite, "1", NetActivate},
		{"+QIACT", decode.FormRead, "", NetNone},
		{"+CGACT", decode.FormWrite, "1,1", NetActivate},
		{"+CGACT", decode.FormWrite, "0,1", NetDeactivate},
		{"+CNACT", decode.FormWrite, "0,1", NetActivate},
		{"+CNACT", decode.FormWrite, "0, 0", NetDeactivate},
		{"+NETOPEN", decode.FormExec, "", NetActivate},
		{"+CIICR", decode.FormExec, "", NetActivate},
		{"+CIPSHUT", decode.FormExec, "", NetDeactivate},
		{"+QIDEACT", decode.FormWrite, "1", NetDeactivate},
		{"+CFUN", decode.FormWrite, "0", NetRadioOff},
		{"+CFUN", decode.FormWrite, "4", NetRadioOff},
		{"+CFUN", decode.FormWrite, "1", NetNone},
		{"+CFUN", decode.FormWrite, "1,1", NetReset},
		{"+QPOWD", decode.FormWrite, "1", NetPowerOff},
		{"+QPOWD", decode.FormExec, "", NetPowerOff},
		{"+CGATT", decode.FormWrite, "0", NetDetach},
		{"+COPS", decode.FormWrite, "2", NetDetach},
		{"+COPS", decode.FormWrite, "0", NetNone},
		{"+CWJAP", decode.FormWrite, `"ap","pw"`, NetWifiJoin},
		{"+CWQAP", decode.FormExec, "", NetWifiLeave},
		{"+QMTOPEN", decode.FormWrite, `0,"h",1883`, NetNone},
	} {
		if got := CommandNetAction(tc.name, tc.form, tc.args); got != tc.want {
			t.Errorf("%s %v %q: %v, want %v", tc.name, tc.form, tc.args, got, tc.want)
		}
	}
}

func TestNetworkReports(t *testing.T) {
	ev := func(kind decode.Kind, name, args string) *decode.Event {
		return &decode.Event{Kind: kind, Name: name, Args: args, Text: name + ": " + args}
	}
	for _, tc := range []struct {
		ev     *decode.Event
		bearer Bearer
		access Access
		reg    bool
	}{
		{ev(decode.KindURC, "+CGEV", "NW PDN DEACT 1"), BearerDownNet, AccessUnknown, false},
		{ev(decode.KindURC, "+CGEV", "ME PDN ACT 1"), BearerUp, AccessUnknown, false},
		{ev(decode.KindURC, "+QIURC", `"pdpdeact",1`), BearerDownNet, AccessUnknown, false},
		{ev(decode.KindURC, "+APP PDP", "0,DEACTIVE"), BearerDown, AccessUnknown, false},
		{ev(decode.KindResponse, "+COPS", `0,0,"Telekom",8`), BearerSame, AccessLTEM, true},
		{ev(decode.KindResponse, "+COPS", `0`), BearerSame, AccessUnknown, false},
		{ev(decode.KindResponse, "+QNWINFO", `"CAT-NB1","26201","LTE BAND 8",3740`), BearerSame, AccessNBIoT, false},
		{ev(decode.KindResponse, "+QNWINFO", `"GPRS","26201","GSM 900",62`), BearerSame, Access2G3G, false},
	} {
		if got := BearerReport(tc.ev); got != tc.bearer {
			t.Errorf("%s: bearer %v, want %v", tc.ev.Text, got, tc.bearer)
		}
		a, reg, _ := AccessReport(tc.ev)
		if a != tc.access || reg != tc.reg {
			t.Errorf("%s: access %v registered %v, want %v %v", tc.ev.Text, a, reg, tc.access, tc.reg)
		}
	}
	if _, stat, ok := Registration(ev(decode.KindResponse, "+CGREG", "0,4")); !ok || stat != 4 || Registered(stat) {
		t.Errorf("+CGREG: 0,4 read as %d %v", stat, ok)
	}
	if _, stat, ok := Registration(ev(decode.KindURC, "+CEREG", `5,"8A2C"`)); !ok || !Registered(stat) {
		t.Errorf("+CEREG: 5,... read as %d %v", stat, ok)
	}
}

func TestSuccessResult(t *testing.T) {
	for name, want := range map[string]bool{"OK": true, "SEND OK": true, "SHUT OK": true, "ERROR": false, "SEND FAIL": false, "+CME ERROR": false} {
		if got := SuccessResult(name); got != want {
			t.Errorf("SuccessResult(%q) = %v, want %v", name, got, want)
		}
	}
}
