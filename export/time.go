package export

import "time"

// FormatTime renders a logged time in RFC 3339 with milliseconds, or finer
// when the log was finer. Logs that stamp only the time of day carry the
// year 0 unless the user gave --date.
func FormatTime(t time.Time) string {
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return t.Format("2006-01-02T15:04:05.000Z07:00")
	}
	return t.Format(time.RFC3339Nano)
}
