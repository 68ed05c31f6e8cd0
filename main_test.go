package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"atscope/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"atscope": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end cases in testdata/script over the bundled
// samples: each script sees the repository's samples/ as ./samples.
func TestScripts(t *testing.T) {
	samples, err := filepath.Abs("samples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return os.Symlink(samples, filepath.Join(env.WorkDir, "samples"))
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" { // root reads files of any mode
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
