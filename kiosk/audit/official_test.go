package audit_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk/audit"
)

func TestOfficialNumberAllowed(t *testing.T) {
	l, err := audit.Open(filepath.Join(t.TempDir(), "a.log"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(audit.Event{Kind: audit.SubmissionSynced, Actor: "system", Ref: "01a2236e-db61-7141-93e4-ad03b7309737", Detail: "SQ20261129000000001"}); err != nil {
		t.Fatal(err)
	}
}
