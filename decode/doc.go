// Package decode turns captured AT serial logs into a positioned stream of AT
// events.
//
// The flow has two stages. A format reader (one file per log format, chosen
// by name or by sniffing) strips the log tool's decorations (timestamps,
// direction marks, quote prefixes) and yields Chunks: runs of serial bytes
// with the direction, time and file position they came from. A
// gzip-compressed input is decompressed first (Open sniffs the gzip magic);
// positions then count its uncompressed bytes. The Tokenizer
// splits that byte stream into Events: commands, echoes, responses, final
// results, URCs, prompts, payload data and unclassified text.
//
// The package knows no vendor. Vendor knowledge (how many payload bytes follow
// a prompt, which bare words are unsolicited lines) reaches the tokenizer
// through the Hooks interface, which the dialect package implements.
//
// Invariants, checked by tests and by FuzzTokenize:
//  1. Nothing is lost: the Raw bytes of all events, in order, are exactly the
//     serial bytes of all chunks; for the raw format that is the input file.
//  2. Every event points back to its source: file, line and byte offset.
//  3. Memory does not grow with the input: lines and payloads are bounded.
//  4. Deterministic, never panics, and chunking-invariant: feeding the same
//     bytes one at a time or all at once gives the same events.
package decode
