package loggen

import (
	"strconv"
	"time"
)

// renderQCOM writes a line as QCOM shows it with echo on: the host's line
// on _S and its echo on _R, a blank _R record before an unsolicited line
// block (the module's CR LF), the prompt as its own record.
//
//	[2024-05-30 08:00:01:250_S:] AT+QMTOPEN=0,"mqtt.example.com",1883
//	[2024-05-30 08:00:01:250_R:] AT+QMTOPEN=0,"mqtt.example.com",1883
//	[2024-05-30 08:00:01:250_R:] OK
//	[2024-05-30 08:00:02:011_R:]
//	[2024-05-30 08:00:02:011_R:] +QMTOPEN: 0,0
func renderQCOM(g *gen, l *line) {
	rec := func(dir byte, text string) {
		g.out = append(g.out, '[')
		g.out = g.clock.appendDateTime(g.out, l.at, ':')
		g.out = append(g.out, '_', dir, ':', ']', ' ')
		g.out = append(g.out, text...)
		g.out = append(g.out, '\r', '\n')
	}
	switch l.kind {
	case hostLine:
		rec('S', l.text)
		rec('R', l.text)
	case dataLine:
		rec('S', l.text)
	default:
		if l.epoch >= 0 && !l.cont {
			rec('R', "")
		}
		rec('R', l.text)
	}
}

// renderRaw writes the bytes a terminal shows with echo on: the echoed
// command ends with CR, each module line is framed by CR LF [ITU-T V.250
// §5.7.1], the prompt has no line end and the payload follows it.
//
//	AT+QMTPUBEX=0,5,1,0,"fleet/dev-0/telemetry",52\r\r\n> {"seq":... }\r\nOK\r\n
func renderRaw(g *gen, l *line) {
	switch l.kind {
	case hostLine:
		g.out = append(g.out, l.text...)
		g.out = append(g.out, '\r')
	case promptLine:
		g.out = append(g.out, "\r\n> "...)
	case dataLine:
		g.out = append(g.out, l.text...)
	default:
		if !l.cont {
			g.out = append(g.out, '\r', '\n')
		}
		g.out = append(g.out, l.text...)
		g.out = append(g.out, '\r', '\n')
	}
}

// renderStamped writes a host script's log (Python logging) with the
// direction after the time.
//
//	2024-05-30 08:00:01,250 TX: AT+QMTOPEN=0,"mqtt.example.com",1883
//	2024-05-30 08:00:01,250 RX: OK
func renderStamped(g *gen, l *line) {
	g.out = g.clock.appendDateTime(g.out, l.at, ',')
	if l.kind == hostLine || l.kind == dataLine {
		g.out = append(g.out, " TX: "...)
	} else {
		g.out = append(g.out, " RX: "...)
	}
	g.out = append(g.out, l.text...)
	g.out = append(g.out, '\n')
}

// clockCache formats times fast: the date and time of day change once a
// second, the milliseconds on every line.
type clockCache struct {
	sec  int64
	text []byte // "2006-01-02 15:04:05" of sec
}

// appendDateTime appends "2006-01-02 15:04:05" sep "000".
func (c *clockCache) appendDateTime(b []byte, t time.Time, sep byte) []byte {
	if s := t.Unix(); s != c.sec || c.text == nil {
		c.sec, c.text = s, t.AppendFormat(c.text[:0], time.DateTime)
	}
	b = append(b, c.text...)
	b = append(b, sep)
	ms := t.Nanosecond() / 1e6
	if ms < 100 {
		b = append(b, '0')
	}
	if ms < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(ms), 10)
}
