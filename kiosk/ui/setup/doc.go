// Package setup is the terminal's first-boot set-up on screen, for the
// technician: a terminal with no configuration opens it instead of the
// resident's screens. With a provision file on the TONGBAN-PROV partition
// it applies it without questions and shows each step (zero-touch);
// otherwise it asks, in large type and on the on-screen keyboards, for the
// center, the terminal's code, the back office's address and the enrolment
// token, then enrols and writes the configuration (package provision does
// the work). A failed step says what to check and can be tried again
// without starting over.
package setup
