package document

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// Record is what the back office keeps of an issued document: its number,
// the SM3 digest of its PDF, and what it certified exactly as printed
// (masked subject and fields), never more personal data than that.
type Record struct {
	Number  string    `json:"number"`
	Digest  string    `json:"digest"` // SM3 of the PDF, hex
	Item    string    `json:"item"`
	Title   string    `json:"title"`
	Center  string    `json:"center"`
	Subject string    `json:"subject"` // masked, as printed
	Fields  []Field   `json:"fields"`
	Issued  time.Time `json:"issued"`
}

// Records keeps issued documents' records. A number or a digest that is
// not there gives ok == false and no error.
type Records interface {
	Put(ctx context.Context, r Record) error
	Get(ctx context.Context, number string) (r Record, ok bool, err error)
	ByDigest(ctx context.Context, digest string) (r Record, ok bool, err error)
}

// Config configures a PDFIssuer.
type Config struct {
	Key     *sm2.PrivateKey // the back office's document-signing key
	Records Records
	// VerifyURL is the verification page's address; the QR code leads to
	// VerifyURL + number, e.g. https://bo.example.gov.cn/v/.
	VerifyURL string
	// Fonts are TrueType faces: CJK for Chinese, Latin for letters and
	// digits (the CJK fallback face has none). Zero: SystemFonts().
	Fonts Fonts
	Now   func() time.Time // nil: time.Now
	Rand  io.Reader        // nil: crypto/rand
}

// PDFIssuer is the back office's Issuer: it numbers, renders, signs and
// records documents.
type PDFIssuer struct {
	cfg Config
	mu  sync.Mutex // fpdf parses the font per document; one at a time
}

var _ Issuer = (*PDFIssuer)(nil)

// Fonts are the TrueType faces a document is set in.
type Fonts struct {
	CJK   []byte
	Latin []byte
}

// System fonts looked for by SystemFonts, in order. The embedded UI fonts
// (assets/) are CFF OpenType, which the PDF library cannot embed;
// Debian's fonts-noto-cjk are CFF collections too.
var (
	CJKFontPaths   = []string{"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"} // fonts-droid-fallback
	LatinFontPaths = []string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}           // fonts-dejavu-core
)

// SystemFonts reads the first font found of CJKFontPaths and of
// LatinFontPaths.
func SystemFonts() (Fonts, error) {
	first := func(paths []string, pkg string) ([]byte, error) {
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("document: no font found (install %s): looked at %s", pkg, strings.Join(paths, ", "))
	}
	cjk, err := first(CJKFontPaths, "fonts-droid-fallback")
	if err != nil {
		return Fonts{}, err
	}
	latin, err := first(LatinFontPaths, "fonts-dejavu-core")
	if err != nil {
		return Fonts{}, err
	}
	return Fonts{CJK: cjk, Latin: latin}, nil
}

// New checks cfg and returns an issuer.
func New(cfg Config) (*PDFIssuer, error) {
	if cfg.Key == nil {
		return nil, errors.New("document: no signing key")
	}
	if cfg.Records == nil {
		return nil, errors.New("document: nowhere to record issued documents")
	}
	if !strings.HasPrefix(cfg.VerifyURL, "https://") && !strings.HasPrefix(cfg.VerifyURL, "http://") {
		return nil, fmt.Errorf("document: verification address %q is not an http(s) address", cfg.VerifyURL)
	}
	if cfg.Fonts.CJK == nil || cfg.Fonts.Latin == nil {
		f, err := SystemFonts()
		if err != nil {
			return nil, err
		}
		cfg.Fonts = f
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &PDFIssuer{cfg: cfg}, nil
}

// numberEncoding is Crockford-like base32 without look-alike letters.
var numberEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// NewNumber makes a document number from 80 random bits: 16 characters in
// four groups, e.g. 7K2M-Q9XD-4RTA-0VHC. Numbers cannot be guessed, so a
// verification page cannot be walked for other people's documents.
func NewNumber(r io.Reader) (string, error) {
	b := make([]byte, 10)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("document: no randomness for a number: %w", err)
	}
	s := numberEncoding.EncodeToString(b)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16], nil
}

var numberPattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

// ValidNumber reports whether s has a document number's shape.
func ValidNumber(s string) bool { return numberPattern.MatchString(s) }

// unmaskedID finds an 18-character ID number printed whole.
var unmaskedID = regexp.MustCompile(`[0-9]{17}[0-9Xx]`)

// check refuses a document that would print or record more than it may.
func (d Document) check() error {
	var bad []string
	if strings.TrimSpace(d.Title) == "" {
		bad = append(bad, "the title is empty")
	}
	if strings.TrimSpace(d.Center) == "" {
		bad = append(bad, "the issuing center is empty")
	}
	if !strings.Contains(d.Subject, "*") {
		bad = append(bad, "the subject is not masked (e.g. 测*甲)")
	}
	if len(d.Fields) == 0 {
		bad = append(bad, "there is nothing to certify")
	}
	for _, f := range d.Fields {
		if unmaskedID.MatchString(f.Value) || unmaskedID.MatchString(d.Subject) {
			bad = append(bad, fmt.Sprintf("field %q holds a whole ID number: mask it (first 6 and last 4)", f.Label))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("document: %s", strings.Join(bad, "; "))
	}
	return nil
}

// Issue numbers, renders, signs and records a document.
func (i *PDFIssuer) Issue(ctx context.Context, d Document) (Issued, error) {
	if err := d.check(); err != nil {
		return Issued{}, err
	}
	number, err := NewNumber(i.cfg.Rand)
	if err != nil {
		return Issued{}, err
	}
	issued := i.cfg.Now()
	i.mu.Lock()
	pdf, err := render(d, number, i.cfg.VerifyURL+number, issued, i.cfg.Fonts)
	i.mu.Unlock()
	if err != nil {
		return Issued{}, err
	}
	sig, err := Sign(i.cfg.Key, i.cfg.Rand, pdf)
	if err != nil {
		return Issued{}, err
	}
	rec := Record{
		Number: number, Digest: Digest(pdf), Item: d.Item, Title: d.Title, Center: d.Center,
		Subject: d.Subject, Fields: d.Fields, Issued: issued.UTC(),
	}
	if err := i.cfg.Records.Put(ctx, rec); err != nil {
		return Issued{}, fmt.Errorf("document: recording %s: %w", number, err)
	}
	return Issued{Number: number, PDF: pdf, Signature: sig}, nil
}

// Digest is the SM3 digest of a PDF, in hex.
func Digest(pdf []byte) string {
	h := sm3.Sum(pdf)
	return hex.EncodeToString(h[:])
}

// Sign makes the detached SM2 signature (SM3 with the default user ID,
// GB/T 32918; ASN.1 DER) over a PDF's bytes.
func Sign(key *sm2.PrivateKey, r io.Reader, pdf []byte) ([]byte, error) {
	sig, err := key.SignWithSM2(r, nil, pdf)
	if err != nil {
		return nil, fmt.Errorf("document: signing: %w", err)
	}
	return sig, nil
}

// ErrNotGenuine is returned by Check for a PDF its signature does not
// match, or that the back office did not issue.
var ErrNotGenuine = errors.New("document: not genuine")

// Check verifies a PDF against its detached signature under the back
// office's key and returns what it certified.
func (i *PDFIssuer) Check(ctx context.Context, pdf, sig []byte) (Record, error) {
	if !sm2.VerifyASN1WithSM2(&i.cfg.Key.PublicKey, nil, pdf, sig) {
		return Record{}, fmt.Errorf("%w: the signature does not match this file", ErrNotGenuine)
	}
	rec, ok, err := i.cfg.Records.ByDigest(ctx, Digest(pdf))
	if err != nil {
		return Record{}, err
	}
	if !ok {
		return Record{}, fmt.Errorf("%w: signed, but not recorded as issued", ErrNotGenuine)
	}
	return rec, nil
}

// Lookup returns the record of a number.
func (i *PDFIssuer) Lookup(ctx context.Context, number string) (Record, bool, error) {
	if !ValidNumber(number) {
		return Record{}, false, nil
	}
	return i.cfg.Records.Get(ctx, number)
}

// MemRecords keeps records in memory (tests, make run). A persistent
// store implements Records in backoffice/store.
type MemRecords struct {
	mu       sync.Mutex
	byNumber map[string]Record
}

// Put records r; a number is recorded once.
func (m *MemRecords) Put(_ context.Context, r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byNumber == nil {
		m.byNumber = map[string]Record{}
	}
	if _, dup := m.byNumber[r.Number]; dup {
		return fmt.Errorf("number %s already issued", r.Number)
	}
	m.byNumber[r.Number] = r
	return nil
}

// Get returns the record of a number.
func (m *MemRecords) Get(_ context.Context, number string) (Record, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byNumber[number]
	return r, ok, nil
}

// ByDigest returns the record of a PDF's digest.
func (m *MemRecords) ByDigest(_ context.Context, digest string) (Record, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.byNumber {
		if r.Digest == digest {
			return r, true, nil
		}
	}
	return Record{}, false, nil
}

// VerifyURL is the address a number's QR code leads to.
func (i *PDFIssuer) VerifyURL(number string) string { return i.cfg.VerifyURL + number }
