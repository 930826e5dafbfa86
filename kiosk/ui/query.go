package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
)

var stateWords = map[kiosk.SubmissionState]kiosk.Text{
	kiosk.StatePending:      {ZH: "已受理，等待上传", EN: "Accepted, waiting to be sent"},
	kiosk.StateSending:      {ZH: "正在上传", EN: "Being sent"},
	kiosk.StateAcknowledged: {ZH: "已送达受理中心，正在办理", EN: "Received by the center, in progress"},
	kiosk.StateQuarantined:  {ZH: "需要工作人员核对，请到人工窗口", EN: "Staff need to check it: please go to the counter"},
}

// queryScreen asks for the receipt's QR code and shows the progress.
func (u *Screens) queryScreen() fyne.CanvasObject {
	sz := u.sz()
	col := container.NewVBox(layout.NewSpacer())
	if st := u.view.Status; st != nil {
		col.Add(u.text(u.w("回执编号：", "Receipt: ")+st.LocalReceipt, sz.heading, colText, true))
		col.Add(u.para(u.tr(st.Item), colText))
		words := stateWords[st.State]
		if st.Progress.ZH != "" {
			words = st.Progress
		}
		col.Add(u.text(u.tr(words), sz.heading, colSuccess, true))
	} else {
		t := u.text(u.w("请将回执上的二维码对准扫码口", "Hold the QR code on your receipt to the scanner"), sz.heading, colText, true)
		t.Alignment = fyne.TextAlignCenter
		col.Add(t)
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.w("查询办理进度", "Check progress"), col, true)
}

// ticketScreen shows the counter queue number.
func (u *Screens) ticketScreen() fyne.CanvasObject {
	sz := u.sz()
	col := container.NewVBox(layout.NewSpacer())
	if t := u.view.Ticket; t != nil {
		n := u.text(t.Number, sz.heading*2, colPrimary, true)
		n.Alignment = fyne.TextAlignCenter
		col.Add(n)
		col.Add(u.para(u.w("请取走号票，留意叫号。", "Take your ticket and wait to be called."), colText))
	} else if u.view.Notice.ZH == "" {
		col.Add(u.text(u.w("正在取号…", "Getting a number…"), sz.heading, colText, true))
	}
	col.Add(layout.NewSpacer())
	return u.frame(u.w("人工窗口取号", "Counter ticket"), col, true, u.primary(u.w("完成", "Finish"), u.s.End))
}
