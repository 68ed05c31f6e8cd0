// Package mqttstream rebuilds the byte streams an MCU pushed through a
// module's generic TCP socket commands and decodes the MQTT packets in them.
//
// A Stream is one socket in one direction. Its caller (a socket dialect
// machine) appends the payload of every send or receive as the log shows it:
// raw bytes, hex text, or decimal lists (ParseHex, ParseDecimal, ParseDump).
// Where the log lost bytes it marks a gap, of known or unknown length. Every
// append returns the stream offsets it covers, so a packet's offsets map back
// to the log events that carried its bytes.
//
// Packets are decoded with github.com/eclipse/paho.mqtt.golang/packets
// v1.5.1, the newest release the module proxy serves here. It reads MQTT 3.1
// and 3.1.1, the versions PubSubClient, TinyGSM, umqtt and Paho embedded
// speak; it is Eclipse's own, maintained, and used by thousands of clients.
// paho.golang (MQTT 5) was not chosen: it is served here only from an
// unapproved copy, and the device libraries above do not speak 5. This
// package only frames (fixed header, remaining length) and hands each frame
// to paho; it reads paho's fields back into a Packet. Where paho is lenient
// (a short field is zero-padded by bytes.Buffer) a strict reader makes the
// shortfall an error, so a damaged packet is decoded as far as it goes and
// carries Problems with stream offsets; decoding never stops.
//
// After a gap the decoder resynchronises: if the gap's length is known and
// the cut packet's length was read, it skips to that packet's end; otherwise
// it hunts for the next offset where a whole packet decodes cleanly and is
// followed by a plausible packet start (or the stream's end).
//
// The first bytes of a stream also give a protocol guess: TLS records and
// HTTP are reported as such and not decoded (TLS is opaque: the bytes are
// encrypted). Decoding is chunking-invariant: the packets and problems do not
// depend on how the bytes were split into appends.
package mqttstream
