package dialect

import "testing"

func TestFuzzRegressions(t *testing.T) {
	for _, in := range []string{"AT+QMTPUB=,,\"\"\r\n", "+QMTCONN:\r\n", "OK  ", "AT+QMTPUB=0,\"\r\n", "+QMTSUB:\r\n+QMTRECV:\r\n+QMTSTAT:\r\n", "AT+QMTPUB=0,1,1,0,\"t\",-5\r\r\n> ab\r\nOK\r\n"} {
		decodeOps(t, "x.log", []byte(in), "auto")
		decodeOps(t, "x.log", []byte(in), "quectel")
	}
}
