package backoffice

// validResidentID reports whether s is an 18-character resident ID number
// (GB 11643-1999) with a correct ISO 7064 MOD 11-2 check character. It
// checks the form only; the number is never logged.
func validResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	return s[17] == "10X98765432"[sum%11]
}
