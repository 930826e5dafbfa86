package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
)

// TestProgressPage: the link in the receipt's QR code opens, without an
// account, a page that follows the staff's work in both languages and
// shows nothing personal; walking through receipt numbers is slowed down.
func TestProgressPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		official := xh.submit(t, e, testIDNo, testName)
		local := localReceipt(terminalXH, 1)
		link := xh.progressPath(t, local)
		phone := e.browser()
		phone.get(link).must(200, "老年综合津贴申请", official, local, "待受理", "Waiting to be taken in")

		staff := e.browser().login("staff1", password)
		staff.get("/console/submissions/" + official)
		staff.post("/console/submissions/"+official+"/move", url.Values{"from": {"accepted"}, "to": {"taken"}}).must(200)
		phone.get(link).must(200, "已受理", "Taken in")
		staff.get("/console/submissions/" + official)
		staff.post("/console/submissions/"+official+"/move", url.Values{"from": {"taken"}, "to": {"returned"},
			"reason": {"reason.eligible"}, "note": {"年龄未满"}}).must(200)
		for _, p := range []string{link, ProgressPrefix + official + "?k=" + api.ProgressKey(xh.ids[local])} {
			phone.get(p).must(200, "已退回", "Returned", "不符合申请条件：年龄未满", "Not eligible: 年龄未满")
			for _, personal := range []string{testIDNo, testName, "310104", "测*甲", "13800000000", "工商银行"} {
				if strings.Contains(phone.body, personal) {
					t.Fatalf("the public page shows %q", personal)
				}
			}
		}

		// Unknown numbers: a plain answer in both languages, then, after
		// as many misses as log-ins may fail, the address must wait.
		phone.get(ProgressPrefix+localReceipt(terminalXH, 9999)).must(http.StatusNotFound, "没有找到这个受理编号", "No application has this receipt number")
		for range throttleN - 1 {
			phone.get(ProgressPrefix + localReceipt(terminalXH, 9998))
		}
		phone.get(link).must(http.StatusTooManyRequests, "查询太多", "Too many look-ups")
	})
}

// TestProgressNeedsTheKey: receipt numbers are sequential, so a number
// alone (guessed, or a neighbour's seen over a shoulder) shows nothing;
// a wrong key shows nothing either, and guessing counts against the
// address until it must wait. The holder of the QR code still sees it.
func TestProgressNeedsTheKey(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		xh := e.enrol(terminalXH, "XH01")
		official := xh.submit(t, e, testIDNo, testName)
		local := localReceipt(terminalXH, 1)
		phone := e.browser()
		for _, guess := range []string{
			ProgressPrefix + local,
			ProgressPrefix + official,
			ProgressPrefix + local + "?k=",
			ProgressPrefix + local + "?k=0000000000000000",
			ProgressPrefix + official + "?k=" + api.ProgressKey("0190a5c4-0000-7000-8000-000000000002"),
		} {
			phone.get(guess).must(http.StatusNotFound, "没有找到这个受理编号")
			if strings.Contains(phone.body, "老年综合津贴申请") {
				t.Fatalf("%s shows the submission without its key", guess)
			}
		}
		e.browser().get(xh.progressPath(t, local)).must(200, "老年综合津贴申请", official)
		for range throttleN {
			phone.get(ProgressPrefix + local + "?k=1111111111111111")
		}
		phone.get(xh.progressPath(t, local)).must(http.StatusTooManyRequests, "查询太多")
	})
}
