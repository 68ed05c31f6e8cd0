package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"atscope/dialect"
)

// literalHomes are the folders whose strings may name vendor commands: the
// dialects (the one home of vendor facts) and the log generators (loggen,
// and mqttrec's renderers of recorded sessions), which write vendor lines
// on purpose (issue 13).
var literalHomes = []string{"dialect", "internal/loggen", "internal/mqttrec"}

// vendorWords are the names of every dialect's commands and URCs that say
// "this vendor": the "+NAME"/"#NAME" commands and the result lines of more
// than one word ("CONNECT FAIL", "WIFI GOT IP"). Single words ("ready",
// "PUBACK") are plain English or MQTT's own vocabulary, and 3GPP commands
// (+CPIN) belong to no vendor.
func vendorWords() []string {
	var words []string
	for _, d := range dialect.All() {
		for _, c := range d.Facts.Commands {
			if strings.HasPrefix(c.Name, "+") || strings.HasPrefix(c.Name, "#") || strings.Contains(c.Name, " ") {
				words = append(words, c.Name)
			}
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// namesVendor reports the vendor word a string literal names: one of
// words, not followed by a letter or digit, or a "+NAME" prefix of one
// (strings.HasPrefix(name, "+QMT")).
func namesVendor(s string, words []string) (string, bool) {
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			end := i + j + len(w)
			if end == len(s) || !isWordByte(s[end]) {
				return w, true
			}
			i = end
		}
		if len(s) >= 4 && (s[0] == '+' || s[0] == '#') && strings.HasPrefix(w, s) && !strings.ContainsAny(s, " :=") {
			return w, true
		}
	}
	return "", false
}

// snippet is the line of s where w starts, cut to a readable length.
func snippet(s, w string) string {
	i := max(strings.Index(s, w), 0)
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := len(s)
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		end = i + j
	}
	if end-start > 80 {
		start, end = max(start, i-20), min(end, i+60)
	}
	return s[start:end]
}

func isWordByte(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// TestNoVendorLiterals: no string literal outside the dialects and the
// generator names a vendor command (issue 13 point 3). Consumers read
// dialect's tables (dialect.ArgRoles, dialect.ExplainOp, Facts) instead.
func TestNoVendorLiterals(t *testing.T) {
	words := vendorWords()
	if len(words) < 50 {
		t.Fatalf("only %d vendor words in the dialect tables", len(words))
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" ||
			slices.Contains(literalHomes, filepath.ToSlash(path))) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if w, ok := namesVendor(s, words); ok {
				t.Errorf("%s: %q names the vendor command %s: read it from dialect's tables", fset.Position(lit.Pos()), snippet(s, w), w)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNamesVendor: the matcher itself.
func TestNamesVendor(t *testing.T) {
	words := []string{"+QMTOPEN", "+QMTPUB", "CONNECT FAIL"}
	tests := []struct {
		s    string
		want bool
	}{
		{"AT+QMTOPEN=0", true},
		{"+QMTPUB", true},
		{"+QMTPUBEX", false}, // another word, not this one
		{"+QMT", true},       // a prefix of a vendor name
		{"see CONNECT FAIL", true},
		{"+CME ERROR", false},
		{"connect failed", false},
		{"+QM", false},
	}
	for _, tt := range tests {
		if _, got := namesVendor(tt.s, words); got != tt.want {
			t.Errorf("namesVendor(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
