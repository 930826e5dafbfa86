package form

import "github.com/tongban/tongban/kiosk"

// The resident-facing messages of the form engine, in one place so that a
// reviewer can read them together. Each says what is wrong and what to do;
// the words are in kiosk/i18n/locales under form.*.

// FromCardNote is the line shown beside a prefilled, read-only field.
func FromCardNote() kiosk.Text { return kiosk.Msg("form.from_id_card") }

func msgFillIn(f kiosk.Field) kiosk.Text { return kiosk.Msg("form.err_fill_in", "Label", f.Label) }
func msgChoose(f kiosk.Field) kiosk.Text { return kiosk.Msg("form.err_choose", "Label", f.Label) }
func msgUnreadable() kiosk.Text          { return kiosk.Msg("form.err_unreadable") }
func msgNotNumber() kiosk.Text           { return kiosk.Msg("form.err_not_number") }
func msgTooPrecise() kiosk.Text          { return kiosk.Msg("form.err_too_precise") }
func msgDateFormat() kiosk.Text          { return kiosk.Msg("form.err_date_format") }
func msgNoSuchDay() kiosk.Text           { return kiosk.Msg("form.err_no_such_day") }
func msgDateRange() kiosk.Text           { return kiosk.Msg("form.err_date_range") }
func msgNotAnOption() kiosk.Text         { return kiosk.Msg("form.err_choice") }
func msgYesNo() kiosk.Text               { return kiosk.Msg("form.err_yes_no") }
func msgPhoneDigits() kiosk.Text         { return kiosk.Msg("form.err_phone_digits") }
func msgMobileLength() kiosk.Text        { return kiosk.Msg("form.err_phone") }
func msgMobilePrefix() kiosk.Text        { return kiosk.Msg("form.err_mobile_prefix") }
func msgLandline() kiosk.Text            { return kiosk.Msg("form.err_landline") }
func msgPhoneNotLocal() kiosk.Text       { return kiosk.Msg("form.err_phone_not_local") }
func msgPhoneGeneral() kiosk.Text        { return kiosk.Msg("form.err_phone_general") }
func msgIDLength() kiosk.Text            { return kiosk.Msg("form.err_id_length") }
func msgIDChars() kiosk.Text             { return kiosk.Msg("form.err_id_chars") }
func msgIDBirth() kiosk.Text             { return kiosk.Msg("form.err_id_birth") }
func msgIDChecksum() kiosk.Text          { return kiosk.Msg("form.err_id_checksum") }
func msgBankDigits() kiosk.Text          { return kiosk.Msg("form.err_bank_digits") }
func msgBankLength() kiosk.Text          { return kiosk.Msg("form.err_bank_length") }
func msgBankLuhn() kiosk.Text            { return kiosk.Msg("form.err_bank_luhn") }
func msgDistrict() kiosk.Text            { return kiosk.Msg("form.address_district") }
func msgStreet() kiosk.Text              { return kiosk.Msg("form.address_street") }
func msgAddressDetail() kiosk.Text       { return kiosk.Msg("form.err_address_detail") }
func msgSignature() kiosk.Text           { return kiosk.Msg("form.err_signature") }
func msgSignatureBad() kiosk.Text        { return kiosk.Msg("form.err_signature_bad") }
func msgConsent() kiosk.Text             { return kiosk.Msg("form.err_consent") }
func msgNoMembers() kiosk.Text           { return kiosk.Msg("form.err_no_members") }
func msgSelfInFamily() kiosk.Text        { return kiosk.Msg("form.err_self_in_family") }
func msgReadOnly() kiosk.Text            { return kiosk.Msg("form.err_read_only") }
func msgConfirmMismatch(f kiosk.Field) kiosk.Text {
	return kiosk.Msg("form.err_confirm_mismatch", "Label", f.Label)
}
func msgAtLeastChars(n int) kiosk.Text   { return kiosk.Msg("form.err_too_short", "Min", n) }
func msgAtMostChars(n int) kiosk.Text    { return kiosk.Msg("form.err_too_long", "Max", n) }
func msgAtLeast(n int) kiosk.Text        { return kiosk.Msg("form.err_at_least", "Min", n) }
func msgAtMost(n int) kiosk.Text         { return kiosk.Msg("form.err_at_most", "Max", n) }
func msgFewMembers(n int) kiosk.Text     { return kiosk.Msg("form.err_few_members", "Min", n) }
func msgManyMembers(n int) kiosk.Text    { return kiosk.Msg("form.err_many_members", "Max", n) }
func msgMemberName(n int) kiosk.Text     { return kiosk.Msg("form.err_member_name", "N", n) }
func msgMemberRelation(n int) kiosk.Text { return kiosk.Msg("form.err_member_relation", "N", n) }
func msgBirthCert() kiosk.Text           { return kiosk.Msg("form.err_birth_cert") }
func msgNoMembersOrAlone() kiosk.Text    { return kiosk.Msg("form.err_no_members_or_alone") }
func msgAloneNotAllowed() kiosk.Text     { return kiosk.Msg("form.err_alone_not_allowed") }
func msgMemberIDOrCert(n int) kiosk.Text { return kiosk.Msg("form.err_member_id_or_cert", "N", n) }
func msgMemberIncome(n int) kiosk.Text   { return kiosk.Msg("form.err_member_income", "N", n) }
func msgMemberChoose(n int, p kiosk.MemberPart) kiosk.Text {
	switch p {
	case kiosk.MemberSex:
		return kiosk.Msg("form.err_member_sex", "N", n)
	case kiosk.MemberHukou:
		return kiosk.Msg("form.err_member_hukou", "N", n)
	case kiosk.MemberEmployment:
		return kiosk.Msg("form.err_member_employment", "N", n)
	}
	return kiosk.Msg("form.err_member_disability", "N", n)
}
func msgMemberDuplicate(n, first int) kiosk.Text {
	return kiosk.Msg("form.err_member_duplicate", "N", n, "First", first)
}

// msgMember prefixes a message about one family member (1-based).
func msgMember(n int, m kiosk.Text) kiosk.Text {
	return kiosk.Msg("form.err_member", "N", n, "Error", m)
}

// msgSummary is the one line shown at the top of a page with errors.
func msgSummary(n int) kiosk.Text { return kiosk.Msg("form.err_summary", "N", n) }
