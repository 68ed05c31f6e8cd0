package dialect

import (
	"slices"
	"strings"
	"testing"
)

// splitArgsBefore is splitArgs as it was before appendArgs, kept as the
// reference the allocation-free splitter must agree with.
func splitArgsBefore(s string, n int) []string {
	if s == "" {
		return nil
	}
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if quoted {
				continue
			}
			if n > 0 && len(out) == n-1 {
				return append(out, strings.TrimSpace(s[start:]))
			}
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// splitEscapedBefore is SplitEscaped as it was before appendEscaped.
func splitEscapedBefore(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[min(start, len(s)):]))
}

// checkEscaped fails unless SplitEscaped and appendEscaped agree with
// splitEscapedBefore on s.
func checkEscaped(t *testing.T, s string) {
	t.Helper()
	want := splitEscapedBefore(s)
	if got := SplitEscaped(s); !slices.Equal(got, want) {
		t.Fatalf("SplitEscaped(%q) = %q, want %q", s, got, want)
	}
	var buf [argsOnStack]string
	if got := appendEscaped(buf[:0], s); !slices.Equal(got, want) {
		t.Fatalf("appendEscaped(buf, %q) = %q, want %q", s, got, want)
	}
}

// checkSplit fails unless splitArgs and appendArgs (onto a stack array and
// onto fields already there) agree with splitArgsBefore on s for n.
func checkSplit(t *testing.T, s string, n int) {
	t.Helper()
	want := splitArgsBefore(s, n)
	if got := splitArgs(s, n); !slices.Equal(got, want) || len(got) != cap(got) {
		t.Fatalf("splitArgs(%q, %d) = %q (cap %d), want %q", s, n, got, cap(got), want)
	}
	var buf [argsOnStack]string
	if got := appendArgs(buf[:0], s, n); !slices.Equal(got, want) {
		t.Fatalf("appendArgs(buf, %q, %d) = %q, want %q", s, n, got, want)
	}
	if got := appendArgs([]string{"x"}, s, n); !slices.Equal(got[1:], want) || got[0] != "x" {
		t.Fatalf("appendArgs([x], %q, %d) = %q, want x then %q", s, n, got, want)
	}
}

var splitCases = []string{
	"",
	",",
	",,",
	" , ",
	"0",
	"0,1",
	` 0 , 1 ,2 `,
	`0,"fleet/dev-0/loop",30,"{"seq":246,"ts":1717056072299}"`,
	`0,0,"t",5,"a,b"`,
	`"a,b",c`,
	`"unterminated,x,y`,
	`a\",b,c`,
	`"x\"y",z`,
	`"",,""`,
	`0,"t","a\,b\"c",1,0`,
	`x\`,
	`\`,
	"1,2,3,4,5,6,7,8,9,10,11,12",
	"\t1,\u00a02\u00a0,\u0085",
	`0,"fleet/dev-0/cmd/+",1,"fleet/dev-0/x",0`,
}

func TestSplitArgsUnchanged(t *testing.T) {
	for _, s := range splitCases {
		for n := -1; n <= 13; n++ {
			checkSplit(t, s, n)
		}
		checkEscaped(t, s)
	}
}

// FuzzSplitArgs holds appendArgs, splitArgs, appendEscaped and
// SplitEscaped to the splitters they replaced on any input and field limit.
func FuzzSplitArgs(f *testing.F) {
	for i, s := range splitCases {
		f.Add(s, i%6)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		checkSplit(t, s, n%16)
		checkEscaped(t, s)
	})
}
