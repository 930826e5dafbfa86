// Package provision sets a new terminal up from a provision file without
// questions (zero-touch): the technician writes the file to the USB image's
// TONGBAN-PROV partition, and at first boot the terminal enrols with the
// back office, removes the single-use token from the file and writes its
// configuration to the data partition.
//
// A provision file is the terminal's configuration (`key = value`, the
// keys of kiosk.conf) plus how to enrol:
//
//	enrol.token  = tbe_…            single-use, issued by the back office
//	enrol.ca     = backoffice-ca.pem  the back office's CA, beside the file
//	enrol.ca_fingerprint = SM3:…    the CA's fingerprint (required with a token)
//
// The configuration is written last and atomically, so a terminal is either
// provisioned or not: after a power cut it resumes where it stopped (an
// enrolled identity is kept and not asked for again), never half-set-up.
// A cut after the back office enrolled the terminal but before the answer
// reached its disk is resumed too: the key was written before the token
// left, and the back office answers the same token and key with the same
// certificate (uplink.Enrol). Applier.Cut lets the tests cut the power at
// every such point (powercut_test.go).
package provision
