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
	return false, usagef("unknown --color %q: want auto, never or always%s", mode, didYouMean(mode, []string{"auto", "never", "always"}))
}
