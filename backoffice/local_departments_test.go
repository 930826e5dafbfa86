package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/connector"
)

// TestListenLocalAnswersDemonstrationData: the in-process back office of
// make run answers queries and documents from the demonstration data for
// a terminal it knows by its header alone, and serves the verification
// page its documents' QR codes lead to.
func TestListenLocalAnswersDemonstrationData(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	l, err := ListenLocal(ctx, LocalOptions{Dir: t.TempDir(), Center: "XH01"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); l.Wait() }()
	ev, _ := l.Server.issueEvent(terminalA, connector.DemoJia.IDNo, "idcard", l.Server.now())
	post := func(path, item string, out any) int {
		b, _ := json.Marshal(api.DepartmentRequest{Item: item, IDNo: connector.DemoJia.IDNo, Identification: ev})
		req, _ := http.NewRequest("POST", l.URL+path, bytes.NewReader(b))
		req.Header.Set(api.TerminalHeader, terminalA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(out)
		return resp.StatusCode
	}
	for _, item := range []string{"pension-received", "medical-profile", "social-security-card-info", "ytd-medical-spending", "pension-contribution-record"} {
		var q api.QueryResponse
		if code := post("/v1/queries", item, &q); code != 200 || len(q.Fields) == 0 {
			t.Errorf("%s: %d %+v", item, code, q)
		}
	}
	var d api.DocumentResponse
	if code := post("/v1/documents", "hukou-certificate", &d); code != 200 || d.VerifyURL != l.URL+VerifyPrefix+d.Number {
		t.Fatalf("document: %d %q", code, d.VerifyURL)
	}
	resp, err := http.Get(d.VerifyURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("verification page: %d", resp.StatusCode)
	}
}
