package decode

import (
	"bytes"
)

// maxKeep bounds the buffer a tokenizer keeps for reuse once it is empty.
const maxKeep = 1 << 20

// appendReusing appends vs to s, which its consumer drains from the front:
// when s has no room left, what is left of it moves to the front of store,
// the array s was last allocated in, if they fit there. It returns s and its
// store.
func appendReusing[T any](s, store []T, vs ...T) ([]T, []T) {
	s, grow := roomFor(s, store, len(vs))
	s = append(s, vs...)
	if grow {
		store = s // a new array, starting at s[0]
	}
	return s, store
}

// pushReusing is appendReusing of one value, which it copies in place
// rather than as a slice of one.
func pushReusing[T any](s, store []T, v T) ([]T, []T) {
	s, grow := roomFor(s, store, 1)
	s = append(s, v)
	if grow {
		store = s
	}
	return s, store
}

// roomFor makes room for n more values after s, moving s to the front of
// store when they fit there. grow reports that append must still allocate.
func roomFor[T any](s, store []T, n int) (_ []T, grow bool) {
	if cap(s)-len(s) < n && len(s)+n <= cap(store) {
		s = store[:copy(store[:cap(store)], s)]
	}
	return s, cap(s)-len(s) < n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// slabSize is the size of the blocks a slab hands out; larger pieces get an
// allocation of their own.
const slabSize = 64 << 10

// slab copies events' Raw bytes into shared blocks, so that an event costs
// no allocation of its own. Blocks are never written again once handed out.
type slab struct {
	block []byte
	last  int // where the latest piece starts in block
}

// copy returns a copy of b.
func (s *slab) copy(b []byte) []byte {
	if len(b) > slabSize/8 {
		return bytes.Clone(b)
	}
	if len(b) > cap(s.block)-len(s.block) {
		s.block = make([]byte, 0, slabSize)
	}
	s.last = len(s.block)
	s.block = append(s.block, b...)
	return s.block[s.last:len(s.block):len(s.block)]
}

// extend returns raw followed by more. When raw is the latest piece and
// more fits after it, the bytes are added in place.
func (s *slab) extend(raw, more []byte) []byte {
	end := len(s.block)
	latest := len(raw) > 0 && end-s.last == len(raw) && &s.block[s.last] == &raw[0]
	if !latest || len(more) > cap(s.block)-end {
		return append(raw, more...)
	}
	s.block = append(s.block, more...)
	return s.block[s.last:len(s.block):len(s.block)]
}
