package report

// series is the points of one latency plot, at most maxPoints of them
// however many ops there are: every op while they fit, then every second
// one, every fourth..., so that the plot spans the whole log at an even
// spacing. A log with at most maxPoints timed ops of a kind shows each.
type series struct {
	points []point
	stride int // every stride-th op is a point
	seen   int // ops offered
}

func (s *series) add(p point) {
	if s.stride == 0 {
		s.stride = 1
	}
	i := s.seen
	s.seen++
	if i%s.stride != 0 {
		return
	}
	if len(s.points) == maxPoints {
		// Keep every second point: those whose op number is a multiple
		// of the doubled stride.
		kept := s.points[:0]
		for j, pt := range s.points {
			if j%2 == 0 {
				kept = append(kept, pt)
			}
		}
		clear(s.points[len(kept):])
		s.points = kept
		s.stride *= 2
		if i%s.stride != 0 {
			return
		}
	}
	s.points = append(s.points, p)
}
