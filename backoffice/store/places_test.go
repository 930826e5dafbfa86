package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Demonstration-shaped places of one district (XH) and of another (PD).
var (
	xh01     = Place{ID: "XH01", Kind: PlaceCenter, District: "XH", Center: "XH01", NameZH: "测试徐汇中心", NameEN: "Test Xuhui center", AddrZH: "测试路1号", AddrEN: "1 Test Rd", Hours: "mon-fri 09:00-17:00"}
	xh02     = Place{ID: "XH02", Kind: PlaceCenter, District: "XH", Center: "XH02", NameZH: "测试徐汇二中心", Hours: "mon-fri 09:00-17:00"}
	xhReg    = Place{ID: "XH-MR", Kind: PlaceMarriageRegistry, District: "XH", NameZH: "测试徐汇区婚姻登记处", NameEN: "Test Xuhui marriage registry", AddrZH: "测试路2号", AddrEN: "2 Test Rd", Hours: "mon-sat 09:00-16:30"}
	xhHosp   = Place{ID: "XH-AH", Kind: PlaceAssessmentHospital, District: "XH", NameZH: "测试评残医院", AddrZH: "测试路3号", Hours: "mon-fri 08:30-11:30"}
	pd01     = Place{ID: "PD01", Kind: PlaceCenter, District: "PD", Center: "PD01", NameZH: "测试浦东中心", Hours: "mon-fri 09:00-17:00"}
	pdReg    = Place{ID: "PD-MR", Kind: PlaceMarriageRegistry, District: "PD", NameZH: "测试浦东婚姻登记处", Hours: "mon-fri 09:00-16:30"}
	allTestP = []Place{xh01, xh02, xhReg, xhHosp, pd01, pdReg}
)

func putPlaces(t *testing.T, st *DB) {
	t.Helper()
	for _, p := range allTestP {
		if err := st.PutPlace(context.Background(), p); err != nil {
			t.Fatalf("put place %s: %v", p.ID, err)
		}
	}
}

// TestPlaces: places are kept and listed; a terminal's center may book at
// its own counters and at its district's registry and hospital, not at
// another center's counters nor another district's registry.
func TestPlaces(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		putPlaces(t, st)
		if err := st.PutPlace(ctx, Place{ID: "bad", Kind: "pharmacy", District: "XH"}); !errors.Is(err, ErrBadPlace) {
			t.Errorf("a place of an unknown kind: %v", err)
		}
		if err := st.PutPlace(ctx, Place{ID: "bad", Kind: PlaceMarriageRegistry, District: "XH", Center: "XH01"}); !errors.Is(err, ErrBadPlace) {
			t.Errorf("a registry that belongs to a center: %v", err)
		}
		got, err := st.Place(ctx, "XH-MR")
		if err != nil || got != xhReg {
			t.Fatalf("place: %+v %v", got, err)
		}
		if _, err := st.Place(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown place: %v", err)
		}
		if ps, err := st.Places(ctx, "XH"); err != nil || len(ps) != 4 {
			t.Errorf("places of XH: %d %v", len(ps), err)
		}
		for _, c := range []struct {
			center, kind string
			want         []string
		}{
			{"XH01", PlaceCenter, []string{"XH01"}},
			{"XH01", "", []string{"XH01"}},
			{"XH02", PlaceMarriageRegistry, []string{"XH-MR"}},
			{"XH01", PlaceAssessmentHospital, []string{"XH-AH"}},
			{"PD01", PlaceMarriageRegistry, []string{"PD-MR"}},
			{"PD01", PlaceAssessmentHospital, nil},
			{"ZZ09", PlaceCenter, []string{"ZZ09"}}, // a center without a place row: its counters
			{"ZZ09", PlaceMarriageRegistry, nil},
		} {
			ps, err := st.BookablePlaces(ctx, c.center, c.kind)
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			if err != nil || fmt.Sprint(ids) != fmt.Sprint(c.want) {
				t.Errorf("bookable %s at %s: %v %v, want %v", c.kind, c.center, ids, err, c.want)
			}
		}
		if _, err := st.BookablePlaces(ctx, "XH01", "moon"); !errors.Is(err, ErrBadPlace) {
			t.Errorf("an unknown kind: %v", err)
		}
	})
}

// TestBookAtPlaces: slots per place and per item; booking across the
// district rules, a closed place, the answers sealed at rest.
func TestBookAtPlaces(t *testing.T) {
	forEachStore(t, func(t *testing.T, st *DB) {
		ctx := context.Background()
		putPlaces(t, st)
		if err := st.SealWith([]byte("0123456789abcdef")); err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 7, 2, 1, 0, 0, 0, time.UTC)
		slots := []Slot{
			{ID: "mr1", Place: "XH-MR", Item: "marriage-appointment", Start: start, Capacity: 1},
			{ID: "mr2", Place: "XH-MR", Start: start.Add(time.Hour), Capacity: 2}, // any item
			{ID: "ah1", Place: "XH-AH", Item: "disability-assessment-booking", Start: start, Capacity: 1},
			{ID: "pd1", Place: "PD-MR", Item: "marriage-appointment", Start: start, Capacity: 1},
			{ID: "c1", Center: "XH01", Service: "marriage", Start: start, Capacity: 1}, // the counters, as before
		}
		for _, sl := range slots {
			if err := st.PutSlot(ctx, sl); err != nil {
				t.Fatal(err)
			}
		}
		list, err := st.PlaceSlots(ctx, "XH-MR", "marriage-appointment", start, start.Add(24*time.Hour))
		if err != nil || len(list) != 2 || list[0].ID != "mr1" || list[0].Place != "XH-MR" || list[0].Item != "marriage-appointment" {
			t.Fatalf("registry slots for marriage: %+v %v", list, err)
		}
		if list, _ := st.PlaceSlots(ctx, "XH-MR", "senior-card", start, start.Add(24*time.Hour)); len(list) != 1 || list[0].ID != "mr2" {
			t.Errorf("registry slots for another item: %+v", list)
		}
		if list, _ := st.PlaceSlots(ctx, "XH01", "", start, start.Add(24*time.Hour)); len(list) != 1 || list[0].ID != "c1" {
			t.Errorf("a center's counter slots by place: %+v", list)
		}
		answers := []byte(`{"partner_name":"测试乙","partner_id":"110101199003074514"}`)
		book := func(id, slot, item, center string) (Appointment, error) {
			return st.Book(ctx, Appointment{ID: id, SlotID: slot, ItemCode: item, HolderHash: "hh", PartnerHash: "ph", Center: center, CreatedAt: t0, Answers: answers})
		}
		for _, c := range []struct {
			name, slot, item, center string
			want                     error
		}{
			{"another district's registry", "pd1", "marriage-appointment", "XH01", ErrNotFound},
			{"another center's counters", "c1", "marriage-appointment", "XH02", ErrNotFound},
			{"a slot kept for another item", "ah1", "marriage-appointment", "XH01", ErrNotFound},
			{"no such slot", "nope", "marriage-appointment", "XH01", ErrNotFound},
		} {
			if _, err := book("A"+c.slot, c.slot, c.item, c.center); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		// Another center of the district books the district's registry.
		a, err := book("APPT01", "mr1", "marriage-appointment", "XH02")
		if err != nil || a.Center != "XH02" || a.Slot.Place != "XH-MR" || a.Slot.Booked != 1 {
			t.Fatalf("book the registry from XH02: %+v %v", a, err)
		}
		got, err := st.Appointment(ctx, "APPT01")
		if err != nil || got.Center != "XH02" || got.PartnerHash != "ph" || got.Slot.Place != "XH-MR" || got.Answers != nil {
			t.Errorf("read back: %+v %v", got, err)
		}
		if back, err := st.AppointmentAnswers(ctx, "APPT01"); err != nil || string(back) != string(answers) {
			t.Errorf("answers: %q %v", back, err)
		}
		var raw []byte
		st.db.QueryRow(`SELECT answers FROM appointments WHERE id = 'APPT01'`).Scan(&raw)
		if len(raw) == 0 || string(raw) == string(answers) {
			t.Errorf("the answers are not sealed at rest: %q", raw)
		}
		if _, err := st.Book(ctx, Appointment{ID: "APPT09", SlotID: "mr2", ItemCode: "marriage-appointment", HolderHash: "hh", Center: "XH01", CreatedAt: t0}); !errors.Is(err, ErrPartnerNeeded) {
			t.Errorf("a registry booking without the partner: %v", err)
		}
		// A closed place lists no slot and books none; opened, it does.
		if err := st.SetPlaceClosed(ctx, "XH-MR", true); err != nil {
			t.Fatal(err)
		}
		if list, _ := st.PlaceSlots(ctx, "XH-MR", "marriage-appointment", start, start.Add(24*time.Hour)); len(list) != 0 {
			t.Errorf("a closed place lists %+v", list)
		}
		if _, err := book("APPT02", "mr2", "marriage-appointment", "XH01"); !errors.Is(err, ErrPlaceClosed) {
			t.Errorf("book at a closed place: %v", err)
		}
		if sl, _ := st.PlaceSlots(ctx, "XH-AH", "", start, start.Add(24*time.Hour)); len(sl) != 1 {
			t.Errorf("closing the registry closed the hospital: %+v", sl)
		}
		if err := st.SetPlaceClosed(ctx, "XH-MR", false); err != nil {
			t.Fatal(err)
		}
		if _, err := book("APPT02", "mr2", "marriage-appointment", "XH01"); err != nil {
			t.Errorf("book when opened again: %v", err)
		}
		if err := st.SetPlaceClosed(ctx, "nope", true); !errors.Is(err, ErrNotFound) {
			t.Errorf("close an unknown place: %v", err)
		}
		if rows, err := st.PlaceAppointments(ctx, "XH-MR", start, start.Add(24*time.Hour)); err != nil || len(rows) != 2 || rows[0].ID != "APPT01" || rows[0].Center != "XH02" {
			t.Errorf("appointments at the registry: %+v %v", rows, err)
		}
		// A store without the key does not open the answers.
		st.seal = nil
		if _, err := st.AppointmentAnswers(ctx, "APPT01"); !errors.Is(err, ErrSealed) {
			t.Errorf("answers without the key: %v", err)
		}
	})
}

// TestMigrationPlacesKeepsOldRows: slots and appointments stored before
// places were kept are at their center's counters, booked by that center.
func TestMigrationPlacesKeepsOldRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bo.db")
	ctx := context.Background()
	all := migrations
	migrations = all[:8]
	st, err := OpenSQLite(ctx, path)
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	st.db.Exec(`INSERT INTO slots (id, center, service, start_at, capacity, booked) VALUES ('old', 'XH01', 'marriage', 1, 2, 1)`)
	st.db.Exec(`INSERT INTO appointments (id, slot_id, item_code, holder_hash, state, created_at) VALUES ('OLD001', 'old', 'MZ01', 'hh', 'booked', 1)`)
	st.Close()
	migrations = all
	st, err = OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Appointment(ctx, "OLD001")
	if err != nil || a.Center != "XH01" || a.Slot.Place != "XH01" || a.Slot.Item != "" {
		t.Fatalf("old appointment after the migration: %+v %v", a, err)
	}
	if _, err := st.CancelAppointment(ctx, "OLD001", t0); err != nil {
		t.Errorf("cancel the old one: %v", err)
	}
	if _, err := st.Book(ctx, Appointment{ID: "NEW001", SlotID: "old", ItemCode: "MZ01", Center: "XH01", CreatedAt: t0}); err != nil {
		t.Errorf("book the old slot from its center: %v", err)
	}
}

// reopenable runs fn against SQLite and (with TONGBAN_PG_DSN) PostgreSQL
// with a function that closes the store and opens the same database again:
// the back office going down and coming up.
func reopenable(t *testing.T, fn func(t *testing.T, st *DB, reopen func() *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bo.db")
		open := func() *DB {
			st, err := OpenSQLite(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		st := open()
		t.Cleanup(func() { st.Close() })
		fn(t, st, func() *DB { st.Close(); st = open(); return st })
	})
	t.Run("postgres", func(t *testing.T) {
		st := openTestPostgres(t) // skips without a DSN
		var schema string
		if err := st.db.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		open := func() *DB {
			cfg, err := pgx.ParseConfig(os.Getenv(pgEnv))
			if err != nil {
				t.Fatal(err)
			}
			cfg.RuntimeParams["search_path"] = schema
			st, err := openPostgresConfig(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		cur := st
		t.Cleanup(func() { cur.Close() })
		fn(t, st, func() *DB { cur.Close(); cur = open(); return cur })
	})
}

// TestBookingSequences generates sequences of bookings, cancellations
// (twice over, too), closings and openings of places and restarts of the
// back office, checks each outcome against a model, and after every step
// the invariants: a slot is never booked over its capacity, its booked
// count is the number of its booked appointments, and a cancellation
// frees one seat once.
func TestBookingSequences(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	reopenable(t, func(t *testing.T, st *DB, reopen func() *DB) {
		ctx := context.Background()
		putPlaces(t, st)
		start := time.Date(2026, 7, 2, 1, 0, 0, 0, time.UTC)
		type slotModel struct {
			place    string
			capacity int
			booked   map[string]bool // appointment IDs booked
		}
		for seed := range seeds {
			rng := rand.New(rand.NewPCG(uint64(seed), 17))
			slots := map[string]*slotModel{}
			var slotIDs []string
			for i, p := range []string{"XH01", "XH-MR", "XH-AH"} {
				for j := range 2 {
					id := fmt.Sprintf("s%d-%s-%d", seed, p, j)
					cp := 1 + rng.IntN(3)
					if err := st.PutSlot(ctx, Slot{ID: id, Center: map[bool]string{true: "XH01"}[i == 0], Place: p, Start: start.Add(time.Duration(j) * time.Hour), Capacity: cp}); err != nil {
						t.Fatal(err)
					}
					slots[id] = &slotModel{place: p, capacity: cp, booked: map[string]bool{}}
					slotIDs = append(slotIDs, id)
				}
			}
			closed := map[string]bool{}
			cancelled := map[string]string{} // appointment → its slot, cancelled
			var booked []string
			n := 0
			check := func(step string) {
				t.Helper()
				for _, id := range slotIDs {
					var b, c, live int
					if err := st.db.QueryRow(`SELECT booked, capacity FROM slots WHERE id = $1`, id).Scan(&b, &c); err != nil {
						t.Fatalf("seed %d %s: %v", seed, step, err)
					}
					st.db.QueryRow(`SELECT COUNT(*) FROM appointments WHERE slot_id = $1 AND state = 'booked'`, id).Scan(&live)
					if b > c || b != live || b != len(slots[id].booked) {
						t.Fatalf("seed %d after %s: slot %s booked %d of %d, %d booked appointments, model %d", seed, step, id, b, c, live, len(slots[id].booked))
					}
				}
			}
			for step := range 60 {
				switch r := rng.IntN(10); {
				case r < 5: // book
					id := slotIDs[rng.IntN(len(slotIDs))]
					m := slots[id]
					n++
					appt := fmt.Sprintf("S%dN%d", seed, n)
					_, err := st.Book(ctx, Appointment{ID: appt, SlotID: id, ItemCode: "marriage-appointment", HolderHash: "hh", PartnerHash: "ph", Center: "XH01", CreatedAt: t0})
					var want error
					switch {
					case closed[m.place]:
						want = ErrPlaceClosed
					case len(m.booked) >= m.capacity:
						want = ErrSlotFull
					}
					if !errors.Is(err, want) && !(want == nil && err == nil) {
						t.Fatalf("seed %d step %d: book %s: %v, want %v", seed, step, id, err, want)
					}
					if err == nil {
						m.booked[appt] = true
						booked = append(booked, appt)
					}
				case r < 7 && len(booked)+len(cancelled) > 0: // cancel, maybe one cancelled already
					var appt string
					if k := rng.IntN(len(booked) + len(cancelled)); k < len(booked) {
						appt = booked[k]
						booked = append(booked[:k], booked[k+1:]...)
					} else {
						for a := range cancelled {
							appt = a
							break
						}
					}
					_, err := st.CancelAppointment(ctx, appt, t0)
					if slot, again := cancelled[appt]; again {
						if !errors.Is(err, ErrAlreadyCancelled) {
							t.Fatalf("seed %d step %d: cancel %s again: %v", seed, step, appt, err)
						}
						_ = slot
						continue
					}
					if err != nil {
						t.Fatalf("seed %d step %d: cancel %s: %v", seed, step, appt, err)
					}
					for id, m := range slots {
						if m.booked[appt] {
							delete(m.booked, appt)
							cancelled[appt] = id
						}
					}
				case r < 8: // close or open a place
					p := []string{"XH01", "XH-MR", "XH-AH"}[rng.IntN(3)]
					closed[p] = !closed[p]
					if err := st.SetPlaceClosed(ctx, p, closed[p]); err != nil {
						t.Fatal(err)
					}
				default: // the back office goes down and comes up
					st = reopen()
				}
				check(fmt.Sprintf("step %d", step))
			}
			for p := range closed {
				st.SetPlaceClosed(ctx, p, false)
			}
		}
	})
}
