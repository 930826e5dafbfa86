package catalog

import (
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
)

func TestPromisesRefused(t *testing.T) {
	base := func() kiosk.Item {
		return kiosk.Item{
			Code:      "x",
			Name:      kiosk.Text{ZH: "测试事项"},
			Summary:   kiosk.Text{ZH: "用于测试。"},
			AfterDone: kiosk.Text{ZH: "本机打印受理回执。"},
			Actions:   []kiosk.Action{kiosk.ActionApply, kiosk.ActionTicket, kiosk.ActionGuide},
			Promise:   kiosk.TimeLimit{Days: 5},
			Auth:      []kiosk.AuthMode{kiosk.AuthIDCard},
		}
	}
	guide := []kiosk.Action{kiosk.ActionTicket, kiosk.ActionGuide}
	tests := []struct {
		name   string
		change func(*kiosk.Item)
		want   string // part of the reason; empty: no problem
	}{
		{"truthful apply", func(*kiosk.Item) {}, ""},
		{"当场打印 without print", func(it *kiosk.Item) { it.AfterDone.ZH = "当场打印户籍证明，请取走。" }, "promises printing"},
		{"当场打印 with print", func(it *kiosk.Item) {
			it.AfterDone.ZH = "当场打印户籍证明，请取走。"
			it.Actions = append(it.Actions, kiosk.ActionPrint)
		}, ""},
		{"printable guide", func(it *kiosk.Item) {
			it.Actions = guide
			it.AfterDone.ZH = "本机提供办事指南，可以打印带走。"
		}, "promises printing"},
		{"receipt on a guide item", func(it *kiosk.Item) { it.Actions = guide }, "no apply action"},
		{"screen without query", func(it *kiosk.Item) { it.AfterDone.ZH = "结果显示在屏幕上。" }, "a result on screen"},
		{"screen with query", func(it *kiosk.Item) {
			it.Actions = []kiosk.Action{kiosk.ActionQuery}
			it.AfterDone.ZH = "结果当场显示在屏幕上；需要纸质件可点“打印”。"
		}, ""},
		{"slip print without query", func(it *kiosk.Item) { it.AfterDone.ZH = "需要纸质件可点“打印”。" }, "no query action"},
		{"当场办结 on a guide item", func(it *kiosk.Item) {
			it.Actions = guide
			it.Promise.Days = 0
			it.AfterDone.ZH = "当场办结。"
		}, "当场办结"},
		{"当场办结 with days", func(it *kiosk.Item) { it.AfterDone.ZH = "本机打印受理回执，当场办结。" }, "当场办结"},
		{"immediate effect of an application", func(it *kiosk.Item) { it.AfterDone.ZH = "挂失当场生效。" }, "queued offline"},
		{"immediate effect of a guide", func(it *kiosk.Item) { it.Actions = guide; it.AfterDone.ZH = "窗口办理后当场生效。" }, ""},
		{"带齐材料 with none listed", func(it *kiosk.Item) { it.AfterDone.ZH = "本机打印受理回执。请带齐材料到窗口。" }, "无需额外材料"},
		{"带齐材料 with a list", func(it *kiosk.Item) {
			it.AfterDone.ZH = "本机打印受理回执。请带齐材料到窗口。"
			it.Materials = []kiosk.Material{{Name: kiosk.Text{ZH: "户口簿"}, Required: true}}
		}, ""},
		{"face promised on a card item", func(it *kiosk.Item) { it.Auth = []kiosk.AuthMode{kiosk.AuthIDCardFace} }, "face verification is promised"},
		{"verified without the face need", func(it *kiosk.Item) { it.Identity = kiosk.IdentityVerified }, "face-verification"},
		{"verified with the face need", func(it *kiosk.Item) {
			it.Identity = kiosk.IdentityVerified
			it.Needs = []kiosk.Need{kiosk.NeedFace}
			it.Auth = []kiosk.AuthMode{kiosk.AuthIDCardFace}
		}, ""},
		{"unknown identity level", func(it *kiosk.Item) { it.Identity = "strong" }, "unknown identity level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := base()
			tt.change(&it)
			got := promises(it)
			if tt.want == "" {
				if len(got) > 0 {
					t.Fatalf("refused a truthful item: %v", got)
				}
				return
			}
			for _, p := range got {
				if strings.Contains(p.why, tt.want) || strings.Contains(p.field, tt.want) {
					return
				}
			}
			t.Fatalf("want a problem about %q, got %v", tt.want, got)
		})
	}
}
