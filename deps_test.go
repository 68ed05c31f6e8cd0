package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyPolicy holds the layering of ARCHITECTURE.md in place:
// decode < dialect < timeline < export < cli < main. cobra and tablewriter
// live only in cli; gopacket only in export and in decode's USB capture
// reader; nothing may import gopacket/pcap, which needs cgo.
//
// DO NOT CHANGE THIS TABLE TO FIX A BUILD: move the code instead.
var dependencyPolicy = map[string]struct{ allowed, forbidden []string }{
	"atscope/decode":   {forbidden: []string{"atscope/dialect", "atscope/timeline", "atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
	"atscope/dialect":  {forbidden: []string{"atscope/timeline", "atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter", "github.com/gopacket/gopacket"}},
	"atscope/timeline": {forbidden: []string{"atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter", "github.com/gopacket/gopacket"}},
	"atscope/export":   {forbidden: []string{"atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
}

func TestDependencyPolicy(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for pkg, rule := range dependencyPolicy {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "github.com/gopacket/gopacket/pcap" {
				t.Errorf("%s imports %s, which needs cgo", pkg, dep)
			}
			for _, f := range rule.forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s must not import %s", pkg, dep)
				}
			}
		}
	}
}
