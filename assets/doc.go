// Package assets holds what the terminal embeds: the CJK UI fonts (a GB2312
// subset of Noto Sans CJK SC, rebuilt by fonts/subset.sh), icons and
// translations, as bytes and as Fyne resources.
package assets
