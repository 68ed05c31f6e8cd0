// Package export writes what atscope decoded in the formats other tools
// read: JSON Lines and CSV for scripts, pcapng for Wireshark. Writers take an
// io.Writer and never open files.
package export
