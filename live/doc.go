// Package live is atscope's side of a running device: a reader that
// follows a log file as it grows (tail -F), and a tap that sits between an
// application and a modem's serial port, passes the bytes both ways
// unchanged and records each chunk with its direction and time in a
// capture atscope reads back (socat's -x layout). It knows bytes and
// files, not AT commands; cli wires it to the analysis.
package live
