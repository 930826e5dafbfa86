package console

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/kiosk/scancode"
	"github.com/tongban/tongban/kiosk/staffdesk"
)

// latestStaff is the staff list and the other sections of the latest
// configuration bundle.
func latestStaff(t *testing.T, e *env) ([]api.StaffCredential, map[string]json.RawMessage) {
	staff, sections, _ := latestConfig(t, e)
	return staff, sections
}

func latestConfig(t *testing.T, e *env) ([]api.StaffCredential, map[string]json.RawMessage, []byte) {
	t.Helper()
	b, err := e.st.LatestBundle(context.Background(), string(bundle.KindConfig))
	if err != nil {
		t.Fatal(err)
	}
	var env bundle.Envelope
	if err := json.Unmarshal(b.Data, &env); err != nil {
		t.Fatal(err)
	}
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(env.Payload, &sections); err != nil {
		t.Fatal(err)
	}
	var r api.StaffRoster
	if err := json.Unmarshal(env.Payload, &r); err != nil {
		t.Fatal(err)
	}
	return r.Staff, sections, env.Payload
}

// TestStaffBadgeIssueAndRevoke: an operator issues a badge and PIN; the
// next configuration bundle carries only their hashes, keeps the other
// sections, and a terminal's staff desk fed from it takes the badge;
// revoked, the bundle after it makes the desk refuse the badge. The
// console audit names the staff number, never the PIN.
func TestStaffBadgeIssueAndRevoke(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		op := e.browser().login("op1", password)
		op.get("/console/bundles")
		op.post("/console/bundles", url.Values{"kind": {"config"}, "payload": {`{"hours":"9-17"}`}}).must(200, "v1")
		op.get("/console/staff").must(200, "工作人员工牌")
		op.post("/console/staff", url.Values{"number": {"s0042"}, "name": {"测试甲"}, "center": {"XH01"}}).must(200, `id="pin"`, "data:image/png;base64,", "S0042")
		pin := regexpFind(`id="pin">[0-9]{6}<`, op.body)
		pin = strings.TrimSuffix(strings.TrimPrefix(pin, `id="pin">`), "<")
		content := regexpFind(`TBSTAFF1:S0042:[0-9a-f]{32}`, op.body)
		code, err := scancode.DefaultRules().Classify(content)
		if err != nil || pin == "" {
			t.Fatalf("badge %q pin %q: %v", content, pin, err)
		}

		staff, sections := latestStaff(t, e)
		if string(sections["hours"]) != `"9-17"` || len(staff) != 1 || staff[0].Number != "S0042" || staff[0].Revoked {
			t.Fatalf("config bundle after issue: %s / %+v", sections["hours"], staff)
		}
		if _, _, payload := latestConfig(t, e); !strings.Contains(string(payload), `"badge_sha256"`) || strings.Contains(string(payload), code.Token) || !strings.HasPrefix(staff[0].PINHash, "pbkdf2-sm3$") {
			t.Fatalf("the bundle carries the badge secret, or the PIN without the slow hash: %+v", staff[0])
		}
		if ok, err := staffdesk.CodeMatches(staff[0].PINHash, pin); !ok || err != nil {
			t.Fatalf("the bundle's PIN hash does not match the PIN shown: %v", err)
		}
		desk, err := staffdesk.New(staffdesk.Config{Badges: true, Center: "XH01", Staff: staff})
		if err != nil {
			t.Fatal(err)
		}
		if id, ok := desk.CheckBadge(code.StaffNumber, code.Token, pin); !ok || id != "S0042" {
			t.Fatalf("the terminal refused the issued badge: %q %v", id, ok)
		}

		op.get("/console/staff").must(200, `id="revoke-S0042"`)
		op.post("/console/staff/S0042/revoke", nil).must(200, "已吊销")
		staff, sections = latestStaff(t, e)
		if string(sections["hours"]) != `"9-17"` || len(staff) != 1 || !staff[0].Revoked {
			t.Fatalf("config bundle after revoke: %+v", staff)
		}
		if err := desk.SetStaff(staff); err != nil {
			t.Fatal(err)
		}
		if _, ok := desk.CheckBadge(code.StaffNumber, code.Token, pin); ok {
			t.Fatal("a revoked badge still opens the staff menu after the next bundle")
		}

		op.get("/console/audit").must(200, "staff.issue", "staff.revoke", "S0042")
		if strings.Contains(op.body, pin+"<") || strings.Contains(op.body, code.Token) {
			t.Fatal("the console audit shows the PIN or the badge secret")
		}
		// Centre staff may not issue badges; bad input is refused.
		s := e.browser().login("staff1", password)
		s.get("/console/submissions")
		s.post("/console/staff", url.Values{"number": {"S0050"}, "name": {"测试乙"}, "center": {"XH01"}}).must(http.StatusForbidden)
		op.get("/console/staff")
		op.post("/console/staff", url.Values{"number": {"S 42"}, "name": {"测试乙"}, "center": {"XH01"}}).must(http.StatusBadRequest)
		op.get("/console/staff")
		op.post("/console/staff/S9999/revoke", nil).must(http.StatusNotFound)
	})
}
