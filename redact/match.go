package redact

import "strings"

// matcher finds learned secrets in text in one pass: a trie over their
// bytes, walked from each position whose byte starts a secret. The cost is
// the length of the text times the length of the longest partial match,
// whatever the number of secrets (a list tried at each byte made 4,000
// secrets take over a minute).
type matcher struct {
	edges map[uint64]int32 // node<<8 | byte -> child node
	term  []*secret        // the secret that ends at a node, if any
	first [256]bool        // bytes that start a secret
	// pairs holds the first two bytes of each secret (b0<<8 | b1), one
	// bit each; a secret of one byte sets every pair it starts: a place
	// is walked only when its pair is here.
	pairs [1 << 16 / 64]uint64
	// lineBreaks is set when a secret holds a CR or LF: text cut at line
	// ends may then hide it.
	lineBreaks bool
}

// newMatcher builds the matcher of secrets, those replaced only in place
// included when inPlaceToo.
func newMatcher(secrets map[string]*secret, inPlaceToo bool) *matcher {
	m := &matcher{edges: map[uint64]int32{}, term: []*secret{nil}}
	for _, s := range secrets {
		if s.scope == inPlace && !inPlaceToo {
			continue
		}
		node := int32(0)
		for i := 0; i < len(s.Value); i++ {
			key := uint64(node)<<8 | uint64(s.Value[i])
			next, ok := m.edges[key]
			if !ok {
				next = int32(len(m.term))
				m.term = append(m.term, nil)
				m.edges[key] = next
			}
			node = next
		}
		m.term[node] = s
		m.first[s.Value[0]] = true
		m.addPairs(s.Value)
		m.lineBreaks = m.lineBreaks || strings.ContainsAny(s.Value, "\r\n")
	}
	return m
}

// addPairs records the first two bytes of v, or every pair its one byte
// starts.
func (m *matcher) addPairs(v string) {
	if len(v) > 1 {
		pair := int(v[0])<<8 | int(v[1])
		m.pairs[pair/64] |= 1 << (pair % 64)
		return
	}
	for b := range 256 {
		pair := int(v[0])<<8 | b
		m.pairs[pair/64] |= 1 << (pair % 64)
	}
}

// mayStart reports whether a secret may start at text[i]: its first two
// bytes (or its one byte, at the end of text) start one.
func mayStart[T string | []byte](m *matcher, text T, i int) bool {
	if !m.first[text[i]] {
		return false
	}
	if i+1 == len(text) {
		return true
	}
	pair := int(text[i])<<8 | int(text[i+1])
	return m.pairs[pair/64]&(1<<(pair%64)) != 0
}

// hit is a secret found at a position, and where it ends in the text.
type hit struct {
	s   *secret
	end int
}

// at returns the longest secret that starts at text[i] and may be replaced
// there (nil when none). With lineEnds, one run of CR and LF inside a long
// secret is stepped over: a log tool split it over two lines.
func (m *matcher) at(text string, i int, lineEnds bool, stack []hit) (hit, []hit) {
	stack = stack[:0]
	if !mayStart(m, text, i) {
		return hit{}, stack
	}
	walk(m, text, i, lineEnds, func(s *secret, end int, stepped bool) bool {
		if !stepped || s.scope == anywhere && len(s.Value) >= 8 {
			stack = append(stack, hit{s, end})
		}
		return true
	})
	for j := len(stack) - 1; j >= 0; j-- {
		h := stack[j]
		if h.s.scope != token || standsAlone(text, i, h.end) {
			return h, stack
		}
	}
	return hit{}, stack
}

// walk follows the trie from text[i], calling found with each secret that
// ends on the way (the longest last), where it ends, and whether a run of
// line ends was stepped over (lineEnds: after the secret's first 3
// bytes), until found returns false.
func walk[T string | []byte](m *matcher, text T, i int, lineEnds bool, found func(s *secret, end int, stepped bool) bool) {
	node, stepped := int32(0), false
	for k := i; k < len(text); k++ {
		c := text[k]
		if lineEnds && !stepped && (c == '\r' || c == '\n') && k-i >= 3 {
			for k < len(text) && (text[k] == '\r' || text[k] == '\n') {
				k++
			}
			stepped = true
			if k == len(text) {
				break
			}
			c = text[k]
		}
		next, ok := m.edges[uint64(node)<<8|uint64(c)]
		if !ok {
			break
		}
		node = next
		if s := m.term[node]; s != nil && !found(s, k+1, stepped) {
			return
		}
	}
}

// holds reports whether a secret of m starts in text[:starts], whatever
// its scope and surroundings (with lineEnds, also over a run of line
// ends): false means that nothing there is to be replaced or is a leak, so
// most lines of a log need no more work and no copy.
func holds[T string | []byte](m *matcher, text T, starts int, lineEnds bool) bool {
	found := false
	for i := 0; i < starts && !found; i++ {
		if mayStart(m, text, i) {
			walk(m, text, i, lineEnds, func(*secret, int, bool) bool {
				found = true
				return false
			})
		}
	}
	return found
}

// standsAlone reports whether text[i:end] touches no identifier byte: a
// user name inside a longer client ID ("alice-dev") is not that user name.
func standsAlone(text string, i, end int) bool {
	return (i == 0 || !isIdent(text[i-1])) && (end == len(text) || !isIdent(text[end]))
}

func isIdent(c byte) bool {
	return isWord(c) || c == '-' || c == '.' || c == '@'
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}
