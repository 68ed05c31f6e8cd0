package dialect

import (
	"reflect"
	"testing"
)

// TestOpSize: an op is the decoder's main allocation, one per operation of
// the log. With the header the allocator puts before objects of more than
// 512 bytes, an Op of up to 696 bytes takes the 704-byte size class; one
// more word and every op costs 768.
func TestOpSize(t *testing.T) {
	if size := reflect.TypeFor[Op]().Size(); size > 696 {
		t.Errorf("an Op is %d bytes, over the 696 that fit the 704-byte size class with its header", size)
	}
}
