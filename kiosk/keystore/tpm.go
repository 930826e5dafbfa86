package keystore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"

	"github.com/google/go-tpm/tpm2"
	"github.com/google/go-tpm/tpm2/transport"
	"github.com/google/go-tpm/tpm2/transport/linuxtpm"
)

// TPM seals keys to this machine's TPM 2.0: each key becomes a sealed
// data object under the storage root key (an ECC P-256 SRK derived from
// the owner hierarchy's seed, so the same every time and never stored).
// The blob on disk opens only inside the TPM that made it. It is safe for
// concurrent use: one command sequence runs at a time (a TPM answers one
// command at a time, and swtpm's socket one connection at a time, so a
// process shares one TPM value among all its users).
type TPM struct {
	mu  sync.Mutex
	tpm transport.TPM
}

// NewTPM seals with the TPM behind t (linuxtpm.Open("/dev/tpmrm0") on a
// terminal; swtpm in tests).
func NewTPM(t transport.TPM) *TPM { return &TPM{tpm: t} }

// srk creates the storage root key and returns its handle and name; the
// caller flushes it.
func (t *TPM) srk() (tpm2.TPMHandle, tpm2.TPM2BName, error) {
	rsp, err := tpm2.CreatePrimary{
		PrimaryHandle: tpm2.TPMRHOwner,
		InPublic:      tpm2.New2B(tpm2.ECCSRKTemplate),
	}.Execute(t.tpm)
	if err != nil {
		return 0, tpm2.TPM2BName{}, fmt.Errorf("keystore: the TPM's storage root key: %w", err)
	}
	return rsp.ObjectHandle, rsp.Name, nil
}

func (t *TPM) flush(h tpm2.TPMHandle) {
	_, _ = tpm2.FlushContext{FlushHandle: h}.Execute(t.tpm)
}

// Seal seals key in the TPM and returns the blob to store. A TPM seals at
// most 128 bytes; Envelope seals more.
func (t *TPM) Seal(key []byte) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h, name, err := t.srk()
	if err != nil {
		return nil, err
	}
	defer t.flush(h)
	rsp, err := tpm2.Create{
		ParentHandle: tpm2.NamedHandle{Handle: h, Name: name},
		InSensitive: tpm2.TPM2BSensitiveCreate{Sensitive: &tpm2.TPMSSensitiveCreate{
			Data: tpm2.NewTPMUSensitiveCreate(&tpm2.TPM2BSensitiveData{Buffer: key}),
		}},
		InPublic: tpm2.New2B(tpm2.TPMTPublic{
			Type:    tpm2.TPMAlgKeyedHash,
			NameAlg: tpm2.TPMAlgSHA256,
			ObjectAttributes: tpm2.TPMAObject{
				FixedTPM: true, FixedParent: true, UserWithAuth: true, NoDA: true,
			},
		}),
	}.Execute(t.tpm)
	if err != nil {
		return nil, fmt.Errorf("keystore: sealing in the TPM: %w", err)
	}
	pub, priv := tpm2.Marshal(rsp.OutPublic), tpm2.Marshal(rsp.OutPrivate)
	blob := binary.BigEndian.AppendUint16(nil, uint16(len(pub)))
	blob = append(blob, pub...)
	return append(blob, priv...), nil
}

// Unseal returns the key sealed in blob; it fails on any other TPM.
func (t *TPM) Unseal(blob []byte) ([]byte, error) {
	pub, priv, err := splitBlob(blob)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	h, name, err := t.srk()
	if err != nil {
		return nil, err
	}
	defer t.flush(h)
	loaded, err := tpm2.Load{
		ParentHandle: tpm2.NamedHandle{Handle: h, Name: name},
		InPrivate:    *priv,
		InPublic:     *pub,
	}.Execute(t.tpm)
	if err != nil {
		return nil, fmt.Errorf("keystore: the TPM does not take this sealed key (sealed by another TPM?): %w", err)
	}
	defer t.flush(loaded.ObjectHandle)
	out, err := tpm2.Unseal{ItemHandle: tpm2.NamedHandle{Handle: loaded.ObjectHandle, Name: loaded.Name}}.Execute(t.tpm)
	if err != nil {
		return nil, fmt.Errorf("keystore: unsealing in the TPM: %w", err)
	}
	return out.OutData.Buffer, nil
}

// splitBlob parses a stored blob: u16 length | TPM2B_PUBLIC | TPM2B_PRIVATE.
func splitBlob(blob []byte) (*tpm2.TPM2BPublic, *tpm2.TPM2BPrivate, error) {
	if len(blob) < 2 {
		return nil, nil, errors.New("keystore: sealed key too short")
	}
	n := int(binary.BigEndian.Uint16(blob))
	if len(blob) < 2+n+2 {
		return nil, nil, errors.New("keystore: sealed key cut short")
	}
	pub, err := tpm2.Unmarshal[tpm2.TPM2BPublic](blob[2 : 2+n])
	if err != nil {
		return nil, nil, fmt.Errorf("keystore: sealed key's public part: %w", err)
	}
	priv, err := tpm2.Unmarshal[tpm2.TPM2BPrivate](blob[2+n:])
	if err != nil {
		return nil, nil, fmt.Errorf("keystore: sealed key's private part: %w", err)
	}
	return pub, priv, nil
}

// Framed makes a stream connection to a TPM (swtpm's socket) a transport
// that reads each response whole: the response header gives its length.
func Framed(rw io.ReadWriter) transport.TPM { return framed{rw} }

type framed struct{ rw io.ReadWriter }

func (f framed) Send(cmd []byte) ([]byte, error) {
	if _, err := f.rw.Write(cmd); err != nil {
		return nil, err
	}
	hdr := make([]byte, 10)
	if _, err := io.ReadFull(f.rw, hdr); err != nil {
		return nil, fmt.Errorf("keystore: TPM response header: %w", err)
	}
	size := binary.BigEndian.Uint32(hdr[2:6])
	if size < 10 || size > 1<<20 {
		return nil, fmt.Errorf("keystore: TPM response of %d bytes", size)
	}
	out := make([]byte, size)
	copy(out, hdr)
	if _, err := io.ReadFull(f.rw, out[10:]); err != nil {
		return nil, fmt.Errorf("keystore: TPM response body: %w", err)
	}
	return out, nil
}

// DefaultDevice is the kernel's TPM resource manager: other programs
// (kioskctl beside the kiosk) may use the TPM at the same time.
const DefaultDevice = "/dev/tpmrm0"

// OpenDevice opens the TPM at path (/dev/tpmrm0 on a terminal) or, for a
// path of the form unix:SOCKET, a software TPM (swtpm socket --server
// type=unixio,path=SOCKET) for development. The caller closes the returned
// closer when done with the TPM. swtpm serves one connection at a time:
// open it once per process and share the *TPM.
func OpenDevice(path string) (*TPM, io.Closer, error) {
	if sock, ok := strings.CutPrefix(path, "unix:"); ok {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			return nil, nil, fmt.Errorf("keystore: the software TPM at %s: %w", sock, err)
		}
		return NewTPM(Framed(conn)), conn, nil
	}
	t, err := linuxtpm.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("keystore: the TPM at %s: %w", path, err)
	}
	return NewTPM(t), t, nil
}

// ResolveDevice reads the configuration's queue.tpm: "auto" (the
// default: DefaultDevice when it exists), "off", a device path, or
// unix:SOCKET (swtpm). It returns the device to open, or "" for none; a
// device named explicitly must exist.
func ResolveDevice(mode string) (string, error) {
	switch mode {
	case "", "auto":
		if _, err := os.Stat(DefaultDevice); err == nil {
			return DefaultDevice, nil
		}
		return "", nil
	case "off", "none":
		return "", nil
	}
	if strings.HasPrefix(mode, "unix:") {
		return mode, nil
	}
	if _, err := os.Stat(mode); err != nil {
		return "", fmt.Errorf("keystore: queue.tpm names %s, which is not there: %w", mode, err)
	}
	return mode, nil
}

// Vault keeps keys inside the TPM itself, in its NV memory, one slot per
// key: the key file on disk then holds no key at all, sealed or not, and
// Destroy makes a key gone for good, whatever copies of the disk exist
// (an image of the disk brought back to the same terminal included).
type Vault interface {
	Put(slot uint32, key []byte) error
	Get(slot uint32) ([]byte, error)
	Destroy(slot uint32) error
	Slots() ([]uint32, error)
}

// nvBase is the first NV index of the key slots, in the range the TCG
// reserves for the TPM's owner (0x01000000-0x013FFFFF); slot s is
// nvBase + s mod 65536.
const nvBase = 0x013A0000

// errNoSlot: the NV index of a slot is not defined (destroyed, or never).
var errNoSlot = errors.New("keystore: the key is not in the TPM (destroyed)")

func nvIndex(slot uint32) tpm2.TPMHandle { return tpm2.TPMHandle(nvBase + slot&0xFFFF) }

// Put keeps key in the TPM's NV memory under slot (owner authorisation,
// empty as a terminal's TPM comes; a TPM whose owner set a password, or
// whose NV memory is full, refuses, and the caller seals a file instead).
func (t *TPM) Put(slot uint32, key []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	pub := tpm2.TPMSNVPublic{
		NVIndex: nvIndex(slot), NameAlg: tpm2.TPMAlgSHA256,
		Attributes: tpm2.TPMANV{OwnerWrite: true, OwnerRead: true, NT: tpm2.TPMNTOrdinary, NoDA: true},
		DataSize:   uint16(len(key)),
	}
	if _, err := (tpm2.NVDefineSpace{AuthHandle: tpm2.TPMRHOwner, PublicInfo: tpm2.New2B(pub)}).Execute(t.tpm); err != nil {
		return fmt.Errorf("keystore: a key slot in the TPM: %w", err)
	}
	name, err := tpm2.NVName(&pub)
	if err == nil {
		_, err = tpm2.NVWrite{
			AuthHandle: tpm2.AuthHandle{Handle: tpm2.TPMRHOwner, Auth: tpm2.PasswordAuth(nil)},
			NVIndex:    tpm2.NamedHandle{Handle: pub.NVIndex, Name: *name},
			Data:       tpm2.TPM2BMaxNVBuffer{Buffer: key},
		}.Execute(t.tpm)
	}
	if err != nil {
		t.undefine(pub.NVIndex)
		return fmt.Errorf("keystore: writing a key into the TPM: %w", err)
	}
	return nil
}

// Get reads the key in slot.
func (t *TPM) Get(slot uint32) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	idx := nvIndex(slot)
	rp, err := tpm2.NVReadPublic{NVIndex: idx}.Execute(t.tpm)
	if errors.Is(err, tpm2.TPMRCHandle) {
		return nil, errNoSlot
	}
	if err != nil {
		return nil, fmt.Errorf("keystore: the TPM's key slot: %w", err)
	}
	pub, err := rp.NVPublic.Contents()
	if err != nil {
		return nil, err
	}
	out, err := tpm2.NVRead{
		AuthHandle: tpm2.AuthHandle{Handle: tpm2.TPMRHOwner, Auth: tpm2.PasswordAuth(nil)},
		NVIndex:    tpm2.NamedHandle{Handle: idx, Name: rp.NVName},
		Size:       pub.DataSize,
	}.Execute(t.tpm)
	if err != nil {
		return nil, fmt.Errorf("keystore: reading a key from the TPM: %w", err)
	}
	return out.Data.Buffer, nil
}

// Destroy removes slot's key from the TPM; a slot not defined is not an
// error.
func (t *TPM) Destroy(slot uint32) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.undefine(nvIndex(slot))
}

func (t *TPM) undefine(idx tpm2.TPMHandle) error {
	rp, err := tpm2.NVReadPublic{NVIndex: idx}.Execute(t.tpm)
	if errors.Is(err, tpm2.TPMRCHandle) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("keystore: the TPM's key slot: %w", err)
	}
	if _, err := (tpm2.NVUndefineSpace{AuthHandle: tpm2.TPMRHOwner, NVIndex: tpm2.NamedHandle{Handle: idx, Name: rp.NVName}}).Execute(t.tpm); err != nil {
		return fmt.Errorf("keystore: destroying a key in the TPM: %w", err)
	}
	return nil
}

// Slots lists the slots that hold a key.
func (t *TPM) Slots() ([]uint32, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []uint32
	for next := uint32(nvBase); ; {
		rsp, err := tpm2.GetCapability{Capability: tpm2.TPMCapHandles, Property: next, PropertyCount: 64}.Execute(t.tpm)
		if err != nil {
			return nil, fmt.Errorf("keystore: listing the TPM's key slots: %w", err)
		}
		hs, err := rsp.CapabilityData.Data.Handles()
		if err != nil {
			return nil, err
		}
		for _, h := range hs.Handle {
			if uint32(h) < nvBase || uint32(h) > nvBase+0xFFFF {
				return out, nil
			}
			out = append(out, uint32(h)-nvBase)
			next = uint32(h) + 1
		}
		if !rsp.MoreData || len(hs.Handle) == 0 {
			return out, nil
		}
	}
}
