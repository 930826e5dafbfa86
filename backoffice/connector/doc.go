// Package connector answers a terminal's queries and documents from the
// department services connected at its center: the back office is the
// gateway, a terminal never talks to a department.
//
// # Kinds of service
//
// A [Querier] answers an item's query with fields to show (养老金情况,
// 医保个人信息, 居住证积分…). A [Documenter] answers an item's document
// with the fields a printed document certifies (户籍证明, 权益记录单…);
// the back office renders and signs the PDF with backoffice/document, so
// a connector never makes a PDF. Both take a [Request] (item, center, the
// identified resident's ID number) and give an [Answer], or one of
// [ErrNoRecord] (the department has nothing about this resident) and
// [ErrUnavailable] (the department cannot answer now).
//
// # Implementations
//
// [Store] answers from records a center imports as CSV ([ParseCSV],
// [Store.Import]: validated, bad rows reported by line and column, good
// rows kept), kept sealed in the back office's database, plus synthetic
// demonstration data ([Store.LoadDemo]) for make run. [HTTP] calls a
// department's HTTP API as configured: URL, an API key header or mutual
// TLS, a timeout, a bounded read, and a mapping from the department's
// JSON to our fields ([ParseAnswer]).
//
// # Configuration
//
// [ParseConfig] reads the JSON file that names the connectors and, per
// center, which connector serves which item's query and document; [Build]
// turns it into a [Set], which the back office asks per request and which
// says per center what is connected ([Set.Connected]). The format is
// described in backoffice/README.md.
package connector
