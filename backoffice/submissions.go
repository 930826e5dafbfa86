package backoffice

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/internal/textclean"
	"github.com/tongban/tongban/kiosk"
)

// Limits on one submission item.
const (
	maxFields      = 200
	maxFieldBytes  = 4 << 10
	maxSignature   = 256 << 10
	maxKeyLength   = 200
	maxShortString = 128
)

// batchEnvelope is the outer shape of a batch: items stay raw so each is
// decoded, and refused, on its own.
type batchEnvelope struct {
	BatchID string            `json:"batch_id"`
	Items   []json.RawMessage `json:"items"`
	Audit   *api.AuditHead    `json:"audit,omitempty"` // not part of the batch's digest
}

// decodedItem is one item after decoding and checking: either a
// submission to store or the reason it is refused.
type decodedItem struct {
	item     api.SubmissionItem // as decoded, for the checks that need the server
	clientID string
	sub      store.Submission
	reject   string // non-empty: refused, permanently
}

// decodeBatch decodes and checks a batch body for terminal. A problem is
// returned only when the body as a whole is unusable; bad items are
// returned with their reason.
// unseal opens sealed items (nil: none are taken); required refuses
// items sent in clear.
func decodeBatch(body []byte, terminal string, u *unsealer) (string, []decodedItem, string, *problem) {
	var env batchEnvelope
	if p := decodeStrict(body, &env); p != nil {
		return "", nil, "", p
	}
	if len(env.Items) == 0 {
		return "", nil, "", newProblem(http.StatusBadRequest, api.CodeMalformed, "the batch has no items", false)
	}
	if len(env.Items) > api.MaxBatchItems {
		return "", nil, "", newProblem(http.StatusRequestEntityTooLarge, api.CodeTooLarge,
			fmt.Sprintf("the batch has %d items; at most %d are taken at once", len(env.Items), api.MaxBatchItems), false)
	}
	out := make([]decodedItem, len(env.Items))
	for i, raw := range env.Items {
		out[i] = decodeItem(raw, terminal, u)
	}
	return env.BatchID, out, batchDigest(env.BatchID, out, env.Items), nil
}

// unsealer opens a terminal's sealed items.
type unsealer struct {
	open     func(clientID string, envelope []byte) ([]byte, error)
	required bool // the terminal can seal, so an item in clear is refused
}

// unsealItem returns the item's JSON in clear, or why it is refused.
func unsealItem(raw json.RawMessage, u *unsealer) (json.RawMessage, string, string) {
	var peek struct {
		ClientID string `json:"client_id"`
		Sealed   []byte `json:"sealed"`
	}
	json.Unmarshal(raw, &peek)
	if len(peek.Sealed) == 0 {
		if u != nil && u.required {
			return nil, clip(peek.ClientID, 64), "this terminal seals its submissions; an item in clear is refused"
		}
		return raw, "", ""
	}
	// The outside is an item with only client_id and sealed set (a
	// terminal's encoder writes the other fields empty).
	var si api.SubmissionItem
	if p := decodeStrict(raw, &si); p != nil {
		return nil, clip(peek.ClientID, 64), "a sealed item carries only client_id and sealed: " + p.Message
	}
	rest := si
	rest.ClientID, rest.Sealed = "", nil
	got, _ := json.Marshal(rest)
	empty, _ := json.Marshal(api.SubmissionItem{})
	if string(got) != string(empty) {
		return nil, clip(si.ClientID, 64), "a sealed item carries only client_id and sealed, nothing else in clear"
	}
	if u == nil || u.open == nil {
		return nil, clip(si.ClientID, 64), "this back office takes no sealed items from this terminal"
	}
	plain, err := u.open(si.ClientID, si.Sealed)
	if err != nil {
		return nil, clip(si.ClientID, 64), err.Error()
	}
	var inner struct {
		ClientID string `json:"client_id"`
		Sealed   []byte `json:"sealed"`
	}
	if json.Unmarshal(plain, &inner) != nil || inner.ClientID != si.ClientID || len(inner.Sealed) != 0 {
		return nil, clip(si.ClientID, 64), "the sealed item is not the submission its client_id names"
	}
	return plain, "", ""
}

func decodeItem(raw json.RawMessage, terminal string, u *unsealer) decodedItem {
	raw, refusedID, reason := unsealItem(raw, u)
	if reason != "" {
		return decodedItem{clientID: refusedID, reject: reason}
	}
	var it api.SubmissionItem
	if p := decodeStrict(raw, &it); p != nil {
		// Name the item if its client ID can be read at all.
		var id struct {
			ClientID string `json:"client_id"`
		}
		json.Unmarshal(raw, &id)
		return decodedItem{clientID: clip(id.ClientID, 64), reject: p.Message}
	}
	if reason := checkItem(&it, terminal); reason != "" {
		return decodedItem{clientID: clip(it.ClientID, 64), reject: reason}
	}
	canon, err := json.Marshal(it)
	if err != nil {
		return decodedItem{clientID: it.ClientID, reject: "the item cannot be encoded"}
	}
	earlier := sha256.Sum256(canon)
	digest, err := contentDigest(it)
	if err != nil {
		return decodedItem{clientID: it.ClientID, reject: "the item cannot be encoded"}
	}
	// The signature is stored apart, sealed under a key of its own; the
	// text is stored without control and bidirectional formatting
	// characters, whatever the terminal did (the digests above are of the
	// item as sent, so a resend is still recognised).
	unsigned := cleanItem(it)
	unsigned.Signature = nil
	payload, err := json.Marshal(unsigned)
	if err != nil {
		return decodedItem{clientID: it.ClientID, reject: "the item cannot be encoded"}
	}
	return decodedItem{clientID: it.ClientID, item: it, sub: store.Submission{
		Terminal:     terminal,
		ClientID:     it.ClientID,
		LocalReceipt: it.LocalReceipt,
		Center:       it.Center,
		AffairsCode:  it.Affairs.AffairsCode,
		AffairsName:  it.Affairs.AffairsName,
		PayloadHash:  digest,
		EarlierHash:  hex.EncodeToString(earlier[:]),
		Payload:      payload,
		Signature:    it.Signature,
		CreatedAt:    it.CreatedAt,
		NameMasked:   MaskName(unsigned.Applicant.FullName),
		IDMasked:     MaskID(it.Applicant.IDNo),
		Parts:        storeParts(unsigned.Parts),
	}}
}

// cleanItem returns it with the control and bidirectional formatting
// characters removed from every text (internal/textclean).
func cleanItem(it api.SubmissionItem) api.SubmissionItem {
	c := textclean.Strip
	a := &it.Applicant
	for _, p := range []*string{&it.LocalReceipt, &it.Center, &a.IDType, &a.IDNo, &a.FullName, &a.Sex, &a.Birthday, &a.Nationality, &a.CellNo,
		&a.HJProvince, &a.HJCity, &a.HJRegion, &a.HJNeighborhood, &a.JZProvince, &a.JZCity, &a.JZRegion, &a.JZNeighborhood,
		&it.Affairs.AffairsName, &it.Affairs.AffairsCode, &it.Affairs.ItemCode, &it.Affairs.SubOrganCode, &it.Affairs.SubOrganName} {
		*p = c(*p)
	}
	clean := func(m map[string]string) map[string]string {
		if m == nil {
			return nil
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			out[c(k)] = c(v)
		}
		return out
	}
	if it.Agent != nil {
		ag := *it.Agent
		for _, p := range []*string{&ag.IDType, &ag.IDNo, &ag.FullName, &ag.Sex, &ag.Birthday, &ag.Nationality, &ag.Relation} {
			*p = c(*p)
		}
		it.Agent = &ag
	}
	it.Parts = cleanParts(it.Parts)
	it.Affairs.FormData.Fields = clean(it.Affairs.FormData.Fields)
	it.Affairs.FormData.Display = clean(it.Affairs.FormData.Display)
	return it
}

// contentDigest is the SHA-256 (hex) of what a submission says, whatever
// its encoding: JSON spacing, escapes and key order are gone once decoded;
// the time is taken in UTC (the same instant written with another offset
// is the same submission); and what is derived for display (the labels
// shown beside the answers, which follow the catalog in force when the
// item is sent, and sub_time, which is created_at in Shanghai time) is
// left out. A resend after a lost answer is recognised as the same
// submission by it; only different content under a reused client ID is a
// conflict.
func contentDigest(it api.SubmissionItem) (string, error) {
	c := it
	c.CreatedAt = it.CreatedAt.UTC().Round(0)
	c.Affairs.FormData.Display = nil
	c.Parts = partsWithoutDisplay(it.Parts)
	c.Affairs.SubTime = ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// batchDigest is what an Idempotency-Key is compared by: the batch ID and
// each item's content digest (or, for an item that does not decode, its
// raw bytes), in order. The same batch sent again with another encoding
// gets the stored answer instead of a key-reused refusal.
func batchDigest(batchID string, items []decodedItem, raw []json.RawMessage) string {
	h := sha256.New()
	h.Write([]byte(batchID))
	for i, it := range items {
		h.Write([]byte{0})
		if it.reject == "" {
			h.Write([]byte(it.sub.PayloadHash))
			continue
		}
		sum := sha256.Sum256(raw[i])
		h.Write([]byte("raw:" + hex.EncodeToString(sum[:])))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// scopeItems refuses the items a terminal may not file: under another
// center than its own (from its enrolment record, which is what is stored),
// or under a local receipt number outside its own prefix (the terminal
// code and a dash), which would take over another terminal's numbers.
func scopeItems(items []decodedItem, c caller) {
	for i := range items {
		it := &items[i]
		switch {
		case it.reject != "":
		case !ownLocalReceipt(it.sub.LocalReceipt, c.terminal):
			it.reject = "local_receipt must begin with this terminal's code and a dash; a terminal files only under its own numbers"
		case c.center != "" && it.sub.Center != c.center:
			it.reject = "the item names another center than the one this terminal is enrolled at"
		}
	}
}

// localSuffix is what follows the terminal code in a local receipt number
// (kiosk/outbox: terminal-YYYYMMDD-NNNN).
var localSuffix = regexp.MustCompile(`^[0-9]{8}-[0-9]{1,8}$`)

// ownLocalReceipt reports whether receipt is one of terminal's own local
// receipt numbers. The suffix is checked whole, so a terminal whose code
// begins another's (SH-1 and SH-1-2) cannot take the other's numbers.
func ownLocalReceipt(receipt, terminal string) bool {
	rest, ok := strings.CutPrefix(receipt, terminal+"-")
	return ok && terminal != "" && localSuffix.MatchString(rest)
}

// checkItem returns why an item cannot be accepted, in plain words without
// its personal data, or "".
func checkItem(it *api.SubmissionItem, terminal string) string {
	short := func(name, v string) string {
		switch {
		case v == "":
			return name + " is missing"
		case len(v) > maxShortString || !utf8.ValidString(v):
			return name + " is too long or not UTF-8"
		}
		return ""
	}
	if _, err := uuid.Parse(it.ClientID); err != nil || len(it.ClientID) != 36 {
		return "client_id must be a UUID in its 36-character form"
	}
	for _, c := range []struct{ name, v string }{
		{"local_receipt", it.LocalReceipt}, {"terminal", it.Terminal}, {"center", it.Center},
		{"applicant.idtype", it.Applicant.IDType}, {"applicant.idno", it.Applicant.IDNo}, {"applicant.fullname", it.Applicant.FullName},
		{"affairs.affairscode", it.Affairs.AffairsCode}, {"affairs.affairsname", it.Affairs.AffairsName},
	} {
		if r := short(c.name, c.v); r != "" {
			return r
		}
	}
	if it.Terminal != terminal {
		return "the item was made by another terminal than the one sending it"
	}
	if it.CreatedAt.IsZero() {
		return "created_at is missing"
	}
	if !it.Consent {
		return "the resident's consent is not recorded"
	}
	if it.Applicant.IDType == "1" && !validResidentID(it.Applicant.IDNo) {
		return "applicant.idno is not a valid resident ID number (check digit)"
	}
	if a := it.Agent; a != nil {
		for _, c := range []struct{ name, v string }{
			{"agent.idtype", a.IDType}, {"agent.idno", a.IDNo}, {"agent.fullname", a.FullName}, {"agent.relation", a.Relation},
		} {
			if r := short(c.name, c.v); r != "" {
				return r
			}
		}
		if a.IDType == "1" && !validResidentID(a.IDNo) {
			return "agent.idno is not a valid resident ID number (check digit)"
		}
		if a.IDType == it.Applicant.IDType && a.IDNo == it.Applicant.IDNo {
			return "the agent and the applicant are the same person"
		}
	}
	if s := it.Applicant.Sex; s != "" && s != "1" && s != "2" {
		return `applicant.sex must be "1" or "2"`
	}
	fd := it.Affairs.FormData
	if len(fd.Fields) > maxFields || len(fd.Display) > maxFields {
		return fmt.Sprintf("formdata has more than %d entries", maxFields)
	}
	for _, m := range []map[string]string{fd.Fields, fd.Display} {
		for k, v := range m {
			if len(k) > maxShortString || len(v) > maxFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
				return "a formdata entry is too long or not UTF-8"
			}
		}
	}
	if len(it.Signature) > maxSignature {
		return fmt.Sprintf("the signature image is over %d bytes", maxSignature)
	}
	return checkParts(it.Parts)
}

func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, terminal string) {
	key := r.Header.Get(api.IdempotencyKeyHeader)
	if key == "" || len(key) > maxKeyLength {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMissingKey,
			fmt.Sprintf("an %s header of 1 to %d characters is required", api.IdempotencyKeyHeader, maxKeyLength), false))
		return
	}
	body, p := readBody(w, r, api.MaxBatchBytes)
	if p != nil {
		writeProblem(w, p)
		return
	}
	batchID, items, reqHash, p := decodeBatch(body, terminal, s.unsealerFor(r, terminal))
	if p != nil {
		writeProblem(w, p)
		return
	}
	// The audit head rides along: anchored whatever becomes of the batch.
	// A bad one is logged and skipped, never a reason to refuse residents'
	// submissions.
	var env batchEnvelope
	json.Unmarshal(body, &env)
	if msg := cmp.Or(checkAuditHead(env.Audit), checkCheckpoint(r, terminal, env.Audit)); msg != "" {
		s.log.Warn("batch with a bad audit head; not anchored", "terminal", terminal, "why", msg)
	} else if _, err := s.anchorAudit(r.Context(), terminal, env.Audit); err != nil {
		s.log.Error("anchoring the audit head", "terminal", terminal, "err", err)
	}
	prev, err := s.st.IdempotentAnswer(r.Context(), terminal, key)
	switch {
	case err == nil && prev.RequestHash == reqHash:
		body := prev.Body
		// The count held is today's, not the one stored with the answer: a
		// stale count would tell the terminal the back office lost some.
		var old api.BatchResponse
		if prev.Status == http.StatusOK && json.Unmarshal(body, &old) == nil {
			if held, err := s.st.Held(r.Context(), terminal); err == nil {
				old.Held = &held
				body, _ = json.Marshal(old)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		w.Write(body)
		return
	case err == nil:
		writeProblem(w, newProblem(http.StatusUnprocessableEntity, api.CodeKeyReused,
			"this Idempotency-Key was used before for a different batch; use a new key", false))
		return
	case !errors.Is(err, store.ErrNotFound):
		writeProblem(w, s.storeProblem(err))
		return
	}
	scopeItems(items, callerOf(r))
	var subs []store.Submission
	for i, it := range items {
		if it.reject == "" {
			items[i].reject = s.vouched(r.Context(), it.item, terminal)
			it = items[i]
		}
		if it.reject == "" {
			subs = append(subs, it.sub)
		}
	}
	saved, err := s.st.SaveSubmissions(r.Context(), subs, s.now())
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	resp := api.BatchResponse{BatchID: batchID, Results: make([]api.ItemResult, len(items))}
	var accepted, duplicate, rejected int
	for i, it := range items {
		res := api.ItemResult{ClientID: it.clientID}
		switch {
		case it.reject != "":
			res.Outcome, res.Reason = api.OutcomeRejected, it.reject
			rejected++
		default:
			sv := saved[0]
			saved = saved[1:]
			switch {
			case sv.Conflict:
				res.Outcome, res.Reason = api.OutcomeRejected, "this client_id was already used for a submission with different content"
				rejected++
			case sv.Duplicate:
				res.Outcome, res.OfficialReceipt = api.OutcomeDuplicate, sv.OfficialReceipt
				duplicate++
			default:
				res.Outcome, res.OfficialReceipt = api.OutcomeAccepted, sv.OfficialReceipt
				accepted++
			}
		}
		resp.Results[i] = res
	}
	if held, err := s.st.Held(r.Context(), terminal); err == nil {
		resp.Held = &held
	}
	out, _ := json.Marshal(resp)
	if err := s.st.SaveIdempotentAnswer(r.Context(), store.IdempotentAnswer{
		Terminal: terminal, Key: key, RequestHash: reqHash, Status: http.StatusOK, Body: out, CreatedAt: s.now(),
	}); err != nil {
		// The submissions are stored; a replay is still answered correctly
		// item by item, so this is only worth a warning.
		s.log.Warn("idempotent answer not stored", "terminal", terminal, "err", err)
	}
	s.log.Info("batch", "terminal", terminal, "items", len(items), "accepted", accepted, "duplicate", duplicate, "rejected", rejected)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

// progress says in plain words where a submission is (kiosk/i18n
// progress.*); the answer carries them in both languages.
var progress = map[string]kiosk.Text{
	store.StateAccepted:   kiosk.Msg("progress.accepted"),
	store.StateInReview:   kiosk.Msg("progress.in_review"),
	store.StateDone:       kiosk.Msg("progress.done"),
	store.StateRefused:    kiosk.Msg("progress.refused"),
	store.StateTaken:      kiosk.Msg("progress.taken"),
	store.StateInProgress: kiosk.Msg("progress.in_progress"),
	store.StateReturned:   kiosk.Msg("progress.returned"),
	store.StateNeedMore:   kiosk.Msg("progress.need_more"),
}

// mayFollow reports whether the caller may see sub's progress: the
// terminal that filed it may, any other only with the progress key from
// the receipt's QR code (api.ProgressKey). Sequential receipt numbers
// alone show nothing.
func mayFollow(r *http.Request, sub store.Submission) bool {
	if c := callerOf(r); c.terminal != "" && c.terminal == sub.Terminal {
		return true
	}
	return api.ProgressKeyMatches(sub.ClientID, r.URL.Query().Get(api.ProgressKeyParam))
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request, _ string) {
	receipt := r.PathValue("receipt")
	if receipt == "" || len(receipt) > maxShortString {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "the receipt number is empty or too long", false))
		return
	}
	sub, err := s.st.SubmissionByReceipt(r.Context(), receipt)
	if err == nil && !mayFollow(r, sub) {
		// Someone else's, without its key: as if it did not exist.
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "no submission has this receipt number (yet)", false))
		return
	}
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	words := s.words.Resolve(progress[sub.State])
	parts, err := s.partStatuses(r.Context(), sub)
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	writeJSON(w, http.StatusOK, api.StatusResponse{
		LocalReceipt: sub.LocalReceipt, OfficialReceipt: sub.OfficialReceipt,
		AffairsCode: sub.AffairsCode, AffairsName: sub.AffairsName,
		State: sub.State, ProgressZH: words.ZH, ProgressEN: words.EN,
		ReasonZH: sub.ReasonZH, ReasonEN: sub.ReasonEN, UpdatedAt: sub.StateAt, ReceivedAt: sub.ReceivedAt,
		Parts: parts,
	})
}

// unsealerFor opens the sealed items of terminal's request with the back
// office's payload key and the terminal's SM2 key from its certificate
// (which the CA signed at enrolment). A terminal whose certificate carries
// a key must seal every item.
func (s *Server) unsealerFor(r *http.Request, terminal string) *unsealer {
	if s.payloadKey == nil {
		return nil
	}
	cert := clientCert(r)
	if cert == nil {
		return nil
	}
	pub, err := PayloadKey(cert)
	if err != nil || pub == nil {
		return nil
	}
	return &unsealer{required: true, open: func(clientID string, env []byte) ([]byte, error) {
		pt, err := sealed.Open(env, s.payloadKey, pub, terminal, clientID)
		if err != nil {
			s.log.Warn("sealed item refused", "terminal", terminal, "reason", err.Error())
		}
		return pt, err
	}}
}
