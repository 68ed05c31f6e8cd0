package cli

import "os"

// colorOn decides --color: auto means on a terminal unless NO_COLOR is set
// (https://no-color.org).
func colorOn(io *IO, mode string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return io.IsTerminal && os.Getenv("NO_COLOR") == "", nil
	}
	return false, usagef("unknown --color %q: want auto, never or always%s", mode, didYouMean(mode, colorModes))
}

// colorModes are the values of --color.
var colorModes = []string{"auto", "never", "always"}

const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// paint colours s when on.
func paint(on bool, code, s string) string {
	if !on {
		return s
	}
	return code + s + ansiReset
}
