package mqttrec

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

var update = flag.Bool("update", false, "record a new session into testdata and render its logs")

const (
	recordingFile = "testdata/paho-session.json"
	renderHost    = "broker.example.com"
	renderPort    = 1883
)

// mosquitto finds the broker, or skips (fails when ATSCOPE_REQUIRE_MOSQUITTO=1).
func mosquitto(t *testing.T) string {
	for _, p := range []string{"mosquitto", "/usr/sbin/mosquitto"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("ATSCOPE_REQUIRE_MOSQUITTO") == "1" {
		t.Fatal("mosquitto is not installed and ATSCOPE_REQUIRE_MOSQUITTO=1")
	}
	t.Skip("mosquitto is not installed")
	return ""
}

// startBroker runs mosquitto on a free loopback port until the test ends.
func startBroker(t *testing.T) string {
	bin := mosquitto(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "mosquitto.conf")
	body := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file %s\n", addr.Port, filepath.Join(dir, "log"))
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", conf)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", addr.String()); err == nil {
			c.Close()
			return addr.String()
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log"))
	t.Fatalf("mosquitto did not listen on %s:\n%s", addr, log)
	return ""
}

// runSession drives paho's Go client through one session: CONNECT with user,
// password and will, SUBSCRIBE, PUBLISH at QoS 0, 1 and 2 to its own
// subscription, receive them, UNSUBSCRIBE, idle past the keep-alive so it
// pings, DISCONNECT.
func runSession(t *testing.T, addr string) {
	got := make(chan string, len(published))
	opts := mqtt.NewClientOptions().AddBroker("tcp://"+addr).SetClientID(clientID).
		SetUsername(user).SetPassword(password).SetWill(willTopic, "offline", 1, true).
		SetKeepAlive(time.Second).SetCleanSession(true).SetAutoReconnect(false)
	c := mqtt.NewClient(opts)
	wait := func(what string, tok mqtt.Token) {
		if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
			t.Fatalf("%s: %v", what, tok.Error())
		}
	}
	wait("connect", c.Connect())
	wait("subscribe", c.Subscribe(cmdFilter, 2, func(_ mqtt.Client, m mqtt.Message) { got <- string(m.Payload()) }))
	for _, p := range published {
		wait("publish", c.Publish(fmt.Sprintf("atscope/rec/cmd/q%d", p.qos), p.qos, false, p.payload))
	}
	for range published {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("the broker did not deliver the client's own publishes")
		}
	}
	wait("unsubscribe", c.Unsubscribe(cmdFilter))
	time.Sleep(2500 * time.Millisecond) // past the one-second keep-alive: PINGREQ, PINGRESP
	c.Disconnect(250)
}

// TestLiveSession records a real session between paho's client and
// mosquitto through the proxy and checks that mqttstream decodes exactly
// the packets both sides sent. With -update it becomes the testdata.
func TestLiveSession(t *testing.T) {
	broker := startBroker(t)
	p, err := Listen(broker, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	runSession(t, p.Addr())
	rec, err := p.Wait(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	checkRecording(t, rec)
	if *update && !t.Failed() {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(recordingFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
