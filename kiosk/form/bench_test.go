package form

import (
	"testing"
	"time"
)

// Budgets: the resident taps 下一页 or 提交 and sees the result at once. A
// full-form validation runs on every submit and a page validation on every
// 下一页; both are given 1 ms of the ~100 ms a touch response may take.
// Building a form (on 开始申请) gets 1 ms with the dictionary loaded once.
const (
	budgetValidate = time.Millisecond
	budgetNew      = time.Millisecond
)

func reportBudget(b *testing.B, budget time.Duration) {
	b.Helper()
	per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(per/1e3, "µs/op")
	b.ReportMetric(per/float64(budget.Nanoseconds()), "budget-ratio")
}

// BenchmarkValidateFullForm validates the 20-field sample form, filled in
// (a family member, two addresses, a signature, every condition true).
func BenchmarkValidateFullForm(b *testing.B) {
	f := newForm(b, sampleFields(), elder())
	fillAll(b, f)
	if err := f.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Validate(); err != nil {
			b.Fatal(err)
		}
	}
	reportBudget(b, budgetValidate)
}

// BenchmarkAnswersAndDisplay is the submit path: Answers plus the display copy.
func BenchmarkAnswersAndDisplay(b *testing.B) {
	f := newForm(b, sampleFields(), elder())
	fillAll(b, f)
	words := catalogWords(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Answers(); err != nil {
			b.Fatal(err)
		}
		_ = f.DisplayCopy(words)
	}
	reportBudget(b, budgetValidate)
}

// BenchmarkNextPage is one 下一页: paging plus the page's validation.
func BenchmarkNextPage(b *testing.B) {
	f := newForm(b, sampleFields(), elder())
	fillAll(b, f)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Next(2); err != nil {
			b.Fatal(err)
		}
	}
	reportBudget(b, budgetValidate)
}

// BenchmarkNew builds the sample form (Check, parsing conditions, prefill).
func BenchmarkNew(b *testing.B) {
	places := mustPlaces(b)
	fields, id := sampleFields(), elder()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(fields, id, Config{Today: today, Places: places}); err != nil {
			b.Fatal(err)
		}
	}
	reportBudget(b, budgetNew)
}

// BenchmarkLoadPlaces parses the embedded dictionary (once per start-up).
func BenchmarkLoadPlaces(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadPlaces(); err != nil {
			b.Fatal(err)
		}
	}
}
