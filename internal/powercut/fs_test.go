package powercut

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func fsyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// syncDir fsyncs a directory.
func syncDir(t *testing.T, dir string) {
	t.Helper()
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		t.Fatal(err)
	}
}

// writeSynced writes a file, fsyncs it, and fsyncs its directory.
func writeSynced(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	syncDir(t, filepath.Dir(path))
}

func appendTo(t *testing.T, path string, data []byte, sync bool) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
}

func cut(t *testing.T, p *FS) {
	t.Helper()
	if err := p.Cut(); err != nil {
		t.Fatal(err)
	}
	if err := p.Remount(); err != nil {
		t.Fatal(err)
	}
}

func readOrMissing(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<missing>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCutDropsWhatWasNotSynced runs sequences of writes, truncations,
// creates, renames and removals, with and without fsyncs, cuts the power
// and compares the survivors with what a strict disk keeps.
func TestCutDropsWhatWasNotSynced(t *testing.T) {
	cases := []struct {
		name string
		do   func(t *testing.T, dir string)
		want map[string]string // file → content after the cut
	}{
		{"unsynced append is dropped, reads saw it", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "a"), []byte("one\n"))
			appendTo(t, filepath.Join(dir, "a"), []byte("two\n"), false)
			if got := readOrMissing(t, filepath.Join(dir, "a")); got != "one\ntwo\n" {
				t.Fatalf("before the cut a reads %q", got)
			}
		}, map[string]string{"a": "one\n"}},
		{"synced append survives", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "a"), []byte("one\n"))
			appendTo(t, filepath.Join(dir, "a"), []byte("two\n"), true)
			appendTo(t, filepath.Join(dir, "a"), []byte("three\n"), false)
		}, map[string]string{"a": "one\ntwo\n"}},
		{"create without a directory fsync is undone", func(t *testing.T, dir string) {
			f, _ := os.Create(filepath.Join(dir, "new"))
			f.WriteString("data")
			f.Sync()
			f.Close()
		}, map[string]string{"new": "<missing>"}},
		{"directory fsync without a file fsync leaves it empty", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "new"), []byte("data"), 0o600)
			syncDir(t, dir)
		}, map[string]string{"new": ""}},
		{"rename over without a directory fsync is undone", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "cfg"), []byte("old"))
			writeSynced(t, filepath.Join(dir, "cfg.tmp"), []byte("new"))
			os.Rename(filepath.Join(dir, "cfg.tmp"), filepath.Join(dir, "cfg"))
			if got := readOrMissing(t, filepath.Join(dir, "cfg")); got != "new" {
				t.Fatalf("before the cut cfg reads %q", got)
			}
		}, map[string]string{"cfg": "old", "cfg.tmp": "new"}},
		{"rename over with a directory fsync survives", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "cfg"), []byte("old"))
			writeSynced(t, filepath.Join(dir, "cfg.tmp"), []byte("new"))
			os.Rename(filepath.Join(dir, "cfg.tmp"), filepath.Join(dir, "cfg"))
			syncDir(t, dir)
		}, map[string]string{"cfg": "new", "cfg.tmp": "<missing>"}},
		{"removal without a directory fsync is undone", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "gone"), []byte("kept"))
			os.Remove(filepath.Join(dir, "gone"))
		}, map[string]string{"gone": "kept"}},
		{"removal with a directory fsync survives", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "gone"), []byte("kept"))
			os.Remove(filepath.Join(dir, "gone"))
			syncDir(t, dir)
		}, map[string]string{"gone": "<missing>"}},
		{"unsynced truncation is undone", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "a"), []byte("0123456789"))
			os.Truncate(filepath.Join(dir, "a"), 3)
			appendTo(t, filepath.Join(dir, "a"), []byte("x"), false)
			if got := readOrMissing(t, filepath.Join(dir, "a")); got != "012x" {
				t.Fatalf("before the cut a reads %q", got)
			}
		}, map[string]string{"a": "0123456789"}},
		{"synced truncation and regrowth reads zeros", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, "a"), []byte("0123456789"))
			os.Truncate(filepath.Join(dir, "a"), 3)
			os.Truncate(filepath.Join(dir, "a"), 5)
			appendTo(t, filepath.Join(dir, "a"), []byte("x"), true)
		}, map[string]string{"a": "012\x00\x00x"}},
		{"a file synced in a subdirectory whose creation was not", func(t *testing.T, dir string) {
			os.Mkdir(filepath.Join(dir, "sub"), 0o755)
			writeSynced(t, filepath.Join(dir, "sub", "f"), []byte("x"))
		}, map[string]string{"sub/f": "<missing>"}},
		{"link then directory fsync survives", func(t *testing.T, dir string) {
			writeSynced(t, filepath.Join(dir, ".tmp"), []byte("key"))
			os.Link(filepath.Join(dir, ".tmp"), filepath.Join(dir, "key"))
			syncDir(t, dir)
			os.Remove(filepath.Join(dir, ".tmp"))
		}, map[string]string{"key": "key", ".tmp": "key"}},
	}
	p := Mount(t, Options{Seed: 1})
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(p.Dir(), strconv.Itoa(i))
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			syncDir(t, p.Dir())
			c.do(t, dir)
			cut(t, p)
			for name, want := range c.want {
				if got := readOrMissing(t, filepath.Join(dir, name)); got != want {
					t.Errorf("%s after the cut: %q, want %q", name, got, want)
				}
			}
		})
	}
	if s := p.Stats(); s.Cuts != len(cases) || s.Undone == 0 || s.Dropped == 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestTornWriteKeepsAPrefix: with Torn, a cut keeps some prefix of the
// last unsynced write and nothing else unsynced; the same seed tears the
// same way.
func TestTornWriteKeepsAPrefix(t *testing.T) {
	base := []byte("synced|")
	last := bytes.Repeat([]byte("0123456789"), 50)
	run := func(seed uint64) []string {
		p := Mount(t, Options{Seed: seed, Torn: true})
		var got []string
		for i := 0; i < 8; i++ {
			path := filepath.Join(p.Dir(), fmt.Sprintf("log%d", i))
			writeSynced(t, path, base)
			appendTo(t, path, []byte("dropped|"), false)
			appendTo(t, path, last, false)
			cut(t, p)
			b := readOrMissing(t, path)
			if !bytes.HasPrefix([]byte(b), base) {
				t.Fatalf("cut %d: lost synced data: %q", i, b)
			}
			rest := []byte(b[len(base):])
			// The torn prefix lands where the last write went: after
			// the dropped bytes, which read as zeros.
			if len(rest) > 0 {
				if !bytes.Equal(rest[:8], make([]byte, 8)) || !bytes.HasPrefix(last, rest[8:]) || len(rest[8:]) >= len(last) {
					t.Fatalf("cut %d: after the synced part %q, not zeros and a proper prefix of the last write", i, rest)
				}
			}
			got = append(got, strconv.Itoa(len(rest)))
		}
		return got
	}
	a, b := run(42), run(42)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("the same seed tore differently: %v and %v", a, b)
	}
	torn := 0
	for _, n := range a {
		if n != "0" {
			torn++
		}
	}
	if torn == 0 {
		t.Errorf("8 cuts kept no torn prefix at all: %v", a)
	}
}

// boltTarget is the positive control of the file system itself: a bbolt
// writer acknowledging each record after Update returns, as
// "<generation>/<id>" where the generation names the file.
func boltTarget(noSync bool) Target {
	name := "bbolt"
	if noSync {
		name = "bbolt NoSync"
	}
	return Target{
		Name: name,
		Child: func(dir string, rng *rand.Rand, ack func(string)) error {
			db, err := bolt.Open(filepath.Join(dir, "control.db"), 0o600, &bolt.Options{NoSync: noSync})
			if err != nil {
				return err
			}
			// bbolt does not fsync the directory of a file it creates:
			// the writer must, or the whole file may vanish.
			if err := fsyncDir(dir); err != nil {
				return err
			}
			var gen string
			err = db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("meta"))
				if err != nil {
					return err
				}
				if g := b.Get([]byte("gen")); g != nil {
					gen = string(g)
					return nil
				}
				gen = strconv.FormatUint(rng.Uint64(), 36)
				return b.Put([]byte("gen"), []byte(gen))
			})
			if err != nil {
				return err
			}
			for {
				var id uint64
				err := db.Update(func(tx *bolt.Tx) error {
					b, err := tx.CreateBucketIfNotExists([]byte("acks"))
					if err != nil {
						return err
					}
					id, _ = b.NextSequence()
					var k [8]byte
					binary.BigEndian.PutUint64(k[:], id)
					return b.Put(k[:], bytes.Repeat([]byte{byte(id)}, 100+rng.IntN(2000)))
				})
				if err != nil {
					return err
				}
				ack(gen + "/" + strconv.FormatUint(id, 10))
			}
		},
		NewCheck: newBoltCheck,
	}
}

// retireBytes bounds control.db: past it, a file that checked clean is
// removed (its records retired) and the next child starts a new one.
const retireBytes = 8 << 20

// newBoltCheck counts acknowledged records missing from control.db: those
// of the file's generation must be in it, those of a generation retired
// after a clean check are not looked for, and those of any other
// generation are lost (their file vanished or was replaced).
func newBoltCheck() func(string, []string) Findings {
	retired := map[string]bool{}
	return func(dir string, acked []string) Findings {
		var f Findings
		path := filepath.Join(dir, "control.db")
		gen := ""
		var size int64
		want := map[uint64]bool{}
		lost := 0
		defer func() {
			if lost > 0 {
				f.Lost += lost
				f.Problems = append(f.Problems, fmt.Sprintf("%d acknowledged records missing", lost))
			}
			if f.Lost+f.Duplicated+f.CheckErrors == 0 && size > retireBytes {
				retired[gen] = true
				if err := os.Remove(path); err != nil {
					f.CheckErrors++
					f.Problems = append(f.Problems, err.Error())
				}
			}
		}()
		info, err := os.Stat(path)
		if err == nil {
			size = info.Size()
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				f.CheckErrors++
				f.Problems = append(f.Problems, err.Error())
				return f
			}
			defer db.Close()
			db.View(func(tx *bolt.Tx) error {
				for err := range tx.Check() {
					f.CheckErrors++
					f.Problems = append(f.Problems, "check: "+err.Error())
				}
				if b := tx.Bucket([]byte("meta")); b != nil {
					gen = string(b.Get([]byte("gen")))
				}
				for _, a := range acked {
					g, idText, _ := strings.Cut(a, "/")
					id, _ := strconv.ParseUint(idText, 10, 64)
					switch {
					case retired[g]:
					case g == gen:
						want[id] = true
					default:
						lost++
					}
				}
				b := tx.Bucket([]byte("acks"))
				for id := range want {
					var k [8]byte
					binary.BigEndian.PutUint64(k[:], id)
					if b == nil || b.Get(k[:]) == nil {
						lost++
					}
				}
				return nil
			})
			return f
		}
		for _, a := range acked {
			if g, _, _ := strings.Cut(a, "/"); !retired[g] {
				lost++
			}
		}
		return f
	}
}

// TestBoltUnderPowerCuts is the positive control: bbolt with NoSync loses
// acknowledged records under cuts, with its defaults it does not.
func TestBoltUnderPowerCuts(t *testing.T) {
	safe := boltTarget(false)
	safe.Control = boltTarget(true).Child
	safe.ControlCycles = 20
	// After a loss the writer numbers records again from what survived:
	// the control's repeated acknowledgements count as duplicates too.
	r := Run(t, safe)
	if r.Acked == 0 {
		t.Errorf("no record acknowledged in %d cycles: the cuts land too early", r.Cycles)
	}
}
