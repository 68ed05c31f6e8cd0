package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyPolicy holds the layering of ARCHITECTURE.md in place:
// decode < dialect < timeline < export < cli < main, checked over all
// dependencies. cobra and tablewriter live only in cli. gopacket is imported
// directly only by export and by decode's USB capture reader, and nothing may
// depend on gopacket/pcap, which needs cgo.
//
// DO NOT CHANGE THIS TABLE TO FIX A BUILD: move the code instead.
var dependencyPolicy = map[string]struct{ allowed, forbidden []string }{
	"atscope/decode": {forbidden: []string{"atscope/dialect", "atscope/timeline", "atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
	// mqttstream knows MQTT over byte streams, not vendors: the socket dialects use it.
	"atscope/mqttstream": {forbidden: []string{"atscope/decode", "atscope/dialect", "atscope/timeline", "atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
	"atscope/dialect":    {forbidden: []string{"atscope/timeline", "atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
	"atscope/timeline":   {forbidden: []string{"atscope/export", "atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
	"atscope/export":     {forbidden: []string{"atscope/cli", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}},
}

// directGopacket lists the packages that may import gopacket themselves.
var directGopacket = map[string]bool{"atscope/decode": true, "atscope/export": true}

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

func TestGopacketImporters(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, "github.com/gopacket/gopacket") && !directGopacket[f[0]] {
				t.Errorf("%s imports %s: only %v may", f[0], imp, directGopacket)
			}
		}
	}
}
