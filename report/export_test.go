package report

import "atscope/dialect"

// BuildFromOps builds the report of in with ops, in log order, as Run
// would have collected them.
func BuildFromOps(in Input, ops []*dialect.Op) *Report {
	col := newCollector(nil, nil, true)
	for _, op := range ops {
		col.Add(op)
	}
	col.conns.End()
	in.ops = col
	return Build(in)
}
