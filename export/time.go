package export

import "time"

// millisLayout is RFC 3339 with milliseconds.
const millisLayout = "2006-01-02T15:04:05.000Z07:00"

// FormatTime renders a logged time in RFC 3339 with milliseconds, or finer
// when the log was finer. Logs that stamp only the time of day carry the
// year 0 unless the user gave --date.
func FormatTime(t time.Time) string {
	var buf [len(time.RFC3339Nano) + 8]byte
	return string(AppendTime(buf[:0], t))
}

// AppendTime appends FormatTime(t). Whole milliseconds in UTC, what logs
// give, are written by hand: time.Time.AppendFormat, which interprets its
// layout every time, was a tenth of `atscope events --json`.
func AppendTime(b []byte, t time.Time) []byte {
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	year, month, day := t.Date()
	if _, offset := t.Zone(); offset != 0 || year < 0 || year > 9999 {
		return t.AppendFormat(b, millisLayout)
	}
	hour, minute, second := t.Clock()
	b = appendDigits(b, year, 4)
	b = appendDigits(append(b, '-'), int(month), 2)
	b = appendDigits(append(b, '-'), day, 2)
	b = appendDigits(append(b, 'T'), hour, 2)
	b = appendDigits(append(b, ':'), minute, 2)
	b = appendDigits(append(b, ':'), second, 2)
	b = appendDigits(append(b, '.'), t.Nanosecond()/int(time.Millisecond), 3)
	return append(b, 'Z')
}

// appendDigits appends the last width (at most 4) decimal digits of v ≥ 0,
// zero-padded.
func appendDigits(b []byte, v, width int) []byte {
	b = append(b, "0000"[:width]...)
	for i := len(b) - 1; v > 0 && i >= len(b)-width; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}
