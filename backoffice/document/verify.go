package document

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

//go:embed templates/verify.html
var templates embed.FS

var verifyPage = template.Must(template.ParseFS(templates, "templates/verify.html"))

// Checker is what the verification pages need of an issuer.
type Checker interface {
	Lookup(ctx context.Context, number string) (Record, bool, error)
	Check(ctx context.Context, pdf, sig []byte) (Record, error)
}

// MaxUpload bounds an uploaded PDF plus signature, in bytes.
const MaxUpload = 8 << 20

// Handler serves the public verification pages under prefix (e.g. "/v/"):
// GET prefix+<number> shows whether the number is genuine and what it
// certified; POST prefix+"check" checks an uploaded PDF ("pdf") against
// its detached signature ("sig"). The pages show what the document
// itself shows, no more, and log no number or content.
func Handler(prefix string, c Checker, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"{number}", func(w http.ResponseWriter, r *http.Request) {
		number := strings.ToUpper(strings.TrimSpace(r.PathValue("number")))
		v := view{Prefix: prefix, Asked: true}
		rec, ok, err := c.Lookup(r.Context(), number)
		switch {
		case err != nil:
			log.Error("document lookup failed", "err", err)
			http.Error(w, "核验服务暂时不可用，请稍后再试。The check is unavailable; try again later.", http.StatusServiceUnavailable)
			return
		case ok:
			v.found(rec, "本编号由后台出具。")
		default:
			v.Why, v.WhyEN = "查无此编号：这不是后台出具的文件编号。", "No document was issued with this number."
			w.WriteHeader(http.StatusNotFound)
		}
		show(w, v)
	})
	mux.HandleFunc("GET "+prefix+"{$}", func(w http.ResponseWriter, r *http.Request) {
		show(w, view{Prefix: prefix})
	})
	mux.HandleFunc("POST "+prefix+"check", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
		v := view{Prefix: prefix, Asked: true}
		pdf, errPDF := formFile(r, "pdf")
		sig, errSig := formFile(r, "sig")
		if errPDF != nil || errSig != nil {
			v.Why, v.WhyEN = "请同时上传PDF文件和它的签名文件（不超过8MB）。", "Upload both the PDF and its signature file (8 MB at most)."
			w.WriteHeader(http.StatusBadRequest)
			show(w, v)
			return
		}
		rec, err := c.Check(r.Context(), pdf, sig)
		switch {
		case errors.Is(err, ErrNotGenuine):
			v.Why, v.WhyEN = "核验不通过：文件与签名不符，或不是后台出具的文件。", "Not genuine: the file does not match its signature, or the back office did not issue it."
			w.WriteHeader(http.StatusUnprocessableEntity)
		case err != nil:
			log.Error("document check failed", "err", err)
			http.Error(w, "核验服务暂时不可用，请稍后再试。The check is unavailable; try again later.", http.StatusServiceUnavailable)
			return
		default:
			v.found(rec, "电子文件与后台签名一致，未被改动。")
		}
		show(w, v)
	})
	return mux
}

type view struct {
	Prefix     string
	Asked      bool
	Found      bool
	Why, WhyEN string
	Rec        Record
	Issued     string
}

func (v *view) found(rec Record, why string) {
	v.Found, v.Rec, v.Why = true, rec, why
	v.Issued = rec.Issued.In(shanghai).Format("2006-01-02 15:04")
}

func show(w http.ResponseWriter, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	verifyPage.Execute(w, v)
}

func formFile(r *http.Request, name string) ([]byte, error) {
	f, _, err := r.FormFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
