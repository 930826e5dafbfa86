// Package powercut is a test helper: a drop-unsynced file system and the
// power-cut loops built on it. Only tests import it.
//
// A SIGKILL leaves the page cache intact, so a kill test cannot find a
// missing fsync. FS is a FUSE file system (go-fuse, as root on /dev/fuse)
// over a backing folder that holds only what a real disk would hold after
// a power cut: a write stays in memory until the file is fsynced (reads
// see it), and a create, rename or removal is undone at a cut unless its
// directory was fsynced since. Cut drops everything unsynced, and with
// Options.Torn keeps a random prefix of each file's last unsynced write.
// The torn lengths come from Options.Seed, and the loops draw their cut
// moments and workloads from -powercut.seed (logged by every loop); where
// in the workload a cut lands still depends on timing, so a replay repeats
// the choices, not necessarily the exact crash state.
//
// Run drives one Target: it starts the workload in a child copy of the
// test binary on the mount, cuts the power at a random moment, kills the
// child, remounts, and lets the target check what survived against what
// the child acknowledged. Each loop ends with a Result, one row of the
// table `make crash-long` prints.
//
// Without /dev/fuse or root the loops skip with a loud message; with
// TONGBAN_REQUIRE_FUSE=1 (make test sets it) they fail instead.
package powercut
