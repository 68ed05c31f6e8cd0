package dialect

import (
	"testing"
)

// TestTypedFacts: ops carry their outcome as fields (CONNACK code, vendor
// code, abandonment, note kinds with numbers), so no consumer reads prose.
func TestTypedFacts(t *testing.T) {
	type want struct {
		name          string // op name to check (first op of that name)
		connack       int    // -1: none shown
		vendor        int
		hasVendor     bool
		abandonedLine int // -1: not abandoned
		noteKind      NoteKind
		have, wantLen int
	}
	tests := []struct {
		dialect, log string
		want         want
	}{
		{"quectel", "AT+QMTCONN=0,\"dev\"\r\nOK\r\n+QMTCONN: 0,0,4\r\n",
			want{"+QMTCONN", 4, 4, true, -1, NoteRemark, 0, 0}},
		{"quectel", "AT+QMTCONN=0,\"dev\"\r\nOK\r\n+QMTCONN: 0,0,0\r\n",
			want{"+QMTCONN", 0, 0, true, -1, NoteRemark, 0, 0}},
		{"quectel", "AT+QMTPUBEX=0,1,1,0,\"t\",20\r\n> hello\r\nOK\r\n+QMTSTAT: 0,1\r\n",
			want{"+QMTPUBEX", -1, 0, false, 4, NotePayloadLength, 5, 20}},
		{"quectel", "AT+QMTSUB=0,1,t,1\r\nOK\r\n+QMTSUB: 0,1,0,1\r\n",
			want{"+QMTSUB", -1, 1, true, -1, NoteDeviation, 0, 0}},
		{"simcom", "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1\r\nOK\r\n+CMQTTCONNECT: 0,30\r\n",
			want{"+CMQTTCONNECT", 4, 30, true, -1, NoteRemark, 0, 0}},
		{"tencent", "AT+TCMQTTCONN=1,5000,240,1,1\r\nOK\r\n+TCMQTTCONN:FAIL,-116\r\n",
			want{"+TCMQTTCONN", 4, -116, true, -1, NoteRemark, 0, 0}},
		{"quectel", "+QMTCONN: 0,0,0\r\n",
			want{"+QMTCONN", 0, 0, true, -1, NoteNotLogged, 0, 0}},
	}
	for _, tt := range tests {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), tt.dialect)
		var op *Op
		for _, o := range ops {
			if o.Name == tt.want.name {
				op = o
				break
			}
		}
		if op == nil {
			t.Errorf("%s %q: no %s op in %d ops", tt.dialect, tt.log, tt.want.name, len(ops))
			continue
		}
		w := tt.want
		if got := connackOf(op); got != w.connack {
			t.Errorf("%q: connack %d, want %d", tt.log, got, w.connack)
		}
		if v, ok := op.VendorCode(); v != w.vendor || ok != w.hasVendor {
			t.Errorf("%q: vendor code %d %v, want %d %v (Code %q)", tt.log, v, ok, w.vendor, w.hasVendor, op.Code)
		}
		if line := op.AbandonedLine; op.Abandoned != (w.abandonedLine >= 0) || line != w.abandonedLine {
			t.Errorf("%q: abandoned %v at line %d, want line %d (%s)", tt.log, op.Abandoned, line, w.abandonedLine, op.Reason)
		}
		if w.noteKind == NoteRemark {
			continue
		}
		found := false
		for _, n := range op.Notes {
			if n.Kind == w.noteKind {
				found = true
				if n.Have != w.have || n.Want != w.wantLen {
					t.Errorf("%q: note %q has %d want %d, want %d and %d", tt.log, n.Text, n.Have, n.Want, w.have, w.wantLen)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s note in %+v", tt.log, w.noteKind, op.Notes)
		}
	}
}

func connackOf(op *Op) int {
	if !op.HasConnack {
		return -1
	}
	return int(op.Connack)
}
