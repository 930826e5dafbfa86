package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/devices/sim"
)

// TestImportRecordsAndConnectorsFile: import-records keeps the good rows
// and prints the bad ones by line and column; a connectors file with a
// mistake stops the server before it listens, in plain words.
func TestImportRecordsAndConnectorsFile(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "keys")}
	csvFile := filepath.Join(dir, "pension.csv")
	os.WriteFile(csvFile, []byte("idno,name,本月养老金|This month's pension\n310104195001011235,测试甲,4210.50\n310104195001011236,测试乙,1\n"), 0o600)
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"import-records"}, append(common, "--center", "XH01", "--item", "pension-received",
		"--title", "个人享受城镇基本养老金情况", "--source", "上海市社会保险事业管理中心", "--file", csvFile)...), strings.NewReader(""), &out, &bytes.Buffer{})
	if err != nil || !strings.Contains(out.String(), "2 rows read, 1 kept, 1 not kept") || !strings.Contains(out.String(), "line 3, column 1 (idno)") {
		t.Errorf("import: %v\n%s", err, out.String())
	}
	err = run(context.Background(), append([]string{"import-records"}, append(common, "--center", "XH01", "--item", "pension-received", "--file", csvFile)...),
		strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "title") {
		t.Errorf("an import without a title: %v", err)
	}
	conf := filepath.Join(dir, "connectors.json")
	os.WriteFile(conf, []byte(`{"connectors": {}, "centers": {"XH01": {"queries": {"pension-received": "rs"}}}}`), 0o600)
	err = run(context.Background(), append(common, "--connectors", conf, "--addr", "127.0.0.1:0"), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `no connector named "rs"`) {
		t.Errorf("bad connectors file: %v", err)
	}
}

// TestDevServerIssuesVerifiableDocuments: the dev server connects the
// demonstration data; a document's QR address names the port actually
// bound, and that page is served on the same listener as the console.
func TestDevServerIssuesVerifiableDocuments(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &signalWriter{mark: "DEV MODE", up: make(chan struct{})}
	var logText syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--insecure-dev", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "bo.db"), "--tls-dir", filepath.Join(dir, "k")},
			strings.NewReader(""), &bytes.Buffer{}, io.MultiWriter(logs, &logText))
	}()
	select {
	case <-logs.up:
	case err := <-done:
		t.Fatalf("run ended before serving: %v", err)
	}
	defer func() {
		cancel()
		<-done
	}()
	m := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(logText.String())
	if m == nil {
		t.Fatalf("no address in the log: %s", logText.String())
	}
	base := "http://" + m[1]
	code, err := sim.SignedSuishenma(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	post := func(path string, in, out any) int {
		b, _ := json.Marshal(in)
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
		req.Header.Set(api.TerminalHeader, "SH-XH-0001")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(out)
		return resp.StatusCode
	}
	var id api.IdentifyResponse
	if st := post("/v1/identifications", api.IdentifyRequest{Code: code}, &id); st != 200 {
		t.Fatalf("identification: %d", st)
	}
	var doc api.DocumentResponse
	if st := post("/v1/documents", api.DepartmentRequest{Item: "hukou-certificate", IDNo: id.IDNo, Identification: id.EventID}, &doc); st != 200 {
		t.Fatalf("document: %d", st)
	}
	if !strings.HasPrefix(doc.VerifyURL, base+"/v/") {
		t.Fatalf("QR address %q is not this server's", doc.VerifyURL)
	}
	resp, err := http.Get(doc.VerifyURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("verification page: %d", resp.StatusCode)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
