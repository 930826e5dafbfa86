// Package idcard drives a second-generation ID card reader over the SAM frame protocol on any io.ReadWriter.
package idcard
