package servicescatalog

import (
	"embed"
	"io/fs"
)

//go:embed catalog.json departments.json life_events.json parameters.json synonyms.json items yjs
var data embed.FS

// FS returns the catalog data: catalog.json (version and effective date),
// departments.json, life_events.json, parameters.json, synonyms.json and
// items/<dept>/<code>.json.
// Load it with catalog.Load.
func FS() fs.FS { return data }
