package backoffice

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/document"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/ssmtoken"
)

// LocalOptions configure ListenLocal.
type LocalOptions struct {
	Dir    string       // holds backoffice.db and keys/; created if missing
	Center string       // the center whose demo slots are seeded; "" skips seeding
	Logger *slog.Logger // nil: discard
	Now    func() time.Time
	// TerminalRate is Options.TerminalRate: negative for load tests whose
	// terminals live faster than real ones.
	TerminalRate float64
	// Readers allow-lists card readers by SAM ID per terminal (terminal →
	// SAM IDs), as cmd/backoffice's -readers file does: the simulated
	// reader's for the simulated terminal in make run. Nil: no card reader
	// is allow-listed, and a card read gets no identification.
	Readers map[string][]string
}

// Local is a back office running in-process on a loopback port, in the
// plain-HTTP dev mode, on the embedded store.
type Local struct {
	URL       string // http://127.0.0.1:PORT
	Server    *Server
	Store     *store.DB
	BundleKey bundle.PublicKey // what the terminal must trust for bundles
	done      chan error
}

// ListenLocal starts a back office on 127.0.0.1 with an SQLite store in
// opts.Dir. It serves until ctx ends; Wait returns once it has stopped and
// the store is closed.
func ListenLocal(ctx context.Context, opts LocalOptions) (*Local, error) {
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	keys, err := LoadOrCreateKeys(filepath.Join(opts.Dir, "keys"))
	if err != nil {
		return nil, err
	}
	st, err := store.OpenSQLite(ctx, filepath.Join(opts.Dir, "backoffice.db"))
	if err != nil {
		return nil, err
	}
	if err := SealStore(st, filepath.Join(opts.Dir, "keys")); err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	var readers ReaderAllowList
	if opts.Readers != nil {
		m, err := NewMemReaders(opts.Readers)
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("reader allow-list: %w", err)
		}
		readers = m
	}
	url := "http://" + ln.Addr().String()
	connectors, issuer, err := DemoDepartments(ctx, st, keys, filepath.Join(opts.Dir, "keys"), url, opts.Now, opts.Center)
	if err != nil {
		ln.Close()
		st.Close()
		return nil, err
	}
	// The simulated phone's issuer stands for the 随申码 platform (make run).
	srv := New(st, Options{Logger: opts.Logger, Now: opts.Now, CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: true,
		TerminalRate: opts.TerminalRate, Verifier: NewTokenDouble(&ssmtoken.DevIssuer().PublicKey, st),
		Connectors: connectors, Documents: issuer, DevCenter: opts.Center, Readers: readers})
	if issuer == nil && opts.Logger != nil {
		opts.Logger.Warn("documents are not connected: the PDF fonts are missing (fonts-droid-fallback, fonts-dejavu-core)")
	}
	if opts.Center != "" {
		if err := srv.SeedDemo(ctx, opts.Center); err != nil {
			ln.Close()
			st.Close()
			return nil, err
		}
	}
	l := &Local{URL: url, Server: srv, Store: st, BundleKey: keys.Signer.PublicKey(), done: make(chan error, 1)}
	go func() {
		err := Serve(ctx, ln, srv, nil, opts.Logger)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		l.done <- err
	}()
	return l, nil
}

// Wait blocks until the local back office has stopped.
func (l *Local) Wait() error { return <-l.done }

// DemoHolderID is the synthetic resident ID number (310104 prefix, valid
// check digit, no real person) whose e-licences SeedDemo adds.
const DemoHolderID = "310104195001011235"

// SeedDemo adds appointment slots for the next 7 days at center (09:00 to
// 16:00 every hour, 4 places), the demonstration places of its district
// (DemoPlaces) with their slots, and two e-licences of DemoHolderID. It can
// be run again: it only refreshes the same rows.
func (s *Server) SeedDemo(ctx context.Context, center string) error {
	today := s.now().In(shanghai)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, shanghai)
	for d := range 7 {
		for h := 9; h < 16; h++ {
			start := day.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour)
			id := fmt.Sprintf("%s-%s-%02d", center, start.Format("20060102"), h)
			if err := s.st.PutSlot(ctx, store.Slot{ID: id, Center: center, Service: "marriage", Start: start.UTC(), Capacity: 4}); err != nil {
				return err
			}
		}
	}
	places := DemoPlaces(center)
	for _, p := range places {
		if err := s.st.PutPlace(ctx, p); err != nil {
			return err
		}
	}
	if len(places) == 3 {
		// The registry: marriage appointments on the working days, morning
		// and afternoon; the hospital: assessments in the mornings.
		for d := range 7 {
			date := day.AddDate(0, 0, d)
			if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			for _, sl := range []struct {
				place, item string
				hm          []int // hour*60+minute
				capacity    int
			}{
				{places[1].ID, "marriage-appointment", []int{9 * 60, 10 * 60, 11 * 60, 13*60 + 30, 14*60 + 30, 15*60 + 30}, 6},
				{places[2].ID, "disability-assessment-booking", []int{8*60 + 30, 9*60 + 30, 10*60 + 30}, 2},
			} {
				for _, m := range sl.hm {
					start := date.Add(time.Duration(m) * time.Minute)
					id := fmt.Sprintf("%s-%s-%04d", sl.place, start.Format("20060102"), m/60*100+m%60)
					if err := s.st.PutSlot(ctx, store.Slot{ID: id, Place: sl.place, Item: sl.item, Start: start.UTC(), Capacity: sl.capacity}); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, l := range []api.Licence{
		{CertUUID: "demo-hkb-0001", CatMain: "HKB", Name: "居民户口簿", Issuer: "上海市公安局", ValidStart: "2015-03-01"},
		{CertUUID: "demo-cjz-0001", CatMain: "CJZ", Name: "中华人民共和国残疾人证", Issuer: "上海市残疾人联合会", ValidStart: "2021-06-01", ValidEnd: "2031-05-31"},
	} {
		if err := s.AddLicence(ctx, HolderResident, DemoHolderID, l); err != nil {
			return err
		}
	}
	return nil
}

// DemoDepartments connects the demonstration data (connector.DemoConfig)
// at every center, its records loaded for center ("" loads none), and the
// document issuer with its key in keyDir and its QR codes leading to
// publicURL. The issuer is nil when it cannot be made (no PDF fonts on
// this machine): documents are then not connected.
func DemoDepartments(ctx context.Context, st *store.DB, keys *Keys, keyDir, publicURL string, now func() time.Time, center string) (*connector.Set, DocumentIssuer, error) {
	records := connector.NewStore(st, SubjectHash(keys.HashKey), now)
	if center != "" {
		if err := records.LoadDemo(ctx, center); err != nil {
			return nil, nil, err
		}
	}
	set, err := connector.Build(connector.DemoConfig(), records)
	if err != nil {
		return nil, nil, err
	}
	if _, err := document.SystemFonts(); err != nil {
		return set, nil, nil
	}
	issuer, err := NewDocumentIssuer(st, keyDir, publicURL)
	if err != nil {
		return nil, nil, err
	}
	return set, issuer, nil
}

// demoDistricts names the districts of the demonstration centers, by the
// letters their center codes begin with (XH01 is in 徐汇区).
var demoDistricts = map[string][2]string{
	"HP": {"黄浦区", "Huangpu"}, "XH": {"徐汇区", "Xuhui"}, "CN": {"长宁区", "Changning"}, "JA": {"静安区", "Jing'an"},
	"PT": {"普陀区", "Putuo"}, "HK": {"虹口区", "Hongkou"}, "YP": {"杨浦区", "Yangpu"}, "MH": {"闵行区", "Minhang"},
	"BS": {"宝山区", "Baoshan"}, "JD": {"嘉定区", "Jiading"}, "PD": {"浦东新区", "Pudong"}, "JS": {"金山区", "Jinshan"},
	"SJ": {"松江区", "Songjiang"}, "QP": {"青浦区", "Qingpu"}, "FX": {"奉贤区", "Fengxian"}, "CM": {"崇明区", "Chongming"},
}

// DemoPlaces are the demonstration places of center's district: the
// center's counters, the district's marriage registry and its disability
// assessment hospital, with made-up addresses marked as such. A center
// whose code does not begin with a known district gets its counters only.
func DemoPlaces(center string) []store.Place {
	code := strings.TrimRight(center, "0123456789")
	d, ok := demoDistricts[code]
	counters := store.Place{ID: center, Kind: store.PlaceCenter, District: code, Center: center,
		NameZH: d[0] + "示例街道社区事务受理服务中心", NameEN: d[1] + " demonstration community affairs center",
		AddrZH: d[0] + "示例路1号（演示地址）", AddrEN: "1 Demo Road, " + d[1] + " (demonstration address)",
		Hours: "mon-fri 09:00-12:00,13:00-17:00"}
	if !ok || code == "" {
		return nil
	}
	return []store.Place{counters,
		{ID: code + "-MR", Kind: store.PlaceMarriageRegistry, District: code,
			NameZH: d[0] + "婚姻登记处", NameEN: d[1] + " marriage registry",
			AddrZH: d[0] + "示例路200号（演示地址）", AddrEN: "200 Demo Road, " + d[1] + " (demonstration address)",
			Hours: "mon-fri 09:00-11:30,13:30-16:30"},
		{ID: code + "-AH", Kind: store.PlaceAssessmentHospital, District: code,
			NameZH: d[0] + "残疾评定定点医院", NameEN: d[1] + " disability assessment hospital",
			AddrZH: d[0] + "示例路300号（演示地址）", AddrEN: "300 Demo Road, " + d[1] + " (demonstration address)",
			Hours: "mon-fri 08:30-11:30"},
	}
}
