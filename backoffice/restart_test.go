package backoffice

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/internal/ssmtoken"
)

// TestReplayAfterRestartRefused: a 随申码 token verified once, then the back
// office restarts, then the same token again, then again after another
// restart: refused each time. Before, the used nonces were in memory and a
// restart let the token through again. Once the token has expired its
// nonce is pruned, and the token is refused by its date.
func TestReplayAfterRestartRefused(t *testing.T) {
	r := newRestartable(t)
	exp := testNow.Add(2 * time.Minute)
	tok := ssm(t, ssmtoken.DevIssuer(), testIDNo, exp)
	other := ssm(t, ssmtoken.DevIssuer(), testIDNo, exp)
	steps := []struct {
		name    string
		restart bool
		code    string
		want    int
	}{
		{"first use", false, tok, 200},
		{"replayed after a restart", true, tok, 422},
		{"replayed after another restart", true, tok, 422},
		{"a fresh token still works", false, other, 200},
		{"that one replayed after a restart", true, other, 422},
	}
	for _, s := range steps {
		if s.restart {
			r.restart()
		}
		rec := r.f.do("POST", "/v1/identifications", terminalA, api.IdentifyRequest{Code: s.code})
		if rec.Code != s.want {
			t.Fatalf("%s: %d %s, want %d", s.name, rec.Code, rec.Body, s.want)
		}
	}
	// Pruning: until the token expires its nonce is kept; after, it is
	// pruned (the token is refused by its date anyway).
	parsed, err := ssmtoken.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if fresh, err := r.f.st.UseNonce(context.Background(), parsed.Nonce, exp, exp.Add(-time.Second)); err != nil || fresh {
		t.Fatalf("before expiry the nonce is fresh again: %v %v", fresh, err)
	}
	if fresh, err := r.f.st.UseNonce(context.Background(), parsed.Nonce, exp.Add(time.Hour), exp); err != nil || !fresh {
		t.Fatalf("after expiry the nonce was not pruned: %v %v", fresh, err)
	}
}

// TestLookupLogSurvivesRestart: the lookups a terminal made are answered
// by WhoLookedUp after the back office restarts. Before, the log was in
// memory and a restart forgot who looked up whom.
func TestLookupLogSurvivesRestart(t *testing.T) {
	r := newRestartable(t)
	ctx := context.Background()
	if err := r.f.srv.SeedDemo(ctx, "XH01"); err != nil {
		t.Fatal(err)
	}
	q := api.LicenceQuery{HolderType: HolderResident, HolderCode: DemoHolderID, ItemCode: "312000374000", ItemName: "残疾人交通补贴"}
	for i := range 3 {
		if i == 2 {
			r.restart()
		}
		q.Identification, _ = r.f.srv.issueEvent(terminalA, DemoHolderID, "idcard", testNow)
		if rec := r.f.do("POST", "/v1/licences:query", terminalA, q); rec.Code != 200 {
			t.Fatalf("lookup %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	r.restart()
	who, err := r.f.srv.WhoLookedUp(ctx, DemoHolderID)
	if err != nil || len(who) != 3 || who[0].Terminal != terminalA || who[0].ItemCode != "312000374000" || !who[0].At.Equal(testNow) {
		t.Fatalf("after restarts WhoLookedUp = %+v, %v; want the 3 lookups", who, err)
	}
	if other, _ := r.f.srv.WhoLookedUp(ctx, "11010519491231002X"); len(other) != 0 {
		t.Fatalf("another resident sees %d lookups", len(other))
	}
}
