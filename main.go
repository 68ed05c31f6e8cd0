// Command atscope turns captured AT serial logs of cellular and Wi-Fi modules
// into MQTT-level understanding: events, per-client timelines, latency,
// diagnoses and Wireshark captures.
package main

import (
	"os"

	"atscope/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
