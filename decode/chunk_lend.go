package decode

// A chunkLender is a ChunkReader that lends its current chunk in place.
// A chunk is about 100 bytes, and a line-based log has one per line: a
// tokenizer that borrows it rather than take it by value from Chunk saves
// two copies per line. The chunk is the lender's until its next Next; the
// borrower may change its fields meanwhile.
type chunkLender interface {
	lentChunk() *Chunk
}

// lentChunk is the chunk the latest Next read, once Next returned true.
func (lr *lineReader) lentChunk() *Chunk { return lr.cur }

// copiedChunk is the chunk a source that lends none read, in t.copied.
func (t *Tokenizer) copiedChunk() *Chunk {
	t.copied = t.src.Chunk()
	return &t.copied
}
