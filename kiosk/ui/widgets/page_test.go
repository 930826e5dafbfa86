package widgets

import (
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A page's buttons and texts are found until the next page, and only its.
func TestPageKeepsOnlyTheCurrentPage(t *testing.T) {
	test.NewTempApp(t)
	var p Page
	if p.Find("ok") != nil || len(p.Texts()) != 0 {
		t.Fatal("the zero page shows something")
	}
	ok := p.Button("ok", "确定", Primary, nil)
	p.Text("第一页", 20, false, color.Black)
	p.Shows("一段说明")
	if p.Find("ok") != ok || !slices.Equal(p.Texts(), []string{"第一页", "一段说明"}) {
		t.Fatalf("first page: %v, %q", p.Find("ok"), p.Texts())
	}
	p.Reset()
	p.Button("back", "返回", Secondary, nil)
	if p.Find("ok") != nil || p.Find("back") == nil || len(p.Texts()) != 0 {
		t.Fatalf("second page: ok %v, back %v, texts %q", p.Find("ok"), p.Find("back"), p.Texts())
	}
}
