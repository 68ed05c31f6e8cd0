package report

import (
	"fmt"
	"strings"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// ConnStats are the numbers of a client's connections (`report --json`
// gives them per client).
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

// ConnectionStats counts a client's connections; last is the log's last
// time, which ends the uptime of a connection still up.
func ConnectionStats(s *timeline.Session, last time.Time) ConnStats {
	st := ConnStats{Connections: len(s.Connections)}
	for _, c := range s.Connections {
		if c.Connected != nil {
			st.Connected++
		}
		st.UpAtLogStart = st.UpAtLogStart || c.Up == timeline.UpAtLogStart
		if d, ok := c.Uptime(last); ok {
			st.up += d
			st.timed = true
		}
		if c.Ended != nil && c.Ended.Status == dialect.StatusFailed {
			st.LinkLosses++
		}
	}
	st.UptimeMS = st.up.Milliseconds()
	if n := len(s.Connections); n > 0 {
		lastConn := s.Connections[n-1]
		st.StillConnected = lastConn.Connected != nil && lastConn.Ended == nil
	}
	return st
}

// ConnectionSummary says how many connections a client had and how long
// they were up; last is the log's last time.
func ConnectionSummary(s *timeline.Session, last time.Time) string {
	st := ConnectionStats(s, last)
	if st.Connections == 0 {
		return "never connected"
	}
	parts := []string{countOf(st.Connections, "connection", "connections")}
	parts = append(parts, pickedUpSummary(s)...)
	if st.Connected < st.Connections {
		parts = append(parts, fmt.Sprintf("%d reached CONNACK", st.Connected))
	}
	if st.timed {
		parts = append(parts, "up "+timeline.HumanDuration(st.up)+" in all")
	}
	if st.LinkLosses > 0 {
		parts = append(parts, countOf(st.LinkLosses, "link loss", "link losses"))
	}
	if st.StillConnected {
		parts = append(parts, "still connected when the log ends")
	}
	return strings.Join(parts, ", ")
}

// pickedUpSummary says which connections the log shows by their traffic
// alone (timeline.Connection.Up).
func pickedUpSummary(s *timeline.Session) []string {
	var out []string
	for _, c := range s.Connections {
		switch c.Up {
		case timeline.UpAtLogStart:
			out = append(out, "connected when the log starts")
		case timeline.UpUnanswered:
			line := 0
			if len(c.Unanswered.Lines) > 0 {
				line = c.Unanswered.Lines[0]
			}
			out = append(out, fmt.Sprintf("connected although the %s at line %d shows no result", c.Unanswered.Kind, line))
		}
	}
	return out
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

// Span says when a log starts and ends, or that it has no times.
func Span(first, last time.Time, timed bool) string {
	if !timed {
		return "the log has no timestamps: latencies cannot be measured"
	}
	layout := "2006-01-02 15:04:05.000"
	if first.Year() == 0 {
		return fmt.Sprintf("%s to %s (%s), time of day only (--date sets the day)",
			first.Format("15:04:05.000"), last.Format("15:04:05.000"), timeline.HumanDuration(last.Sub(first)))
	}
	return fmt.Sprintf("%s to %s (%s)", first.Format(layout), last.Format(layout), timeline.HumanDuration(last.Sub(first)))
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
