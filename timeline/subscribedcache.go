package timeline

// The answer to "is any client subscribed to this topic" is cached per
// topic until the subscriptions change. Measured (issue 13.6): matching
// every message's topic against every filter instead costs about 37 % more
// CPU on BenchmarkLatencyShapes with the loggen shape (a few topics, many
// messages), nothing measurable with the independent shape (many topics).

// subscribed reports whether any client is subscribed to msg's topic.
// Topics with an id level are many, each seen once or twice: they are
// remembered by the levels before the id instead, which decide alone
// while no filter names an id (a wildcard matches every id, another level
// none).
func (m *RoundTripFinder) subscribed(msg *message) bool {
	cache, key := m.heard, msg.topic
	if msg.suffix != "" {
		if m.idFilters {
			return m.matchesFilter(msg.topic)
		}
		cache, key = m.heardParent, msg.topic[:len(msg.topic)-len(msg.suffix)]
	}
	if yes, ok := cache[key]; ok {
		return yes
	}
	yes := m.matchesFilter(msg.topic)
	if len(cache) >= 1024 {
		clear(cache) // many topics: keep the cache small
	}
	cache[key] = yes
	return yes
}
