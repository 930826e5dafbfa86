// Package signpad is the signature pad: a white area with a baseline where
// the resident signs with a finger (drags), 重写 clears it, and the strokes
// export as a PNG stored with the submission. A few accidental touches do
// not count as a signature.
package signpad
