package serialport

import "testing"

func TestMatch(t *testing.T) {
	ch340a := Port{Path: "/dev/ttyUSB0", IsUSB: true, VID: "1a86", PID: "7523", PhysicalPath: "1-1.2:1.0"}
	ch340b := Port{Path: "/dev/ttyUSB1", IsUSB: true, VID: "1a86", PID: "7523", PhysicalPath: "1-1.3:1.0"}
	cp210x := Port{Path: "/dev/ttyUSB2", IsUSB: true, VID: "10c4", PID: "ea60", SerialNumber: "0001"}
	onboard := Port{Path: "/dev/ttyS0"}
	all := []Port{ch340a, ch340b, cp210x, onboard}

	tests := []struct {
		name string
		m    Match
		want []string
	}{
		{"by path", Match{Path: "/dev/ttyS0"}, []string{"/dev/ttyS0"}},
		{"path wins over ids", Match{Path: "/dev/ttyUSB1", VID: "10c4", PID: "ea60"}, []string{"/dev/ttyUSB1"}},
		{"vid pid shared by two", Match{VID: "1a86", PID: "7523"}, []string{"/dev/ttyUSB0", "/dev/ttyUSB1"}},
		{"upper-case ids as Windows writes them", Match{VID: "1A86", PID: "7523"}, []string{"/dev/ttyUSB0", "/dev/ttyUSB1"}},
		{"physical path tells the twins apart", Match{VID: "1a86", PID: "7523", PhysicalPath: "1-1.3:1.0"}, []string{"/dev/ttyUSB1"}},
		{"serial number", Match{VID: "10c4", PID: "ea60", SerialNumber: "0001"}, []string{"/dev/ttyUSB2"}},
		{"wrong serial number", Match{VID: "10c4", PID: "ea60", SerialNumber: "0002"}, nil},
		{"vid alone matches nothing", Match{VID: "1a86"}, nil},
		{"empty match matches nothing", Match{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Find(all, tt.m) {
				got = append(got, p.Path)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Find(%v) = %v, want %v", tt.m, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("Find(%v) = %v, want %v", tt.m, got, tt.want)
				}
			}
		})
	}
}

func TestMatchValidate(t *testing.T) {
	for _, m := range []Match{{Path: "/dev/kiosk/printer"}, {VID: "1a86", PID: "7523"}} {
		if err := m.Validate(); err != nil {
			t.Errorf("Validate(%v) = %v, want nil", m, err)
		}
	}
	for _, m := range []Match{{}, {VID: "1a86"}, {SerialNumber: "x"}} {
		if err := m.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", m)
		}
	}
}

func TestListDoesNotFail(t *testing.T) {
	ports, err := List()
	if err != nil {
		t.Skipf("this system cannot list serial ports: %v", err)
	}
	for _, p := range ports {
		if p.Path == "" {
			t.Errorf("listed a port without a path: %+v", p)
		}
	}
}
