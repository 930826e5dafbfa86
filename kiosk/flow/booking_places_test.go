package flow_test

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

// Places of the tests' district, made up.
var (
	registry = kiosk.Place{ID: "XH-MR", Kind: kiosk.BookAtMarriageRegistry, Name: kiosk.Text{ZH: "测试区婚姻登记处", EN: "Test marriage registry"},
		Address: kiosk.Text{ZH: "测试路200号", EN: "200 Test Road"}, Hours: mustHours("mon-sat 09:00-16:30")}
	hospitalA = kiosk.Place{ID: "XH-AH1", Kind: kiosk.BookAtAssessmentHospital, Name: kiosk.Text{ZH: "测试甲医院"}, Address: kiosk.Text{ZH: "测试路300号"}}
	hospitalB = kiosk.Place{ID: "XH-AH2", Kind: kiosk.BookAtAssessmentHospital, Name: kiosk.Text{ZH: "测试乙医院"}, Address: kiosk.Text{ZH: "测试路400号"}}
)

func mustHours(s string) kiosk.Hours {
	h, err := kiosk.ParseHours(s)
	if err != nil {
		panic(err)
	}
	return h
}

// marriageBooking is booked at the district's registry with a form whose
// day and registry fields the booking answers itself.
var marriageBooking = kiosk.Item{
	Code: "marriage-appointment", Name: kiosk.Text{ZH: "婚姻登记预约"}, Actions: []kiosk.Action{kiosk.ActionAppointment},
	BookAt: kiosk.BookAtMarriageRegistry, BookAnswers: []string{"office", "date"},
	Materials: []kiosk.Material{{Name: kiosk.Text{ZH: "双方身份证原件"}, Required: true}},
	Form: []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: kiosk.Text{ZH: "姓名"}, Prefill: kiosk.PrefillName, Required: true},
		{ID: kiosk.PartnerNameField, Type: kiosk.FieldText, Label: kiosk.Text{ZH: "对方姓名"}, Required: true},
		{ID: kiosk.PartnerIDField, Type: kiosk.FieldIDNumber, Label: kiosk.Text{ZH: "对方身份证号码"}, Required: true},
		{ID: "office", Type: kiosk.FieldChoice, Label: kiosk.Text{ZH: "哪个区"}, Required: true},
		{ID: "date", Type: kiosk.FieldDate, Label: kiosk.Text{ZH: "预约日期"}, Required: true},
	},
}

// assessment is booked at a designated hospital, without a form.
var assessment = kiosk.Item{Code: "disability-assessment-booking", Name: kiosk.Text{ZH: "残疾评定预约"},
	Actions: []kiosk.Action{kiosk.ActionAppointment}, BookAt: kiosk.BookAtAssessmentHospital}

// places is a hand-written fake of flow.Appointments with PlaceBooking:
// the back office's slots at the district's places, seats that run out,
// and an outage the test switches on and off.
type places struct {
	mu      sync.Mutex
	down    bool
	seats   map[string]int
	slots   map[kiosk.BookAt][]kiosk.Slot
	asked   []kiosk.BookAt
	booked  []string
	answers []kiosk.Answers
}

var _ flow.PlaceBooking = (*places)(nil)

func newPlaces() *places {
	return &places{
		seats: map[string]int{"mr-mon-10": 1, "mr-tue-14": 2, "ah1-mon": 1, "ah2-tue": 1, "mr-sun": 3},
		slots: map[kiosk.BookAt][]kiosk.Slot{
			kiosk.BookAtMarriageRegistry: {
				{ID: "mr-sun", Start: shanghai("2026-11-29 10:00"), Available: 3, Place: registry}, // outside its hours
				{ID: "mr-mon-10", Start: shanghai("2026-11-30 10:00"), Available: 1, Place: registry},
				{ID: "mr-tue-14", Start: shanghai("2026-12-01 14:00"), Available: 2, Place: registry},
			},
			kiosk.BookAtAssessmentHospital: {
				{ID: "ah1-mon", Start: shanghai("2026-11-30 08:30"), Available: 1, Place: hospitalA},
				{ID: "ah2-tue", Start: shanghai("2026-12-01 08:30"), Available: 1, Place: hospitalB},
			},
		},
	}
}

var errOffline = &kiosk.Error{Kind: kiosk.KindTransient, Message: kiosk.Msg("query.backoffice_offline")}

func (p *places) Slots(context.Context, kiosk.ItemCode, time.Time, int) ([]kiosk.Slot, error) {
	panic("a place booking asked for the center's slots")
}

func (p *places) Book(context.Context, string, kiosk.Item, kiosk.Identity) (kiosk.Appointment, error) {
	panic("a place booking booked without its answers")
}

func (p *places) SlotsAt(_ context.Context, _ kiosk.ItemCode, at kiosk.BookAt, _ time.Time, _ int) ([]kiosk.Slot, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, at)
	if p.down {
		return nil, errOffline
	}
	var out []kiosk.Slot
	for _, sl := range p.slots[at] {
		sl.Available = p.seats[sl.ID]
		out = append(out, sl)
	}
	return out, nil
}

func (p *places) BookWith(_ context.Context, slotID string, it kiosk.Item, who kiosk.Identity, a kiosk.Answers) (kiosk.Appointment, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return kiosk.Appointment{}, errOffline
	}
	if p.seats[slotID] == 0 {
		return kiosk.Appointment{}, &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.slot_taken")}
	}
	p.seats[slotID]--
	p.booked = append(p.booked, slotID+"/"+who.Number)
	p.answers = append(p.answers, maps.Clone(a))
	for _, sls := range p.slots {
		for _, sl := range sls {
			if sl.ID == slotID {
				return kiosk.Appointment{ID: "R" + slotID, Item: it.Name, Start: sl.Start, Place: sl.Place}, nil
			}
		}
	}
	return kiosk.Appointment{}, &kiosk.Error{Kind: kiosk.KindInvalid, Message: kiosk.Msg("appointment.slot_taken")}
}

func placesHarness(t *testing.T, p flow.Appointments, items ...kiosk.Item) *harness {
	cat := catalog{}
	for _, it := range items {
		cat[it.Code] = it
	}
	h := newHarnessWith(t, func(d *flow.Deps) { d.Catalog, d.Appointments = cat, p })
	h.identify(t, kiosktest.Adult())
	return h
}

const partnerIDNo = "310104199203041529" // synthetic, valid check digit

// TestBookAtTheRegistryWithTheForm: booking the marriage item fills its
// booking form first (the partner; not the day or the registry, which the
// booking answers), reviews it, then offers the registry's times inside
// its hours, shows the registry's name and address, and sends the answers
// with the booking. Back from the times returns to the review with the
// answers kept.
func TestBookAtTheRegistryWithTheForm(t *testing.T) {
	p := newPlaces()
	h := placesHarness(t, p, marriageBooking)
	h.s.SelectItem(marriageBooking.Code)
	if !h.s.CanBook() {
		t.Fatal("the marriage item cannot be booked")
	}
	h.s.OpenAppointment()
	v := h.s.View()
	var asked []string
	for _, f := range v.Fields {
		asked = append(asked, f.ID)
	}
	if v.State != flow.FormPage || !v.BookingForm || strings.Join(asked, ",") != "name,partner_name,partner_id" || len(p.asked) != 0 {
		t.Fatalf("booking form: state %v, booking %v, fields %v, slots asked %v", v.State, v.BookingForm, asked, p.asked)
	}
	h.s.SetAnswer(kiosk.PartnerNameField, "测试乙")
	h.s.SetAnswer(kiosk.PartnerIDField, partnerIDNo)
	h.s.Next()
	if v := h.s.View(); v.State != flow.Review || !v.BookingForm {
		t.Fatalf("after the form: %v (booking form %v)", v.State, v.BookingForm)
	}
	h.s.SetConsent(true)
	h.s.Confirm()
	if st := h.s.View().State; st != flow.Appointment {
		t.Fatalf("the review of a booking went to %v, not to the times", st)
	}
	eventually(t, "the registry's times", func() bool { return h.s.View().Slots != nil })
	v = h.s.View()
	if len(v.Slots) != 2 || v.Slots[0].ID != "mr-mon-10" || v.AtPlace.ID != registry.ID || v.Places != nil || p.asked[0] != kiosk.BookAtMarriageRegistry {
		t.Fatalf("times %+v at %+v (places %v, asked %v): the registry's, inside its hours", v.Slots, v.AtPlace, v.Places, p.asked)
	}
	h.s.Back() // from the days: the review again, answers kept
	if v := h.s.View(); v.State != flow.Review || v.Answers[kiosk.PartnerIDField] != partnerIDNo {
		t.Fatalf("back from the days: %v, answers %v", v.State, v.Answers)
	}
	h.s.Confirm()
	eventually(t, "the times again", func() bool { return h.s.View().Slots != nil })
	h.s.ChooseDay(shanghai("2026-11-30 00:00"))
	h.s.ChooseSlot("mr-mon-10")
	if v := h.s.View(); v.AtPlace.Address.ZH != "测试路200号" || len(p.booked) != 0 {
		t.Fatalf("confirmation at %+v, booked %v", v.AtPlace, p.booked)
	}
	h.s.ConfirmBooking()
	eventually(t, "the booking", func() bool { return h.s.View().Booked != nil })
	v = h.s.View()
	if len(p.booked) != 1 || v.Booked.Place.ID != registry.ID || v.AtPlace.ID != registry.ID {
		t.Fatalf("booked %v at %+v", p.booked, v.Booked.Place)
	}
	sent := p.answers[0]
	if sent[kiosk.PartnerIDField] != partnerIDNo || sent[kiosk.PartnerNameField] != "测试乙" || sent["office"] != "" || sent["date"] != "" {
		t.Errorf("answers sent: %v", sent)
	}
	slip := h.printer.Slips
	if len(slip) != 1 || slip[0].Place.Name.ZH != "测试区婚姻登记处" || slip[0].Place.Address.ZH != "测试路200号" {
		t.Fatalf("slip %+v", slip)
	}
	// Applying afterwards is not the booking's form any more.
	h.s.End()
	if v := h.s.View(); v.BookingForm || v.Answers[kiosk.PartnerIDField] != "" {
		t.Errorf("the booking outlived the visit: %+v", v.Answers)
	}
}

// TestBookingChoosesAmongPlaces: times at two hospitals make the place
// the first step; a day of the other place cannot be chosen; back returns
// to the places.
func TestBookingChoosesAmongPlaces(t *testing.T) {
	h := placesHarness(t, newPlaces(), assessment)
	h.s.SelectItem(assessment.Code)
	h.s.OpenAppointment() // no form: the times at once
	eventually(t, "the times", func() bool { return h.s.View().Slots != nil })
	v := h.s.View()
	if len(v.Places) != 2 || v.Places[0].ID != hospitalA.ID || !v.AtPlace.IsZero() {
		t.Fatalf("places to choose from: %+v, at %+v", v.Places, v.AtPlace)
	}
	h.s.ChooseDay(shanghai("2026-11-30 00:00")) // before the place: nothing
	if !h.s.View().AppointmentDay.IsZero() {
		t.Fatal("a day chosen before the place")
	}
	h.s.ChoosePlace(hospitalB.ID)
	v = h.s.View()
	if v.Places != nil || v.AtPlace.ID != hospitalB.ID || len(v.Slots) != 1 || v.Slots[0].ID != "ah2-tue" {
		t.Fatalf("at hospital B: places %v, at %+v, slots %+v", v.Places, v.AtPlace, v.Slots)
	}
	h.s.ChooseDay(shanghai("2026-11-30 00:00")) // hospital A's day
	if !h.s.View().AppointmentDay.IsZero() {
		t.Fatal("another place's day was chosen")
	}
	h.s.Back()
	if v := h.s.View(); v.State != flow.Appointment || len(v.Places) != 2 {
		t.Fatalf("back from the days: %v, places %v", v.State, v.Places)
	}
}

// TestBookingThroughAnOutage is a sequence: the back office is down when
// the times are asked (the notice says so, nothing is offered), comes up
// (the times come), goes down at 确认预约 (not booked, the confirmation
// stays), comes up (booked once); the next resident's same time is full.
func TestBookingThroughAnOutage(t *testing.T) {
	p := newPlaces()
	p.down = true
	h := placesHarness(t, p, assessment)
	h.s.SelectItem(assessment.Code)
	h.s.OpenAppointment()
	eventually(t, "the outage notice", func() bool { return strings.Contains(zh(t, h.s.View().Notice), "连不上后台") })
	if len(h.s.View().Slots) != 0 {
		t.Fatal("times offered while the back office is down")
	}
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
	h.s.Back()
	h.s.OpenAppointment()
	eventually(t, "the times", func() bool { return h.s.View().Slots != nil })
	h.s.ChoosePlace(hospitalA.ID)
	h.s.ChooseDay(shanghai("2026-11-30 00:00"))
	h.s.ChooseSlot("ah1-mon")
	p.mu.Lock()
	p.down = true
	p.mu.Unlock()
	h.s.ConfirmBooking()
	eventually(t, "the booking's outage notice", func() bool { return strings.Contains(zh(t, h.s.View().Notice), "连不上后台") })
	if v := h.s.View(); v.Booked != nil || v.ChosenSlot == nil || v.Booking || len(h.printer.Slips) != 0 {
		t.Fatalf("after a failed booking: booked %v, slot %v, booking %v, slips %d", v.Booked, v.ChosenSlot, v.Booking, len(h.printer.Slips))
	}
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
	h.s.ConfirmBooking()
	eventually(t, "the booking", func() bool { return h.s.View().Booked != nil })
	if len(p.booked) != 1 || p.seats["ah1-mon"] != 0 || len(h.printer.Slips) != 1 {
		t.Fatalf("booked %v, seats left %d, slips %d", p.booked, p.seats["ah1-mon"], len(h.printer.Slips))
	}
	// Another resident who still saw the time free: it is full now.
	p.seats["ah1-mon"] = 0
	h.s.End()
	h.identify(t, kiosktest.Adult())
	h.s.SelectItem(assessment.Code)
	h.s.OpenAppointment()
	eventually(t, "the times", func() bool { return h.s.View().Slots != nil })
	if v := h.s.View(); len(v.Slots) != 1 || v.Slots[0].ID != "ah2-tue" || v.AtPlace.ID != hospitalB.ID {
		t.Fatalf("a full time is offered: %+v", v.Slots)
	}
}

// TestRegistryNeedsPlaceBooking: an appointments service that books the
// center's counters only does not offer an item booked at a registry.
func TestRegistryNeedsPlaceBooking(t *testing.T) {
	h := placesHarness(t, &diary{}, marriageBooking)
	h.s.SelectItem(marriageBooking.Code)
	if h.s.CanBook() {
		t.Fatal("a registry item offered for booking at the center's counters")
	}
	h.s.OpenAppointment()
	if st := h.s.View().State; st != flow.ItemDetail {
		t.Fatalf("opened %v", st)
	}
}
