package powercut

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// Options configure a FS.
type Options struct {
	// Seed makes the torn-write choices repeatable.
	Seed uint64
	// Torn keeps a random prefix (possibly empty) of each file's last
	// unsynced write at a cut, as a disk that lost power mid-write might.
	Torn bool
}

// FS is a mounted drop-unsynced file system. Its methods are safe for
// concurrent use with the file system's own operations.
type FS struct {
	data  string // the backing folder: what survives a cut
	grave string // removed and replaced files, kept until their removal is durable
	mnt   string
	opts  Options

	mu      sync.Mutex
	rng     *rand.Rand
	frozen  bool
	files   map[uint64]*pending // by backing inode number
	journal []nsOp
	graves  int
	server  *fuse.Server
	stats   Stats
}

// Stats count what the file system did since it was made.
type Stats struct {
	Cuts        int
	SyncedFiles int   // fsyncs that made writes durable
	SyncedDirs  int   // directory fsyncs
	Dropped     int64 // unsynced bytes thrown away at cuts (counted by page)
	Torn        int   // cuts that kept part of a file's last write
	Undone      int   // creates, renames and removals undone at cuts
}

// nsOp is one create, removal or rename not yet made durable by an fsync
// of its directory. Paths are relative to the root.
type nsOp struct {
	kind  opKind
	path  string // created or removed path, or rename source
	to    string // rename destination
	grave string // where a removed or replaced entry waits, "" for none
}

type opKind int

const (
	opCreate opKind = iota
	opRemove
	opRename
)

func (o nsOp) paths() []string {
	if o.kind == opRename {
		return []string{o.path, o.to}
	}
	return []string{o.path}
}

func (o nsOp) touches(dir string) bool {
	for _, p := range o.paths() {
		if filepath.Dir(p) == dir {
			return true
		}
	}
	return false
}

// dependsOn: an operation on a name can only become durable with the
// earlier operations on the same name and on names beneath it (an rmdir
// needs the removals inside). An earlier operation on a parent is not
// needed: undoing a directory's creation undoes what is inside.
func dependsOn(a, earlier nsOp) bool {
	for _, p := range a.paths() {
		for _, q := range earlier.paths() {
			if p == q || strings.HasPrefix(q, p+"/") {
				return true
			}
		}
	}
	return false
}

// Available says why a FUSE file system cannot be mounted here, or nil.
func Available() error {
	if os.Geteuid() != 0 {
		return errors.New("the power-cut file system needs root to mount FUSE")
	}
	f, err := os.OpenFile("/dev/fuse", os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("the power-cut file system needs /dev/fuse: %w", err)
	}
	f.Close()
	return nil
}

// New mounts a fresh FS with its backing folder, mount point and graveyard
// under root (which must exist).
func New(root string, opts Options) (*FS, error) {
	p := &FS{
		data:  filepath.Join(root, "backing"),
		grave: filepath.Join(root, "grave"),
		mnt:   filepath.Join(root, "mnt"),
		opts:  opts,
		rng:   rand.New(rand.NewPCG(opts.Seed, 0x706f776572637574)),
		files: map[uint64]*pending{},
	}
	for _, d := range []string{p.data, p.grave, p.mnt} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := p.mount(); err != nil {
		return nil, err
	}
	return p, nil
}

// Dir is the mount point: where the workload keeps its files.
func (p *FS) Dir() string { return p.mnt }

// Backing is the backing folder: what a cut leaves, readable directly.
func (p *FS) Backing() string { return p.data }

// Stats returns the counts so far.
func (p *FS) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

func (p *FS) mount() error {
	root := &node{pfs: p}
	zero := time.Duration(0)
	srv, err := fs.Mount(p.mnt, root, &fs.Options{
		MountOptions: fuse.MountOptions{
			DirectMount: true,
			FsName:      "powercut",
			Name:        "powercut",
			Logger:      nil,
		},
		EntryTimeout: &zero,
		AttrTimeout:  &zero,
	})
	if err != nil {
		return fmt.Errorf("powercut: mounting %s: %w", p.mnt, err)
	}
	p.mu.Lock()
	p.server, p.frozen = srv, false
	p.mu.Unlock()
	return nil
}

// Cut is the power cut: from now on every operation fails with EIO, and
// everything not made durable by an fsync is dropped from the backing
// folder. The mount stays frozen until Remount; kill the workload before.
func (p *FS) Cut() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frozen = true
	p.stats.Cuts++
	var errs []error
	for ino, s := range p.files {
		p.stats.Dropped += int64(len(s.pages)) * pageSize
		if p.opts.Torn && len(s.lastData) > 0 {
			if n := p.rng.IntN(len(s.lastData)); n > 0 {
				errs = append(errs, s.tear(n))
				p.stats.Torn++
			}
		}
		s.f.Close()
		delete(p.files, ino)
	}
	for i := len(p.journal) - 1; i >= 0; i-- {
		errs = append(errs, p.undo(p.journal[i]))
		p.stats.Undone++
	}
	p.journal = nil
	return errors.Join(errs...)
}

func (p *FS) undo(o nsOp) error {
	abs := func(rel string) string { return filepath.Join(p.data, rel) }
	switch o.kind {
	case opCreate:
		if err := os.RemoveAll(abs(o.path)); err != nil {
			return fmt.Errorf("powercut: undoing the creation of %s: %w", o.path, err)
		}
	case opRemove:
		if err := os.Rename(o.grave, abs(o.path)); err != nil {
			return fmt.Errorf("powercut: undoing the removal of %s: %w", o.path, err)
		}
	case opRename:
		if err := os.Rename(abs(o.to), abs(o.path)); err != nil {
			return fmt.Errorf("powercut: undoing the rename of %s to %s: %w", o.path, o.to, err)
		}
		if o.grave != "" {
			if err := os.Rename(o.grave, abs(o.to)); err != nil {
				return fmt.Errorf("powercut: restoring %s replaced by a rename: %w", o.to, err)
			}
		}
	}
	return nil
}

// Remount unmounts the frozen file system (dropping the kernel's caches)
// and mounts it again, working.
func (p *FS) Remount() error {
	if err := p.Unmount(); err != nil {
		return err
	}
	return p.mount()
}

// Unmount unmounts the file system; unsynced state is left as it is.
func (p *FS) Unmount() error {
	p.mu.Lock()
	srv := p.server
	p.server = nil
	p.mu.Unlock()
	if srv == nil {
		return nil
	}
	if err := srv.Unmount(); err != nil {
		// Something still holds a file open: detach lazily so the
		// next mount is clean, and say so.
		if derr := syscall.Unmount(p.mnt, syscall.MNT_DETACH); derr != nil {
			return fmt.Errorf("powercut: unmounting %s: %w (lazy unmount: %v)", p.mnt, err, derr)
		}
		srv.Wait()
	}
	return nil
}

// commitDir makes the namespace operations in dir durable, with every
// earlier operation they depend on.
func (p *FS) commitDir(dir string) {
	p.stats.SyncedDirs++
	mark := make([]bool, len(p.journal))
	for i, o := range p.journal {
		mark[i] = o.touches(dir)
	}
	for changed := true; changed; {
		changed = false
		for i := range p.journal {
			if !mark[i] {
				continue
			}
			for j := 0; j < i; j++ {
				if !mark[j] && dependsOn(p.journal[i], p.journal[j]) {
					mark[j], changed = true, true
				}
			}
		}
	}
	kept := p.journal[:0]
	for i, o := range p.journal {
		if !mark[i] {
			kept = append(kept, o)
			continue
		}
		if o.grave != "" {
			os.RemoveAll(o.grave)
		}
	}
	p.journal = kept
}

// bury moves abs (an entry being removed or replaced) to the graveyard
// and returns where it went.
func (p *FS) bury(abs string) (string, error) {
	p.graves++
	g := filepath.Join(p.grave, strconv.Itoa(p.graves))
	return g, os.Rename(abs, g)
}

// state returns the pending state of the file open as f, making one.
func (p *FS) state(ino uint64, f *os.File) (*pending, error) {
	if s, ok := p.files[ino]; ok {
		return s, nil
	}
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	s, err := newPending(os.NewFile(uintptr(fd), f.Name()))
	if err != nil {
		syscall.Close(fd)
		return nil, err
	}
	p.files[ino] = s
	return s, nil
}

// syncFile applies ino's pending writes to the backing file.
func (p *FS) syncFile(ino uint64) error {
	s, ok := p.files[ino]
	if !ok {
		return nil
	}
	err := s.apply()
	s.f.Close()
	delete(p.files, ino)
	p.stats.SyncedFiles++
	return err
}

// forget drops any stale state of a new file's inode number.
func (p *FS) forget(ino uint64) {
	if s, ok := p.files[ino]; ok {
		s.f.Close()
		delete(p.files, ino)
	}
}
