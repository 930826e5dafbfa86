package uplink

import (
	"os"
	"path/filepath"
)

// Enrolled reports whether dir holds an identity Enrol finished writing
// (its last file): a terminal set-up resumes from it instead of enrolling
// again with a token that is already spent.
func Enrolled(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, identityFile))
	return err == nil
}
