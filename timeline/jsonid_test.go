package timeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// jsonIDCases are payloads with what appendJSONIDs finds in them, and
// whether the scanner is sure of them without encoding/json.
var jsonIDCases = []struct {
	payload, want string
	sure          bool
}{
	{`{"method":"restart","id":1001}`, "id=1001", true},
	{` {"msgId":"abc-1","x":{"id":7}} `, "msgId=abc-1", true}, // top level only
	{`{"request_id":"r9","mid":3}`, "mid=3 request_id=r9", true},
	{`{"seq":1,"ts":1717060997117}`, "", true},
	{`{"id":""}`, "", true},
	{`{"id":null}`, "", true},
	{`{"id":true}`, "", true},
	{`{"id":{"id":1}}`, "", true},
	{`{"id":[1,2]}`, "", true},
	{`{"x":[{"id":1}],"id":2}`, "id=2", true},
	{`{"id":1.5e3}`, "id=1.5e3", true},
	{`{"id":1e3}`, "id=1e3", true},
	{`{"id":1.0}`, "id=1.0", true},
	{`{"id":-0}`, "id=-0", true},
	{`{"id":-1.25E+07}`, "id=-1.25E+07", true},
	{`{"id" : 42 , "cmd_id":"x"}`, "cmd_id=x id=42", true},
	{`{"ID":1,"id":2,"Id":3}`, "ID=1 Id=3 id=2", true},
	{`{"Request-Id":"q","transactionId":9}`, "Request-Id=q transactionId=9", true},
	{`{"idx":1,"uid":2,"valid":3}`, "", true},
	{`{"name":"a\"b","id":"é1"}`, "id=é1", true},
	{`{"note":"\u00e9\n","id":5}`, "id=5", true},
	{`{"id":"a\u0062c"}`, "id=abc", false}, // an escaped id
	{`{"i\u0064":7}`, "", true},            // no `d"`: not looked into
	{`{"i\u0064":7,"d":0}`, "id=7", false}, // an escaped key
	{`{"id":1,"id":2}`, "id=2", false},     // duplicates: the last wins
	{`{"id":1,"id":{}}`, "", false},
	{"{\"id\":\"\xff\"}", "id=\ufffd", false}, // invalid UTF-8
	{"{\"\xff\":1,\"id\":2}", "id=2", false},
	{"{\"\u0130D\":4}", "\u0130D=4", true}, // İ lower-cases to i
	// Not JSON: no ids.
	{`{"id":7`, "", true},
	{`{"id":7}x`, "", true},
	{`{"id":7}}`, "", true},
	{`{"id":07}`, "", true},
	{`{"id":1.}`, "", true},
	{`{"id":.5}`, "", true},
	{`{"id":1e}`, "", true},
	{`{"id":+1}`, "", true},
	{`{"id":-}`, "", true},
	{`{"id":tru}`, "", true},
	{`{"id":1,}`, "", true},
	{`{"id":[1,]}`, "", true},
	{`{"id":'1'}`, "", true},
	{`{id:1}`, "", true},
	{"{\"id\":\"a\tb\"}", "", true}, // a control character in a string
	{`{"id":"\x"}`, "", true},
	{`{"id":"\u12"}`, "", true},
	{`{"id":1 "x":2}`, "", true},
	{`[{"id":7}]`, "", true},
	{`id=7`, "", true},
	{`{"id":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`, "", false}, // deep
}

func idText(ids []jsonID) string {
	var s []string
	for _, id := range ids {
		s = append(s, id.field+"="+id.value)
	}
	return strings.Join(s, " ")
}

func TestJSONIDs(t *testing.T) {
	for _, tt := range jsonIDCases {
		if got := idText(appendJSONIDs(nil, tt.payload)); got != tt.want {
			t.Errorf("appendJSONIDs(%s) = %q, want %q", tt.payload, got, tt.want)
		}
		p, ok := idCandidate(tt.payload)
		if !ok {
			continue
		}
		if _, sure := scanJSONIDs(nil, p); sure != tt.sure {
			t.Errorf("scanJSONIDs(%s): sure = %v, want %v", tt.payload, sure, tt.sure)
		}
	}
}

// TestJSONIDsAppend checks that ids are appended after the caller's.
func TestJSONIDsAppend(t *testing.T) {
	dst := []jsonID{{"z", "0"}}
	for _, p := range []string{`{"mid":2,"id":1}`, `{"mid":2,"id":1,"id":1}`} {
		if got := idText(appendJSONIDs(dst, p)); got != "z=0 id=1 mid=2" {
			t.Errorf("%s: %q", p, got)
		}
	}
}

// FuzzJSONIDs checks that the scanner finds what encoding/json finds,
// whenever it is sure.
func FuzzJSONIDs(f *testing.F) {
	for _, tt := range jsonIDCases {
		f.Add(tt.payload)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if p == "" || p[0] != '{' {
			p = "{" + p
		}
		fast, sure := scanJSONIDs(nil, p)
		if !sure {
			return
		}
		if slow := decodeJSONIDs(nil, p); !slices.Equal(fast, slow) {
			t.Errorf("%q: scanner %s, encoding/json %s", p, fmt.Sprint(fast), fmt.Sprint(slow))
		}
	})
}
