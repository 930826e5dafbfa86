package keystore

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/internal/durable"
)

// KeySize is the size of an epoch key: SM4 keys are 128 bits.
const KeySize = 16

// DirName is the key folder's name in the data folder when the
// configuration names no other place (queue.key_dir): the kiosk and
// kioskctl both look there.
const DirName = "queue-keys"

// DefaultPeriod is how long an epoch lasts when Options.Period is zero.
const DefaultPeriod = 24 * time.Hour

// ErrShredded is returned by Key for an epoch whose key is gone.
var ErrShredded = errors.New("keystore: this epoch's key has been shredded")

// Sealer seals an epoch key so that only this machine can unseal it (a
// TPM). Without one, keys are stored as they are, protected only by the
// folder's permissions and where it lives.
type Sealer interface {
	Seal(key []byte) ([]byte, error)
	Unseal(blob []byte) ([]byte, error)
}

// Options configure Dir.
type Options struct {
	// Period is how long an epoch lasts before a new one begins. Zero
	// means DefaultPeriod.
	Period time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sealer, when set, seals every key written (a TPM). Keys found in
	// clear (written before the TPM was turned on) are sealed at Open.
	Sealer Sealer
	// Step, when set, is called at each point of a rotation, a shred or a
	// sealing of an old key where a power cut can land, everything
	// before it on disk; an error stops there as the cut would (the
	// power-cut tests). Nil here.
	Step func(point string) error
	// Vault, when set, keeps each new key inside the TPM (its NV memory)
	// and the file names only its slot; a shred destroys it there, so no
	// copy of the disk ever opens it again. A TPM that refuses (NV memory
	// full, an owner password) gets the key sealed in its file instead.
	Vault Vault
	// LeaveAsIs opens the folder without tidying it or sealing its clear
	// keys: a tool (kioskctl) beside the running kiosk, which owns them.
	LeaveAsIs bool
}

func (o Options) step(point string) error {
	if o.Step == nil {
		return nil
	}
	return o.Step(point)
}

// Dir is a folder of epoch keys. It is safe for concurrent use by one
// process. Keys read (unsealed) once are kept in memory, so the TPM is
// asked once per epoch and process, not at every submission.
type Dir struct {
	dir   string
	opts  Options
	mu    sync.Mutex
	cache map[uint32]epochKey
	// failedAt and rotateErr are the last failed rotation's time and
	// error (zero, nil: none).
	failedAt  time.Time
	rotateErr error
}

type epochKey struct {
	start time.Time
	key   []byte
}

// Open opens the key folder at dir, creating it (0700) if missing. A
// folder readable by others is refused. What a power cut left of a
// rotation or a shred is cleared first (see tidy), and with a Sealer
// every key still in clear is sealed.
func Open(dir string, opts Options) (*Dir, error) {
	if opts.Period <= 0 {
		opts.Period = DefaultPeriod
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keystore: making %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("keystore: key folder %s is open to others (mode %v); set it to 0700", dir, info.Mode().Perm())
	}
	d := &Dir{dir: dir, opts: opts, cache: map[uint32]epochKey{}}
	if opts.LeaveAsIs {
		if opts.Vault != nil {
			// Reads only: a tool puts no key in the TPM (its new keys,
			// if any, go to sealed files).
			tag, _ := os.ReadFile(filepath.Join(dir, folderIDFile))
			d.opts.Vault = &folderVault{Vault: opts.Vault, tag: tag, readOnly: true}
		}
		return d, nil
	}
	if err := d.tidy(); err != nil {
		return nil, err
	}
	if opts.Vault != nil {
		tag, err := d.folderTag()
		if err != nil {
			return nil, err
		}
		d.opts.Vault = &folderVault{Vault: opts.Vault, tag: tag}
		if err := d.tidyVault(); err != nil {
			return nil, err
		}
	}
	if opts.Sealer != nil {
		if err := d.sealClear(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Sealed reports whether new keys are sealed (a TPM).
func (d *Dir) Sealed() bool { return d.opts.Sealer != nil }

// Unlock reads (unseals) every epoch's key into memory and returns how
// many opened; errs holds one error per epoch that did not. The kiosk
// calls it at start: a TPM that opens none of them is not this
// terminal's, and nothing in the queue is touched then.
func (d *Dir) Unlock() (opened int, errs []error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	list, err := d.epochs()
	if err != nil {
		return 0, []error{err}
	}
	for _, e := range list {
		if _, err := d.load(e); err != nil {
			errs = append(errs, err)
			continue
		}
		opened++
	}
	return opened, errs
}

func (d *Dir) path(epoch uint32) string {
	return filepath.Join(d.dir, fmt.Sprintf("epoch-%08d.key", epoch))
}

// Epochs lists the epochs whose keys are present, oldest first.
func (d *Dir) Epochs() ([]uint32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.epochs()
}

func (d *Dir) epochs() ([]uint32, error) {
	names, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, err
	}
	var out []uint32
	for _, n := range names {
		s, ok := strings.CutPrefix(n.Name(), "epoch-")
		if !ok {
			continue
		}
		s, ok = strings.CutSuffix(s, ".key")
		if !ok {
			continue
		}
		e, err := strconv.ParseUint(s, 10, 32)
		if err != nil || e == 0 {
			continue
		}
		out = append(out, uint32(e))
	}
	slices.Sort(out)
	return out, nil
}

// Current returns the epoch new submissions are sealed under, beginning a
// new one when there is none or the newest is Period old. A clock set back
// keeps the newest epoch.
func (d *Dir) Current() (uint32, []byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	list, err := d.epochs()
	if err != nil {
		return 0, nil, err
	}
	now := d.opts.Now()
	if n := len(list); n > 0 {
		newest := list[n-1]
		k, err := d.load(newest)
		if err != nil {
			return 0, nil, err
		}
		if now.Before(k.start.Add(d.opts.Period)) {
			return newest, bytes.Clone(k.key), nil
		}
		// A rotation that fails (the TPM does not answer, the disk is
		// full) keeps the current key in use rather than refuse a
		// resident's submission; it is tried again a minute later, and
		// RotationProblem says why meanwhile.
		if !d.failedAt.IsZero() && now.Sub(d.failedAt) < retryRotation && !now.Before(d.failedAt) {
			return newest, bytes.Clone(k.key), nil
		}
		e, key, err := d.create(newest+1, now)
		if err != nil {
			d.failedAt, d.rotateErr = now, err
			return newest, bytes.Clone(k.key), nil
		}
		d.failedAt, d.rotateErr = time.Time{}, nil
		return e, key, nil
	}
	return d.create(1, now)
}

// retryRotation is how long a failed rotation waits before it is tried
// again.
const retryRotation = time.Minute

// RotationProblem is why the last rotation failed (the current key stays
// in use past its period meanwhile), or nil.
func (d *Dir) RotationProblem() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rotateErr
}

// Key returns an epoch's key, or ErrShredded when it is gone. The caller
// may wipe the copy it gets.
func (d *Dir) Key(epoch uint32) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, err := d.load(epoch)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(k.key), nil
}

// load returns an epoch's key from memory, or reads it.
func (d *Dir) load(epoch uint32) (epochKey, error) {
	if k, ok := d.cache[epoch]; ok {
		return k, nil
	}
	start, key, err := d.read(epoch)
	if err != nil {
		return epochKey{}, err
	}
	k := epochKey{start: start, key: key}
	d.cache[epoch] = k
	return k, nil
}

// Shred destroys an epoch's key: the file is overwritten with zeros and
// synced, then removed and the folder synced; the copy in memory is wiped.
// Shredding an epoch already gone is not an error. A cut between the two
// leaves a file of zeros, which Open removes.
func (d *Dir) Shred(epoch uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if k, ok := d.cache[epoch]; ok {
		clear(k.key)
		delete(d.cache, epoch)
	}
	p := d.path(epoch)
	// The file goes first, then the key in the TPM: a cut between leaves
	// a slot no file names, which Open destroys.
	slot, inTPM := d.slotOf(epoch)
	if err := shredFile(p); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("keystore: shredding epoch %d: %w", epoch, err)
	}
	if err := d.opts.step("zeroed"); err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("keystore: shredding epoch %d: %w", epoch, err)
	}
	if err := durable.SyncDir(d.dir); err != nil {
		return err
	}
	if err := d.opts.step("removed"); err != nil {
		return err
	}
	if inTPM {
		if err := d.opts.Vault.Destroy(slot); err != nil {
			return fmt.Errorf("keystore: shredding epoch %d in the TPM: %w", epoch, err)
		}
	}
	return nil
}

// shredFile overwrites the file at p with zeros and syncs it.
func shredFile(p string) error {
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err == nil {
		_, err = f.WriteAt(make([]byte, info.Size()), 0)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// create writes a new epoch's key: to .epoch-N.key.new first (synced),
// then linked into place and the folder synced, then the second name
// removed. Only once linked and synced is the key returned and used, so
// a key a cut left in a .new file was never used, and tidy shreds it.
func (d *Dir) create(epoch uint32, now time.Time) (uint32, []byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return 0, nil, err
	}
	line := ""
	if v, ok := d.opts.Vault.(*folderVault); ok && !v.readOnly {
		if err := v.Put(epoch, key); err == nil {
			line = fmt.Sprintf("v1n %d %08x\n", now.Unix(), epoch)
			if err := d.opts.step("in tpm"); err != nil {
				return 0, nil, err
			}
		}
	}
	if line == "" {
		var err error
		if line, err = d.format(now, key); err != nil {
			return 0, nil, err
		}
	}
	final, tmp := d.path(epoch), d.side(epoch, ".new")
	if err := writeSynced(tmp, []byte(line)); err != nil {
		return 0, nil, fmt.Errorf("keystore: writing epoch %d: %w", epoch, err)
	}
	if err := d.opts.step("new written"); err != nil {
		return 0, nil, err
	}
	if err := os.Link(tmp, final); err != nil {
		return 0, nil, fmt.Errorf("keystore: putting epoch %d in place: %w", epoch, err)
	}
	if err := durable.SyncDir(d.dir); err != nil {
		return 0, nil, err
	}
	if err := d.opts.step("linked"); err != nil {
		return 0, nil, err
	}
	if err := os.Remove(tmp); err != nil {
		return 0, nil, err
	}
	if err := durable.SyncDir(d.dir); err != nil {
		return 0, nil, err
	}
	d.cache[epoch] = epochKey{start: time.Unix(now.Unix(), 0), key: key}
	return epoch, bytes.Clone(key), nil
}

// side is the name of a file beside an epoch's own during a change:
// .epoch-N.key.new (a key being written) or .old (a clear key being
// replaced by its sealed form).
func (d *Dir) side(epoch uint32, suffix string) string {
	return filepath.Join(d.dir, fmt.Sprintf(".epoch-%08d.key%s", epoch, suffix))
}

// writeSynced creates p (0600, never replacing a file) with data, synced.
func writeSynced(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
	}
	return err
}

// tidy clears what a cut left in the folder: a second name of an epoch
// file (the same file) is removed; a file of its own beside an epoch (a
// key written but never put in place, a clear key already replaced by its
// sealed form, the temporary file of an older version) is shredded; an
// epoch file of zeros (a shred cut short) is removed.
func (d *Dir) tidy() error {
	names, err := os.ReadDir(d.dir)
	if err != nil {
		return err
	}
	changed := false
	for _, n := range names {
		name := n.Name()
		p := filepath.Join(d.dir, name)
		if strings.HasPrefix(name, ".epoch-") {
			own := filepath.Join(d.dir, name[1:strings.Index(name, ".key")+4])
			a, errA := os.Stat(p)
			b, errB := os.Stat(own)
			if errA == nil && (errB != nil || !os.SameFile(a, b)) {
				if err := shredFile(p); err != nil {
					return fmt.Errorf("keystore: shredding %s: %w", p, err)
				}
			}
			if err := os.Remove(p); err != nil {
				return err
			}
			changed = true
			continue
		}
		if !strings.HasPrefix(name, "epoch-") {
			continue
		}
		raw, err := os.ReadFile(p)
		if err == nil && len(raw) > 0 && len(bytes.Trim(raw, "\x00")) == 0 {
			if err := os.Remove(p); err != nil {
				return err
			}
			changed = true
		}
	}
	if changed {
		return durable.SyncDir(d.dir)
	}
	return nil
}

// sealClear seals each key still written in clear (from before the TPM
// was turned on): the sealed form is written beside it, the clear file
// kept under a second name, the sealed one renamed into place, and the
// clear one shredded. A cut at any point leaves the key whole under its
// own name; tidy shreds what is left beside it.
func (d *Dir) sealClear() error {
	list, err := d.epochs()
	if err != nil {
		return err
	}
	for _, e := range list {
		p := d.path(e)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(raw, []byte("v1 ")) {
			continue
		}
		start, key, err := parseLine(raw, nil, nil)
		if err != nil {
			continue // damaged: Key says so; nothing to seal
		}
		line, err := d.format(start, key)
		if err != nil {
			return err
		}
		tmp, old := d.side(e, ".new"), d.side(e, ".old")
		if err := writeSynced(tmp, []byte(line)); err != nil {
			return err
		}
		if err := os.Link(p, old); err != nil {
			return err
		}
		if err := durable.SyncDir(d.dir); err != nil {
			return err
		}
		if err := d.opts.step("sealed written"); err != nil {
			return err
		}
		if err := os.Rename(tmp, p); err != nil {
			return err
		}
		if err := durable.SyncDir(d.dir); err != nil {
			return err
		}
		if err := d.opts.step("sealed in place"); err != nil {
			return err
		}
		if err := shredFile(old); err != nil {
			return err
		}
		if err := os.Remove(old); err != nil {
			return err
		}
		if err := durable.SyncDir(d.dir); err != nil {
			return err
		}
		d.cache[e] = epochKey{start: start, key: key}
	}
	return nil
}

func (d *Dir) format(start time.Time, key []byte) (string, error) {
	if d.opts.Sealer == nil {
		return fmt.Sprintf("v1 %d %s\n", start.Unix(), hex.EncodeToString(key)), nil
	}
	blob, err := d.opts.Sealer.Seal(key)
	if err != nil {
		return "", fmt.Errorf("keystore: sealing a new key: %w", err)
	}
	return fmt.Sprintf("v1s %d %s\n", start.Unix(), hex.EncodeToString(blob)), nil
}

// read parses one epoch file: the parser of the only outside bytes here.
func (d *Dir) read(epoch uint32) (time.Time, []byte, error) {
	p := d.path(epoch)
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil, fmt.Errorf("epoch %d: %w", epoch, ErrShredded)
	}
	if err != nil {
		return time.Time{}, nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return time.Time{}, nil, fmt.Errorf("keystore: %s is readable by others (mode %v); set it to 0600", p, info.Mode().Perm())
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return time.Time{}, nil, err
	}
	start, key, err := parseLine(raw, d.opts.Sealer, d.opts.Vault)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("keystore: %s is damaged: %w", p, err)
	}
	return start, key, nil
}

func parseLine(raw []byte, sealer Sealer, vault Vault) (time.Time, []byte, error) {
	fields := strings.Fields(string(raw))
	if len(fields) != 3 {
		return time.Time{}, nil, errors.New("want three fields on one line")
	}
	secs, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil || secs < 0 {
		return time.Time{}, nil, errors.New("the start time is not a number of seconds")
	}
	b, err := hex.DecodeString(fields[2])
	if err != nil {
		return time.Time{}, nil, errors.New("the key is not hex")
	}
	var key []byte
	switch fields[0] {
	case "v1":
		key = b
	case "v1s":
		if sealer == nil {
			return time.Time{}, nil, errors.New("the key is sealed (by a TPM) but no sealer is configured")
		}
		if key, err = sealer.Unseal(b); err != nil {
			return time.Time{}, nil, fmt.Errorf("the sealed key does not unseal on this machine: %w", err)
		}
	case "v1n":
		if len(b) != 4 {
			return time.Time{}, nil, errors.New("the key's slot in the TPM is not 8 hex digits")
		}
		if vault == nil {
			return time.Time{}, nil, errors.New("the key is in a TPM, and no TPM is configured")
		}
		key, err = vault.Get(binary.BigEndian.Uint32(b))
		if errors.Is(err, errNoSlot) {
			return time.Time{}, nil, fmt.Errorf("%w (its slot in the TPM is empty)", ErrShredded)
		}
		if err != nil {
			return time.Time{}, nil, fmt.Errorf("the key is not in this machine's TPM: %w", err)
		}
	default:
		return time.Time{}, nil, fmt.Errorf("unknown format %q", fields[0])
	}
	if len(key) != KeySize {
		return time.Time{}, nil, fmt.Errorf("the key is %d bytes, want %d", len(key), KeySize)
	}
	return time.Unix(secs, 0), key, nil
}

// slotOf returns the TPM slot epoch's key is kept in, when it is in one.
func (d *Dir) slotOf(epoch uint32) (uint32, bool) {
	if d.opts.Vault == nil {
		return 0, false
	}
	raw, err := os.ReadFile(d.path(epoch))
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(raw))
	if len(f) != 3 || f[0] != "v1n" {
		return 0, false
	}
	b, err := hex.DecodeString(f[2])
	if err != nil || len(b) != 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(b), true
}

// tidyVault destroys a slot no epoch file names: a key put in the TPM
// whose file a cut kept from being put in place (it was never used), or
// one whose file a shred removed before the cut. Files are never removed
// here, so a wrong TPM configured by mistake costs nothing once the right
// one is back.
func (d *Dir) tidyVault() error {
	slots, err := d.opts.Vault.Slots()
	if err != nil {
		return err
	}
	list, err := d.epochs()
	if err != nil {
		return err
	}
	named := map[uint32]bool{}
	for _, e := range list {
		if slot, ok := d.slotOf(e); ok {
			named[slot] = true
		}
	}
	v := d.opts.Vault.(*folderVault)
	for _, s := range slots {
		if !named[s] && v.mine(s) {
			if err := v.Destroy(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// folderIDFile names the key folder among others on the same TPM: each
// key it puts in the TPM carries the ID, and Open destroys only its own
// keys (a second kiosk, a test run, a tool on the same machine never
// touches this one's).
const folderIDFile = "folder.id"

// folderTag returns the folder's ID, making it on first use.
func (d *Dir) folderTag() ([]byte, error) {
	p := filepath.Join(d.dir, folderIDFile)
	tag, err := os.ReadFile(p)
	if err == nil && len(tag) == folderTagSize {
		return tag, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	tag = make([]byte, folderTagSize)
	if _, err := rand.Read(tag); err != nil {
		return nil, err
	}
	if err := durable.WriteFile(p, tag, 0o600); err != nil {
		return nil, err
	}
	return tag, nil
}

const folderTagSize = 8

// folderVault keeps this folder's keys in the TPM, each followed by the
// folder's ID.
type folderVault struct {
	Vault
	tag      []byte
	readOnly bool
}

func (v *folderVault) Put(slot uint32, key []byte) error {
	return v.Vault.Put(slot, append(bytes.Clone(key), v.tag...))
}

func (v *folderVault) Get(slot uint32) ([]byte, error) {
	data, err := v.Vault.Get(slot)
	if err != nil {
		return nil, err
	}
	if len(data) != KeySize+folderTagSize || !bytes.Equal(data[KeySize:], v.tag) {
		return nil, errors.New("keystore: that TPM slot holds another key folder's key")
	}
	return data[:KeySize], nil
}

// mine reports whether slot holds a key of this folder.
func (v *folderVault) mine(slot uint32) bool {
	_, err := v.Get(slot)
	return err == nil
}
