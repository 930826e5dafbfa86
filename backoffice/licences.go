package backoffice

import (
	"context"
	"net/http"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// Holder types of the e-licence library.
const (
	HolderResident  = "居民身份证"
	HolderLegalCode = "统一社会信用代码"
)

// AddLicence puts an e-licence of a holder into the licence table; the
// holder's number is stored only as a keyed hash.
func (s *Server) AddLicence(ctx context.Context, holderType, holderCode string, l api.Licence) error {
	return s.st.PutLicence(ctx, store.Licence{CertUUID: l.CertUUID, HolderType: holderType, HolderHash: s.lookupHash(holderType, holderCode),
		CatMain: l.CatMain, Name: l.Name, Issuer: l.Issuer, ValidStart: l.ValidStart, ValidEnd: l.ValidEnd})
}

func (s *Server) handleLicences(w http.ResponseWriter, r *http.Request, terminal string) {
	var q api.LicenceQuery
	if !readJSON(w, r, maxSmallBody, &q) {
		return
	}
	switch {
	case q.HolderType != HolderResident && q.HolderType != HolderLegalCode:
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "holderType must be 居民身份证 or 统一社会信用代码", false))
		return
	case q.HolderType == HolderResident && !validResidentID(q.HolderCode):
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "holderCode is not a valid resident ID number", false))
		return
	case q.HolderCode == "" || len(q.HolderCode) > maxShortString:
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "holderCode is missing or too long", false))
		return
	case q.ItemCode == "" || q.ItemName == "":
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "itemCode and itemName are required: every lookup names the item it is for", false))
		return
	}
	// Only for the resident identified at this terminal in this visit, and
	// not faster than a visit needs.
	if q.HolderType == HolderResident && !s.IdentificationLive(q.Identification, terminal, q.HolderCode) {
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeNotIdentified,
			"a lookup needs a live identification of this resident at this terminal (POST /v1/identifications or the card reader)", false))
		return
	}
	now := s.now()
	if _, ok := s.lookupRate.allow(terminal, now); !ok {
		writeProblem(w, newProblem(http.StatusTooManyRequests, api.CodeRateLimited,
			"too many lookups from this terminal; wait a minute", true))
		return
	}
	ls, err := s.st.Licences(r.Context(), q.HolderType, s.lookupHash(q.HolderType, q.HolderCode))
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	resp := api.LicencesResponse{Licences: []api.Licence{}}
	for _, l := range ls {
		if q.CatMain != "" && l.CatMain != q.CatMain {
			continue
		}
		resp.Licences = append(resp.Licences, api.Licence{CertUUID: l.CertUUID, CatMain: l.CatMain, Name: l.Name, Issuer: l.Issuer, ValidStart: l.ValidStart, ValidEnd: l.ValidEnd})
	}
	// The audit trail: who asked, for which item, how many found; the
	// holder only as a keyed pseudonym, so the resident can ask.
	if q.HolderType == HolderResident {
		if err := s.lookups.RecordLookup(r.Context(), LookupRecord{At: now, Terminal: terminal, ItemCode: clip(q.ItemCode, 32),
			Pseudonym: s.pseudonym(q.HolderCode), Found: len(resp.Licences)}); err != nil {
			writeProblem(w, s.storeProblem(err))
			return
		}
	}
	s.log.Info("licence lookup", "terminal", terminal, "item", clip(q.ItemCode, 32), "found", len(resp.Licences))
	writeJSON(w, http.StatusOK, resp)
}
