package terminal

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/ipp/cupstest"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/flow"
	"github.com/tongban/tongban/kiosk/simulation"
)

// Card residents get queries and documents (issue 18, issue 19 item 1):
// the terminal reads the reader's SAM ID with the card and has the back
// office vouch for the card at once, in the background; the back office
// vouches only for the readers it allow-listed for this terminal.

const (
	pensionQuery     kiosk.ItemCode = "pension-received"               // a query of the demonstration data
	rightsRecord     kiosk.ItemCode = "social-insurance-rights-record" // a document of the demonstration data
	unconnectedQuery kiosk.ItemCode = "housing-fund-queries"           // a query no center has connected
)

// readCard starts a visit and reads card on the simulated reader, lifting
// any card left from an earlier visit first.
func readCard(t *testing.T, s *flow.Session, sims *simulation.Surroundings, card sim.SyntheticCard) {
	t.Helper()
	sims.Reader.Remove()
	eventually(t, "the card lifted", func() (bool, string) { v := s.View(); return !v.CardLeft, fmt.Sprint(v.State) })
	eventually(t, "attract", func() (bool, string) { return s.View().State == flow.Attract, s.View().State.String() })
	s.Start()
	eventually(t, "identify", func() (bool, string) { return s.View().State == flow.Identify, s.View().State.String() })
	sims.Reader.Place(card)
	eventually(t, "browse", func() (bool, string) {
		v := s.View()
		return v.State == flow.Browse, fmt.Sprintf("state %v, notice %s", v.State, v.Notice.ID)
	})
}

// queryState is what the item screen says of its query.
func queryState(s *flow.Session) (bool, kiosk.Text, string) {
	v := s.View()
	ok := s.CanQuery()
	return ok, v.Notice, fmt.Sprintf("state %v, can query %v, notice %s", v.State, ok, v.Notice.ID)
}

func waitQuery(t *testing.T, s *flow.Session, what string, want bool, notice kiosk.Text) {
	t.Helper()
	eventually(t, what, func() (bool, string) {
		ok, n, seen := queryState(s)
		return ok == want && (notice.IsZero() || n == notice), seen
	})
}

// TestCardFromForeignReaderRefused: a reader whose SAM ID the back office
// has not registered for this terminal (another reader swapped in, or one
// that claims a made-up SAM ID) reads a card: the back office does not
// vouch for the card, so the query is greyed with the reason and the
// application refused before any form (it would refuse the submission:
// never a false 已受理); the terminal's own reader,
// swapped back, is vouched for at the next card read.
func TestCardFromForeignReaderRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators and the back office")
	}
	st := newSimTerminal(t, nil)
	s := st.session
	foreign := sim.SimSAMID
	foreign[12] = 99
	st.sims.Reader.SetSAM(foreign)
	readCard(t, s, st.sims, sim.SampleResidentLongTerm())
	s.SelectItem(pensionQuery)
	waitQuery(t, s, "greyed for a reader not registered", false, kiosk.Msg("identify.reader_unknown"))
	s.Back()
	s.SelectItem(e2eItem)
	if s.CanApply() || s.View().Notice != kiosk.Msg("identify.reader_unknown") {
		t.Errorf("an application offered though the back office would refuse it: %s", s.View().Notice.ID)
	}
	log := st.log.String()
	if !strings.Contains(log, "card not identified by the back office") || !strings.Contains(log, foreign.String()) {
		t.Errorf("the refusal or the foreign SAM ID is not in the logs:\n%s", log)
	}
	s.End()

	st.sims.Reader.SetSAM(sim.SimSAMID)
	readCard(t, s, st.sims, sim.SampleResidentLongTerm())
	s.SelectItem(pensionQuery)
	waitQuery(t, s, "offered for the terminal's own reader", true, kiosk.Text{})
	assertNoPersonalData(t, st.log.String(), sim.SampleResidentLongTerm())
}

// TestCardIdentifiedOnceBackOfficeReturns: the back office cannot be
// reached at the first card read, nor while the resident looks at the
// item; the visit goes on with the query greyed for that reason. Once it
// is back, the next card read is vouched for and the query works.
func TestCardIdentifiedOnceBackOfficeReturns(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators and the uplink")
	}
	gate := &heartbeatGate{}
	var sims *simulation.Surroundings
	opts := simOptions(nil)
	logs := &lockedBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	cfg := simConfig(t.TempDir())
	opts.Simulate = func(ctx context.Context, dir string, log *slog.Logger) (Surroundings, error) {
		s, err := simulation.Start(ctx, simulation.Options{Dir: dir, Center: cfg.Center, Terminal: cfg.Terminal, Logger: log})
		if err != nil {
			return nil, err
		}
		sims = s
		office, _, _ := s.BackOffice()
		target, err := url.Parse(office)
		if err != nil {
			return nil, err
		}
		ts := httptest.NewServer(gate.handler(target))
		t.Cleanup(ts.Close)
		return gatedSurroundings{s, ts.URL}, nil
	}
	tm, err := New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tm.Close() })
	s := tm.session

	gate.set(func(g *heartbeatGate) { g.down = true })
	readCard(t, s, sims, sim.SampleResidentLongTerm())
	s.SelectItem(pensionQuery)
	// Greyed for the back office: the item screen says it is unreachable
	// (the devices' gate) or that the card could not be vouched for.
	unverified, unreachable := kiosk.Msg("identify.card_unverified"), kiosk.Msg("browse.unavailable_network")
	eventually(t, "greyed: the card could not be vouched for", func() (bool, string) {
		ok, n, seen := queryState(s)
		return !ok && (n == unverified || n == unreachable), seen
	})
	// The identification was tried, and failed, while the back office was
	// away (not merely still on its way: the screen's words cannot tell).
	eventually(t, "the card read's identification failed", func() (bool, string) {
		return strings.Contains(logs.String(), "card not identified by the back office"), "not yet"
	})
	s.Back()
	s.SelectItem(e2eItem)
	if !s.CanApply() {
		t.Errorf("the application is held up by the back office: %s", s.View().Notice.ID)
	}
	s.Back()
	// The back office comes back during the visit: the card read of this
	// visit stays unverified (it is asked once, at the read), and the
	// screen now says so.
	gate.set(func(g *heartbeatGate) { g.down = false })
	eventually(t, "the back office reachable", func() (bool, string) {
		return tm.manager.Snapshot().BackOffice, "unreachable"
	})
	s.SelectItem(pensionQuery)
	waitQuery(t, s, "the same visit after the back office came back", false, unverified)
	s.End()

	readCard(t, s, sims, sim.SampleResidentLongTerm())
	s.SelectItem(pensionQuery)
	waitQuery(t, s, "the next card read vouched for", true, kiosk.Text{})
	s.RunQuery()
	eventually(t, "the pension shown", func() (bool, string) {
		v := s.View()
		return v.State == flow.Result && v.Phase == flow.PhaseShown && v.Result != nil, fmt.Sprintf("%v %v %s", v.State, v.Phase, v.Notice.ID)
	})
}

// TestCardResidentPensionToA4 is issue 18's end to end: a resident reads
// an ID card, queries 养老金情况 from the demonstration data, prints her
// 社会保险个人权益记录单 (pension months paid) on A4 through a real CUPS
// queue; the printed text is
// read back with pdftotext, the document's number verifies at the back
// office's /v/ page, and a query no center connected is greyed.
func TestCardResidentPensionToA4(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: starts simulators, CUPS and the back office")
	}
	cupstest.Require(t, "pdftotext")
	srv := cupstest.Start(t)
	q := srv.AddQueue(t, "A4")
	st := newSimTerminal(t, func(c *config.Config) { c.A4 = config.A4Config{Queue: q.Name, Server: srv.URL} })
	s := st.session
	eventually(t, "A4 printer online", func() (bool, string) {
		d := st.Manager().Snapshot().Devices[kiosk.DeviceA4Printer]
		return d.Usable(), fmt.Sprint(d)
	})
	card := sim.SampleResidentLongTerm() // retired: the demonstration data has her pension
	readCard(t, s, st.sims, card)

	// 养老金情况 on screen.
	s.SelectItem(pensionQuery)
	waitQuery(t, s, "the pension query offered", true, kiosk.Text{})
	s.RunQuery()
	var res *kiosk.QueryResult
	eventually(t, "the pension shown", func() (bool, string) {
		v := s.View()
		res = v.Result
		return v.State == flow.Result && v.Phase == flow.PhaseShown && res != nil, fmt.Sprintf("%v %v %s", v.State, v.Phase, v.Notice.ID)
	})
	if !hasField(res, "本月养老金", "4,210.50 元") {
		t.Fatalf("the pension result: %+v", res.Fields)
	}
	s.Back()

	// The rights record on A4.
	s.SelectItem(rightsRecord)
	eventually(t, "the record offered", func() (bool, string) {
		return s.CanIssue(), s.View().Notice.ID
	})
	s.IssueDocument()
	eventually(t, "the record printed", func() (bool, string) {
		v := s.View()
		return v.Phase == flow.PhasePrinted, fmt.Sprintf("%v %v %s", v.State, v.Phase, v.Notice.ID)
	})
	if n := s.View().Notice; n != kiosk.Msg("dept.take_pages") {
		t.Errorf("after printing the screen says %s", n.ID)
	}
	jobs, _ := filepath.Glob(filepath.Join(q.Out, "job-*.pdf"))
	if len(jobs) != 1 {
		t.Fatalf("%d jobs printed on the A4 queue, want 1: %v", len(jobs), jobs)
	}
	var job int
	if _, err := fmt.Sscanf(filepath.Base(jobs[0]), "job-%d.pdf", &job); err != nil {
		t.Fatal(err)
	}
	text := q.Text(t, job)
	for _, want := range []string{"社会保险个人权益记录单", "养老保险累计缴费月数", "372"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed record lacks %q:\n%s", want, text)
		}
	}
	number := regexp.MustCompile(`\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b`).FindString(text)
	if number == "" {
		t.Fatalf("no document number in the printed text:\n%s", text)
	}

	// The number verifies at the back office; a number never issued does not.
	office, _, _ := st.sims.BackOffice()
	page := get(t, office+"/v/"+number)
	if page.status != http.StatusOK || !strings.Contains(page.body, "社会保险个人权益记录单") || !strings.Contains(page.body, number) {
		t.Errorf("the verification page of %s: %d\n%.400s", number, page.status, page.body)
	}
	if other := get(t, office+"/v/0000-0000-0000-0000"); other.status != http.StatusNotFound {
		t.Errorf("a number never issued: %d", other.status)
	}
	s.Back()

	// A query this center has not connected is greyed with the reason.
	s.SelectItem(unconnectedQuery)
	if ok, n, seen := queryState(s); ok || n != kiosk.Msg("dept.query_not_connected") {
		t.Errorf("an unconnected query: %s", seen)
	}
	s.End()
	eventually(t, "the visit ended", func() (bool, string) { return s.View().State == flow.Attract, s.View().State.String() })
	if v := s.View(); v.Result != nil || v.Greeting != "" {
		t.Errorf("after 结束办理 the screen keeps the result or the resident: %+v", v.Result)
	}
	assertNoPersonalData(t, st.log.String(), card)
}

func hasField(r *kiosk.QueryResult, label, value string) bool {
	for _, f := range r.Fields {
		if f.Label.ZH == label && f.Value == value {
			return true
		}
	}
	return false
}

type page struct {
	status int
	body   string
}

func get(t *testing.T, u string) page {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

// assertNoPersonalData: the terminal's and the back office's log lines
// (one log here) hold neither the card's name, number nor address.
func assertNoPersonalData(t *testing.T, log string, card sim.SyntheticCard) {
	t.Helper()
	for _, secret := range []string{card.Name, card.Number, card.Address} {
		for _, line := range strings.Split(log, "\n") {
			if strings.Contains(line, secret) {
				t.Errorf("the log holds personal data %q: %s", secret, line)
			}
		}
	}
}
