// Package api holds the wire types of the back-office API and its OpenAPI 3 document.
package api
