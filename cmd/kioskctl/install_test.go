package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/tongban/tongban/kiosk/install"
)

// smallImage is a 24 MiB disk image with a GPT of the image's partitions.
func smallImage() []byte {
	const ss, sectors = 512, 24 << 11
	img := make([]byte, sectors*ss)
	le := binary.LittleEndian
	entries := make([]byte, 128*128)
	for i, p := range []struct {
		name        string
		first, last uint64
	}{{"tongban-esp", 2048, 6143}, {"tongban-root", 6144, 22527}, {"tongban-data", 22528, 38911}, {"TONGBAN-PROV", 38912, 47103}} {
		e := entries[i*128:]
		copy(e, "type-guid-nonzero")
		le.PutUint64(e[32:], p.first)
		le.PutUint64(e[40:], p.last)
		for j, c := range utf16.Encode([]rune(p.name)) {
			le.PutUint16(e[56+2*j:], c)
		}
		for k := p.first * ss; k < (p.last+1)*ss; k += 4096 {
			copy(img[k:], p.name)
		}
	}
	h := img[ss : 2*ss]
	copy(h, "EFI PART")
	le.PutUint32(h[12:], 92)
	le.PutUint64(h[24:], 1)
	le.PutUint64(h[32:], sectors-1)
	le.PutUint64(h[40:], 34)
	le.PutUint64(h[48:], sectors-34)
	le.PutUint64(h[72:], 2)
	le.PutUint32(h[80:], 128)
	le.PutUint32(h[84:], 128)
	le.PutUint32(h[88:], crc32.ChecksumIEEE(entries))
	le.PutUint32(h[16:], crc32.ChecksumIEEE(h[:92]))
	copy(img[2*ss:], entries)
	return img
}

func fakeSys(t *testing.T) string {
	dir := t.TempDir()
	for name, v := range map[string]string{"sda/size": "500118192", "sda/removable": "0", "sda/device/model": "SAMSUNG MZ7LN256", "loop0/size": "100"} {
		p := filepath.Join(dir, "block", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInstallListsAndRefusesAWrongName(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tongban.img")
	if err := os.WriteFile(src, smallImage(), 0o600); err != nil {
		t.Fatal(err)
	}
	sys := fakeSys(t)
	var out, errb bytes.Buffer
	if err := installCmd(context.Background(), []string{"--sys", sys, "--source", src}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sda", "256 GB", "SAMSUNG MZ7LN256", "the system takes 25 MB"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the list does not say %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "loop0") {
		t.Errorf("a loop device listed:\n%s", out.String())
	}
	out.Reset()
	err := installCmd(context.Background(), []string{"--sys", sys, "--source", src, "--disk", "sda"}, strings.NewReader("sdb\n"), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "nothing was erased") || !strings.Contains(err.Error(), `typed "sdb"`) {
		t.Fatalf("typed sdb for sda: %v", err)
	}
	if !strings.Contains(out.String(), "Type its name, sda, to go on") {
		t.Errorf("the question:\n%s", out.String())
	}
}

// kioskctl install onto a loop device, as a technician would run it.
func TestInstallOnLoopDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loop devices need root")
	}
	dir := t.TempDir()
	img := smallImage()
	src, dst := filepath.Join(dir, "tongban.img"), filepath.Join(dir, "disk.img")
	os.WriteFile(src, img, 0o600)
	if err := os.WriteFile(dst, make([]byte, 40<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("losetup", "--find", "--show", dst).CombinedOutput()
	if err != nil {
		t.Skipf("no loop device to be had: %v %s", err, out)
	}
	dev := strings.TrimSpace(string(out))
	defer exec.Command("losetup", "--detach", dev).Run()
	name := filepath.Base(dev)
	var stdout, stderr bytes.Buffer
	if err := installCmd(context.Background(), []string{"--source", src, "--disk", name}, strings.NewReader(name+"\n"), &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	for _, want := range []string{"\ncopying ", "\nverifying ", " 100%\ndone", "installed on " + name, "remove the USB stick"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	got, _ := os.ReadFile(dst)
	if l, err := install.ReadLayout(bytes.NewReader(got)); err != nil || l.Bytes != int64(len(got)) || !bytes.Equal(got[l.HeadBytes():l.Data.Start], img[l.HeadBytes():l.Data.Start]) {
		t.Errorf("the disk does not hold the image, its GPT spanning the disk: %v", err)
	}
}

// The service side answers the screen's request on stdin and stdout.
func TestInstallServe(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tongban.img")
	if err := os.WriteFile(src, smallImage(), 0o600); err != nil {
		t.Fatal(err)
	}
	sys := fakeSys(t)
	for _, tc := range []struct{ req, want string }{
		{`{"op":"disks"}`, `"Name":"sda"`},
		{`{"op":"size"}`, `"bytes":25165824`},
		{`{"op":"install","disk":"sda","typed":"sdb"}`, `"confirmation":true`},
		{`{"op":"install","disk":"loop0","typed":"loop0"}`, `is not a disk the system can be installed on`},
	} {
		var out, errb bytes.Buffer
		if err := installCmd(context.Background(), []string{"--serve", "--sys", sys, "--source", src}, strings.NewReader(tc.req+"\n"), &out, &errb); err != nil {
			t.Fatalf("%s: %v", tc.req, err)
		}
		if !strings.Contains(out.String(), tc.want) || !strings.Contains(out.String(), `"final":true`) {
			t.Errorf("%s answered %s, want %s", tc.req, out.String(), tc.want)
		}
	}
}

// The kiosk's side (install.Remote) through a socket to kioskctl install
// --serve, as tongban-install.socket wires them, onto a loop device.
func TestInstallServiceOnLoopDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loop devices need root")
	}
	dir := t.TempDir()
	img := smallImage()
	src, dst := filepath.Join(dir, "tongban.img"), filepath.Join(dir, "disk.img")
	os.WriteFile(src, img, 0o600)
	if err := os.WriteFile(dst, make([]byte, 40<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("losetup", "--find", "--show", dst).CombinedOutput()
	if err != nil {
		t.Skipf("no loop device to be had: %v %s", err, out)
	}
	dev := strings.TrimSpace(string(out))
	defer exec.Command("losetup", "--detach", dev).Run()

	sock := filepath.Join(dir, "install.sock")
	var mu sync.Mutex
	serveArgs := []string{"--serve", "--source", src}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				mu.Lock()
				args := serveArgs
				mu.Unlock()
				installCmd(context.Background(), args, c, c, io.Discard)
			}()
		}
	}()
	r := install.NewRemote(sock)
	d, err := install.ReadDisk(os.DirFS("/sys"), filepath.Base(dev))
	if err != nil {
		t.Fatal(err)
	}
	// Loop devices are never listed, so the service refuses this one: the
	// same refusal that keeps it off the boot disk.
	if _, err := r.Install(context.Background(), d, d.Name, nil); err == nil || !strings.Contains(err.Error(), "is not a disk the system can be installed on") {
		t.Fatalf("a disk the service does not list: %v", err)
	}
	if n, err := r.ImageSize(); err != nil || n != int64(len(img)) {
		t.Fatalf("size over the socket: %d, %v", n, err)
	}

	// The loop device dressed as a disk "sdz": a /sys entry and a node.
	sys, devDir := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(sys, "block", "sdz"), 0o755)
	os.WriteFile(filepath.Join(sys, "block", "sdz", "size"), []byte(fmt.Sprint(d.Bytes/512)), 0o644)
	if err := os.Symlink(dev, filepath.Join(devDir, "sdz")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	serveArgs = []string{"--serve", "--source", src, "--sys", sys, "--dev", devDir}
	mu.Unlock()
	disks, err := r.Disks()
	if err != nil || len(disks) != 1 || disks[0].Name != "sdz" {
		t.Fatalf("disks over the socket: %+v, %v", disks, err)
	}
	var stages []install.Stage
	res, err := r.Install(context.Background(), disks[0], "sdz", func(p install.Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	h := sha256.New()
	for _, r := range res.Ranges {
		h.Write(got[r.Start:r.End()])
	}
	if sum := hex.EncodeToString(h.Sum(nil)); res.SHA256 != sum || len(stages) != 5 {
		t.Errorf("result %+v, stages %v; the disk hashes to %s", res, stages, sum)
	}
}
