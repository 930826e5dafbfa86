package backoffice

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/internal/ssmtoken"
)

const (
	terminalB = "SH-XH-0002"
	samA      = "05.01-20240101-0000000042-0000000007"
	samOther  = "05.01-20240101-0000000042-0000000008" // a real-looking reader nobody registered
)

// identityFixture is a back office that checks identities: the dev issuer
// stands for the platform, terminal A's reader is allow-listed.
func identityFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, true)
	f.srv.verifier = NewTokenDouble(&ssmtoken.DevIssuer().PublicKey, f.st)
	f.srv.readers = MemReaders{terminalA: {samA}}
	return f
}

func ssm(t *testing.T, key *sm2.PrivateKey, idNo string, exp time.Time) string {
	t.Helper()
	tok, err := ssmtoken.Sign(key, ssmtoken.Claims{Kind: ssmtoken.KindSuishenma, Name: "测试甲", IDNo: idNo, Expires: exp.Unix()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestForgedSuishenmaRefused: every way a 随申码 can be forged is refused,
// one after another on the same back office, and a good one then still
// works exactly once.
func TestForgedSuishenmaRefused(t *testing.T) {
	f := identityFixture(t)
	other, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good := ssm(t, ssmtoken.DevIssuer(), testIDNo, testNow.Add(time.Minute))
	steps := []struct {
		name string
		code string
		want int
	}{
		{"SSM: plus anything", "SSM:9f8e7d6c5b4a39281706", 422},
		{"expired", ssm(t, ssmtoken.DevIssuer(), testIDNo, testNow.Add(-time.Second)), 422},
		{"wrong signature", ssm(t, other, testIDNo, testNow.Add(time.Minute)), 422},
		{"invalid ID number", ssm(t, ssmtoken.DevIssuer(), badIDNo, testNow.Add(time.Minute)), 422},
		{"good", good, 200},
		{"replayed", good, 422},
		{"replayed again", good, 422},
	}
	for _, s := range steps {
		rec := f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{Code: s.code})
		if rec.Code != s.want {
			t.Fatalf("%s: %d %s, want %d", s.name, rec.Code, rec.Body, s.want)
		}
		if s.want == 200 {
			id := decode[api.IdentifyResponse](t, rec)
			if id.IDNo != testIDNo || id.FullName != "测试甲" || id.IDType != "1" || !f.srv.IdentificationLive(id.EventID, terminalA, testIDNo) {
				t.Fatalf("%s: answer %+v", s.name, id)
			}
		}
	}
	if strings.Contains(f.logs.String(), testIDNo) {
		t.Error("the resident's number is in the log")
	}
}

// TestIdentifyWithoutVerifierSaysWhatToDo: no platform, no identity, and
// the words send the resident to the card or the counter.
func TestIdentifyWithoutVerifierSaysWhatToDo(t *testing.T) {
	f := newFixture(t, true)
	rec := f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{Code: ssm(t, ssmtoken.DevIssuer(), testIDNo, testNow.Add(time.Minute))})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "ID card or go to the counter") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestIdentificationLive(t *testing.T) {
	f := identityFixture(t)
	ev, _ := f.srv.issueEvent(terminalA, testIDNo, "suishenma", testNow)
	mac := ev[strings.IndexByte(ev, '.'):]
	cases := []struct {
		name           string
		ev, term, idNo string
		now            time.Time
		want           bool
	}{
		{"live", ev, terminalA, testIDNo, testNow.Add(time.Minute), true},
		{"other terminal", ev, terminalB, testIDNo, testNow, false},
		{"other resident", ev, terminalA, "11010519491231002X", testNow, false},
		{"expired", ev, terminalA, testIDNo, testNow.Add(EventLife), false},
		{"made up", "eyJ0IjoiU0gifQ" + mac, terminalA, testIDNo, testNow, false},
		{"empty", "", terminalA, testIDNo, testNow, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.srv.now = func() time.Time { return c.now }
			if got := f.srv.IdentificationLive(c.ev, c.term, c.idNo); got != c.want {
				t.Fatalf("IdentificationLive = %v, want %v", got, c.want)
			}
		})
	}
}

// TestLicenceEnumerationRefused: a terminal walking through ID numbers
// gets nothing without identifications; with one it is rate-limited; each
// lookup it did make is on record under the resident's pseudonym.
func TestLicenceEnumerationRefused(t *testing.T) {
	f := identityFixture(t)
	if err := f.srv.SeedDemo(context.Background(), "XH01"); err != nil {
		t.Fatal(err)
	}
	f.srv.lookupRate = newRateLimiter(3.0/60, 3)
	q := api.LicenceQuery{HolderType: HolderResident, HolderCode: DemoHolderID, ItemCode: "312000374000", ItemName: "残疾人交通补贴"}
	for i := 0; i < 5; i++ {
		if rec := f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != http.StatusForbidden || problemCode(t, rec) != api.CodeNotIdentified {
			t.Fatalf("lookup %d without identification: %d %s", i, rec.Code, rec.Body)
		}
	}
	// Another terminal's event, and an event for another resident, do not do.
	q.Identification, _ = f.srv.issueEvent(terminalB, DemoHolderID, "idcard", testNow)
	if rec := f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != http.StatusForbidden {
		t.Fatalf("another terminal's event: %d", rec.Code)
	}
	q.Identification, _ = f.srv.issueEvent(terminalA, "11010519491231002X", "idcard", testNow)
	if rec := f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != http.StatusForbidden {
		t.Fatalf("another resident's event: %d", rec.Code)
	}
	q.Identification, _ = f.srv.issueEvent(terminalA, DemoHolderID, "idcard", testNow)
	var codes []int
	for i := 0; i < 5; i++ {
		codes = append(codes, f.do("POST", "/v1/licences:query", terminalA, q).Code)
	}
	if want := []int{200, 200, 200, 429, 429}; !equalInts(codes, want) {
		t.Fatalf("codes %v, want %v", codes, want)
	}
	// A minute later the terminal may look up again.
	f.srv.now = func() time.Time { return testNow.Add(time.Minute) }
	if rec := f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != 200 {
		t.Fatalf("after the window: %d", rec.Code)
	}
	who, err := f.srv.WhoLookedUp(context.Background(), DemoHolderID)
	if err != nil || len(who) != 4 || who[0].Terminal != terminalA || who[0].ItemCode != "312000374000" {
		t.Fatalf("WhoLookedUp = %+v, %v; want the 4 answered lookups by %s", who, err, terminalA)
	}
	if other, _ := f.srv.WhoLookedUp(context.Background(), "11010519491231002X"); len(other) != 0 {
		t.Fatalf("another resident sees %d lookups", len(other))
	}
	if strings.Contains(f.logs.String(), DemoHolderID) || strings.Contains(who[0].Pseudonym, DemoHolderID) {
		t.Error("the holder's number is in the log or the pseudonym")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestUnverifiedIdentityRefused: the back office refuses submissions whose
// identity it did not verify and that no allow-listed reader vouched for.
func TestUnverifiedIdentityRefused(t *testing.T) {
	f := identityFixture(t)
	code := ssm(t, ssmtoken.DevIssuer(), testIDNo, testNow.Add(time.Minute))
	ev := decode[api.IdentifyResponse](t, f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{Code: code})).EventID
	cardEv := decode[api.IdentifyResponse](t, f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{ReaderSAM: samA, IDNo: testIDNo})).EventID
	if cardEv == "" {
		t.Fatal("an allow-listed reader's card got no event")
	}
	if rec := f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{ReaderSAM: samOther, IDNo: testIDNo}); rec.Code != http.StatusForbidden {
		t.Fatalf("a reader not allow-listed: %d", rec.Code)
	}
	if rec := f.do("POST", "/v1/identifications", terminalB, api.IdentifyRequest{ReaderSAM: samA, IDNo: testIDNo}); rec.Code != http.StatusForbidden {
		t.Fatalf("terminal A's reader at terminal B: %d", rec.Code)
	}
	mk := func(n int, mod func(*api.SubmissionItem)) api.SubmissionItem {
		it := item(n, terminalA)
		mod(&it)
		return it
	}
	items := []api.SubmissionItem{
		mk(1, func(it *api.SubmissionItem) {}), // nothing vouches
		mk(2, func(it *api.SubmissionItem) { it.Applicant.IDType = "SSM:9f8e7d6c"; it.Applicant.IDNo = "SSM:9f8e7d6c" }),
		mk(3, func(it *api.SubmissionItem) { it.Identification = ev }),                                           // verified 随申码
		mk(4, func(it *api.SubmissionItem) { it.Identification = ev; it.Applicant.IDNo = "11010519491231002X" }), // someone else
		mk(5, func(it *api.SubmissionItem) { it.Identification = ev; it.Applicant.IDType = "9" }),
		mk(6, func(it *api.SubmissionItem) { it.ReaderSAM = samA }),       // allow-listed reader
		mk(7, func(it *api.SubmissionItem) { it.ReaderSAM = "SAM-FAKE" }), // not allow-listed
		mk(8, func(it *api.SubmissionItem) { it.Identification = cardEv; it.ReaderSAM = "SAM-FAKE" }),
		mk(9, func(it *api.SubmissionItem) { it.Identification = ev[:len(ev)-2] + "00" }), // forged MAC
	}
	rec := f.do("POST", "/v1/submissions:batch", terminalA, batch(items...), api.IdempotencyKeyHeader, "k1")
	res := decode[api.BatchResponse](t, rec).Results
	want := []api.Outcome{api.OutcomeRejected, api.OutcomeRejected, api.OutcomeAccepted, api.OutcomeRejected, api.OutcomeRejected,
		api.OutcomeAccepted, api.OutcomeRejected, api.OutcomeRejected, api.OutcomeRejected}
	if len(res) != len(want) {
		t.Fatalf("%d results: %s", len(res), rec.Body)
	}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("item %d: %s (%s), want %s", i+1, r.Outcome, r.Reason, want[i])
		}
	}
	// The event of a verified 随申码 still carries its submission after
	// it stopped being live for lookups (queued offline, sent later).
	f.srv.now = func() time.Time { return testNow.Add(48 * time.Hour) }
	late := mk(10, func(it *api.SubmissionItem) { it.Identification = ev })
	if r := decode[api.BatchResponse](t, f.do("POST", "/v1/submissions:batch", terminalA, batch(late), api.IdempotencyKeyHeader, "k2")).Results; r[0].Outcome != api.OutcomeAccepted {
		t.Fatalf("a late submission of a verified identity: %+v", r[0])
	}
}

// TestCardReaderSAMChecked: one terminal's card reads, one after another:
// a SAM ID that is not one, a reader nobody registered, another
// terminal's reader, the terminal's own reader spelt with extra zeros, a
// card number that fails its check digit. Only the terminal's own reader
// gets an identification, which records the reader; the refusals say why
// in words and the log keeps the SAM ID but never the resident's number.
func TestCardReaderSAMChecked(t *testing.T) {
	f := identityFixture(t)
	f.srv.readers = MemReaders{terminalA: {samA}, terminalB: {samOther}}
	steps := []struct {
		name   string
		sam    string
		idNo   string
		status int
		words  string
	}{
		{"garbage SAM", "SAM-FAKE", testIDNo, http.StatusBadRequest, "not a card reader's SAM ID"},
		{"empty SAM", "", testIDNo, http.StatusBadRequest, "not a card reader's SAM ID"},
		{"control characters", "05.01-20240101-0000000042-000000000\u202e7", testIDNo, http.StatusBadRequest, "not a card reader's SAM ID"},
		{"unknown reader", "05.01-20240101-0000000042-0000000099", testIDNo, http.StatusForbidden, "not allow-listed for this terminal"},
		{"terminal B's reader", samOther, testIDNo, http.StatusForbidden, "not allow-listed for this terminal"},
		{"own reader", samA, testIDNo, http.StatusOK, ""},
		{"own reader, extra zeros", "005.01-20240101-00000000042-0000000007", testIDNo, http.StatusOK, ""},
		{"bad check digit", samA, badIDNo, http.StatusBadRequest, "check digit"},
		{"unknown reader again", "05.01-20240101-0000000042-0000000099", testIDNo, http.StatusForbidden, "register its SAM ID"},
	}
	for _, s := range steps {
		rec := f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{ReaderSAM: s.sam, IDNo: s.idNo})
		if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.words) {
			t.Fatalf("%s: %d %s, want %d with %q", s.name, rec.Code, rec.Body, s.status, s.words)
		}
		if s.status != http.StatusOK {
			continue
		}
		id := decode[api.IdentifyResponse](t, rec)
		if id.Kind != "idcard" || id.IDNo != testIDNo || !f.srv.IdentificationLive(id.EventID, terminalA, testIDNo) {
			t.Fatalf("%s: answer %+v", s.name, id)
		}
		if got := f.srv.ReaderOf(id.EventID); got != samA {
			t.Errorf("%s: the event records reader %q, want %q", s.name, got, samA)
		}
	}
	logs := f.logs.String()
	if strings.Contains(logs, testIDNo) {
		t.Error("the resident's number is in the log")
	}
	if !strings.Contains(logs, "0000000099") || !strings.Contains(logs, samA) {
		t.Error("the log does not record the SAM IDs of the readers refused and accepted")
	}
}

func TestNewMemReaders(t *testing.T) {
	m, err := NewMemReaders(map[string][]string{terminalA: {" 05.01-20240101-00000000042-0000000007 "}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := m.ReaderAllowed(context.Background(), terminalA, samA); !ok {
		t.Errorf("the canonical SAM ID is not allowed: %v", m)
	}
	for _, bad := range []map[string][]string{
		{terminalA: {samA, "SAM-05-0001"}},
		{"": {samA}},
	} {
		if _, err := NewMemReaders(bad); err == nil {
			t.Errorf("NewMemReaders(%v) accepted", bad)
		}
	}
	_, err = NewMemReaders(map[string][]string{terminalA: {samA, "05.01-2024-1"}})
	if err == nil || !strings.Contains(err.Error(), "terminal "+terminalA+", reader 2") {
		t.Errorf("the error does not say which entry: %v", err)
	}
}
