package install

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// loopDevice attaches file to a free loop device (offset and size limit
// when given) and detaches it when the test ends. It skips the test, saying
// why, when loop devices cannot be had here.
func loopDevice(tb testing.TB, file string, extra ...string) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("loop devices need root: run as root to test on real block devices")
	}
	for _, tool := range []string{"losetup", "mkfs.ext4", "e2fsck"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s not installed (util-linux, e2fsprogs): cannot test on loop devices", tool)
		}
	}
	out, err := exec.Command("losetup", append([]string{"--find", "--show"}, append(extra, file)...)...).CombinedOutput()
	if err != nil {
		tb.Skipf("no loop device to be had (%v: %s): the copy is tested on fakes only", err, bytes.TrimSpace(out))
	}
	dev := strings.TrimSpace(string(out))
	tb.Cleanup(func() { exec.Command("losetup", "--detach", dev).Run() })
	return dev
}

// loopImage is an image of real size and shape: 2 MiB ESP, 8 MiB root,
// 8 MiB data, 4 MiB provisioning, 24 MiB in all.
func loopImage() []byte {
	return gptImage(512, 24<<11, []part{
		{"tongban-esp", 2048, 6143},
		{"tongban-root", 6144, 22527},
		{"tongban-data", 22528, 38911},
		{"TONGBAN-PROV", 38912, 47103},
	})
}

// The copy on real block devices: a stick (loop device over the image,
// with its own data partition's bytes) onto a larger disk that held
// another system; the copy verified by reading the disk past the cache;
// the data partition a clean ext4 file system; the disk refused while
// another holds it open exclusively.
func TestCopyOnLoopDevices(t *testing.T) {
	dir := t.TempDir()
	img := loopImage()
	copy(img[22528*512:], bytes.Repeat([]byte("stick's own queue "), 1000))
	src := filepath.Join(dir, "stick.img")
	// the stick is larger than the image written to it
	if err := os.WriteFile(src, append(bytes.Clone(img), make([]byte, 8<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "disk.img")
	old := bytes.Repeat([]byte("an old system "), (64<<20)/14+1)[:64<<20]
	if err := os.WriteFile(dst, old, 0o600); err != nil {
		t.Fatal(err)
	}
	srcDev, dstDev := loopDevice(t, src), loopDevice(t, dst)

	stick, err := os.Open(srcDev)
	if err != nil {
		t.Fatal(err)
	}
	defer stick.Close()
	l, err := ReadLayout(stick)
	if err != nil {
		t.Fatal(err)
	}
	if l.Bytes != int64(len(img)) {
		t.Fatalf("image of %d bytes read as %d", len(img), l.Bytes)
	}
	disk, err := OpenTarget(dstDev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenTarget(dstDev); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("a second writer on %s: %v, want it refused as in use", dstDev, err)
	}
	var stages []Stage
	res, err := Copy(context.Background(), Job{Source: stick, Layout: l, Target: disk,
		Format: Mkfs{Dir: dir, Owner: "990:990"},
		Progress: func(p Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if cerr := disk.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.SHA256 != sumRanges(got, res.Ranges) {
		t.Errorf("result %+v, not the disk's hash", res)
	}
	if len(stages) != 5 {
		t.Errorf("stages %v", stages)
	}
	sameImage(t, got, img, l)
	if out, err := exec.Command("sfdisk", "--verify", dst).CombinedOutput(); err != nil || bytes.Contains(out, []byte("not on the end")) || bytes.Contains(out, []byte("mismatch")) {
		t.Errorf("sfdisk --verify: %v\n%s", err, out)
	}
	if bytes.Contains(got[l.Data.Start:l.Data.End()], []byte("stick's own queue")) {
		t.Error("the stick's data partition travelled to the disk")
	}
	if bytes.Contains(got[len(got)-33*512:], []byte("an old system ")) {
		t.Error("the old system's last sectors (a backup GPT's place) survived")
	}
	data := loopDevice(t, dst, "--offset", itoa(l.Data.Start), "--sizelimit", itoa(l.Data.Bytes))
	if out, err := exec.Command("e2fsck", "-f", "-n", data).CombinedOutput(); err != nil {
		t.Errorf("the data partition is not a clean ext4: %v\n%s", err, out)
	}
	if out, _ := exec.Command("dumpe2fs", "-h", data).Output(); !bytes.Contains(out, []byte("tongban-data")) {
		t.Errorf("the data partition's label:\n%s", out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The machine's install on loop devices: a wrong name typed writes
// nothing; the disk's name installs, verified.
func TestMachineInstallNeedsTheName(t *testing.T) {
	dir := t.TempDir()
	img := loopImage()
	src, dst := filepath.Join(dir, "stick.img"), filepath.Join(dir, "disk.img")
	if err := os.WriteFile(src, img, 0o600); err != nil {
		t.Fatal(err)
	}
	old := bytes.Repeat([]byte{0xa5}, 32<<20)
	if err := os.WriteFile(dst, old, 0o600); err != nil {
		t.Fatal(err)
	}
	srcDev, dstDev := loopDevice(t, src), loopDevice(t, dst)
	m := Machine{Sys: os.DirFS("/sys"), Source: srcDev, MkfsDir: dir}
	disk, err := ReadDisk(m.Sys, filepath.Base(dstDev))
	if err != nil {
		t.Fatal(err)
	}
	if disk.Bytes != 32<<20 {
		t.Fatalf("%s is %d bytes in /sys, want %d", disk.Name, disk.Bytes, 32<<20)
	}
	if n, err := m.ImageSize(); err != nil || n != int64(len(img)) {
		t.Fatalf("image size %d, %v", n, err)
	}
	for _, typed := range []string{filepath.Base(srcDev), "", "yes"} {
		if _, err := m.Install(context.Background(), disk, typed, nil); !errors.Is(err, ErrConfirmation) {
			t.Fatalf("typed %q: %v, want ErrConfirmation", typed, err)
		}
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, old) {
		t.Fatal("a refused install wrote to the disk")
	}
	res, err := m.Install(context.Background(), disk, disk.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	if res.SHA256 != sumRanges(got, res.Ranges) {
		t.Error("the result's hash is not the disk's")
	}
}

// The verification reads the disk, not the page cache: a block cached by
// an ordinary read, then changed underneath (in the loop device's backing
// file), reads back changed through the Device.
func TestReadBackBypassesTheCache(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "disk.img")
	if err := os.WriteFile(file, bytes.Repeat([]byte("before  "), (4<<20)/8), 0o600); err != nil {
		t.Fatal(err)
	}
	dev := loopDevice(t, file)
	cached, err := os.Open(dev)
	if err != nil {
		t.Fatal(err)
	}
	defer cached.Close()
	buf := make([]byte, 4096)
	if _, err := cached.ReadAt(buf, 8192); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte("after   "), 512), 8192); err != nil {
		t.Fatal(err)
	}
	f.Sync()
	f.Close()
	if _, err := cached.ReadAt(buf, 8192); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf, []byte("before")) {
		t.Skip("this kernel dropped the cached block by itself: nothing to tell apart")
	}
	d, err := OpenTarget(dev)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got := make([]byte, 100) // unaligned length and offset on purpose
	if _, err := d.ReadAt(got, 8192+8); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("after   after")) {
		t.Errorf("read back %q: the page cache's old bytes, not the disk's", got[:16])
	}
}

// The real image (make image) installed on a loop device, when
// TONGBAN_IMAGE names it: everything but the data partition byte for byte,
// the data partition a clean ext4 file system the kiosk's user owns. It
// takes a minute for the 2 GB image, so it runs only when asked.
func TestInstallRealImage(t *testing.T) {
	img := os.Getenv("TONGBAN_IMAGE")
	if img == "" {
		t.Skip("set TONGBAN_IMAGE to an image built by make image (bin/tongban-terminal.img) to install it on a loop device")
	}
	st, err := os.Stat(img)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(st.Size() * 3 / 2) // sparse: a larger disk
	f.Close()
	srcDev, dstDev := loopDevice(t, img, "--read-only"), loopDevice(t, dst)
	m := Machine{Sys: os.DirFS("/sys"), Source: srcDev, MkfsDir: t.TempDir(), Owner: "990:990"}
	disk, err := ReadDisk(m.Sys, filepath.Base(dstDev))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Install(context.Background(), disk, disk.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	stick, _ := os.Open(img)
	defer stick.Close()
	l, err := ReadLayout(stick)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.Open(dst)
	defer got.Close()
	for _, r := range l.Copied() {
		if r.Start == 0 {
			r = Range{l.HeadBytes(), r.Bytes - l.HeadBytes()}
		}
		if a, b := rangeSum(t, stick, r), rangeSum(t, got, r); a != b {
			t.Errorf("range %d+%d differs from the image", r.Start, r.Bytes)
		}
	}
	if out, err := exec.Command("sfdisk", "--verify", dst).CombinedOutput(); err != nil || bytes.Contains(out, []byte("not on the end")) || bytes.Contains(out, []byte("mismatch")) {
		t.Errorf("sfdisk --verify: %v\n%s", err, out)
	}
	data := loopDevice(t, dst, "--offset", itoa(l.Data.Start), "--sizelimit", itoa(l.Data.Bytes))
	if out, err := exec.Command("e2fsck", "-f", "-n", data).CombinedOutput(); err != nil {
		t.Errorf("the data partition is not a clean ext4: %v\n%s", err, out)
	}
	if out, _ := exec.Command("debugfs", "-R", "stat /", data).Output(); !bytes.Contains(out, []byte("User:   990")) {
		t.Errorf("the data partition's root is not the kiosk's:\n%s", out)
	}
	t.Logf("installed %d bytes, sha256 %s", res.Copied, res.SHA256)
}

func rangeSum(t *testing.T, f *os.File, r Range) string {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, r.Start, r.Bytes)); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
