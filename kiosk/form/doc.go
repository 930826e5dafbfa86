// Package form is the form engine: field types, validation with messages in plain words, conditional visibility, and prefill from the ID card.
package form
