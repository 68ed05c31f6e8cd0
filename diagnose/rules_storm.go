package diagnose

import (
	"fmt"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// reconnectStormRule: many connection attempts in a short time. It follows
// each client's ops in log order (ordered), so that on a long log the
// attempts the engine does not keep count too: per client it holds the
// attempts of the last minute, the densest minute so far, and the counts.
type reconnectStormRule struct {
	base
	clients map[int]*stormCount
}

const (
	stormWindow   = time.Minute
	stormAttempts = 5
	// stormLines bounds the lines an untimed storm lists.
	stormLines = 256
)

// stormCount is what the rule follows of one client's attempts.
type stormCount struct {
	opened        bool // the latest attempt was an open (its connect is no attempt of its own)
	total, failed int
	firstTimed    bool
	untimed       []int // the first lines of the first attempts (for a log without times)
	// recent are the attempts since the oldest one whose minute is still
	// open; open counts, per attempt from open[0] on, the attempts in its
	// minute so far (see densest).
	recent  []stormAttempt
	open    []int
	openAt  int // the index in recent of open[0]'s attempt
	best    []stormAttempt
	bestIdx int // the attempt number of best[0], to break ties as densest did
	seen    int // attempts seen, timed or not
}

type stormAttempt struct {
	line, n int
	start   time.Time
}

func (c *reconnectStormRule) inOrder(_ *run, op *dialect.Op) {
	if op.Client == dialect.ModuleClient || op.Kind != dialect.OpOpen && op.Kind != dialect.OpConnect {
		return
	}
	if c.clients == nil {
		c.clients = map[int]*stormCount{}
	}
	s := c.clients[op.Client]
	if s == nil {
		s = &stormCount{}
		c.clients[op.Client] = s
	}
	attempt := op.Kind == dialect.OpOpen || !s.opened
	s.opened = op.Kind == dialect.OpOpen
	if attempt {
		s.add(op)
	}
}

// add counts an attempt, and runs the minutes it closes (densest's loop,
// one attempt at a time): an attempt's minute runs over the attempts after
// it while they have times within stormWindow of its start.
func (s *stormCount) add(op *dialect.Op) {
	if s.total == 0 {
		s.firstTimed = op.Timed
	}
	s.total++
	if op.Status != dialect.StatusOK {
		s.failed++
	}
	if len(s.untimed) < stormLines {
		s.untimed = append(s.untimed, firstLineOf(op))
	}
	timed := op.Timed && !opStart(op).IsZero()
	a := stormAttempt{line: firstLineOf(op), n: s.seen, start: opStart(op)}
	s.seen++
	kept := 0
	for _, i := range s.open {
		first := s.recent[i-s.openAt]
		if op.Timed && opStart(op).Sub(first.start) <= stormWindow {
			s.open[kept] = i
			kept++
			continue
		}
		s.close(i)
	}
	s.open = s.open[:kept]
	s.recent = append(s.recent, a)
	if timed {
		s.open = append(s.open, s.openAt+len(s.recent)-1)
	}
	s.trim()
}

// close ends the minute of the attempt at index i of recent: its attempts
// run from it to the latest before the one that closed it.
func (s *stormCount) close(i int) {
	win := s.recent[i-s.openAt : len(s.recent)]
	if len(win) > len(s.best) || len(win) == len(s.best) && len(win) > 0 && win[0].n < s.bestIdx {
		s.best, s.bestIdx = append(s.best[:0], win...), win[0].n
	}
}

// trim lets go of the attempts before the oldest open minute.
func (s *stormCount) trim() {
	from := len(s.recent)
	if len(s.open) > 0 {
		from = s.open[0] - s.openAt
	}
	if from > 0 {
		s.recent = append(s.recent[:0], s.recent[from:]...)
		s.openAt += from
	}
}

func (c *reconnectStormRule) finish(r *run) {
	for _, ses := range r.clientSessions() {
		s := c.clients[ses.Client]
		if s == nil || s.total < stormAttempts {
			continue
		}
		for _, i := range s.open {
			s.close(i)
		}
		s.open = nil
		var lines []int
		title, why := "", ""
		if best := s.best; len(best) >= stormAttempts {
			for _, a := range best {
				lines = append(lines, a.line)
			}
			d := best[len(best)-1].start.Sub(best[0].start)
			title = fmt.Sprintf("%s made %d connection attempts in %s", clientName(ses.Client), len(best), timeline.HumanDuration(d))
			why = fmt.Sprintf("%s opened or connected %d times within %s (%s); %d of its %d attempts in the log failed.",
				clientName(ses.Client), len(best), timeline.HumanDuration(d), lineList(lines), s.failed, s.total)
		} else if !s.firstTimed && s.failed >= stormAttempts-1 {
			lines = s.untimed
			title = fmt.Sprintf("%s made %d connection attempts, %d of them failed", clientName(ses.Client), s.total, s.failed)
			why = fmt.Sprintf("%s opened or connected %d times (%s) and %d attempts failed; the log has no times to say how fast.",
				clientName(ses.Client), s.total, lineListOf(lines, s.total), s.failed)
		} else {
			continue
		}
		r.add(Finding{Rule: idReconnectStorm, Severity: Warning, Client: ses.Client, Title: title,
			Explanation: why + " Brokers and cloud platforms throttle or block clients that reconnect many times a minute, and each CONNECT with the same client ID ends the session before it.",
			Advice:      "Wait longer after each failure (1, 2, 4, ... up to 60 s or more, with some randomness), and fix the cause of the first failure instead of retrying it (see its finding).",
			Lines:       lines})
	}
}
