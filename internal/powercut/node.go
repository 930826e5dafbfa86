package powercut

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// node is a file or directory of the mount. It holds no state of its own:
// its backing path follows from its place in the tree, its pending writes
// live in FS.files by backing inode number. Every operation holds FS.mu.
type node struct {
	fs.Inode
	pfs *FS
}

// handle is an open file: a descriptor of the backing file.
type handle struct {
	f   *os.File
	ino uint64
}

var (
	_ fs.NodeLookuper  = (*node)(nil)
	_ fs.NodeGetattrer = (*node)(nil)
	_ fs.NodeSetattrer = (*node)(nil)
	_ fs.NodeOpener    = (*node)(nil)
	_ fs.NodeCreater   = (*node)(nil)
	_ fs.NodeReader    = (*node)(nil)
	_ fs.NodeWriter    = (*node)(nil)
	_ fs.NodeFsyncer   = (*node)(nil)
	_ fs.NodeFlusher   = (*node)(nil)
	_ fs.NodeReleaser  = (*node)(nil)
	_ fs.NodeMkdirer   = (*node)(nil)
	_ fs.NodeRmdirer   = (*node)(nil)
	_ fs.NodeUnlinker  = (*node)(nil)
	_ fs.NodeRenamer   = (*node)(nil)
	_ fs.NodeLinker    = (*node)(nil)
	_ fs.NodeReaddirer = (*node)(nil)
	_ fs.NodeStatfser  = (*node)(nil)
)

// rel is the node's path from the root, "." for the root itself.
func (n *node) rel() string {
	if p := n.Path(nil); p != "" {
		return p
	}
	return "."
}

func (n *node) abs() string              { return filepath.Join(n.pfs.data, n.rel()) }
func (n *node) child(name string) string { return filepath.Join(n.rel(), name) }

// enter locks the file system; after a cut every operation fails.
func (n *node) enter() syscall.Errno {
	n.pfs.mu.Lock()
	if n.pfs.frozen {
		n.pfs.mu.Unlock()
		return syscall.EIO
	}
	return 0
}

func (n *node) leave() { n.pfs.mu.Unlock() }

// attr fills out from st, with the size readers see.
func (n *node) attr(st *syscall.Stat_t, out *fuse.Attr) {
	if s, ok := n.pfs.files[st.Ino]; ok {
		st.Size = s.size
	}
	out.FromStat(st)
}

func (n *node) newChild(ctx context.Context, st *syscall.Stat_t) *fs.Inode {
	return n.NewInode(ctx, &node{pfs: n.pfs}, fs.StableAttr{Mode: st.Mode & syscall.S_IFMT, Ino: st.Ino})
}

func (n *node) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, e
	}
	defer n.leave()
	var st syscall.Stat_t
	if err := syscall.Lstat(filepath.Join(n.abs(), name), &st); err != nil {
		return nil, fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return n.newChild(ctx, &st), 0
}

func (n *node) stat(f fs.FileHandle, st *syscall.Stat_t) error {
	if h, ok := f.(*handle); ok {
		return syscall.Fstat(int(h.f.Fd()), st)
	}
	return syscall.Lstat(n.abs(), st)
}

func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	var st syscall.Stat_t
	if err := n.stat(f, &st); err != nil {
		return fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return 0
}

func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	if m, ok := in.GetMode(); ok {
		if err := syscall.Chmod(n.abs(), m); err != nil {
			return fs.ToErrno(err)
		}
	}
	uid, uok := in.GetUID()
	gid, gok := in.GetGID()
	if uok || gok {
		su, sg := -1, -1
		if uok {
			su = int(uid)
		}
		if gok {
			sg = int(gid)
		}
		if err := syscall.Lchown(n.abs(), su, sg); err != nil {
			return fs.ToErrno(err)
		}
	}
	if size, ok := in.GetSize(); ok {
		if errno := n.truncate(f, int64(size)); errno != 0 {
			return errno
		}
	}
	var st syscall.Stat_t
	if err := n.stat(f, &st); err != nil {
		return fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return 0
}

// truncate changes the size in memory: it is durable at the next fsync.
func (n *node) truncate(f fs.FileHandle, size int64) syscall.Errno {
	h, ok := f.(*handle)
	if !ok {
		fd, err := os.OpenFile(n.abs(), os.O_RDWR, 0)
		if err != nil {
			return fs.ToErrno(err)
		}
		defer fd.Close()
		var st syscall.Stat_t
		if err := syscall.Fstat(int(fd.Fd()), &st); err != nil {
			return fs.ToErrno(err)
		}
		h = &handle{f: fd, ino: st.Ino}
	}
	s, err := n.pfs.state(h.ino, h.f)
	if err != nil {
		return fs.ToErrno(err)
	}
	s.truncate(size)
	return 0
}

func openBacking(path string, flags uint32, create bool, mode uint32) (*handle, syscall.Errno) {
	fl := int(flags) &^ (syscall.O_ACCMODE | syscall.O_APPEND | syscall.O_TRUNC | syscall.O_CREAT | syscall.O_EXCL)
	fl |= syscall.O_RDWR
	if create {
		fl |= syscall.O_CREAT | syscall.O_EXCL
	}
	f, err := os.OpenFile(path, fl, os.FileMode(mode))
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, fs.ToErrno(err)
	}
	return &handle{f: f, ino: st.Ino}, 0
}

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, 0, e
	}
	defer n.leave()
	h, errno := openBacking(n.abs(), flags, false, 0)
	if errno != 0 {
		return nil, 0, errno
	}
	if flags&syscall.O_TRUNC != 0 {
		if errno := n.truncate(h, 0); errno != 0 {
			h.f.Close()
			return nil, 0, errno
		}
	}
	return h, 0, 0
}

func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, nil, 0, e
	}
	defer n.leave()
	p := filepath.Join(n.abs(), name)
	h, errno := openBacking(p, flags, true, mode)
	if errno == syscall.EEXIST && flags&syscall.O_EXCL == 0 {
		h, errno = openBacking(p, flags, false, 0)
		if errno == 0 && flags&syscall.O_TRUNC != 0 {
			errno = n.truncate(h, 0)
		}
	} else if errno == 0 {
		n.pfs.forget(h.ino)
		n.pfs.journal = append(n.pfs.journal, nsOp{kind: opCreate, path: n.child(name)})
	}
	if errno != 0 {
		return nil, nil, 0, errno
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(h.f.Fd()), &st); err != nil {
		h.f.Close()
		return nil, nil, 0, fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return n.newChild(ctx, &st), h, 0, 0
}

func (n *node) Read(ctx context.Context, f fs.FileHandle, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, e
	}
	defer n.leave()
	h, ok := f.(*handle)
	if !ok {
		return nil, syscall.EBADF
	}
	if s, ok := n.pfs.files[h.ino]; ok {
		k, err := s.readAt(dest, off)
		if err != nil {
			return nil, fs.ToErrno(err)
		}
		return fuse.ReadResultData(dest[:k]), 0
	}
	k, err := h.f.ReadAt(dest, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fs.ToErrno(err)
	}
	return fuse.ReadResultData(dest[:k]), 0
}

func (n *node) Write(ctx context.Context, f fs.FileHandle, data []byte, off int64) (uint32, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return 0, e
	}
	defer n.leave()
	h, ok := f.(*handle)
	if !ok {
		return 0, syscall.EBADF
	}
	s, err := n.pfs.state(h.ino, h.f)
	if err != nil {
		return 0, fs.ToErrno(err)
	}
	if err := s.writeAt(data, off); err != nil {
		return 0, fs.ToErrno(err)
	}
	return uint32(len(data)), 0
}

// Fsync makes a file's writes durable, or, on a directory, the creates,
// renames and removals in it.
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	if n.IsDir() {
		n.pfs.commitDir(n.rel())
		return 0
	}
	var st syscall.Stat_t
	if err := n.stat(f, &st); err != nil {
		return fs.ToErrno(err)
	}
	return fs.ToErrno(n.pfs.syncFile(st.Ino))
}

func (n *node) Flush(ctx context.Context, f fs.FileHandle) syscall.Errno { return 0 }

func (n *node) Release(ctx context.Context, f fs.FileHandle) syscall.Errno {
	if h, ok := f.(*handle); ok {
		h.f.Close()
	}
	return 0
}

func (n *node) Mkdir(ctx context.Context, name string, mode uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, e
	}
	defer n.leave()
	p := filepath.Join(n.abs(), name)
	if err := syscall.Mkdir(p, mode); err != nil {
		return nil, fs.ToErrno(err)
	}
	n.pfs.journal = append(n.pfs.journal, nsOp{kind: opCreate, path: n.child(name)})
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return nil, fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return n.newChild(ctx, &st), 0
}

// remove moves name to the graveyard, where it waits until the removal is
// durable or undone.
func (n *node) remove(name string, dir bool) syscall.Errno {
	p := filepath.Join(n.abs(), name)
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return fs.ToErrno(err)
	}
	if e := replaceable(p, dir, st.Mode&syscall.S_IFMT == syscall.S_IFDIR); e != 0 {
		return e
	}
	g, err := n.pfs.bury(p)
	if err != nil {
		return fs.ToErrno(err)
	}
	n.pfs.journal = append(n.pfs.journal, nsOp{kind: opRemove, path: n.child(name), grave: g})
	return 0
}

// replaceable tells whether the entry at p, a folder when isDir, may be
// removed by an operation that expects a folder when wantDir (rmdir, or a
// rename of a folder over it) or a file (unlink, or a rename of a file):
// as the kernel does, a file never replaces a folder nor a folder a file,
// and a folder goes only when empty.
func replaceable(p string, wantDir, isDir bool) syscall.Errno {
	switch {
	case wantDir && !isDir:
		return syscall.ENOTDIR
	case !wantDir && isDir:
		return syscall.EISDIR
	case wantDir:
		if ents, err := os.ReadDir(p); err != nil {
			return fs.ToErrno(err)
		} else if len(ents) > 0 {
			return syscall.ENOTEMPTY
		}
	}
	return 0
}

func (n *node) Rmdir(ctx context.Context, name string) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	return n.remove(name, true)
}

func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	return n.remove(name, false)
}

// Rename supports plain renames and RENAME_NOREPLACE.
func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if e := n.enter(); e != 0 {
		return e
	}
	defer n.leave()
	np, ok := newParent.(*node)
	if !ok {
		return syscall.EXDEV
	}
	const noReplace = 1
	if flags&^noReplace != 0 {
		return syscall.EINVAL
	}
	from, to := filepath.Join(n.abs(), name), filepath.Join(np.abs(), newName)
	var src, dst syscall.Stat_t
	if err := syscall.Lstat(from, &src); err != nil {
		return fs.ToErrno(err)
	}
	op := nsOp{kind: opRename, path: n.child(name), to: np.child(newName)}
	if err := syscall.Lstat(to, &dst); err == nil {
		if flags&noReplace != 0 {
			return syscall.EEXIST
		}
		if dst.Ino == src.Ino {
			return 0
		}
		if e := replaceable(to, src.Mode&syscall.S_IFMT == syscall.S_IFDIR, dst.Mode&syscall.S_IFMT == syscall.S_IFDIR); e != 0 {
			return e
		}
		g, err := n.pfs.bury(to)
		if err != nil {
			return fs.ToErrno(err)
		}
		op.grave = g
	}
	if err := syscall.Rename(from, to); err != nil {
		if op.grave != "" {
			os.Rename(op.grave, to)
		}
		return fs.ToErrno(err)
	}
	n.pfs.journal = append(n.pfs.journal, op)
	return 0
}

func (n *node) Link(ctx context.Context, target fs.InodeEmbedder, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, e
	}
	defer n.leave()
	t, ok := target.(*node)
	if !ok {
		return nil, syscall.EXDEV
	}
	p := filepath.Join(n.abs(), name)
	if err := syscall.Link(t.abs(), p); err != nil {
		return nil, fs.ToErrno(err)
	}
	n.pfs.journal = append(n.pfs.journal, nsOp{kind: opCreate, path: n.child(name)})
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return nil, fs.ToErrno(err)
	}
	n.attr(&st, &out.Attr)
	return n.newChild(ctx, &st), 0
}

func (n *node) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	if e := n.enter(); e != 0 {
		return nil, e
	}
	defer n.leave()
	return fs.NewLoopbackDirStream(n.abs())
}

func (n *node) Statfs(ctx context.Context, out *fuse.StatfsOut) syscall.Errno {
	var s syscall.Statfs_t
	if err := syscall.Statfs(n.pfs.data, &s); err != nil {
		return fs.ToErrno(err)
	}
	out.FromStatfsT(&s)
	return 0
}
