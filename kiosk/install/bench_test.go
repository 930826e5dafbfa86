package install

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCopy is the copy's own cost (hashing, reading back) over
// memory: MB/s of image written and verified.
func BenchmarkCopy(b *testing.B) {
	img := loopImage()
	l, err := ReadLayout(bytes.NewReader(img))
	if err != nil {
		b.Fatal(err)
	}
	d := newMemDisk(len(img))
	j := Job{Source: bytes.NewReader(img), Layout: l, Target: d, Format: fakeFormat(d)}
	b.SetBytes(l.Bytes)
	for b.Loop() {
		if _, err := Copy(context.Background(), j); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCopyLoop copies onto a loop device, reading back past the page
// cache, with mkfs.ext4 making the data partition each time.
func BenchmarkCopyLoop(b *testing.B) {
	dir := b.TempDir()
	img := loopImage()
	src, dst := filepath.Join(dir, "stick.img"), filepath.Join(dir, "disk.img")
	if err := os.WriteFile(src, img, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, make([]byte, len(img)), 0o600); err != nil {
		b.Fatal(err)
	}
	srcDev, dstDev := loopDevice(b, src), loopDevice(b, dst)
	stick, err := os.Open(srcDev)
	if err != nil {
		b.Fatal(err)
	}
	defer stick.Close()
	l, err := ReadLayout(stick)
	if err != nil {
		b.Fatal(err)
	}
	disk, err := OpenTarget(dstDev)
	if err != nil {
		b.Fatal(err)
	}
	defer disk.Close()
	b.SetBytes(l.Bytes)
	for b.Loop() {
		if _, err := Copy(context.Background(), Job{Source: stick, Layout: l, Target: disk, Format: Mkfs{Dir: dir}}); err != nil {
			b.Fatal(err)
		}
	}
}
