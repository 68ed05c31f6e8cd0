//go:build unix

package cli

import "syscall"

// syscallNoctty keeps a test's pseudo-terminal from becoming the process's
// controlling terminal.
const syscallNoctty = syscall.O_NOCTTY
