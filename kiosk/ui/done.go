package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// doneScreen says 已受理 with the receipt number and what happens next.
func (u *Screens) doneScreen() fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	r := v.Receipt
	big := u.text(u.w("已受理", "Accepted"), sz.heading*1.5, colSuccess, true)
	big.Alignment = fyne.TextAlignCenter
	col := container.NewVBox(layout.NewSpacer(), big)
	if r != nil {
		num := u.text(u.w("回执编号：", "Receipt number: ")+r.LocalReceipt, sz.heading, colText, true)
		num.Alignment = fyne.TextAlignCenter
		col.Add(num)
		if r.Official != "" {
			off := u.text(u.w("受理编号：", "Case number: ")+r.Official, sz.body, colSecondary, false)
			off.Alignment = fyne.TextAlignCenter
			col.Add(off)
		}
		col.Add(u.para(u.w("办好后：", "Next: ")+u.tr(r.AfterDone)+u.w("（承诺时限：", " (within ")+promiseText(r.Promise, v.Lang)+u.w("）", ")"), colText))
		if r.Queued {
			col.Add(u.para(u.w("网络恢复后将自动提交，回执编号同样有效。", "It will be sent when the network is back; your receipt number stays valid."), colWarnText))
		}
	}
	take := u.text(u.w("请取走回执和身份证", "Take your receipt and ID card"), sz.heading, colPrimary, true)
	take.Alignment = fyne.TextAlignCenter
	col.Add(take)
	col.Add(layout.NewSpacer())
	return u.frame(u.w("办理完成", "Done"), col, false, u.primary(u.w("完成", "Finish"), u.s.End))
}
