package form

import "github.com/tongban/tongban/kiosk"

// checkBankAccount accepts a bank account number of 12 to 19 digits. Card
// numbers (16 to 19 digits, ISO/IEC 7812: UnionPay cards among them) must
// pass the Luhn check; a failure asks the resident to check the number.
// Shorter passbook account numbers carry no check anyone can verify here.
func checkBankAccount(v string) (string, kiosk.Text) {
	s := stripSeparators(fold(v))
	if !allDigits(s) {
		return "", msgBankDigits()
	}
	if len(s) < 12 || len(s) > 19 {
		return "", msgBankLength()
	}
	if len(s) >= 16 && !luhnValid(s) {
		return "", msgBankLuhn()
	}
	return s, kiosk.Text{}
}

// luhnValid reports whether a string of digits passes the Luhn (mod 10) check.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
