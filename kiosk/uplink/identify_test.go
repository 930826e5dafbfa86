package uplink

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/internal/ssmtoken"
	"github.com/tongban/tongban/kiosk"
)

// TestIdentifyEndToEnd: against the in-process back office, a forged
// 随申码 (SSM: plus anything, expired, another key) is refused, a signed
// one identifies once and its replay is refused; the verified identity's
// submission then carries its event and is accepted; with the back office
// gone the code is refused by the transport, never taken.
func TestIdentifyEndToEnd(t *testing.T) {
	bo := startBackOffice(t)
	c := newClient(t, bo.URL, newFakeQueue(), kiosk.SystemClock{})
	ctx := context.Background()
	expired, _ := ssmtoken.Sign(ssmtoken.DevIssuer(), ssmtoken.Claims{Kind: ssmtoken.KindSuishenma, Name: "测试甲",
		IDNo: sim.SimResident.IDNo, Expires: time.Now().Add(-time.Minute).Unix()}, nil)
	for _, code := range []string{"SSM:9f8e7d6c5b4a39281706", "SSM:", expired} {
		who, err := c.Identify(ctx, code)
		var ke *kiosk.Error
		if !errors.As(err, &ke) || ke.Message.ID != "identify.suishenma_refused" || who.Present() {
			t.Fatalf("forged %.20q: %+v, %v", code, who, err)
		}
	}
	good, err := sim.SignedSuishenma(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	who, err := c.Identify(ctx, good)
	if err != nil || who.Number != sim.SimResident.IDNo || who.Name != sim.SimResident.Name || who.Verification == "" {
		t.Fatalf("a signed code: %+v, %v", who, err)
	}
	if !bo.Server.IdentificationLive(who.Verification, testTerminal, who.Number) {
		t.Fatal("the event is not live at the back office")
	}
	if _, err := c.Identify(ctx, good); err == nil {
		t.Fatal("the same code identified twice")
	}
	sub := submission(1)
	sub.Applicant = who
	if item := toWire(sub, nil); item.Identification != who.Verification {
		t.Fatalf("the submission does not carry the identification: %q", item.Identification)
	}
	q := newFakeQueue(sub)
	c2 := newClient(t, bo.URL, q, kiosk.SystemClock{})
	if st, err := c2.SyncOnce(ctx); err != nil || st.Acknowledged != 1 {
		t.Fatalf("the verified identity's submission: %+v, %v", st, err)
	}
	down := newClient(t, "http://127.0.0.1:1", newFakeQueue(), kiosk.SystemClock{})
	fresh, _ := sim.SignedSuishenma(time.Now())
	if who, err := down.Identify(ctx, fresh); err == nil || who.Present() {
		t.Fatalf("no back office: %+v, %v", who, err)
	}
}
