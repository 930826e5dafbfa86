package install

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf16"
)

// Partition names the image's build script gives (scripts/image/build.sh).
const (
	RootPartition = "tongban-root"
	DataPartition = "tongban-data"
)

// Range is a span of a disk in bytes.
type Range struct{ Start, Bytes int64 }

// End is the first byte after the range.
func (r Range) End() int64 { return r.Start + r.Bytes }

// Partition is one GPT entry in use.
type Partition struct {
	Name string
	Range
}

// Layout is the image as its GPT describes it.
type Layout struct {
	SectorSize int64
	// Bytes is how much of the boot disk is the image: up to and
	// including its backup GPT header. A stick is larger than the image
	// written to it; what follows the image is not copied.
	Bytes      int64
	Partitions []Partition
	Data       Range // the data partition: formatted afresh, not copied

	header     []byte // the primary GPT header as read
	entriesLBA int64
	entries    []byte // the partition entries as read
}

// Copied lists the ranges copied block by block: the whole image but the
// data partition.
func (l Layout) Copied() []Range {
	var out []Range
	if l.Data.Start > 0 {
		out = append(out, Range{0, l.Data.Start})
	}
	if l.Data.End() < l.Bytes {
		out = append(out, Range{l.Data.End(), l.Bytes - l.Data.End()})
	}
	return out
}

// CopiedBytes is the sum of Copied.
func (l Layout) CopiedBytes() int64 {
	var n int64
	for _, r := range l.Copied() {
		n += r.Bytes
	}
	return n
}

const maxEntries = 1024 // sfdisk writes 128; a table claiming more is damaged

// ReadLayout reads the GPT at the start of the boot disk (512- or
// 4096-byte sectors) and checks it is a Tongban image: both header and
// entry checksums right, a root and a data partition inside the image.
func ReadLayout(disk io.ReaderAt) (Layout, error) {
	var firstErr error
	for _, ss := range []int64{512, 4096} {
		l, err := readLayout(disk, ss)
		if err == nil {
			return l, nil
		}
		if firstErr == nil || !errors.Is(err, errNoGPT) {
			firstErr = err
		}
	}
	return Layout{}, firstErr
}

var errNoGPT = errors.New("the boot disk has no GPT partition table: it was not written from a Tongban image")

func readLayout(disk io.ReaderAt, ss int64) (Layout, error) {
	h := make([]byte, ss)
	if _, err := disk.ReadAt(h, ss); err != nil {
		return Layout{}, fmt.Errorf("cannot read the boot disk's partition table: %w", err)
	}
	if string(h[:8]) != "EFI PART" {
		return Layout{}, errNoGPT
	}
	le := binary.LittleEndian
	hsize := le.Uint32(h[12:])
	if hsize < 92 || int64(hsize) > ss {
		return Layout{}, fmt.Errorf("the boot disk's partition table header has an impossible size (%d bytes)", hsize)
	}
	want := le.Uint32(h[16:])
	hdr := bytes.Clone(h[:hsize])
	clear(hdr[16:20])
	if crc32.ChecksumIEEE(hdr) != want {
		return Layout{}, errors.New("the boot disk's partition table header is damaged (checksum wrong)")
	}
	my, alt := le.Uint64(h[24:]), le.Uint64(h[32:])
	lastUsable := le.Uint64(h[48:])
	entriesLBA := le.Uint64(h[72:])
	n, esize := le.Uint32(h[80:]), le.Uint32(h[84:])
	if my != 1 || alt <= lastUsable || alt > 1<<40 {
		return Layout{}, fmt.Errorf("the boot disk's partition table does not say where the image ends (header at %d, backup at %d)", my, alt)
	}
	if n == 0 || n > maxEntries || esize < 128 || esize > 1024 || esize%8 != 0 {
		return Layout{}, fmt.Errorf("the boot disk's partition table lists %d entries of %d bytes: damaged", n, esize)
	}
	if entriesLBA < 2 || entriesLBA >= alt {
		return Layout{}, errors.New("the boot disk's partition entries lie outside the image: damaged")
	}
	l := Layout{SectorSize: ss, Bytes: int64(alt+1) * ss, header: bytes.Clone(h[:hsize]), entriesLBA: int64(entriesLBA)}
	entries := make([]byte, int(n)*int(esize))
	if _, err := disk.ReadAt(entries, int64(entriesLBA)*ss); err != nil {
		return Layout{}, fmt.Errorf("cannot read the boot disk's partition entries: %w", err)
	}
	if crc32.ChecksumIEEE(entries) != le.Uint32(h[88:]) {
		return Layout{}, errors.New("the boot disk's partition entries are damaged (checksum wrong)")
	}
	l.entries = entries
	var root bool
	for i := 0; i < int(n); i++ {
		e := entries[i*int(esize):][:esize]
		if allZero(e[:16]) { // no type: unused
			continue
		}
		first, last := le.Uint64(e[32:]), le.Uint64(e[40:])
		if last < first || last > lastUsable {
			return Layout{}, fmt.Errorf("partition %d of the boot disk lies outside the image: damaged", i+1)
		}
		p := Partition{Name: entryName(e[56:128]), Range: Range{int64(first) * ss, int64(last-first+1) * ss}}
		l.Partitions = append(l.Partitions, p)
		switch p.Name {
		case RootPartition:
			root = true
		case DataPartition:
			l.Data = p.Range
		}
	}
	if !root || l.Data.Bytes == 0 {
		return Layout{}, fmt.Errorf("the boot disk has no %s or %s partition: it was not written from a Tongban image", RootPartition, DataPartition)
	}
	return l, nil
}

func entryName(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Tables are the image's partition tables rewritten for a disk larger than
// the image, so that the disk's GPT is whole: the head (protective MBR,
// primary header, entries) says the disk ends where it ends, and the tail
// (backup entries and header) goes to the disk's last sectors.
type Tables struct {
	Head   []byte // for offset 0
	Tail   []byte // for offset TailAt
	TailAt int64
}

// TablesFor rewrites l's tables for a disk of size bytes, with the head's
// bytes as the image holds them (the first HeadBytes of the image). It
// returns false when the disk has no room past the image for the backup
// tables: the image's own then serve.
func (l Layout) TablesFor(head []byte, size int64) (Tables, bool) {
	ss := l.SectorSize
	entrySectors := (int64(len(l.entries)) + ss - 1) / ss
	tailLen := (entrySectors + 1) * ss
	if l.header == nil || size%ss != 0 || size-tailLen < l.Bytes || int64(len(head)) != l.HeadBytes() {
		return Tables{}, false
	}
	le := binary.LittleEndian
	last := uint64(size/ss - 1)
	t := Tables{Head: bytes.Clone(head), TailAt: size - tailLen}

	// The protective MBR covers the disk (or as much as 32 bits count).
	if t.Head[510] == 0x55 && t.Head[511] == 0xaa && t.Head[446+4] == 0xee {
		le.PutUint32(t.Head[446+12:], uint32(min(last, 0xffffffff)))
	}
	lastUsable := last - uint64(entrySectors) - 1
	primary := t.Head[ss : ss+int64(len(l.header))]
	le.PutUint64(primary[32:], last)
	le.PutUint64(primary[48:], lastUsable)
	sealHeader(primary)

	t.Tail = make([]byte, tailLen)
	copy(t.Tail, l.entries)
	backup := t.Tail[entrySectors*ss:][:len(l.header)]
	copy(backup, primary)
	le.PutUint64(backup[24:], last)
	le.PutUint64(backup[32:], 1)
	le.PutUint64(backup[72:], last-uint64(entrySectors))
	sealHeader(backup)
	return t, true
}

// HeadBytes is how much of the image's start the tables take: up to the
// end of the primary entries.
func (l Layout) HeadBytes() int64 {
	ss := l.SectorSize
	end := l.entriesLBA*ss + int64(len(l.entries))
	return (end + ss - 1) / ss * ss
}

func sealHeader(h []byte) {
	clear(h[16:20])
	binary.LittleEndian.PutUint32(h[16:], crc32.ChecksumIEEE(h))
}
