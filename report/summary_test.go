package report_test

import (
	"strings"
	"testing"
	"time"

	"atscope/analyze"
	"atscope/decode"
	"atscope/report"
)

// TestSpanSaysWhatTimesCountFrom: undated times of a logic-analyzer
// capture or of uptime stamps are offsets, not a time of day: the summary
// says what they count from and names --start, not --date.
func TestSpanSaysWhatTimesCountFrom(t *testing.T) {
	const saleae = "name,type,start_time,duration,data\n" +
		`"MCU TX","data",0.001,8.68e-05,"A"` + "\n" + `"MCU TX","data",0.002,8.68e-05,"T"` + "\n" +
		`"MCU TX","data",0.003,8.68e-05,"0x0D"` + "\n" + `"MCU TX","data",0.004,8.68e-05,"0x0A"` + "\n"
	const zephyr = "[00:00:04.050,000] <dbg> modem_chat: modem_chat_script_next: sending: AT+CSQ\n" +
		"[00:00:04.070,000] <dbg> modem_chat: modem_chat_log_received_command: +CSQ:  20 99\n"
	const clock = "[09:15:00.100] AT+CSQ\n[09:15:00.120] +CSQ: 20,99\n[09:15:00.130] OK\n"
	for _, tc := range []struct {
		name, log string
		start     time.Time
		want      string
	}{
		{"capture.csv", saleae, time.Time{}, "counted from the capture's start, not a time of day (--start places them on the clock)"},
		{"capture.csv", saleae, time.Date(2024, 5, 30, 9, 0, 0, 0, time.UTC), "2024-05-30 09:00:00.001 to 2024-05-30 09:00:00.00"},
		{"zephyr.log", zephyr, time.Time{}, "00:00:04.050 to 00:00:04.070 (20 ms), counted from the device's boot, not a time of day (--start places them on the clock)"},
		{"clock.log", clock, time.Time{}, "time of day only (--date sets the day)"},
	} {
		src := analyze.FromReader(tc.name, strings.NewReader(tc.log))
		r, _, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto", Decode: decode.Options{Start: tc.start}}, report.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Span, tc.want) {
			t.Errorf("%s (start %v): span %q, want %q in it", tc.name, tc.start, r.Span, tc.want)
		}
	}
}
