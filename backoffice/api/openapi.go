package api

import (
	"bytes"
	_ "embed"
)

//go:embed openapi.json
var openAPIJSON []byte

// OpenAPIDocument returns a copy of the OpenAPI 3 document of the API (JSON).
func OpenAPIDocument() []byte { return bytes.Clone(openAPIJSON) }
