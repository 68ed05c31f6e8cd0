package report

import (
	"fmt"
	"strings"
	"time"

	"atscope/decode"
	"atscope/dialect"
	"atscope/timeline"
)

// ConnStats are the numbers of a client's connections (`report --json`
// gives them per client): ClientSummary.ConnStats.
type ConnStats struct {
	Connections    int   `json:"connections"`
	Connected      int   `json:"connected"` // reached CONNACK
	UptimeMS       int64 `json:"uptime_ms,omitempty"`
	up             time.Duration
	timed          bool
	LinkLosses     int  `json:"link_losses"`
	StillConnected bool `json:"still_connected"` // when the log ends
	// UpAtLogStart: the log starts mid-session, the client connected
	// before it (timeline.UpAtLogStart).
	UpAtLogStart bool `json:"up_at_log_start,omitempty"`
}

// CountSummary renders counts as "publish 6 ok, 1 timeout · receive 3 ok".
func CountSummary(c timeline.Count) string {
	var kinds []string
	for _, k := range dialect.OpKinds() {
		byStatus := c[k]
		if len(byStatus) == 0 {
			continue
		}
		var parts []string
		for _, st := range dialect.Statuses() {
			if n := byStatus[st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, st))
			}
		}
		kinds = append(kinds, k.String()+" "+strings.Join(parts, ", "))
	}
	if len(kinds) == 0 {
		return "none"
	}
	return strings.Join(kinds, " · ")
}

// Span says when a log starts and ends, or that it has no times. Times
// without a date are a time of day, or offsets from what origin says.
func Span(first, last time.Time, timed bool, origin decode.TimeOrigin) string {
	if !timed {
		return "the log has no timestamps: latencies cannot be measured"
	}
	layout := "2006-01-02 15:04:05.000"
	if first.Year() == 0 {
		return fmt.Sprintf("%s to %s (%s), %s", first.Format("15:04:05.000"), last.Format("15:04:05.000"),
			timeline.HumanDuration(last.Sub(first)), undated(origin))
	}
	return fmt.Sprintf("%s to %s (%s)", first.Format(layout), last.Format(layout), timeline.HumanDuration(last.Sub(first)))
}

// undated says what times without a date count from, and which flag
// places them on the calendar.
func undated(origin decode.TimeOrigin) string {
	from := "the capture's start"
	switch origin {
	case decode.OriginClock:
		return "time of day only (--date sets the day)"
	case decode.OriginBoot:
		from = "the device's boot"
	}
	return "counted from " + from + ", not a time of day (--start places them on the clock)"
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Headline is what every format says first: whether atscope understood
// the log (said first when it did not, with what to try), then one verdict
// per client.
func (r *Report) Headline() []string {
	var out []string
	if u := r.Understanding; !u.Understood && u.Reason != "" {
		s := "not understood: " + u.Reason
		if u.Line > 0 {
			s += fmt.Sprintf(" (line %d)", u.Line)
		}
		if u.Hint != "" {
			s += "; try: " + u.Hint
		}
		out = append(out, s)
	}
	for _, v := range r.Verdicts {
		out = append(out, v.Text)
	}
	return out
}
