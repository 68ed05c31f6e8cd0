// Package mqttrec records real MQTT sessions for tests: a TCP proxy between a
// client and a broker keeps the exact bytes of each direction with their
// timing, and renderers turn a recording into the AT logs a module's socket
// commands would have produced around the same bytes. It is test support
// and, like the log generator, the one place outside dialect/ that spells
// vendor socket commands.
package mqttrec

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"atscope/mqttstream"
)

// Chunk is one read the proxy made: the bytes one direction carried at once.
type Chunk struct {
	Dir  mqttstream.Dir
	At   time.Duration // since the connection was accepted
	Data []byte
}

// Recording is one TCP connection, both directions, in the order the proxy
// read them.
type Recording struct {
	Chunks []Chunk
	// ClosedBy says which side closed the connection first.
	ClosedBy mqttstream.Dir
}

// Stream joins the bytes of one direction.
func (r Recording) Stream(dir mqttstream.Dir) []byte {
	var out []byte
	for _, c := range r.Chunks {
		if c.Dir == dir {
			out = append(out, c.Data...)
		}
	}
	return out
}

// chunkJSON is a chunk as the testdata file keeps it: hex, so the file is text.
type chunkJSON struct {
	Dir  mqttstream.Dir `json:"dir"`
	AtUS int64          `json:"at_us"`
	Hex  string         `json:"hex"`
}

type recordingJSON struct {
	ClosedBy mqttstream.Dir `json:"closed_by"`
	Chunks   []chunkJSON    `json:"chunks"`
}

// MarshalJSON writes the recording with hex data and microsecond times.
func (r Recording) MarshalJSON() ([]byte, error) {
	out := recordingJSON{ClosedBy: r.ClosedBy}
	for _, c := range r.Chunks {
		out.Chunks = append(out.Chunks, chunkJSON{Dir: c.Dir, AtUS: c.At.Microseconds(), Hex: hex.EncodeToString(c.Data)})
	}
	return json.MarshalIndent(out, "", "\t")
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (r *Recording) UnmarshalJSON(b []byte) error {
	var in struct {
		ClosedBy string `json:"closed_by"`
		Chunks   []struct {
			Dir  string `json:"dir"`
			AtUS int64  `json:"at_us"`
			Hex  string `json:"hex"`
		} `json:"chunks"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	var err error
	if r.ClosedBy, err = parseDir(in.ClosedBy); err != nil {
		return err
	}
	r.Chunks = r.Chunks[:0]
	for i, c := range in.Chunks {
		dir, err := parseDir(c.Dir)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", i+1, err)
		}
		data, err := hex.DecodeString(c.Hex)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", i+1, err)
		}
		r.Chunks = append(r.Chunks, Chunk{Dir: dir, At: time.Duration(c.AtUS) * time.Microsecond, Data: data})
	}
	return nil
}

func parseDir(s string) (mqttstream.Dir, error) {
	for _, d := range []mqttstream.Dir{mqttstream.ToBroker, mqttstream.FromBroker} {
		if s == d.String() {
			return d, nil
		}
	}
	return 0, fmt.Errorf("direction %q is neither %s nor %s", s, mqttstream.ToBroker, mqttstream.FromBroker)
}
