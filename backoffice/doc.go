// Package backoffice is the reference back-office server that terminals sync to.
package backoffice
