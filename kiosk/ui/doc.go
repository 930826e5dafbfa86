// Package ui renders the resident session in Fyne: every screen, the theme, the on-screen keyboards. It is the only package tree besides assets and cmd/kiosk that imports Fyne.
package ui
