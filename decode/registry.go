package decode

// The built-in formats, in sniffing tie-break order: specific formats first,
// raw (the fallback that claims every input with score 1) last.
func init() {
	for _, f := range []Format{
		sscomFormat,
		qcomFormat,
		sendrecvFormat,
		blocksFormat,
		dottedFormat,
		ticketFormat,
		stampedFormat,
		markedFormat,
		socatFormat,
		intercepttyFormat,
		slsnifFormat,
		jpnevulatorFormat,
		saleaeFormat,
		sigrokFormat,
		usbFormat,
		modemManagerFormat,
		ofonoFormat,
		zephyrFormat,
		mbedFormat,
		rawFormat,
	} {
		RegisterFormat(f)
	}
}
