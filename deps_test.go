package main

import (
	"os/exec"
	"strings"
	"testing"
)

// layers hold the layering of ARCHITECTURE.md in place, bottom up:
// decode < dialect < timeline < {diagnose, redact, export} < analyze < cli
// < main. A package may import the packages of the layers below its own,
// never one of its own layer or above; every package of the module is
// listed (TestEveryPackageLayered). cobra and tablewriter live only in cli.
// gopacket is imported directly only by export and by decode's USB capture
// reader, and nothing may depend on gopacket/pcap, which needs cgo.
//
// DO NOT CHANGE THIS TABLE TO FIX A BUILD: move the code instead.
var layers = [][]string{
	// mqttstream knows MQTT over byte streams, not vendors: the socket dialects use it.
	// live follows files and taps serial ports: bytes and files, no AT.
	{"atscope/decode", "atscope/mqttstream", "atscope/live"},
	// mqttrec records real MQTT sessions for the socket dialects' tests.
	{"atscope/dialect", "atscope/internal/mqttrec"},
	{"atscope/timeline"},
	// loggen writes vendor logs for benchmarks (atscope generate); it may
	// move under internal/.
	{"atscope/diagnose", "atscope/redact", "atscope/export", "atscope/loggen", "atscope/internal/loggen"},
	{"atscope/analyze"},
	{"atscope/report"},
	{"atscope/cli"},
	{"atscope"},
}

// cliOnly are the libraries only cli may use.
var cliOnly = []string{"github.com/spf13/cobra", "github.com/olekukonko/tablewriter"}

// dependencyPolicy is what each package must not depend on, derived from
// layers: its own layer and those above, and cliOnly except for cli and
// main.
var dependencyPolicy = func() map[string]struct{ forbidden []string } {
	policy := map[string]struct{ forbidden []string }{}
	for i, layer := range layers {
		for _, pkg := range layer {
			var forbidden []string
			for _, above := range layers[i:] {
				for _, other := range above {
					if other != pkg && other != "atscope" {
						forbidden = append(forbidden, other)
					}
				}
			}
			if pkg != "atscope/cli" && pkg != "atscope" {
				forbidden = append(forbidden, cliOnly...)
			}
			policy[pkg] = struct{ forbidden []string }{forbidden}
		}
	}
	return policy
}()

// directGopacket lists the packages that may import gopacket themselves.
var directGopacket = map[string]bool{"atscope/decode": true, "atscope/export": true}

// modulePackages lists the packages of the module.
func modulePackages(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "list", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	return strings.Fields(string(out))
}

func TestDependencyPolicy(t *testing.T) {
	for _, pkg := range modulePackages(t) {
		rule, ok := dependencyPolicy[pkg]
		if !ok {
			continue // TestEveryPackageLayered says so
		}
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

// TestEveryPackageLayered fails when a package of the module has no place
// in layers: a new package says where it sits.
func TestEveryPackageLayered(t *testing.T) {
	for _, pkg := range modulePackages(t) {
		if _, ok := dependencyPolicy[pkg]; !ok {
			t.Errorf("%s is not in the layers of deps_test.go: say where it sits", pkg)
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
