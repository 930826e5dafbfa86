// Package durable writes files that must survive a power cut: a
// temporary file in the same folder is written and fsynced, renamed (or,
// for a file that must never be replaced, linked) into place, and then the
// folder is fsynced so that the new name is on disk too. After a cut the
// path holds the old contents or the new, never a torn or empty file.
//
// Every key, certificate, configuration and bundle file of the kiosk and of
// the back office is written through it: one implementation of the idea.
package durable
