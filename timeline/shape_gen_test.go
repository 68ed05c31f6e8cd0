package timeline

import "atscope/internal/loggen"

// genIndependent is a Quectel QCOM log of about size bytes in issue 17's
// shape (loggen's reconnect shape, also `atscope generate --shape
// reconnect`): six clients that reconnect every few dozen operations, 35 %
// of the traffic downlink commands carrying a random JSON id the device
// never answers, telemetry on telemetry/<client> (a constant last level,
// not an id), receives on many distinct topics through a # subscription.
func genIndependent(size int) []byte {
	return loggen.Bytes(loggen.Options{Shape: "reconnect", Size: int64(size)})
}
