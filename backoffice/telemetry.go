package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"

	"github.com/tongban/tongban/internal/textclean"
)

func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request, terminal string) {
	var hb api.Heartbeat
	if !readJSON(w, r, maxSmallBody, &hb) {
		return
	}
	if hb.Terminal != terminal {
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeWrongTerminal, "the heartbeat names another terminal than the one sending it", false))
		return
	}
	if msg := checkAuditHead(hb.Audit); msg != "" {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, msg, false))
		return
	}
	if msg := checkCheckpoint(r, terminal, hb.Audit); msg != "" {
		s.log.Warn("audit checkpoint refused", "terminal", terminal, "why", msg)
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, msg, false))
		return
	}
	now := s.now()
	canon, _ := json.Marshal(hb)
	if err := s.st.SaveHeartbeat(r.Context(), store.Heartbeat{Terminal: terminal, ReceivedAt: now, Body: canon, Available: hb.Available}); err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	anchored, err := s.anchorAudit(r.Context(), terminal, hb.Audit)
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	if !hb.Available {
		s.log.Warn("terminal unavailable", "terminal", terminal, "cause", clip(hb.UnavailableCause, 64), "queue", hb.QueueDepth)
	}
	resp := api.HeartbeatResponse{ServerTime: now.UTC(), AuditAnchor: anchored}
	if b, err := s.st.LatestBundle(r.Context(), string(bundle.KindCatalog)); err == nil {
		resp.CatalogVersion = b.Version
	}
	if b, err := s.st.LatestBundle(r.Context(), string(bundle.KindConfig)); err == nil {
		resp.ConfigVersion = b.Version
	}
	if held, err := s.st.Held(r.Context(), terminal); err == nil {
		resp.Held = &held
	}
	connected := s.Connected(s.departmentCenter(r))
	resp.Connected = &connected
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleAlarm(w http.ResponseWriter, r *http.Request, terminal string) {
	var a api.Alarm
	if !readJSON(w, r, maxSmallBody, &a) {
		return
	}
	if a.Terminal != terminal {
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeWrongTerminal, "the alarm names another terminal than the one sending it", false))
		return
	}
	switch a.Kind {
	case api.AlarmPaperOut, api.AlarmDeviceFault, api.AlarmQueueDamaged, api.AlarmQueueFull, api.AlarmBundleRefused, api.AlarmStaffLockout, api.AlarmAuditUnwritable, api.AlarmAuditRewritten:
	default:
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "kind must be paper-out, device-fault, queue-damaged, queue-full, bundle-refused, staff-lockout, audit-unwritable or audit-rewritten", false))
		return
	}
	if len(a.Device) > maxShortString || len(a.Detail) > 1024 {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "device or detail is too long", false))
		return
	}
	// What a device says is shown in the console: without control or
	// bidirectional formatting characters.
	id, err := s.st.SaveAlarm(r.Context(), store.Alarm{Terminal: terminal, Kind: string(a.Kind), Device: textclean.Strip(a.Device),
		Detail: textclean.Strip(a.Detail), RaisedAt: a.RaisedAt, ReceivedAt: s.now()})
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	// Staff watch this line: the terminal needs a person.
	s.log.Warn("ALARM", "terminal", terminal, "kind", a.Kind, "device", clip(textclean.Strip(a.Device), 32), "id", id)
	writeJSON(w, http.StatusAccepted, api.Accepted{ID: strconv.FormatInt(id, 10)})
}

// PublishBundle signs payload as the next version of kind and stores it;
// terminals pick it up at their next poll. It returns the new version.
func (s *Server) PublishBundle(ctx context.Context, kind bundle.Kind, payload []byte) (uint64, error) {
	if s.signer == nil {
		return 0, errors.New("backoffice: no bundle signing key configured")
	}
	next := uint64(1)
	if b, err := s.st.LatestBundle(ctx, string(kind)); err == nil {
		next = b.Version + 1
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	now := s.now()
	data, err := s.signer.Sign(kind, next, now, payload)
	if err != nil {
		return 0, err
	}
	if err := s.st.PutBundle(ctx, store.Bundle{Kind: string(kind), Version: next, Data: data, PublishedAt: now}); err != nil {
		return 0, err
	}
	s.log.Info("bundle published", "kind", kind, "version", next, "bytes", len(data))
	return next, nil
}

func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request, _ string) {
	kind := bundle.Kind(r.PathValue("kind"))
	if kind != bundle.KindCatalog && kind != bundle.KindConfig {
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "bundles are \"catalog\" or \"config\"", false))
		return
	}
	b, err := s.st.LatestBundle(r.Context(), string(kind))
	if errors.Is(err, store.ErrNotFound) {
		writeProblem(w, newProblem(http.StatusNotFound, api.CodeNotFound, "no bundle of this kind is published yet", false))
		return
	}
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	etag := `"v` + strconv.FormatUint(b.Version, 10) + `"`
	w.Header().Set("ETag", etag)
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if strings.TrimSpace(t) == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b.Data)
}
