// Package servicescatalog embeds the service-item data of the catalog (one file per item).
package servicescatalog
