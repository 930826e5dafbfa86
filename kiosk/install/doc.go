// Package install copies the terminal's system from the USB stick it booted
// from to the terminal's internal disk (issue 13 item 3).
//
// The pieces, each over a small interface so tests can fake the machine:
//
//   - ListDisks reads /sys/block (any fs.FS rooted at /sys) and lists the
//     disks a technician may choose, leaving out the disk the system booted
//     from, loop, RAM and optical devices.
//   - ReadLayout reads the image's GPT from the boot disk: how many bytes
//     the image spans (up to its backup GPT header, not to the end of the
//     stick) and where the data partition lies.
//   - Confirm refuses to erase a disk unless its name was typed.
//   - Copy erases the target's old partition tables, copies the image block
//     by block (all but the data partition, which holds the stick's own
//     queue and keys and gets a fresh file system instead), then reads every
//     copied byte back from the disk and compares the hashes. Only then does
//     it report the copy done; a short write, a read-back mismatch or a disk
//     that stopped answering comes back as a *Failure in plain words.
//
// OpenDisk opens real block devices (the target exclusively, so a mounted
// disk is refused; its read-back bypasses the page cache).
package install
