package mqttrec

import (
	"encoding/json"
	"os"
	"testing"
)

func loadRecording(t *testing.T) Recording {
	b, err := os.ReadFile(recordingFile)
	if err != nil {
		t.Fatal(err)
	}
	var r Recording
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", recordingFile, err)
	}
	return r
}

// TestCommittedRecording decodes the committed recording as the live test
// does, so the check runs where mosquitto is not installed too.
func TestCommittedRecording(t *testing.T) {
	checkRecording(t, loadRecording(t))
}

// TestRenderGolden renders the committed recording as each family's AT log;
// the logs are testdata for the socket dialects (-update rewrites them).
func TestRenderGolden(t *testing.T) {
	r := loadRecording(t)
	for _, f := range Families {
		t.Run(f.Name, func(t *testing.T) {
			got := Render(r, f, renderHost, renderPort)
			path := "testdata/paho-session." + f.Name + ".log"
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(want) != string(got) {
				t.Errorf("%s differs from the rendering (-update rewrites it)", path)
			}
		})
	}
}

func TestRecordingJSONRoundTrip(t *testing.T) {
	r := loadRecording(t)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Recording
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Chunks) != len(r.Chunks) || back.ClosedBy != r.ClosedBy {
		t.Fatalf("round trip lost chunks: %d of %d", len(back.Chunks), len(r.Chunks))
	}
	for i := range r.Chunks {
		if string(back.Chunks[i].Data) != string(r.Chunks[i].Data) || back.Chunks[i].At != r.Chunks[i].At || back.Chunks[i].Dir != r.Chunks[i].Dir {
			t.Errorf("chunk %d changed in the round trip", i)
		}
	}
}
