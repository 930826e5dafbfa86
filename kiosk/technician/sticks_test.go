package technician

import (
	"slices"
	"strings"
	"testing"
)

func TestSticks(t *testing.T) {
	mounts := `/dev/sda2 / ext4 ro,relatime 0 0
/dev/sda3 /var/lib/tongban ext4 rw,relatime 0 0
/dev/sda4 /var/lib/tongban-prov vfat rw,relatime 0 0
/dev/sdb1 /media/tech/KINGSTON vfat rw,nosuid,nodev 0 0
/dev/sdc1 /run/media/root/My\040Stick exfat rw 0 0
/dev/sdd1 /media/tech/READONLY vfat ro 0 0
tmpfs /mnt/ram tmpfs rw 0 0
/dev/sde1 /mnt ext4 rw 0 0
`
	got := Sticks(strings.NewReader(mounts))
	want := []string{"/media/tech/KINGSTON", "/run/media/root/My Stick", "/mnt"}
	if !slices.Equal(got, want) {
		t.Fatalf("sticks %q, want %q", got, want)
	}
}

func FuzzSticks(f *testing.F) {
	f.Add("/dev/sdb1 /media/a\\040b vfat rw 0 0\n")
	f.Add("x /mnt/\\")
	f.Fuzz(func(t *testing.T, s string) {
		for _, dir := range Sticks(strings.NewReader(s)) {
			if !strings.HasPrefix(dir, "/") {
				t.Fatalf("%q is not a path", dir)
			}
		}
	})
}
