package dialect

// EndsLinks reports whether a module-wide op takes the MQTT links down: a
// reset or power-down (every dialect's ready and power-down URCs), a lost
// network service, or a failed PDP or Wi-Fi state change. The names live
// here, with the other vendor facts; timeline cuts connections with it.
func EndsLinks(op *Op) bool {
	switch op.Name {
	case "RDY", "APP RDY", "Ready", "POWERED DOWN", "NORMAL POWER DOWN", "+CMQTTNONET", "ready", "WIFI DISCONNECT":
		return true
	case "+CGEV", "+QIURC", "+APP PDP", "+APP":
		return op.Status == StatusFailed
	}
	return false
}
