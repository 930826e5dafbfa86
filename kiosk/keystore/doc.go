// Package keystore keeps the terminal's queue keys by epoch, apart from the
// queue's database.
//
// # Epochs
//
// The offline queue (kiosk/outbox) wraps each submission's data key under
// the key of the current epoch. A new epoch begins when the current one is
// older than Period (a day by default), so a key protects about one day of
// submissions. Once nothing under an epoch is still waiting (every
// submission sealed under it acknowledged and purged), the outbox shreds
// the epoch: its key file is overwritten, synced and removed. A copy of the
// queue file taken before the shred (a backup, an imaged disk, a bbolt
// freed page) then holds wrapped data keys that nothing left can unwrap.
// The newest epoch is never shredded: new submissions are sealed under it.
//
// # Files
//
// Dir holds one file per epoch, epoch-NNNNNNNN.key, mode 0600, in a folder
// of mode 0700 (a folder or file readable by others is refused). A file
// holds the format, the epoch's start time and the key, on one line:
//
//	v1 <unix seconds> <32 hex digits>
//
// With a Sealer (a TPM: TPM, opened by OpenDevice) the key in the file is
// sealed and the line is `v1s <unix seconds> <hex of the sealed blob>`;
// keys still in clear are sealed when the folder is opened with one.
// With a Vault too (the same TPM: the kiosk sets both) a new key is kept
// inside the TPM's NV memory, slot N for epoch N, and the file only names
// the slot: `v1n <unix seconds> <slot, 8 hex digits>`; a shred removes
// the file and then destroys the slot. A TPM that refuses a slot (NV
// memory full, an owner password set) gets the key sealed in its file.
// Each key in the TPM carries the folder's ID (folder.id), so that another
// key folder on the same TPM (a second kiosk, a test run) never destroys
// this one's keys; a tool opening the folder with LeaveAsIs puts none there.
// Keys read once are kept in memory for the process, so the TPM is asked
// once per epoch and start, not at each submission.
//
// # Power cuts
//
// A new epoch's key is written beside its name (.epoch-N.key.new, synced),
// linked into place and the folder synced before it is used; a shred
// overwrites the file with zeros, syncs, removes it and syncs the folder.
// Open clears what a cut left: a key never put in place is shredded, a
// file of zeros removed, a clear key already sealed shredded, and a TPM
// slot no file names destroyed. Options.Step names each point for the
// power-cut tests.
//
// # Other secrets
//
// Envelope seals secrets longer than a TPM seals (the terminal's TLS
// private key): a fresh key sealed by the TPM and SM4-GCM of the secret
// under it.
//
// # What each mode protects
//
// With a TPM, a copy of the disk (key folder included) opens nothing: each
// key unseals only inside this terminal's TPM. A thief with the running
// terminal itself (the TPM and the disk together, booted) is not stopped:
// the TPM unseals for any program on the machine (no PCR policy yet).
// With the keys in the TPM's NV memory, a shredded epoch is gone for every
// copy of the disk, even one brought back to this same terminal; a key
// that fell back to a sealed file is not (that image, on this TPM, still
// opens it).
//
// A rotation that fails (the TPM does not answer) keeps the current key
// in use and is tried again a minute later (RotationProblem): residents
// are still served, and shredding by day waits.
//
// Key files without a TPM (the "separate key path" mode): the keys live in
// a folder apart from the queue, which should be on another partition or
// device and outside any backup of the data partition. This protects
// against a copy or backup of the queue file alone, against a copy taken
// before an epoch was shredded (once shredded, nothing opens it), and
// against recovery of purged records from freed pages. It does NOT protect
// against a thief who takes the whole disk with the key folder on it: the
// current and every still-waiting epoch then decrypt. Overwriting a file
// on flash or a journalling file system does not guarantee the old blocks
// are gone; a forensic read of the raw device may find a shredded key.
//
// See the package doc of kiosk/outbox for the queue's own layout.
package keystore
