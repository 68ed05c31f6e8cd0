package dialect

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestSameSessionSameOps decodes one EC21 session captured in four formats
// (socat, a Saleae export, a USB capture, ModemManager's debug log) and
// checks that they give the same operations.
func TestSameSessionSameOps(t *testing.T) {
	var first, firstName string
	for _, name := range []string{"ec21-mqtt-socat.log", "ec21-mqtt-saleae.csv", "ec21-mqtt-usb.pcapng", "ec21-mqtt-modemmanager.log"} {
		data, err := os.ReadFile("../samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		ops, _ := decodeOps(t, name, data, "auto")
		var b strings.Builder
		for _, op := range ops {
			fmt.Fprintf(&b, "%d %s %s %s %s %q %q %d %v\n", op.Client, op.Kind, op.Name, op.Status, op.Code, op.Topic, op.Payload, op.MsgID, op.Granted)
		}
		if first == "" {
			first, firstName = b.String(), name
			if len(ops) < 8 {
				t.Fatalf("%s gives only %d ops:\n%s", name, len(ops), first)
			}
			continue
		}
		if b.String() != first {
			t.Errorf("%s gives other ops than %s:\n%s\nwant:\n%s", name, firstName, b.String(), first)
		}
	}
}
