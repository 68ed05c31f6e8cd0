package timeline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// jsonID is an id field of a JSON payload: the field name as written and
// the value (a string's text, a number as written).
type jsonID struct{ field, value string }

// idFields are the JSON field names that carry a request id, lower case
// without _ and -: id, msgId, msg_id, mid, messageId, requestId, reqId,
// cmdId, commandId, correlationId, transactionId, rpcId.
var idFields = map[string]bool{
	"id": true, "msgid": true, "mid": true, "messageid": true, "requestid": true, "reqid": true,
	"cmdid": true, "commandid": true, "correlationid": true, "transactionid": true, "rpcid": true,
}

var idFieldSeparators = strings.NewReplacer("_", "", "-", "")

// maxIDField is longer than any name in idFields, once normalised.
const maxIDField = 16

// isIDField reports whether the (decoded) field name k names an id.
func isIDField(k string) bool {
	var norm [maxIDField]byte
	n := 0
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= utf8.RuneSelf:
			// Unicode case folding, which can turn non-ASCII into ASCII
			// (İ → i): the slow, general way.
			return idFields[strings.ToLower(idFieldSeparators.Replace(k))]
		case c == '_' || c == '-':
			continue
		case n == len(norm):
			return false // ToLower keeps the length in runes: too long
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		norm[n] = c
		n++
	}
	return idFields[string(norm[:n])]
}

// appendJSONIDs appends the id fields at the top level of a JSON object
// payload to dst, sorted by field name. A hand-written scanner handles
// the payloads seen in practice without allocating; what it is unsure of
// (escapes, duplicate id fields, deep nesting) goes to encoding/json,
// which stays the reference: both find the same ids (FuzzJSONIDs).
// Measured (issue 13.6): encoding/json alone costs about 40 % more CPU on
// BenchmarkLatencyShapes with the loggen shape and 180 % with the
// independent one (a third of its messages are commands with a JSON id).
func appendJSONIDs(dst []jsonID, payload string) []jsonID {
	p, ok := idCandidate(payload)
	if !ok {
		return dst
	}
	if ids, sure := scanJSONIDs(dst, p); sure {
		return ids
	}
	return decodeJSONIDs(dst, p)
}

// idCandidate is the payload without surrounding space, when it may be a
// JSON object with an id. Every id field name ends in "id": payloads
// without `d"` (most telemetry) are not looked into.
func idCandidate(payload string) (string, bool) {
	p := strings.TrimSpace(payload)
	if len(p) < 2 || p[0] != '{' || !strings.Contains(p, `d"`) && !strings.Contains(p, `D"`) {
		return "", false
	}
	return p, true
}

func byField(a, b jsonID) int { return cmp.Compare(a.field, b.field) }

// decodeJSONIDs finds the ids of p with encoding/json.
func decodeJSONIDs(dst []jsonID, p string) []jsonID {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(p), &obj) != nil {
		return dst
	}
	n := len(dst)
	for k, raw := range obj {
		if !isIDField(k) {
			continue
		}
		// The object is valid JSON: a number is its text as written.
		switch v := bytes.TrimSpace(raw); {
		case len(v) > 0 && v[0] == '"':
			var s string
			if json.Unmarshal(v, &s) == nil && s != "" {
				dst = append(dst, jsonID{k, s})
			}
		case len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
			dst = append(dst, jsonID{k, string(v)})
		}
	}
	slices.SortFunc(dst[n:], byField)
	return dst
}

// scanJSONIDs finds the ids of p ('{'...) without encoding/json: it checks
// that p is valid JSON as encoding/json does, and collects the id fields
// of the top-level object. sure is false when p needs encoding/json.
func scanJSONIDs(dst []jsonID, p string) (ids []jsonID, sure bool) {
	sc := idScanner{s: p, ids: dst, from: len(dst)}
	valid := sc.object(1)
	sc.space()
	switch {
	case sc.unsure:
		return dst, false
	case !valid || sc.i != len(p):
		return dst, true // not JSON: no ids
	}
	slices.SortFunc(sc.ids[sc.from:], byField)
	return sc.ids, true
}

// maxScanDepth is the nesting the scanner follows; deeper JSON goes to
// encoding/json, which has its own limit.
const maxScanDepth = 256

// idScanner walks a JSON text. Its methods check the value at s[i] and move
// past it, returning false where the text is not JSON.
type idScanner struct {
	s      string
	i      int
	ids    []jsonID
	from   int       // ids before from are the caller's
	named  int       // id fields met, in ids or not
	unsure bool      // the text needs encoding/json
	seen   [4]string // the id field names met
}

func (sc *idScanner) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *idScanner) space() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *idScanner) value(depth int) bool {
	sc.space()
	switch c := sc.peek(); {
	case c == '{':
		return sc.object(depth + 1)
	case c == '[':
		return sc.array(depth + 1)
	case c == '"':
		_, _, ok := sc.str()
		return ok
	case c == '-' || '0' <= c && c <= '9':
		return sc.number()
	}
	return sc.literal("true") || sc.literal("false") || sc.literal("null")
}

// object checks the object at s[i] ('{'); at depth 1, the top level, it
// collects the id fields.
func (sc *idScanner) object(depth int) bool {
	if depth > maxScanDepth {
		sc.unsure = true
		return false
	}
	sc.i++ // {
	sc.space()
	if sc.peek() == '}' {
		sc.i++
		return true
	}
	for {
		sc.space()
		if sc.peek() != '"' {
			return false
		}
		key, escaped, ok := sc.str()
		sc.space()
		if !ok || sc.peek() != ':' {
			return false
		}
		sc.i++
		sc.space()
		start := sc.i
		if !sc.value(depth) {
			return false
		}
		if depth == 1 {
			sc.member(key, escaped, sc.s[start:sc.i])
		}
		sc.space()
		switch sc.peek() {
		case ',':
			sc.i++
		case '}':
			sc.i++
			return true
		default:
			return false
		}
	}
}

func (sc *idScanner) array(depth int) bool {
	if depth > maxScanDepth {
		sc.unsure = true
		return false
	}
	sc.i++ // [
	sc.space()
	if sc.peek() == ']' {
		sc.i++
		return true
	}
	for {
		if !sc.value(depth) {
			return false
		}
		sc.space()
		switch sc.peek() {
		case ',':
			sc.i++
		case ']':
			sc.i++
			return true
		default:
			return false
		}
	}
}

// member notes a top-level field, the key as written between its quotes
// and the value's JSON text. encoding/json decodes escapes and replaces
// invalid UTF-8: the scanner leaves those keys and values to it, and the
// choice between duplicate id fields (the last wins) too.
func (sc *idScanner) member(key string, escaped bool, value string) {
	if escaped || !utf8.ValidString(key) {
		sc.unsure = true
		return
	}
	if !isIDField(key) {
		return
	}
	if sc.named == len(sc.seen) || slices.Contains(sc.seen[:sc.named], key) {
		sc.unsure = true
		return
	}
	sc.seen[sc.named] = key
	sc.named++
	switch c := value[0]; {
	case c == '"':
		text := value[1 : len(value)-1]
		if strings.IndexByte(text, '\\') >= 0 || !utf8.ValidString(text) {
			sc.unsure = true
		} else if text != "" {
			sc.ids = append(sc.ids, jsonID{key, text})
		}
	case c == '-' || '0' <= c && c <= '9':
		sc.ids = append(sc.ids, jsonID{key, value})
	}
}

// str moves past the string at s[i] ('"') and returns its text between
// the quotes, and whether it has escapes.
func (sc *idScanner) str() (text string, escaped, ok bool) {
	start := sc.i + 1
	for i := start; i < len(sc.s); i++ {
		switch c := sc.s[i]; {
		case c == '"':
			sc.i = i + 1
			return sc.s[start:i], escaped, true
		case c < 0x20:
			return "", false, false
		case c == '\\':
			n := escapeLen(sc.s[i+1:])
			if n == 0 {
				return "", false, false
			}
			escaped = true
			i += n
		}
	}
	return "", false, false
}

// escapeLen is the length of the escape after a backslash at the start of
// s, or 0 if it is not one.
func escapeLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 1
	case 'u':
		if len(s) >= 5 && isHex(s[1]) && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) {
			return 5
		}
	}
	return 0
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// number moves past a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (sc *idScanner) number() bool {
	s, i := sc.s, sc.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = skipDigits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := skipDigits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	sc.i = i
	return true
}

func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

func (sc *idScanner) literal(word string) bool {
	if !strings.HasPrefix(sc.s[sc.i:], word) {
		return false
	}
	sc.i += len(word)
	return true
}
