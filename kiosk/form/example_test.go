package form_test

import (
	"fmt"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
	"github.com/tongban/tongban/kiosk/i18n"
)

func Example() {
	places, err := form.LoadPlaces() // once, at start-up
	if err != nil {
		panic(err)
	}
	words, err := i18n.Load() // the messages' words, once too
	if err != nil {
		panic(err)
	}
	zh := func(t kiosk.Text) string { return words.Text(kiosk.LangZH, t) }
	fields := []kiosk.Field{
		{ID: "name", Type: kiosk.FieldText, Label: kiosk.Text{ZH: "姓名", EN: "Name"}, Prefill: kiosk.PrefillName},
		{ID: "phone", Type: kiosk.FieldPhone, Label: kiosk.Text{ZH: "联系电话", EN: "Phone"}, Required: true},
		{ID: "bank", Type: kiosk.FieldChoice, Label: kiosk.Text{ZH: "发放银行", EN: "Paying bank"}, Required: true,
			VisibleIf: "age >= 65", Options: []kiosk.Option{{Value: "icbc", Label: kiosk.Text{ZH: "工商银行"}}}},
	}
	resident := kiosk.Identity{Card: kiosk.CardResident, Name: "张测试", Number: "310104195803010015",
		BirthDate: time.Date(1958, 3, 1, 0, 0, 0, 0, time.UTC)}
	today := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

	f, err := form.New(fields, resident, form.Config{Today: today, Places: places})
	if err != nil {
		panic(err)
	}
	for _, p := range f.Pages() {
		fmt.Println(zh(p.Step))
		for _, v := range p.Fields {
			note := ""
			if v.FromCard {
				note = "（" + zh(form.FromCardNote()) + "）"
			}
			fmt.Printf("  %s: %q%s\n", zh(v.Field.Label), v.Value, note)
		}
	}
	_ = f.Set("phone", "138 1234 567")
	if _, err := f.Next(0); err != nil {
		for _, e := range form.ErrorsOf(err) {
			fmt.Println(e.Field, zh(e.Message))
		}
	}
	_ = f.Set("phone", "13812345678")
	_ = f.Set("bank", "icbc")
	answers, _ := f.Answers()
	fmt.Println(answers)
	f.Wipe()
	// Output:
	// 第 1 步 / 共 1 步
	//   姓名: "张测试"（已从身份证读取）
	//   联系电话: ""
	//   发放银行: ""
	// phone 手机号码应为11位数字
	// bank 请选择发放银行
	// map[bank:icbc name:张测试 phone:13812345678]
}
