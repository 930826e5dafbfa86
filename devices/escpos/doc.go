// Package escpos encodes ESC/POS for thermal receipt printers (GB18030 text, QR codes, barcodes, raster images, cuts) and decodes their real-time status.
package escpos
