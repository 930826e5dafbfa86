package kiosktest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/tongban/tongban/kiosk"
)

// Departments is a fake kiosk.Departments. It answers each item's query
// with Results[item] and issues Documents[item] (a fresh copy of its PDF
// each time, kept in Issued so a test can check it was wiped); Errs are
// returned first, one a call, whatever the item.
type Departments struct {
	mu        sync.Mutex
	Results   map[kiosk.ItemCode]kiosk.QueryResult
	Documents map[kiosk.ItemCode]kiosk.Document
	Errs      []error
	Calls     int
	Issued    [][]byte
	Who       []kiosk.Identity // who each call was for
}

func (d *Departments) next(who kiosk.Identity) error {
	d.Calls++
	d.Who = append(d.Who, who)
	if len(d.Errs) == 0 {
		return nil
	}
	err := d.Errs[0]
	d.Errs = d.Errs[1:]
	return err
}

// Query answers Results[item].
func (d *Departments) Query(ctx context.Context, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang) (kiosk.QueryResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.next(who); err != nil {
		return kiosk.QueryResult{}, err
	}
	r, ok := d.Results[item]
	if !ok {
		return kiosk.QueryResult{}, &kiosk.Error{Op: "kiosktest.Query", Kind: kiosk.KindUnavailable, Message: kiosk.Msg("dept.query_not_connected")}
	}
	r.Fields = append([]kiosk.ResultField(nil), r.Fields...)
	return r, nil
}

// Document issues Documents[item] with a fresh copy of its PDF.
func (d *Departments) Document(ctx context.Context, item kiosk.ItemCode, who kiosk.Identity, lang kiosk.Lang) (kiosk.Document, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.next(who); err != nil {
		return kiosk.Document{}, err
	}
	doc, ok := d.Documents[item]
	if !ok {
		return kiosk.Document{}, &kiosk.Error{Op: "kiosktest.Document", Kind: kiosk.KindUnavailable, Message: kiosk.Msg("dept.document_not_connected")}
	}
	doc.PDF = append([]byte(nil), doc.PDF...)
	d.Issued = append(d.Issued, doc.PDF)
	return doc, nil
}

// Leftover reports whether any issued PDF still holds a non-zero byte.
func (d *Departments) Leftover() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, pdf := range d.Issued {
		for _, b := range pdf {
			if b != 0 {
				return true
			}
		}
	}
	return false
}

// A4 is a fake A4 printer (hardware.A4Printer's PrintPDF and Wait). It
// keeps a copy of each PDF sent; PrintErr refuses the next job; Wait
// returns WaitErr, after Hold is closed when Hold is set (or ctx ends,
// which cancels the job).
type A4 struct {
	mu        sync.Mutex
	Jobs      [][]byte
	PrintErr  error
	WaitErr   error
	Hold      chan struct{}
	Cancelled int
}

// PrintPDF keeps a copy of pdf and returns its job number.
func (a *A4) PrintPDF(ctx context.Context, title string, pdf []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.PrintErr != nil {
		return 0, a.PrintErr
	}
	a.Jobs = append(a.Jobs, append([]byte(nil), pdf...))
	return len(a.Jobs), nil
}

// Wait follows job: WaitErr once Hold is closed.
func (a *A4) Wait(ctx context.Context, job int) error {
	a.mu.Lock()
	hold := a.Hold
	a.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			a.mu.Lock()
			a.Cancelled++
			a.mu.Unlock()
			return &kiosk.Error{Op: "kiosktest.A4.Wait", Kind: kiosk.KindDevice, Message: kiosk.Msg("a4.cancelled"), Err: ctx.Err()}
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.WaitErr
}

// Cancels reports how many jobs were cancelled because ctx ended.
func (a *A4) Cancels() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.Cancelled
}

// Printed returns copies of the PDFs sent.
func (a *A4) Printed() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([][]byte(nil), a.Jobs...)
}

// PensionItem is a query item, PensionResult its answer for the synthetic
// resident 测试甲, and RegisterItem a document item with RegisterDocument:
// for tests of the result and document screens.
var (
	PensionItem = kiosk.Item{Code: "pension-status", Name: kiosk.Text{ZH: "养老金情况查询", EN: "Your pension"},
		Summary: kiosk.Text{ZH: "查询本人每月领取的养老金。", EN: "See the pension you receive each month."},
		Actions: []kiosk.Action{kiosk.ActionQuery, kiosk.ActionTicket}}
	RegisterItem = kiosk.Item{Code: "household-proof", Name: kiosk.Text{ZH: "户籍证明", EN: "Household registration certificate"},
		Summary: kiosk.Text{ZH: "打印本人的户籍证明。", EN: "Print your household registration certificate."},
		Actions: []kiosk.Action{kiosk.ActionPrint, kiosk.ActionTicket}}
)

// PensionResult is the synthetic answer of PensionItem.
func PensionResult() kiosk.QueryResult {
	return kiosk.QueryResult{
		Item:   PensionItem.Code,
		Title:  kiosk.Text{ZH: "个人享受城镇基本养老金情况", EN: "Your basic urban pension"},
		Source: kiosk.Text{ZH: "上海市社会保险事业管理中心（测试数据）", EN: "Shanghai Social Insurance Centre (test data)"},
		AsOf:   time.Date(2026, 11, 30, 0, 0, 0, 0, kiosk.Shanghai),
		Fields: []kiosk.ResultField{
			{Label: kiosk.Text{ZH: "姓名", EN: "Name"}, Value: "测试甲", Private: true},
			{Label: kiosk.Text{ZH: "身份证号码", EN: "ID number"}, Value: "310104195001010013", Private: true},
			{Label: kiosk.Text{ZH: "月养老金", EN: "Monthly pension"}, Value: "4,321.00元"},
			{Label: kiosk.Text{ZH: "发放银行账号", EN: "Paid to account"}, Value: "6222020000001234567", Private: true},
			{Label: kiosk.Text{ZH: "开始领取", EN: "Paid since"}, Value: "2010-02"},
			{Label: kiosk.Text{ZH: "最近一次发放", EN: "Last paid"}, Value: "2026-11-15"},
		},
	}
}

// RegisterDocument is the synthetic document of RegisterItem.
func RegisterDocument() kiosk.Document {
	return kiosk.Document{Item: RegisterItem.Code, Title: RegisterItem.Name, Number: "XH-2026-000123",
		VerifyURL: "https://tongban.example/v/XH-2026-000123", PDF: []byte("%PDF-1.4 测试甲 户籍证明")}
}

// ErrDepartmentBusy is a passing failure of a department service.
var ErrDepartmentBusy = &kiosk.Error{Op: "kiosktest.Departments", Kind: kiosk.KindTransient,
	Message: kiosk.Msg("dept.busy"), Err: errors.New("department busy")}
