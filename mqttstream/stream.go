package mqttstream

// Span is the range of stream offsets [Start, End) one append covered.
type Span struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// Stream is the byte stream of one socket in one direction, decoded as it
// grows. Offsets count the logged bytes and the gaps of known length, so
// where no length was lost they are the TCP payload offsets; a gap of unknown
// length takes no offsets. Memory holds at most the packet being assembled.
type Stream struct {
	d   decoder
	off int64
}

// NewStream starts an empty stream.
func NewStream(dir Dir) *Stream {
	return &Stream{d: decoder{dir: dir}}
}

// Write appends bytes as the log carried them and returns their offsets.
func (s *Stream) Write(b []byte) Span {
	sp := Span{Start: s.off, End: s.off + int64(len(b))}
	s.off = sp.End
	s.d.write(b)
	return sp
}

// Lost marks bytes the log did not keep: n of them, or an unknown count when
// n is negative. The returned span covers the known count (empty when unknown).
func (s *Stream) Lost(n int) Span {
	sp := Span{Start: s.off, End: s.off}
	if n >= 0 {
		sp.End += int64(n)
	}
	s.off = sp.End
	s.d.gap(sp.Start, int64(n))
	return sp
}

// Close ends the stream: a packet still incomplete is reported cut.
func (s *Stream) Close() { s.d.close() }

// Packets returns the packets decoded since the last call, in stream order.
func (s *Stream) Packets() []Packet {
	out := s.d.packets
	s.d.packets = nil
	return out
}

// Problems returns the stream-level problems (lost bytes, bytes skipped while
// resynchronising, a stream that is not MQTT) since the last call. Problems
// inside a packet are on the packet.
func (s *Stream) Problems() []Problem {
	out := s.d.problems
	s.d.problems = nil
	return out
}

// Protocol is the guess of what the stream carries.
func (s *Stream) Protocol() Protocol { return s.d.proto }

// Offset is the offset the next append starts at.
func (s *Stream) Offset() int64 { return s.off }
