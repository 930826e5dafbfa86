package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// A falsePromise is a word of an item that promises what the item does not
// declare: the field it is in and why it is refused.
type falsePromise struct {
	field, why string
}

// promiseWords are phrases that promise an action, and the actions any of
// which keeps the promise.
var promiseWords = []struct {
	words   []string
	keptBy  []kiosk.Action
	promise string
}{
	{[]string{"打印"}, []kiosk.Action{kiosk.ActionPrint}, "printing"},
	{[]string{"显示在屏幕", "屏幕上", "屏幕会"}, []kiosk.Action{kiosk.ActionQuery}, "a result on screen"},
	{[]string{"本机预约", "在本机预约"}, []kiosk.Action{kiosk.ActionAppointment}, "booking here"},
}

// receiptWords are printing the terminal does for the action named: the
// receipt of an application, the slip of an appointment, a query's result
// on the receipt printer. They are taken out before "打印" is looked for.
var receiptWords = []struct {
	words  []string
	keptBy kiosk.Action
}{
	{[]string{"打印受理回执", "打印回执"}, kiosk.ActionApply},
	{[]string{"打印预约凭证"}, kiosk.ActionAppointment},
	{[]string{"可点“打印”"}, kiosk.ActionQuery},
}

// immediateWords promise an effect at once, which an application queued
// offline cannot keep.
var immediateWords = []string{"当场生效", "立即生效", "即时生效", "马上生效", "当场完成"}

// promises lists the item's false promises: words promising an action it
// does not declare, an immediate effect of an application that may be
// queued offline, 当场办结 on an item the terminal only guides or that
// takes days, 带齐材料 with no materials listed (the screen would say
// 无需额外材料), and face verification without the identity level that
// asks for it.
func promises(it kiosk.Item) []falsePromise {
	var out []falsePromise
	texts := []struct {
		field string
		t     kiosk.Text
	}{{"name", it.Name}, {"summary", it.Summary}, {"after_done", it.AfterDone}}
	for _, x := range texts {
		zh := x.t.ZH
		for _, rw := range receiptWords {
			for _, w := range rw.words {
				if strings.Contains(zh, w) && !it.Can(rw.keptBy) {
					out = append(out, falsePromise{x.field + ".zh", fmt.Sprintf("%q promises printing, but the item declares no %s action", w, rw.keptBy)})
				}
				zh = strings.ReplaceAll(zh, w, "")
			}
		}
		for _, pw := range promiseWords {
			for _, w := range pw.words {
				if strings.Contains(zh, w) && !slices.ContainsFunc(pw.keptBy, it.Can) {
					out = append(out, falsePromise{x.field + ".zh", fmt.Sprintf("%q promises %s, but the item declares no %s action", w, pw.promise, pw.keptBy[0])})
					break
				}
			}
		}
		for _, w := range immediateWords {
			if strings.Contains(zh, w) && it.Can(kiosk.ActionApply) {
				out = append(out, falsePromise{x.field + ".zh", fmt.Sprintf("%q promises an effect at once, but the application may be queued offline: say what happens when the back office receives it", w)})
				break
			}
		}
		zh = x.t.ZH
		if strings.Contains(zh, "当场办结") && (!it.Served() || it.Promise.Days != 0) {
			out = append(out, falsePromise{x.field + ".zh", "\"当场办结\" is promised, but the terminal does not finish this item on the spot"})
		}
		if strings.Contains(zh, "带齐材料") && len(it.Materials) == 0 {
			out = append(out, falsePromise{x.field + ".zh", "\"带齐材料\" asks for materials, but none are listed (the screen would say 无需额外材料)"})
		}
	}
	face := slices.Contains(it.Auth, kiosk.AuthIDCardFace)
	needsFace := slices.Contains(it.Needs, kiosk.NeedFace)
	switch {
	case it.Identity != kiosk.IdentityCard && it.Identity != kiosk.IdentityVerified:
		out = append(out, falsePromise{"identity", fmt.Sprintf("unknown identity level %q (empty or verified)", it.Identity)})
	case it.Identity == kiosk.IdentityVerified && !needsFace:
		out = append(out, falsePromise{"needs", "an item that needs a verified identity needs face-verification"})
	case it.Identity != kiosk.IdentityVerified && (face || needsFace):
		out = append(out, falsePromise{"auth", "face verification is promised, but the item does not ask for a verified identity: use idcard"})
	}
	return out
}
