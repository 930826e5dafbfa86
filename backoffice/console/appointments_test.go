package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/store"
)

// nextWeekday is the first Monday-to-Friday day after now, in Shanghai.
func nextWeekday(now time.Time) time.Time {
	sh := time.FixedZone("CST", 8*3600)
	d := now.In(sh)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, sh).AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// TestAppointmentsByPlace: center staff see their district's places and
// the bookings there, and manage their own counters only (slots, visits);
// the other district's registry is not found; an operator closes and
// opens the registry and marks its visits; a slot never takes fewer
// places than are booked; what is done is in the audit trail.
func TestAppointmentsByPlace(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, c := range []string{"XH01", "PD01"} {
			for _, p := range backoffice.DemoPlaces(c) {
				if err := e.st.PutPlace(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
		}
		day := nextWeekday(e.clk.Now())
		for _, sl := range []store.Slot{
			{ID: "mr1", Place: "XH-MR", Item: "marriage-appointment", Start: day.Add(10 * time.Hour), Capacity: 2},
			{ID: "pd1", Place: "PD-MR", Item: "marriage-appointment", Start: day.Add(10 * time.Hour), Capacity: 2},
		} {
			if err := e.st.PutSlot(ctx, sl); err != nil {
				t.Fatal(err)
			}
		}
		for _, a := range []store.Appointment{
			{ID: "A1XH", SlotID: "mr1", ItemCode: "marriage-appointment", HolderHash: "h", PartnerHash: "p", Center: "XH01", CreatedAt: e.clk.Now()},
			{ID: "A1PD", SlotID: "pd1", ItemCode: "marriage-appointment", HolderHash: "h", PartnerHash: "p", Center: "PD01", CreatedAt: e.clk.Now()},
		} {
			if _, err := e.st.Book(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		s := e.browser().login("staff1", password)
		s.get("/console/appointments").must(200, "徐汇区示例街道社区事务受理服务中心", "徐汇区婚姻登记处", "徐汇区残疾评定定点医院", `id="appt-addslots"`)
		if strings.Contains(s.body, "浦东新区婚姻登记处") {
			t.Error("staff of XH01 are offered another district's registry")
		}
		s.get("/console/appointments?range=week&place=XH-MR").must(200, "marriage-appointment", "XH01", "徐汇区示例路200号")
		for _, bad := range []string{`id="appt-addslots"`, `id="appt-close"`, `value="arrived"`, "PD01"} {
			if strings.Contains(s.body, bad) {
				t.Errorf("staff see %q at the district's registry, which they do not manage", bad)
			}
		}
		s.get("/console/appointments?place=PD-MR").must(http.StatusNotFound)
		s.post("/console/appointments/A1XH/visit", url.Values{"visit": {"arrived"}}).must(http.StatusNotFound)
		s.post("/console/appointments/A1PD/visit", url.Values{"visit": {"arrived"}}).must(http.StatusNotFound)
		s.post("/console/places/XH-MR/closed", url.Values{"closed": {"1"}}).must(http.StatusNotFound)
		s.post("/console/appointments/slots", url.Values{"place": {"XH-MR"}, "day": {day.Format("2006-01-02")}, "times": {"10:00"}, "capacity": {"3"}}).must(http.StatusNotFound)
		// Their own counters: slots kept inside the opening hours only.
		form := func(times, capacity, item string) url.Values {
			return url.Values{"place": {"XH01"}, "day": {day.Format("2006-01-02")}, "times": {times}, "capacity": {capacity}, "item": {item}}
		}
		for _, c := range []struct {
			form url.Values
			want string
		}{
			{form("12:30", "3", ""), "时间不在此地点的办公时间内"},
			{form("09:00", "0", ""), "名额应为1到500"},
			{form("9点", "3", ""), "时间应写成09:00"},
			{form("09:00", "3", "Bad Item"), "事项代码只能有"},
		} {
			s.post("/console/appointments/slots", c.form).must(200, c.want)
		}
		s.post("/console/appointments/slots", form("09:00, 10:00", "3", "")).must(200, "时段已保存", `id="appt-slots"`)
		list, err := e.st.PlaceSlots(ctx, "XH01", "", day, day.AddDate(0, 0, 1))
		if err != nil || len(list) != 2 || list[0].Capacity != 3 || list[0].Center != "XH01" || list[0].Item != "" {
			t.Fatalf("slots kept: %+v %v", list, err)
		}
		// A slot never takes fewer places than are booked.
		for i := range 2 {
			if _, err := e.st.Book(ctx, store.Appointment{ID: "B" + string(rune('0'+i)), SlotID: list[0].ID, ItemCode: "x", HolderHash: "h", Center: "XH01", CreatedAt: e.clk.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		s.post("/console/appointments/slots", form("09:00", "1", "")).must(200, "名额不能少于已预约的人数")
		s.post("/console/appointments/B0/visit", url.Values{"visit": {"arrived"}}).must(200, "已登记")
		// The operator manages the registry.
		o := e.browser().login("op1", password)
		o.get("/console/appointments?place=XH-MR&range=week").must(200, `id="appt-close"`, `value="arrived"`)
		o.post("/console/places/XH-MR/closed", url.Values{"closed": {"1"}}).must(200, `id="appt-closed"`, `id="appt-open"`)
		if p, _ := e.st.Place(ctx, "XH-MR"); !p.Closed {
			t.Fatal("the registry is not closed")
		}
		o.post("/console/appointments/A1XH/visit", url.Values{"visit": {"arrived"}}).must(200, "已登记")
		o.post("/console/places/XH-MR/closed", url.Values{"closed": {"0"}}).must(200, `id="appt-close"`)
		if p, _ := e.st.Place(ctx, "XH-MR"); p.Closed {
			t.Fatal("the registry is still closed")
		}
		o.get("/console/appointments?place=PD-MR&range=week").must(200, "PD01", "浦东新区婚姻登记处")
		a := e.browser().login("aud1", password)
		a.get("/console/audit").must(200, "slots.put", "place.closed", "place.opened", "appointment.arrived")
	})
}
