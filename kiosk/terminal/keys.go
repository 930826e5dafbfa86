package terminal

import (
	"fmt"

	"github.com/tongban/tongban/kiosk/keystore"
	"github.com/tongban/tongban/kiosk/uplink"
)

// openTPM finds the TPM the terminal's keys are sealed by (queue.tpm:
// auto, off, a device, unix:SOCKET for swtpm; Options.TPM in tests) and
// says in the log which protection the keys have. With a TPM the queue's
// epoch keys and the TLS and SM2 private keys are sealed by it, so a copy
// of the disk opens none of them; without one they are files, protected
// only by their permissions and where they live.
func (t *Terminal) openTPM() error {
	if t.opts.TPM != nil {
		t.tpm, t.keysAtRest = t.opts.TPM, "tpm"
	} else {
		mode := t.cfg.QueueTPM
		if t.cfg.Simulate && (mode == "" || mode == "auto") {
			// A simulated kiosk (development, tests) leaves the
			// machine's own TPM alone unless queue.tpm names one.
			mode = "off"
		}
		dev, err := keystore.ResolveDevice(mode)
		if err != nil {
			return fmt.Errorf("queue.tpm: %w", err)
		}
		if dev != "" {
			tpm, closer, err := keystore.OpenDevice(dev)
			switch {
			case err == nil:
				t.closers = append(t.closers, closer.Close)
				t.tpm, t.keysAtRest = tpm, "tpm "+dev
			case mode == "" || mode == "auto":
				// Keys sealed before will not open, and the queue says so.
				t.log.Error("the TPM is there but does not open; the keys are kept in files", "device", dev, "err", err)
			default:
				return fmt.Errorf("queue.tpm = %s: %w", mode, err)
			}
		}
	}
	if t.tpm == nil {
		t.keysAtRest = "files"
		t.log.Warn("no TPM: the queue's keys and the TLS key are files on this disk, so whoever takes the disk can open the waiting submissions and act as this terminal (queue.tpm)", "key_dir", t.queueKeyDir())
		return nil
	}
	t.log.Info("the queue's keys and the TLS key are sealed by the TPM: a copy of the disk opens neither", "tpm", t.keysAtRest)
	return nil
}

// keySealer seals the identity's private keys by the TPM; nil without one.
func (t *Terminal) keySealer() uplink.KeySealer {
	if t.tpm == nil {
		return nil
	}
	return keystore.Envelope{Sealer: t.tpm}
}

// KeysAtRest says how the terminal's keys are kept: "tpm DEVICE" (sealed)
// or "files" (no TPM), for the log and technician diagnostics.
func (t *Terminal) KeysAtRest() string { return t.keysAtRest }
