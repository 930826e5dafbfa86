package uplink

import (
	"os"
	"path/filepath"
)

// Enrolled reports whether dir holds an identity Enrol finished writing
// (its last file), or the whole answer of an enrolment that a power cut
// stopped before it was put in place (LoadIdentity finishes it): a terminal
// set-up resumes from it instead of enrolling again.
func Enrolled(dir string) bool {
	for _, name := range []string{identityFile, answerFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}
