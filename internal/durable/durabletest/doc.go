// Package durabletest checks, in tests, that files were written so that
// they survive a power cut. It traces the test process's own file system
// calls with strace while a function runs, and then asserts that each
// named file reached its path only after its contents were fsynced, and
// that its folder was fsynced after that.
//
// A process kill cannot find a missing fsync (the page cache survives it);
// the system-call trace can, and it needs no special file system. Tests
// skip, saying so, when strace is not installed (the Makefile installs it).
package durabletest
