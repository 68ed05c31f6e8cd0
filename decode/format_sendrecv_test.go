package decode

import "testing"

func TestSendRecvPrefix(t *testing.T) {
	tests := []struct {
		line  string
		start int
		dir   Dir
		time  string
		ok    bool
	}{
		{`2019-06-26 14:05:09:055[Send->]AT+QMTOPEN=0,"x",1883`, 31, DirToModule, "2019-06-26 14:05:09.055", true},
		{"2019-06-26 14:05:09:102[Recv<-]OK", 31, DirFromModule, "2019-06-26 14:05:09.102", true},
		{"2019-06-26 14:05:09.102[Recv<-]", 31, DirFromModule, "2019-06-26 14:05:09.102", true},
		{"2021-03-02 08:15:40.118 [Send->]AT", 32, DirToModule, "2021-03-02 08:15:40.118", true},
		{"2021-03-02 08:15:40.118 [SEND->]AT", 32, DirToModule, "2021-03-02 08:15:40.118", true},
		{"2021/03/02 08:15:40.118[Recv<-] OK", 31, DirFromModule, "2021-03-02 08:15:40.118", true},
		{"2021-03-02 08:15:40.118  [Send->]AT", 0, 0, "", false},
		{"2021-03-02 08:15:40.118[Send]AT", 0, 0, "", false},
		{"2021-03-02 08:15:40.118[Recv<", 0, 0, "", false},
		{"2021-03-02 08:15:40.118 OK", 0, 0, "", false},
		{"[2019-01-31 02:58:52:462_R:] OK", 0, 0, "", false},
		{"14:05:09:055[Send->]AT", 0, 0, "", false},
		{"", 0, 0, "", false},
	}
	for _, tt := range tests {
		start, dir, st, ok := sendrecvPrefix([]byte(tt.line))
		if ok != tt.ok || start != tt.start || dir != tt.dir {
			t.Errorf("sendrecvPrefix(%q) = %d, %v, %v; want %d, %v, %v", tt.line, start, dir, ok, tt.start, tt.dir, tt.ok)
			continue
		}
		if ok && st.Time.Format("2006-01-02 15:04:05.000") != tt.time {
			t.Errorf("sendrecvPrefix(%q) time = %v, want %s", tt.line, st.Time, tt.time)
		}
	}
}
