package console

import (
	"io/fs"
	"net/http"
)

func (c *Console) routesTable() {
	static, _ := fs.Sub(files, "static")
	fsrv := http.StripPrefix(Prefix+"static/", http.FileServerFS(static))
	c.routes = append(c.routes, "GET "+Prefix+"static/")
	c.mux.Handle("GET "+Prefix+"static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		fsrv.ServeHTTP(w, r)
	}))
	c.handle("GET /console", public, func(c *Console, q *req) { http.Redirect(q.w, q.r, Prefix, http.StatusSeeOther) })
	c.handle("GET "+Prefix+"{$}", anyone, (*Console).home)
	c.handle("GET "+Prefix+"login", public, (*Console).loginPage)
	c.handle("POST "+Prefix+"login", public, (*Console).login)
	c.handle("POST "+Prefix+"logout", anyone, (*Console).logout)
	c.handle("GET "+Prefix+"lang", public, (*Console).setLang)
	c.handle("GET "+ProgressPrefix+"{receipt}", public, (*Console).progress)

	c.handle("GET "+Prefix+"submissions", center, (*Console).submissions)
	c.handle("GET "+Prefix+"submissions/{receipt}", center, (*Console).submission)
	c.handle("POST "+Prefix+"submissions/{receipt}/move", center, (*Console).move)
	c.handle("POST "+Prefix+"submissions/{receipt}/parts/{no}/move", center, (*Console).movePart)

	c.handle("GET "+Prefix+"queue", center, (*Console).queue)
	c.handle("POST "+Prefix+"queue/call", center, (*Console).callNext)
	c.handle("POST "+Prefix+"queue/{service}/{seq}/{action}", center, (*Console).ticketAction)
	c.handle("GET "+Prefix+"hall", center, (*Console).hall)

	c.handle("GET "+Prefix+"fleet", center, (*Console).fleet)
	c.handle("POST "+Prefix+"alarms/{id}/{action}", center, (*Console).alarmAction)
	c.handle("POST "+Prefix+"terminals/{id}/revoke", operator, (*Console).revoke)
	c.handle("GET "+Prefix+"enrol", operator, (*Console).enrolPage)
	c.handle("POST "+Prefix+"enrol", operator, (*Console).enrol)
	c.handle("GET "+Prefix+"bundles", operator, (*Console).bundlesPage)
	c.handle("POST "+Prefix+"bundles", operator, (*Console).publish)
	c.handle("GET "+Prefix+"staff", operator, (*Console).staffPage)
	c.handle("POST "+Prefix+"staff", operator, (*Console).issueStaff)
	c.handle("POST "+Prefix+"staff/{number}/revoke", operator, (*Console).revokeStaff)

	c.handle("GET "+Prefix+"records", center, (*Console).recordsPage)
	c.handleBody("POST "+Prefix+"records", center, maxRecordsBody, (*Console).importRecords)

	c.handle("GET "+Prefix+"appointments", center, (*Console).appointments)
	c.handle("POST "+Prefix+"appointments/{id}/visit", center, (*Console).visit)
	c.handle("POST "+Prefix+"appointments/slots", center, (*Console).addSlots)
	c.handle("POST "+Prefix+"places/{id}/closed", center, (*Console).closePlace)
	c.handle("GET "+Prefix+"reports", director, (*Console).reports)
	c.handle("GET "+Prefix+"reports.csv", director, (*Console).reportsCSV)

	c.handle("GET "+Prefix+"users", director, (*Console).users)
	c.handle("POST "+Prefix+"users", director, (*Console).addUser)
	c.handle("POST "+Prefix+"users/{name}/{action}", director, (*Console).userAction)
	c.handle("GET "+Prefix+"audit", auditor, (*Console).auditPage)
	c.handle("GET "+Prefix+"audit.csv", auditor, (*Console).auditCSV)
}
