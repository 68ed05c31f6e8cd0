package timeline

import (
	"fmt"
	"strings"
)

// TopicRule pairs requests on topics that match the filter Request with
// answers on topics that match Response (--match-topic A=B).
type TopicRule struct {
	Request, Response string
}

// ParseTopicRule parses "A=B".
func ParseTopicRule(s string) (TopicRule, error) {
	a, b, ok := strings.Cut(s, "=")
	if !ok {
		return TopicRule{}, fmt.Errorf("%q: want REQUEST_TOPIC=RESPONSE_TOPIC", s)
	}
	r := TopicRule{Request: strings.TrimSpace(a), Response: strings.TrimSpace(b)}
	for _, f := range []string{r.Request, r.Response} {
		if err := ValidFilter(f); err != nil {
			return TopicRule{}, fmt.Errorf("%q: %w", s, err)
		}
	}
	return r, nil
}

// ValidFilter checks an MQTT topic filter: not empty, + only as a whole
// level, # only as the whole last level [MQTT-4.7.1-2] [MQTT-4.7.1-3].
func ValidFilter(f string) error {
	if f == "" {
		return fmt.Errorf("empty topic filter")
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		switch {
		case l == "#" && i != len(levels)-1:
			return fmt.Errorf("topic filter %q: # must be the last level", f)
		case l != "+" && l != "#" && strings.ContainsAny(l, "+#"):
			return fmt.Errorf("topic filter %q: wildcards must fill a whole level", f)
		}
	}
	return nil
}

// MatchTopic reports whether topic matches the MQTT filter: + matches one
// level, # the rest (including the parent: "a/#" matches "a"), and a
// wildcard first level does not match topics starting with $ [MQTT-4.7.2-1].
// A shared subscription "$share/group/filter" matches like its filter.
func MatchTopic(filter, topic string) bool {
	if rest, ok := strings.CutPrefix(filter, "$share/"); ok {
		if _, f, ok := strings.Cut(rest, "/"); ok {
			filter = f
		}
	}
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		fl, frest, fmore := cutLevel(filter)
		if fl == "#" {
			return true
		}
		tl, trest, tmore := cutLevel(topic)
		if fl != "+" && fl != tl {
			return false
		}
		switch {
		case !fmore && !tmore:
			return true
		case !tmore:
			return frest == "#" // "a/#" matches "a"
		case !fmore:
			return false
		}
		filter, topic = frest, trest
	}
}

// cutLevel is strings.Cut(s, "/"), which MatchTopic calls often enough
// for the general search behind strings.Cut to show.
func cutLevel(s string) (level, rest string, more bool) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// hasIDLevel reports whether a filter has a level that looks like an id.
func hasIDLevel(filter string) bool {
	for l := range strings.SplitSeq(filter, "/") {
		if idLike(l) {
			return true
		}
	}
	return false
}

// wildAtLevel reports whether filter has a wildcard at level n (1-based) of
// a topic: a + there, or a # at or before it.
func wildAtLevel(filter string, n int) bool {
	for i := 0; filter != ""; i++ {
		l, rest, _ := strings.Cut(filter, "/")
		if l == "#" {
			return true
		}
		if i == n-1 {
			return l == "+"
		}
		filter = rest
	}
	return false
}

// idLike reports whether a topic level looks like a per-message id: digits,
// or a hex or UUID string of at least 8 characters with a digit in it.
func idLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	digits, hex := true, true
	hasDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			hasDigit = true
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '-':
			digits = false
		default:
			return false
		}
	}
	return digits || (hex && hasDigit && len(s) >= 8)
}
