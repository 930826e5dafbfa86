package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by Create when the path already exists.
var ErrExists = fs.ErrExist

// WriteFile replaces path with data, mode perm, durably: temp file, fsync,
// rename, fsync of the folder. The folder is created (0755) if missing.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // no-op after the rename
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("durable: putting %s in place: %w", path, err)
	}
	return SyncDir(filepath.Dir(path))
}

// Create writes data to path durably like WriteFile, but only if path does
// not exist yet: the file is linked into place, so of two processes
// creating the same key the first one wins and the second gets an error
// wrapping ErrExists. Nothing that is already there is ever overwritten.
func Create(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("durable: %s already exists: %w", path, ErrExists)
		}
		return fmt.Errorf("durable: putting %s in place: %w", path, err)
	}
	// The link is made; make it durable before the temp name is removed.
	if err := SyncDir(filepath.Dir(path)); err != nil {
		return err
	}
	os.Remove(tmp)
	return SyncDir(filepath.Dir(path))
}

func writeTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	dir := filepath.Dir(path)
	if err := MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("durable: writing %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("durable: writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("durable: writing %s: %w", path, err)
	}
	return tmp, nil
}

// MkdirAll creates dir and any missing parents like os.MkdirAll, and makes
// each new folder durable by syncing its parent: without that, a power cut
// takes the new folder and everything written into it since.
func MkdirAll(dir string, perm fs.FileMode) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, perm); err != nil {
		return err
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := SyncDir(filepath.Dir(missing[i])); err != nil {
			return err
		}
	}
	return nil
}

// SyncDir makes a create, rename, link or removal in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("durable: syncing folder %s: %w", dir, err)
	}
	return nil
}

// Rename moves oldpath to newpath and makes the move durable (both
// folders are synced).
func Rename(oldpath, newpath string) error {
	if err := os.Rename(oldpath, newpath); err != nil {
		return err
	}
	if err := SyncDir(filepath.Dir(newpath)); err != nil {
		return err
	}
	if filepath.Dir(oldpath) != filepath.Dir(newpath) {
		return SyncDir(filepath.Dir(oldpath))
	}
	return nil
}

// ReplaceSecret replaces path with data like WriteFile, and overwrites
// what path held before with zeros: a secret in clear replaced by its
// sealed form leaves no clear copy in the file's old blocks (as far as the
// file system writes in place; flash may keep old pages). The old file
// stays under path+".old" until the new one is in place, so a cut at any
// point leaves path whole; TidySecret, run before path is next read,
// clears an .old a cut left. step, when not nil, is told of each point
// (the power-cut tests); an error stops there.
func ReplaceSecret(path string, data []byte, perm fs.FileMode, step func(string) error) error {
	if step == nil {
		step = func(string) error { return nil }
	}
	old := path + ".old"
	if err := TidySecret(path); err != nil {
		return err
	}
	if err := os.Link(path, old); err != nil {
		return fmt.Errorf("durable: keeping %s: %w", path, err)
	}
	if err := SyncDir(filepath.Dir(path)); err != nil {
		return err
	}
	if err := step("old kept"); err != nil {
		return err
	}
	if err := WriteFile(path, data, perm); err != nil {
		return err
	}
	if err := step("new in place"); err != nil {
		return err
	}
	return TidySecret(path)
}

// TidySecret finishes a ReplaceSecret a cut stopped: path+".old" is
// removed when it is still path itself (the new one was not in place), and
// zeroed, synced and removed when path is already the new one.
func TidySecret(path string) error {
	old := path + ".old"
	a, err := os.Stat(old)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if b, err := os.Stat(path); err != nil || !os.SameFile(a, b) {
		f, err := os.OpenFile(old, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteAt(make([]byte, a.Size()), 0)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("durable: zeroing %s: %w", old, err)
		}
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}
