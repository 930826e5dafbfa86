// Package idnumber checks identity document numbers and what a card says
// about its holder: the citizen ID number's check digit (GB 11643-1999,
// ISO 7064 MOD 11-2) and the birth date and sex it encodes, the numbers of
// HK/Macau/Taiwan residence permits (810000/820000/830000), the foreign
// permanent residence card numbers of the 2017 and 2023 editions, and card
// expiry. Every refusal is a *kiosk.Error with a plain Chinese and English
// message, wrapping one of the sentinel errors of this package.
package idnumber
