package technician

import (
	"bufio"
	"io"
	"strings"
)

// stickFS are the file systems a USB stick carries.
var stickFS = map[string]bool{"vfat": true, "exfat": true, "ext4": true, "ext3": true, "ext2": true, "ntfs": true, "ntfs3": true, "fuseblk": true}

// Sticks lists, from /proc/mounts, the writable removable mounts a
// diagnostics file can go to: file systems a stick carries, mounted under
// /media, /run/media or /mnt (where udisks, a desktop or a technician
// mounts one). The TONGBAN-PROV partition, which holds the provision file,
// is not one.
func Sticks(mounts io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(mounts)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !stickFS[f[2]] {
			continue
		}
		dir := unescapeMount(f[1])
		if !(strings.HasPrefix(dir, "/media/") || strings.HasPrefix(dir, "/run/media/") || strings.HasPrefix(dir, "/mnt/") || dir == "/mnt") {
			continue
		}
		if strings.Contains(dir, "tongban-prov") || strings.Contains(strings.ToUpper(dir), "TONGBANPROV") {
			continue
		}
		writable := false
		for _, o := range strings.Split(f[3], ",") {
			if o == "rw" {
				writable = true
			}
		}
		if writable {
			out = append(out, dir)
		}
	}
	return out
}

// unescapeMount undoes /proc/mounts' octal escapes (\040 is a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
