package dialect_test

import (
	"atscope/dialect"
	"atscope/internal/loggen"
)

func init() {
	dialect.GeneratedLogs = func() map[string][]byte {
		logs := map[string][]byte{}
		for _, d := range loggen.Dialects {
			for _, f := range loggen.Formats {
				logs["generated "+d+" "+f+".log"] = loggen.Bytes(loggen.Options{Dialect: d, Format: f, Size: 64 << 10})
			}
		}
		return logs
	}
}
