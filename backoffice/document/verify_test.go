package document

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func upload(t *testing.T, url string, pdf, sig []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range map[string][]byte{"pdf": pdf, "sig": sig} {
		if data == nil {
			continue
		}
		fw, _ := mw.CreateFormFile(name, name+".bin")
		fw.Write(data)
	}
	mw.Close()
	resp, err := http.Post(url, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestVerificationPages: a number found, an unknown one, a malformed one;
// an upload that checks, a tampered one, one without its signature; and
// the pages show no more than the document.
func TestVerificationPages(t *testing.T) {
	iss, _ := testIssuer(t)
	srv := httptest.NewServer(Handler("/v/", iss, nil))
	defer srv.Close()
	doc, err := iss.Issue(context.Background(), sampleDocument())
	if err != nil {
		t.Fatal(err)
	}

	code, page := get(t, srv.URL+"/v/"+doc.Number)
	if code != 200 || !strings.Contains(page, "真实文件") || !strings.Contains(page, "测*甲") || !strings.Contains(page, "310101********0012") {
		t.Fatalf("genuine number: %d\n%s", code, page)
	}
	// Lower case (typed by hand) finds it too.
	if code, _ := get(t, srv.URL+"/v/"+strings.ToLower(doc.Number)); code != 200 {
		t.Errorf("lower-case number: %d", code)
	}
	for _, n := range []string{"0000-0000-0000-0000", "not-a-number", "%3Cscript%3E"} {
		code, page := get(t, srv.URL+"/v/"+n)
		if code != 404 || !strings.Contains(page, "查无此编号") || strings.Contains(page, "<script>") {
			t.Errorf("%s: %d", n, code)
		}
	}

	if code, page := upload(t, srv.URL+"/v/check", doc.PDF, doc.Signature); code != 200 || !strings.Contains(page, "未被改动") || !strings.Contains(page, doc.Number) {
		t.Errorf("genuine upload: %d\n%s", code, page)
	}
	tampered := bytes.Clone(doc.PDF)
	tampered[len(tampered)/2] ^= 1
	if code, page := upload(t, srv.URL+"/v/check", tampered, doc.Signature); code != 422 || !strings.Contains(page, "核验不通过") || strings.Contains(page, "测*甲") {
		t.Errorf("tampered upload: %d", code)
	}
	if code, _ := upload(t, srv.URL+"/v/check", doc.PDF, nil); code != 400 {
		t.Errorf("upload without signature: %d", code)
	}
	// After the failures the genuine upload still checks.
	if code, _ := upload(t, srv.URL+"/v/check", doc.PDF, doc.Signature); code != 200 {
		t.Errorf("genuine upload after failures: %d", code)
	}
}
