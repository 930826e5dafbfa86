package form

import (
	"fmt"

	"github.com/tongban/tongban/kiosk"
)

// The resident-facing messages of the form engine, in one place so that a
// reviewer can read them together. Each says what is wrong and what to do.

func zhen(zh, en string) kiosk.Text { return kiosk.Text{ZH: zh, EN: en} }

// FromCardNote is the line shown beside a prefilled, read-only field.
func FromCardNote() kiosk.Text { return zhen("已从身份证读取", "From your ID card") }

func labelEN(f kiosk.Field) string { return f.Label.In(kiosk.LangEN) }

func msgFillIn(f kiosk.Field) kiosk.Text {
	return zhen("请填写"+f.Label.ZH, "Please fill in: "+labelEN(f))
}

func msgChoose(f kiosk.Field) kiosk.Text {
	return zhen("请选择"+f.Label.ZH, "Please choose: "+labelEN(f))
}

func msgUnreadable() kiosk.Text {
	return zhen("含有无法识别的字符，请重新输入", "This has characters we cannot read. Please type it again.")
}

func msgNotNumber() kiosk.Text {
	return zhen("请填写数字，例如 1650 或 1650.5", "Please enter a number, for example 1650 or 1650.5.")
}

func msgTooPrecise() kiosk.Text {
	return zhen("小数点后最多填写两位", "Please use at most two digits after the point.")
}

func msgDateFormat() kiosk.Text {
	return zhen("请按“年-月-日”填写日期，例如 1958-03-01", "Please write the date as year-month-day, for example 1958-03-01.")
}

func msgNoSuchDay() kiosk.Text {
	return zhen("没有这一天，请核对日期", "There is no such day. Please check the date.")
}

func msgDateRange() kiosk.Text {
	return zhen("日期应在1900年到2100年之间，请核对", "The date should be between 1900 and 2100. Please check it.")
}

func msgNotAnOption() kiosk.Text {
	return zhen("请从列表中选择一项", "Please choose one from the list.")
}

func msgYesNo() kiosk.Text {
	return zhen("请选择“是”或“否”", "Please choose Yes or No.")
}

func msgPhoneDigits() kiosk.Text {
	return zhen("电话号码只能填写数字", "Please use digits only for the phone number.")
}

func msgMobileLength() kiosk.Text {
	return zhen("手机号码应为11位数字", "The mobile number should have 11 digits.")
}

func msgMobilePrefix() kiosk.Text {
	return zhen("手机号码应以13到19开头，请核对", "A mobile number starts with 13 to 19. Please check it.")
}

func msgLandline() kiosk.Text {
	return zhen("固定电话应为8位数字，可加区号021，例如 021-12345678", "A landline number has 8 digits, with or without the area code 021, for example 021-12345678.")
}

func msgPhoneNotLocal() kiosk.Text {
	return zhen("请填写手机号码，或上海的固定电话", "Please give a mobile number or a Shanghai landline number.")
}

func msgPhoneGeneral() kiosk.Text {
	return zhen("请填写11位手机号码，或8位固定电话", "Please enter an 11-digit mobile number or an 8-digit landline number.")
}

func msgIDLength() kiosk.Text {
	return zhen("身份证号码应为18位", "An ID number has 18 characters.")
}

func msgIDChars() kiosk.Text {
	return zhen("身份证号码前17位是数字，最后一位是数字或X", "An ID number has 17 digits, then a digit or the letter X.")
}

func msgIDBirth() kiosk.Text {
	return zhen("身份证号码中的出生日期不对，请核对", "The date of birth inside the ID number is not right. Please check it.")
}

func msgIDChecksum() kiosk.Text {
	return zhen("身份证号码有误，请逐位核对", "This ID number does not add up. Please check each digit.")
}

func msgBankDigits() kiosk.Text {
	return zhen("银行卡号只能填写数字", "Please use digits only for the account number.")
}

func msgBankLength() kiosk.Text {
	return zhen("银行卡号应为12到19位数字", "A bank account number has 12 to 19 digits.")
}

func msgBankLuhn() kiosk.Text {
	return zhen("银行卡号有误，请对照银行卡逐位核对", "Please check the card number digit by digit against your card.")
}

func msgDistrict() kiosk.Text {
	return zhen("请选择所在区", "Please choose the district.")
}

func msgStreet() kiosk.Text {
	return zhen("请选择所在街道或镇", "Please choose the street or town.")
}

func msgAddressDetail() kiosk.Text {
	return zhen("请填写详细地址，例如：XX路XX弄XX号XX室", "Please write the rest of the address: road, lane, number and room.")
}

func msgSignature() kiosk.Text {
	return zhen("请在签名框内签名", "Please sign in the box.")
}

func msgSignatureBad() kiosk.Text {
	return zhen("签名没有保存好，请重写一次", "The signature was not saved. Please sign again.")
}

func msgConsent() kiosk.Text {
	return zhen("请阅读后勾选同意，才能继续办理", "Please read and tick the box to agree before going on.")
}

func msgNoMembers() kiosk.Text {
	return zhen("请至少填写一位家庭成员", "Please add at least one family member.")
}

func msgSelfInFamily() kiosk.Text {
	return zhen("家庭成员中不用再填写您本人", "You need not list yourself among the family members.")
}

func msgAtLeastChars(n int) kiosk.Text {
	return zhen(fmt.Sprintf("至少填写%d个字", n), fmt.Sprintf("Please write at least %d characters.", n))
}

func msgAtMostChars(n int) kiosk.Text {
	return zhen(fmt.Sprintf("最多填写%d个字", n), fmt.Sprintf("Please write at most %d characters.", n))
}

func msgAtLeast(n int) kiosk.Text {
	return zhen(fmt.Sprintf("不能小于%d", n), fmt.Sprintf("This should be at least %d.", n))
}

func msgAtMost(n int) kiosk.Text {
	return zhen(fmt.Sprintf("不能大于%d", n), fmt.Sprintf("This should be at most %d.", n))
}

func msgFewMembers(n int) kiosk.Text {
	return zhen(fmt.Sprintf("请至少填写%d位家庭成员", n), fmt.Sprintf("Please add at least %d family members.", n))
}

func msgManyMembers(n int) kiosk.Text {
	return zhen(fmt.Sprintf("最多填写%d位家庭成员", n), fmt.Sprintf("Please list at most %d family members.", n))
}

// msgMember prefixes a message about one family member (1-based).
func msgMember(n int, m kiosk.Text) kiosk.Text {
	return zhen(fmt.Sprintf("第%d位家庭成员：%s", n, m.ZH), fmt.Sprintf("Family member %d: %s", n, m.In(kiosk.LangEN)))
}

func msgMemberName(n int) kiosk.Text {
	return zhen(fmt.Sprintf("请填写第%d位家庭成员的姓名", n), fmt.Sprintf("Please fill in the name of family member %d.", n))
}

func msgMemberRelation(n int) kiosk.Text {
	return zhen(fmt.Sprintf("请选择第%d位家庭成员与您的关系", n), fmt.Sprintf("Please choose how family member %d is related to you.", n))
}

func msgMemberDuplicate(n, first int) kiosk.Text {
	return zhen(fmt.Sprintf("第%d位家庭成员与第%d位的身份证号码相同，请核对", n, first),
		fmt.Sprintf("Family members %d and %d have the same ID number. Please check.", first, n))
}

// msgSummary is the one line shown at the top of a page with errors.
func msgSummary(n int) kiosk.Text {
	return zhen(fmt.Sprintf("有%d处需要修改，请看标红的提示", n), fmt.Sprintf("%d answers need a change. Please see the notes in red.", n))
}
