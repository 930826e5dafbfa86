package console

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk/uplink"
)

// A token for a terminal enrolled already is refused on the Enrol page,
// saying to tick Re-enrol, and the terminal keeps working; ticked, the
// token re-enrols it and its old certificate stops working; a move to
// another center needs its own tick. Each token comes with an enrolment
// code holding the CA fingerprint, which the terminal enrols with as it
// is, and each choice is in the audit trail.
func TestEnrolPageReEnrolsOnlyOnTheOperatorsChoice(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		xh := e.enrol(terminalXH, "XH01")
		op := e.browser().login("op1", password)
		op.get("/console/enrol").must(200, e.con.caPin)

		op.post("/console/enrol", url.Values{"terminal": {terminalXH}, "center": {"XH01"}}).must(http.StatusConflict, `id="refused"`, "已经注册过")
		if strings.Contains(op.body, "tbe_") || strings.Contains(op.body, "tbr_") {
			t.Fatal("a token was shown for an enrolled terminal")
		}
		if _, err := xh.client.Heartbeat(ctx); err != nil {
			t.Fatalf("the enrolled terminal after the refusal: %v", err)
		}
		op.post("/console/enrol", url.Values{"terminal": {"SH-XH-0077"}, "center": {"XH01"}, "reenrol": {"1"}}).must(http.StatusConflict, "还没有注册过")
		op.post("/console/enrol", url.Values{"terminal": {terminalXH}, "center": {"PD01"}, "reenrol": {"1"}}).must(http.StatusConflict, "另一个中心")
		op.post("/console/enrol", url.Values{"terminal": {terminalXH}, "center": {"XH01"}, "move": {"1"}}).must(http.StatusConflict, "无需迁移")

		op.post("/console/enrol", url.Values{"terminal": {terminalXH}, "center": {"XH01"}, "reenrol": {"1"}}).must(200, "tbr_", "data:image/png;base64,")
		code, err := api.ParseEnrolmentCode(html.UnescapeString(regexpFind(`tongban-enrol:[^' <]+`, op.body)))
		if err != nil {
			t.Fatalf("the page's enrolment code: %v", err)
		}
		if code.CAFingerprint != e.con.caPin || code.Server != e.ts.URL || !strings.HasPrefix(code.Token, "tbr_") {
			t.Fatalf("enrolment code %+v", code)
		}
		if _, err := uplink.Enrol(ctx, uplink.EnrolOptions{Server: code.Server, Token: code.Token, CAFingerprint: code.CAFingerprint,
			Dir: filepath.Join(e.dir, "re-"+terminalXH)}); err != nil {
			t.Fatalf("enrolling with the page's code: %v", err)
		}
		if _, err := xh.client.Heartbeat(ctx); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("the old certificate after re-enrolment: %v", err)
		}

		op.post("/console/enrol", url.Values{"terminal": {terminalXH}, "center": {"PD01"}, "reenrol": {"1"}, "move": {"1"}}).must(200, "tbm_")
		log, _ := e.st.AuditLog(ctx, 0, 0)
		seen := map[string]bool{}
		for _, l := range log {
			seen[l.Action+" "+l.Target] = true
		}
		for _, want := range []string{"enrol.reenrol " + terminalXH, "enrol.move " + terminalXH} {
			if !seen[want] {
				t.Errorf("no audit entry %q", want)
			}
		}
		if seen["enrol.token "+terminalXH] {
			t.Error("a refused request was audited as a token issued")
		}
	})
}
