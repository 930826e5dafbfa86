// Package keyboard holds the on-screen keyboards of the kiosk, which has no
// system keyboard: a numeric pad (phone, bank and ID numbers, with an
// optional X), a Latin keyboard, and Chinese input by pinyin with a
// candidate bar paged by large 上一页/下一页 buttons. Keys are the theme's
// touch target (96 px, 120 px in 长者模式). Keyboards type into a Target;
// the pinyin lookup is a Candidates function passed in.
package keyboard
