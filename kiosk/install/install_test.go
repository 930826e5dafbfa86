package install

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

func sysFS() fstest.MapFS {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s + "\n")} }
	return fstest.MapFS{
		// the internal SATA disk
		"block/sda/size":           f("500118192"),
		"block/sda/removable":      f("0"),
		"block/sda/ro":             f("0"),
		"block/sda/device/model":   f("SAMSUNG MZ7LN256  "),
		"block/sda/dev":            f("8:0"),
		"block/sda/sda1/partition": f("1"),
		"block/sda/sda1/dev":       f("8:1"),
		// the USB stick booted from
		"block/sdb/size":           f("15633408"),
		"block/sdb/removable":      f("1"),
		"block/sdb/ro":             f("0"),
		"block/sdb/device/model":   f("Ultra Fit"),
		"block/sdb/dev":            f("8:16"),
		"block/sdb/sdb2/partition": f("2"),
		"block/sdb/sdb2/dev":       f("8:18"),
		// an NVMe disk without a model file
		"block/nvme0n1/size":      f("1000215216"),
		"block/nvme0n1/removable": f("0"),
		"block/nvme0n1/ro":        f("0"),
		"block/nvme0n1/dev":       f("259:0"),
		// what is never a disk to install on
		"block/loop0/size":        f("2048"),
		"block/sr0/size":          f("2097151"),
		"block/zram0/size":        f("8388608"),
		"block/mmcblk0boot0/size": f("8192"),
		"block/mmcblk0boot0/ro":   f("1"),
		"block/sdc/size":          f("0"), // a card reader with no card
		"block/sdc/removable":     f("1"),
	}
}

func TestListDisks(t *testing.T) {
	for _, tc := range []struct {
		name string
		boot string
		want []string
	}{
		{"booted from the stick", "sdb", []string{"nvme0n1 512 GB", "sda 256 GB SAMSUNG MZ7LN256"}},
		{"boot disk unknown", "", []string{"nvme0n1 512 GB", "sda 256 GB SAMSUNG MZ7LN256", "sdb 8.0 GB Ultra Fit removable"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			disks, err := ListDisks(sysFS(), tc.boot)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range disks {
				s := d.Name + " " + d.Size()
				if d.Model != "" {
					s += " " + d.Model
				}
				if d.Removable {
					s += " removable"
				}
				got = append(got, s)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("disks\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestListDisksWithoutSys(t *testing.T) {
	_, err := ListDisks(fstest.MapFS{}, "")
	if err == nil || !strings.Contains(err.Error(), "/sys/block") {
		t.Fatalf("no /sys/block: %v, want an error naming it", err)
	}
	_, err = ListDisks(fstest.MapFS{"block/sda/size": {Data: []byte("lots\n")}}, "")
	if err == nil || !strings.Contains(err.Error(), "not a number") {
		t.Fatalf("a size in words: %v", err)
	}
}

func TestBootDisk(t *testing.T) {
	for _, tc := range []struct{ majmin, want string }{
		{"8:18", "sdb"},      // root on the stick's second partition
		{"8:1", "sda"},       // root on the internal disk
		{"259:0", "nvme0n1"}, // a whole disk as root
		{"0:31", ""},         // an overlay: no disk holds it
	} {
		got, err := BootDisk(sysFS(), tc.majmin)
		if err != nil || got != tc.want {
			t.Errorf("BootDisk(%s) = %q, %v; want %q", tc.majmin, got, err, tc.want)
		}
	}
}

func TestConfirmNeedsTheDisksName(t *testing.T) {
	d := Disk{Name: "sda"}
	for _, tc := range []struct {
		typed string
		ok    bool
	}{
		{"sda", true}, {" sda ", true},
		{"sdb", false}, {"", false}, {"SDA", false}, {"/dev/sda", false}, {"sd", false}, {"yes", false}, {"sdaa", false},
	} {
		err := Confirm(d, tc.typed)
		if (err == nil) != tc.ok {
			t.Errorf("Confirm(sda, %q) = %v, want accepted %v", tc.typed, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrConfirmation) {
			t.Errorf("Confirm(sda, %q): %v is not ErrConfirmation", tc.typed, err)
		}
	}
	if Confirm(Disk{}, "") == nil {
		t.Error("a disk without a name was confirmed by typing nothing")
	}
}

func TestReadLayout(t *testing.T) {
	for _, ss := range []int64{512, 4096} {
		img := gptImage(ss, 400, []part{{"tongban-esp", 10, 49}, {"tongban-root", 50, 199}, {"tongban-data", 200, 299}, {"TONGBAN-PROV", 300, 359}})
		// a stick is larger than the image written to it
		stick := append(img, bytes.Repeat([]byte{0xee}, int(ss)*100)...)
		l, err := ReadLayout(bytes.NewReader(stick))
		if err != nil {
			t.Fatalf("%d-byte sectors: %v", ss, err)
		}
		if l.Bytes != 400*ss || l.SectorSize != ss {
			t.Errorf("%d-byte sectors: image %d bytes, sector %d; want %d", ss, l.Bytes, l.SectorSize, 400*ss)
		}
		if l.Data != (Range{200 * ss, 100 * ss}) {
			t.Errorf("data partition %+v", l.Data)
		}
		if len(l.Partitions) != 4 || l.Partitions[3].Name != "TONGBAN-PROV" {
			t.Errorf("partitions %+v", l.Partitions)
		}
		if c := l.Copied(); len(c) != 2 || c[0] != (Range{0, 200 * ss}) || c[1] != (Range{300 * ss, 100 * ss}) || l.CopiedBytes() != 300*ss {
			t.Errorf("copied ranges %+v", c)
		}
	}
}

func TestReadLayoutRefusesWhatIsNotAnImage(t *testing.T) {
	good := testImage()
	damage := func(f func(b []byte)) []byte { b := bytes.Clone(good); f(b); return b }
	for _, tc := range []struct {
		name string
		disk []byte
		want string
	}{
		{"blank stick", make([]byte, 1<<20), "no GPT"},
		{"header damaged", damage(func(b []byte) { b[512+40]++ }), "header is damaged"},
		{"entries damaged", damage(func(b []byte) { b[1024+60]++ }), "entries are damaged"},
		{"no data partition", gptImage(512, 4000, []part{{"tongban-esp", 2048, 2100}, {"tongban-root", 2101, 3000}}), "no tongban-root or tongban-data"},
		{"some other system", gptImage(512, 4000, []part{{"EFI system", 2048, 2100}, {"Linux filesystem", 2101, 3000}}), "not written from a Tongban image"},
		{"short", good[:700], "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadLayout(bytes.NewReader(tc.disk))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// job is a copy of testImage onto a disk twice its size, which once held
// another GPT whose backup at its end must not survive.
func job(t *testing.T) (Job, *memDisk, []byte) {
	t.Helper()
	img := testImage()
	copy(img[2816*512:], bytes.Repeat([]byte("stick's own queue "), 256*512/18)) // the data partition's bytes
	l, err := ReadLayout(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	d := newMemDisk(2 * len(img))
	copy(d.b[len(d.b)-512:], "EFI PART old backup header")
	return Job{Source: bytes.NewReader(img), Layout: l, Target: d, Format: fakeFormat(d), Block: 64 << 10}, d, img
}

// sumRanges hashes the disk's bytes in the ranges given, in order.
func sumRanges(disk []byte, rs []Range) string {
	h := sha256.New()
	for _, r := range rs {
		h.Write(disk[r.Start:r.End()])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sameImage checks that the disk holds the image but its tables and its
// data partition, and that its GPT lists the image's partitions and spans
// the whole disk.
func sameImage(t *testing.T, disk, img []byte, l Layout) {
	t.Helper()
	for _, r := range l.Copied() {
		if r.Start == 0 {
			r = Range{l.HeadBytes(), r.Bytes - l.HeadBytes()}
		}
		if !bytes.Equal(disk[r.Start:r.End()], img[r.Start:r.End()]) {
			t.Errorf("range %d+%d differs from the image", r.Start, r.Bytes)
		}
	}
	l2, err := ReadLayout(bytes.NewReader(disk))
	if err != nil {
		t.Fatalf("the disk's GPT: %v", err)
	}
	if l2.Bytes != int64(len(disk)) {
		t.Errorf("the disk's GPT ends at %d, the disk at %d", l2.Bytes, len(disk))
	}
	if len(l2.Partitions) != len(l.Partitions) {
		t.Fatalf("the disk lists %d partitions, the image %d", len(l2.Partitions), len(l.Partitions))
	}
	for i := range l.Partitions {
		if l2.Partitions[i] != l.Partitions[i] {
			t.Errorf("partition %d: %+v on the disk, %+v in the image", i+1, l2.Partitions[i], l.Partitions[i])
		}
	}
	if !bytes.Equal(disk[446:446+4+1], img[446:446+4+1]) || binary.LittleEndian.Uint32(disk[446+12:]) != uint32(len(disk)/512-1) {
		t.Errorf("the protective MBR does not cover the disk")
	}
}

func TestCopyVerifiesAndFormatsTheData(t *testing.T) {
	j, d, img := job(t)
	var stages []Stage
	var last Progress
	j.Progress = func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		} else if p.Stage == last.Stage && p.Done < last.Done {
			t.Errorf("progress went back: %+v after %+v", p, last)
		}
		last = p
	}
	res, err := Copy(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != j.Layout.Bytes+33*512 || res.SHA256 != sumRanges(d.b, res.Ranges) {
		t.Errorf("result %+v, want %d bytes hashing as the disk's", res, j.Layout.Bytes+33*512)
	}
	sameImage(t, d.b, img, j.Layout)
	data := d.b[j.Layout.Data.Start:j.Layout.Data.End()]
	if bytes.Contains(data, []byte("stick's own queue")) {
		t.Error("the stick's data partition was copied to the disk")
	}
	if data[ext4Magic] != 0x53 {
		t.Error("the data partition was not formatted")
	}
	if bytes.Contains(d.b[len(img):], []byte("old backup header")) {
		t.Error("the disk's old backup GPT survived at its end")
	}
	if d.syncs == 0 {
		t.Error("the writes were never flushed before reading back")
	}
	if want := []Stage{Erasing, Formatting, Copying, Verifying, Done}; !equalStages(stages, want) {
		t.Errorf("stages %v, want %v", stages, want)
	}
	if last.Done != last.Total || last.Stage != Done {
		t.Errorf("last progress %+v", last)
	}
}

func equalStages(a, b []Stage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A disk pulled out mid-way, then a flaky cable that drops half a block,
// then a good attempt: each failure says what happened and claims nothing;
// the retry starts over and ends verified.
func TestCopyFailuresThenRetry(t *testing.T) {
	j, d, img := job(t)
	d.failAfter, d.err = 300<<10, &wrapErr{syscall.ENODEV}
	res, err := Copy(context.Background(), j)
	var f *Failure
	if !errors.As(err, &f) || f.Kind != Gone || f.Stage != Copying || !isZero(res) {
		t.Fatalf("disk removed: %+v, %v; want a Gone failure while copying and no result", res, err)
	}
	if !strings.Contains(err.Error(), "stopped answering") || !strings.Contains(err.Error(), "NOT installed") {
		t.Errorf("the words: %q", err)
	}
	if f.At < 300<<10-int64(j.Block) || f.At > 300<<10 {
		t.Errorf("failed at %d, want near %d", f.At, 300<<10)
	}

	d.writes, d.failAfter, d.short = 0, 500<<10, true
	res, err = Copy(context.Background(), j)
	if !errors.As(err, &f) || f.Kind != ShortWrite || !isZero(res) {
		t.Fatalf("short write: %+v, %v", res, err)
	}
	if !strings.Contains(err.Error(), "short write") {
		t.Errorf("the words: %q", err)
	}

	d.failAfter, d.short = -1, false
	res, err = Copy(context.Background(), j)
	if err != nil || res.SHA256 != sumRanges(d.b, res.Ranges) {
		t.Fatalf("the retry: %+v, %v", res, err)
	}
	sameImage(t, d.b, img, j.Layout)
}

type wrapErr struct{ error }

func (w *wrapErr) Unwrap() error { return w.error }

func TestCopyReadBackMismatch(t *testing.T) {
	j, d, _ := job(t)
	at := j.Layout.Data.End() + 777 // in the provisioning partition
	d.flipAt = at
	res, err := Copy(context.Background(), j)
	var f *Failure
	if !errors.As(err, &f) || f.Kind != Mismatch || f.Stage != Verifying || !isZero(res) {
		t.Fatalf("%+v, %v; want a mismatch while verifying and no result", res, err)
	}
	if f.At != at {
		t.Errorf("mismatch at %d, want %d", f.At, at)
	}
	if !strings.Contains(err.Error(), "different bytes") {
		t.Errorf("the words: %q", err)
	}
	// A disk that goes bad later fails again: nothing remembers the first.
	d.flipAt = 5
	if _, err := Copy(context.Background(), j); !errors.As(err, &f) || f.At != 5 {
		t.Fatalf("second mismatch: %v", err)
	}
}

func TestCopyRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(j *Job, d *memDisk) context.Context
		kind  Kind
		words string
	}{
		{"disk too small", func(j *Job, d *memDisk) context.Context {
			small := newMemDisk(int(j.Layout.Bytes) - 512)
			j.Target = small
			return context.Background()
		}, TooSmall, "too small"},
		{"stick unreadable", func(j *Job, d *memDisk) context.Context {
			j.Source = io.NewSectionReader(j.Source, 0, 1<<20)
			return context.Background()
		}, SourceFail, "USB stick could not be read"},
		{"mkfs fails", func(j *Job, d *memDisk) context.Context {
			j.Format = FormatFunc(func(context.Context, int64) (io.ReaderAt, error) { return nil, errors.New("mkfs.ext4: exit status 1") })
			return context.Background()
		}, FormatFail, "data partition could not be made"},
		{"cancelled", func(j *Job, d *memDisk) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			j.Progress = func(p Progress) {
				if p.Stage == Copying && p.Done > 200<<10 {
					cancel()
				}
			}
			return ctx
		}, Cancelled, "stopped before the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, d, _ := job(t)
			ctx := tc.setup(&j, d)
			res, err := Copy(ctx, j)
			var f *Failure
			if !errors.As(err, &f) || f.Kind != tc.kind || !isZero(res) {
				t.Fatalf("%+v, %v; want kind %d and no result", res, err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.words) {
				t.Errorf("the words %q do not say %q", err, tc.words)
			}
		})
	}
}

func FuzzReadLayout(f *testing.F) {
	f.Add(testImage()[:8192])
	f.Add(gptImage(4096, 64, []part{{"tongban-root", 6, 20}, {"tongban-data", 21, 40}})[:12*4096])
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ReadLayout(bytes.NewReader(b))
		if err != nil {
			return
		}
		// What it accepts is a layout Copy can work from.
		if l.Bytes <= 0 || l.Data.Start < 0 || l.Data.End() > l.Bytes || l.CopiedBytes()+l.Data.Bytes != l.Bytes {
			t.Fatalf("accepted an impossible layout: %d bytes, data %+v", l.Bytes, l.Data)
		}
		// Its tables rewritten for a disk twice its size read back as the
		// same partitions, spanning that disk.
		hb := l.HeadBytes()
		if l.Bytes > 4<<20 || hb > int64(len(b)) {
			return
		}
		size := 2 * l.Bytes
		tb, ok := l.TablesFor(b[:hb], size)
		if !ok {
			t.Fatalf("no tables for a disk twice the image's size")
		}
		disk := make([]byte, size)
		copy(disk, tb.Head)
		copy(disk[tb.TailAt:], tb.Tail)
		l2, err := ReadLayout(bytes.NewReader(disk))
		if err != nil {
			t.Fatalf("the rewritten tables do not read: %v", err)
		}
		if l2.Bytes != size || len(l2.Partitions) != len(l.Partitions) || l2.Data != l.Data {
			t.Fatalf("the rewritten tables say %d bytes, %d partitions, data %+v", l2.Bytes, len(l2.Partitions), l2.Data)
		}
	})
}

// The root service offers the install only while running from a USB disk.
func TestRequireUSB(t *testing.T) {
	link := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: fs.ModeSymlink} }
	sys := fstest.MapFS{
		"block/sdb":     link("../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb"),
		"block/sda":     link("../devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda"),
		"block/nvme0n1": link("../devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1"),
	}
	m := Machine{Sys: sys, RequireUSB: true}
	for _, tc := range []struct {
		boot string
		ok   bool
	}{{"sdb", true}, {"sda", false}, {"nvme0n1", false}, {"", false}, {"sdz", false}} {
		if err := m.checkUSB(tc.boot); (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrNotFromUSB)) {
			t.Errorf("booted from %q: %v, want allowed %v", tc.boot, err, tc.ok)
		}
	}
	if err := (Machine{Sys: sys}).checkUSB("sda"); err != nil {
		t.Errorf("without RequireUSB (a technician's kioskctl): %v", err)
	}
}

// isZero is a Result that claims nothing.
func isZero(r Result) bool { return r.Copied == 0 && r.SHA256 == "" && r.Ranges == nil }
