package cli

import (
	"bytes"
	"strings"
	"testing"
)

// cellStarts returns the display column where each of words starts in line.
func cellStarts(line string, words ...string) []int {
	var cols []int
	for _, w := range words {
		i := strings.Index(line, w)
		if i < 0 {
			return nil
		}
		cols = append(cols, displayWidth(line[:i]))
	}
	return cols
}

// TestTableAlignsByDisplayWidth: a CJK topic takes two columns a
// character, so the columns after it line up on a terminal (counting runes
// put them one column left per character).
func TestTableAlignsByDisplayWidth(t *testing.T) {
	var out bytes.Buffer
	tbl := newTable(&IO{Out: &out, IsTerminal: true}, "topic", "count", "max ms")
	tbl.alignNumbersFrom("count")
	tbl.row("温度/传感器", "12", "3")
	tbl.row("temp/sensor-0001", "4", "1500")
	if err := tbl.flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header, rule and 2 rows:\n%s", out.String())
	}
	end := func(line, cell string) int { return cellStarts(line, cell)[0] + displayWidth(cell) }
	if a, b := end(lines[2], "12"), end(lines[3], " 4 ")-1; a != b {
		t.Errorf("count ends at column %d and %d:\n%s", a, b, out.String())
	}
	if a, b := end(lines[0], "MAX MS"), end(lines[3], "1500"); a != b {
		t.Errorf("max ms ends at column %d under a header ending at %d:\n%s", b, a, out.String())
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing blanks in %q", l)
		}
	}
}

// TestTableHeadersOverTheirColumns: on a terminal every header starts
// where its column does (they were centred over the widest cell, far from
// short rows).
func TestTableHeadersOverTheirColumns(t *testing.T) {
	for _, tc := range []struct {
		cmd         string
		header, row []string
	}{
		{"dialects", []string{"DIALECT", "DESCRIPTION", "MODULES"}, []string{"quectel", "Quectel", "EC2x"}},
		{"formats", []string{"FORMAT", "DESCRIPTION", "EXAMPLE"}, []string{"sscom", "SSCOM", `"[00:15:17.475]`}},
	} {
		_, out, _ := run(t, true, tc.cmd)
		lines := strings.Split(out, "\n")
		var rowLine string
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), tc.row[0]+" ") {
				rowLine = l
			}
		}
		h, r := cellStarts(lines[0], tc.header...), cellStarts(rowLine, tc.row...)
		if h == nil || r == nil || h[1] != r[1] || h[2] != r[2] {
			t.Errorf("%s: headers start at %v, the %s row's cells at %v:\n%s", tc.cmd, h, tc.row[0], r, out)
		}
	}
}

func TestWriteAlignedCJK(t *testing.T) {
	var out bytes.Buffer
	writeAligned(&out, "  ", [][]string{{"topic", "n"}, {"温度", "1"}, {"abcdef", "22"}}, 1)
	want := "  topic    n\n  温度     1\n  abcdef  22\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestWriteTSVMakesBreaksSpaces checks TSV rows: tabs and line ends inside
// a cell become spaces, cells are joined by tabs, and the reused row
// buffer leaves no bytes of a longer row before it.
func TestWriteTSVMakesBreaksSpaces(t *testing.T) {
	var out bytes.Buffer
	tb := newTable(&IO{Out: &out}, "a", "b")
	tb.row("x\ty\r\nz", "long cell of the first row")
	tb.row("", "\t")
	want := "a\tb\nx y  z\tlong cell of the first row\n\t \n"
	if out.String() != want {
		t.Errorf("TSV = %q, want %q", out.String(), want)
	}
}
