package backoffice

import (
	"path/filepath"
	"strings"

	"bytes"
	"encoding/json"
	"testing"

	"github.com/tongban/tongban/internal/sealed"

	"github.com/tongban/tongban/backoffice/api"
)

// FuzzDecodeBatch feeds arbitrary bytes to the batch decoder: it must never
// panic, must refuse or account for every item, and whatever it accepts must
// be canonical (re-encoding the stored payload gives the same bytes, so
// replays hash the same).
func FuzzDecodeBatch(f *testing.F) {
	good, _ := json.Marshal(batch(item(1, terminalA), item(2, terminalA)))
	f.Add(good)
	f.Add([]byte(`{"batch_id":"m","items":[{"client_id":"0190a5c4-0000-7000-8000-000000000008","extra":1}]}`))
	f.Add([]byte(`{"items":[null,1,"x",{}]}`))
	f.Add([]byte(`{"items":[{"client_id":"0190a5c4-0000-7000-8000-000000000001","applicant":{"idno":"31010419500101123X"}}]}`))
	f.Add([]byte(`{"items":`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"items":[{"client_id":"0190a5c4-0000-7000-8000-000000000001"}],"audit":{"seq":7,"head":"` + strings.Repeat("ab", 32) + `"}}`))
	f.Add([]byte("{\"items\":[{\"affairs\":{\"formdata\":{\"fields\":{\"\xff\":\"\"}}}}]}"))
	withParts, _ := json.Marshal(batch(bundleItem(3, terminalA)))
	f.Add(withParts)
	f.Add([]byte(`{"items":[{"client_id":"0190a5c4-0000-7000-8000-000000000001","parts":[{"no":2},{"no":1,"display":{"\u202e":"x"}}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, items, _, p := decodeBatch(body, terminalA, nil)
		if p != nil {
			if p.status < 400 || p.Message == "" || p.Code == "" {
				t.Fatalf("problem without status or words: %+v", p)
			}
			return
		}
		if len(items) == 0 || len(items) > api.MaxBatchItems {
			t.Fatalf("decoded %d items", len(items))
		}
		for _, it := range items {
			if it.reject != "" {
				continue
			}
			if it.sub.Terminal != terminalA || it.sub.ClientID == "" || it.sub.AffairsCode == "" {
				t.Fatalf("accepted an incomplete item: %+v", it.sub)
			}
			var again api.SubmissionItem
			dec := json.NewDecoder(bytes.NewReader(it.sub.Payload))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&again); err != nil {
				t.Fatalf("stored payload does not decode: %v", err)
			}
			canon, _ := json.Marshal(again)
			if !bytes.Equal(canon, it.sub.Payload) {
				t.Fatalf("payload not canonical:\n%s\n%s", it.sub.Payload, canon)
			}
		}
	})
}

// FuzzDecodeSealedBatch feeds arbitrary batches to a terminal that seals:
// nothing may be accepted unless its envelope opened with the terminal's
// signature, and nothing may panic.
func FuzzDecodeSealedBatch(f *testing.F) {
	dir := f.TempDir()
	office, err := sealed.LoadOrCreateKey(filepath.Join(dir, "office"))
	if err != nil {
		f.Fatal(err)
	}
	term, err := sealed.LoadOrCreateKey(filepath.Join(dir, "terminal"))
	if err != nil {
		f.Fatal(err)
	}
	it := item(1, terminalA)
	plain, _ := json.Marshal(it)
	env, err := sealed.Seal(nil, &office.PublicKey, term, terminalA, it.ClientID, plain)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(batch(api.SubmissionItem{ClientID: it.ClientID, Sealed: env}))
	f.Add(good)
	clear, _ := json.Marshal(batch(it))
	f.Add(clear)
	f.Add([]byte(`{"items":[{"client_id":"x","sealed":"VEJTMQ=="}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		opened := map[string]bool{}
		u := &unsealer{required: true, open: func(clientID string, e []byte) ([]byte, error) {
			pt, err := sealed.Open(e, office, &term.PublicKey, terminalA, clientID)
			if err == nil {
				opened[clientID] = true
			}
			return pt, err
		}}
		_, items, _, p := decodeBatch(body, terminalA, u)
		if p != nil {
			return
		}
		for _, it := range items {
			if it.reject == "" && !opened[it.sub.ClientID] {
				t.Fatalf("accepted %s without opening a genuine envelope", it.sub.ClientID)
			}
		}
	})
}

// FuzzBookRequest feeds arbitrary bytes as a booking's body: checking it
// must never panic, and whatever it accepts has bounded answers and, when
// it names a partner, a partner with a name and a valid ID number that is
// not the holder's.
func FuzzBookRequest(f *testing.F) {
	f.Add([]byte(`{"slot_id":"XH-MR-20261207-0900","itemcode":"marriage-appointment","holder_idno":"310104195001011235","partner":{"name":"测试乙","idno":"310104199203041529"},"answers":{"reg_type":"marry"}}`))
	f.Add([]byte(`{"slot_id":"s","itemcode":"i","holder_idno":"310104195001011235","partner":{"name":"","idno":"310104195001011235"}}`))
	f.Add([]byte(`{"answers":{"":"x"}}`))
	f.Add([]byte("{\"answers\":{\"k\":\"\xff\"}}"))
	f.Add([]byte(`{"partner":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.BookRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		if bookProblem(req) != "" {
			return
		}
		if len(req.Answers) > maxBookAnswers {
			t.Fatalf("accepted %d answers", len(req.Answers))
		}
		if p := req.Partner; p != nil && (strings.TrimSpace(p.Name) == "" || !validResidentID(p.IDNo) || p.IDNo == req.HolderIDNo) {
			t.Fatalf("accepted partner %+v for holder %q", p, req.HolderIDNo)
		}
	})
}
