package diagnose

import (
	"strings"
	"testing"
)

// TestWillOnlineAfterReconnect: after a link loss the client reconnects
// and publishes "online" on its will topic, which went well (a routine op
// the engine does not keep): the will rule sees it and does not warn that
// nothing was published. Without the "online" publish it warns.
func TestWillOnlineAfterReconnect(t *testing.T) {
	for _, tc := range []struct {
		file string
		warn bool
	}{
		{"testdata/will-message.online.log", false},
		{"testdata/will-message.offline.log", true},
	} {
		var will []Finding
		for _, f := range boundedRun(t, tc.file, "", 0).Findings() {
			if f.Rule == idWill {
				will = append(will, f)
			}
		}
		if len(will) != 1 {
			t.Fatalf("%s: %d will findings", tc.file, len(will))
		}
		if warned := strings.Contains(will[0].Explanation, "published nothing on the will topic"); warned != tc.warn || (will[0].Severity == Warning) != tc.warn {
			t.Errorf("%s: %s %q, want a warning %v", tc.file, will[0].Severity, will[0].Explanation, tc.warn)
		}
	}
}
