package console

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

// words are the console's texts: Chinese, English.
var words = map[string][2]string{
	"app":              {"通办后台", "Tongban back office"},
	"nav.submissions":  {"申请件", "Submissions"},
	"nav.queue":        {"叫号", "Counter queue"},
	"nav.hall":         {"大厅屏", "Hall display"},
	"nav.fleet":        {"终端", "Terminals"},
	"nav.enrol":        {"注册终端", "Enrol"},
	"nav.bundles":      {"目录与配置", "Bundles"},
	"nav.appointments": {"预约", "Appointments"},
	"nav.reports":      {"报表", "Reports"},
	"nav.users":        {"账号", "Accounts"},
	"nav.audit":        {"审计", "Audit trail"},
	"nav.records":      {"部门数据", "Department records"},
	"nav.logout":       {"退出", "Log out"},
	"lang.other":       {"English", "中文"},

	"login.title":    {"登录", "Log in"},
	"login.user":     {"用户名", "User name"},
	"login.password": {"密码", "Password"},
	"login.submit":   {"登录", "Log in"},
	"login.wrong":    {"用户名或密码不对。", "The user name or password is wrong."},
	"login.locked":   {"密码错误次数太多，账号已锁定，请稍后再试或联系管理员。", "Too many wrong passwords: the account is locked for a while. Try later or ask an operator."},
	"login.slow":     {"这台电脑登录失败太多次，请稍后再试。", "Too many failed log-ins from this computer. Please try later."},
	"login.out":      {"已退出。", "You are logged out."},

	"role.staff":    {"中心工作人员", "Center staff"},
	"role.director": {"中心主任", "Center director"},
	"role.operator": {"市级运维", "City operator"},
	"role.auditor":  {"审计员", "Auditor"},

	"err.forbidden": {"您没有权限查看这一页。", "You may not see this page."},
	"err.csrf":      {"表单已过期，请返回重新提交。", "The form has expired; go back and send it again."},
	"err.form":      {"表单看不懂，请返回重试。", "The form could not be read; go back and try again."},
	"err.store":     {"后台数据库暂时连不上，请稍后再试。", "The database cannot be reached; try again later."},
	"err.login":     {"请先登录。", "Please log in first."},
	"err.notfound":  {"没有找到。", "Not found."},
	"err.move":      {"这件申请已被别人处理，或不能这样处理；请刷新后再看。", "Someone else moved this submission, or this move is not allowed; reload and look again."},
	"err.reason":    {"请选择原因，或写明需要补的材料。", "Choose a reason, or write what to bring."},
	"err.empty":     {"没有在等的号。", "Nobody is waiting."},
	"err.ticket":    {"这个号不能这样处理。", "This ticket cannot be moved that way."},
	"err.alarm":     {"这条告警已被处理。", "This alarm was already handled."},
	"err.input":     {"输入不完整或格式不对，请检查。", "Something is missing or malformed; please check."},
	"err.unavail":   {"此功能未配置。", "This is not configured on this server."},
	"err.exists":    {"已有同名账号。", "An account of that name exists."},
	"err.bundle":    {"发布失败：", "Publishing failed: "},
	"err.toolarge":  {"上传的文件太大，请分成几个较小的文件再上传。", "The upload is too large; split the file and send the parts one by one."},

	"ok.moved":       {"已更新。", "Updated."},
	"ok.called":      {"已叫号。", "Called."},
	"ok.ticket":      {"已处理。", "Done."},
	"ok.alarm":       {"告警已更新。", "Alarm updated."},
	"ok.revoked":     {"终端已吊销，证书从现在起被拒绝。", "Terminal revoked: its certificate is refused from now on."},
	"ok.user":        {"账号已建立。", "Account created."},
	"ok.userchanged": {"账号已更新。", "Account updated."},
	"ok.visit":       {"已登记。", "Recorded."},
	"ok.published":   {"已发布。", "Published."},

	"sub.title":      {"申请件", "Submissions"},
	"sub.receipt":    {"受理编号", "Receipt"},
	"sub.item":       {"事项", "Item"},
	"sub.itemcode":   {"事项编码", "item code"},
	"sub.name":       {"申请人", "Applicant"},
	"sub.idno":       {"证件号", "ID number"},
	"sub.terminal":   {"终端", "Terminal"},
	"sub.received":   {"收到时间", "Received"},
	"sub.state":      {"状态", "State"},
	"sub.any":        {"全部", "Any"},
	"sub.from":       {"从", "From"},
	"sub.to":         {"到", "To"},
	"sub.filter":     {"筛选", "Filter"},
	"sub.none":       {"没有符合条件的申请。", "No submission matches."},
	"sub.next":       {"下一页", "Next page"},
	"sub.prev":       {"上一页", "Previous page"},
	"sub.center":     {"中心", "Center"},
	"sub.form":       {"表单内容", "The form"},
	"sub.sign":       {"签名", "Signature"},
	"sub.reason":     {"原因", "Reason"},
	"sub.bring":      {"需要补的材料", "What to bring"},
	"sub.note":       {"说明（可不填）", "Note (optional)"},
	"sub.history":    {"最近处理", "Last moved"},
	"sub.actions":    {"处理", "Work it"},
	"sub.final":      {"已是最终状态。", "This is a final state."},
	"sub.parts":      {"分项办理", "Parts"},
	"sub.parts_help": {"这是一件事联办申请，各项分别受理、分别办结；退回一项不影响其他各项。", "This is a one-application bundle: each part is taken in and completed on its own; returning one part leaves the others."},
	"sub.open":       {"查看", "Open"},
	"sub.sex":        {"性别", "Sex"},
	"sub.applicant":  {"申请人信息", "The applicant"},
	"sex.1":          {"男", "Male"},
	"sex.2":          {"女", "Female"},
	"sub.birthday":   {"出生日期", "Birth date"},
	"sub.phone":      {"手机", "Mobile"},
	"sub.address":    {"户籍地址", "Registered address"},

	"state.accepted":    {"待受理", "Waiting to be taken in"},
	"state.in-review":   {"审核中", "Under review"},
	"state.taken":       {"已受理", "Taken in"},
	"state.in-progress": {"办理中", "In progress"},
	"state.done":        {"已办结", "Completed"},
	"state.refused":     {"未通过", "Not approved"},
	"state.returned":    {"已退回", "Returned"},
	"state.need-more":   {"需补件", "More documents needed"},
	"move.taken":        {"受理", "Take in"},
	"move.in-progress":  {"开始办理", "Start processing"},
	"move.done":         {"办结", "Complete"},
	"move.returned":     {"退回", "Return"},
	"move.need-more":    {"需补件", "Ask for documents"},

	"reason.material": {"材料不齐全", "Documents incomplete"},
	"reason.eligible": {"不符合申请条件", "Not eligible"},
	"reason.info":     {"填写信息有误", "The form has mistakes"},
	"reason.dup":      {"重复申请", "Applied twice"},
	"reason.other":    {"其他", "Other"},

	"queue.title":             {"叫号", "Counter queue"},
	"queue.counter":           {"窗口", "Counter"},
	"queue.service":           {"业务", "Service"},
	"queue.callnext":          {"叫下一位", "Call next"},
	"queue.recall":            {"重呼", "Call again"},
	"queue.skip":              {"过号", "Skip"},
	"queue.serve":             {"办毕", "Served"},
	"queue.number":            {"号码", "Number"},
	"queue.issued":            {"取号时间", "Issued"},
	"queue.state":             {"状态", "State"},
	"queue.waiting":           {"等候", "Waiting"},
	"queue.called":            {"已叫", "Called"},
	"queue.served":            {"已办", "Served"},
	"queue.skipped":           {"过号", "Skipped"},
	"queue.none":              {"今天还没有取号。", "No ticket was issued today."},
	"queue.hour":              {"时段", "Hour"},
	"queue.count":             {"取号数", "Tickets"},
	"queue.avgwait":           {"平均等候（分钟）", "Average wait (min)"},
	"queue.maxwait":           {"最长等候（分钟）", "Longest wait (min)"},
	"queue.figures":           {"今天每小时的等候时间", "Waiting times per hour today"},
	"queue.current":           {"本窗口正在办", "At this counter now"},
	"dev.id-reader":           {"读卡器", "ID card reader"},
	"dev.printer":             {"打印机", "Printer"},
	"dev.scanner":             {"扫码器", "QR scanner"},
	"devstate.online":         {"正常", "working"},
	"devstate.offline":        {"离线", "offline"},
	"devstate.no-device":      {"未连接", "not connected"},
	"devstate.hardware-error": {"故障", "fault"},
	"devstate.user-error":     {"待处理", "needs a hand"},
	"devstate.busy":           {"忙", "busy"},
	"paper.full":              {"纸足", "paper full"},
	"paper.low":               {"纸少", "paper low"},
	"paper.out":               {"缺纸", "paper out"},
	"paper.jammed":            {"卡纸", "paper jam"},

	"progress.title":   {"办理进度", "Progress"},
	"progress.updated": {"更新时间", "Updated"},
	"progress.none":    {"没有找到这个受理编号。终端可能还没有上传这份申请，请稍后再查。", "No application has this receipt number. The terminal may not have sent it yet; try again later."},
	"progress.slow":    {"查询太多，请过一刻钟再试。", "Too many look-ups; try again in a quarter of an hour."},
	"progress.foot":    {"如有疑问，请带上回执到社区事务受理服务中心窗口咨询。", "Questions? Bring the receipt to a counter of the community affairs center."},

	"hall.title":  {"请以下号码到窗口办理", "Please go to the counter shown"},
	"hall.to":     {"请到", "to counter"},
	"hall.window": {"号窗口", ""},
	"hall.none":   {"暂无叫号", "No number called yet"},

	"fleet.title":          {"终端", "Terminals"},
	"fleet.online":         {"在线", "Online"},
	"fleet.offline":        {"离线", "Offline"},
	"fleet.revoked":        {"已吊销", "Revoked"},
	"fleet.never":          {"从未上报", "Never reported"},
	"fleet.seen":           {"上次心跳", "Last heartbeat"},
	"fleet.devices":        {"设备", "Devices"},
	"fleet.queue":          {"待上传", "Queued"},
	"fleet.oldest":         {"最早未传", "Oldest unsent"},
	"fleet.versions":       {"版本（软件/目录/配置）", "Versions (software/catalog/config)"},
	"fleet.skew":           {"时钟偏差", "Clock skew"},
	"fleet.error":          {"最近错误", "Last error"},
	"fleet.district":       {"区", "District"},
	"fleet.revoke":         {"吊销", "Revoke"},
	"fleet.alarms":         {"告警", "Alarms"},
	"fleet.none":           {"没有终端。", "No terminal."},
	"fleet.byversion":      {"各版本的终端", "Terminals by version"},
	"fleet.count":          {"台数", "Terminals"},
	"alarm.kind":           {"类型", "Kind"},
	"alarm.raised":         {"发生时间", "Raised"},
	"alarm.state":          {"状态", "State"},
	"alarm.who":            {"处理人", "Handled by"},
	"alarm.ack":            {"确认", "Acknowledge"},
	"alarm.resolve":        {"解决", "Resolve"},
	"alarm.none":           {"没有告警。", "No alarm."},
	"alarm.open":           {"未处理", "Open"},
	"alarm.acknowledged":   {"已确认", "Acknowledged"},
	"alarm.resolved":       {"已解决", "Resolved"},
	"alarm.silent":         {"终端失联", "Terminal silent"},
	"alarm.paper-out":      {"缺纸", "Paper out"},
	"alarm.device-fault":   {"设备故障", "Device fault"},
	"alarm.device-gone":    {"设备未连接", "Device gone"},
	"adetail.silent.since": {"注册以来没有心跳", "no heartbeat since enrolment"},
	"adetail.silent.for":   {"已%s没有心跳", "no heartbeat for %s"},
	"adetail.gone":         {"终端找不到该设备", "not found by the terminal"},
	"adetail.queue":        {"%s 份申请等待上传", "%s waiting to be sent"},
	"adetail.skew":         {"终端时钟偏差 %s", "the terminal's clock is off by %s"},
	"alarm.queue-damaged":  {"队列损坏", "Queue damaged"},
	"alarm.queue-growing":  {"待上传积压", "Queue growing"},
	"alarm.clock-skew":     {"时钟偏差过大", "Clock skew"},
	"alarm.bundle-refused": {"目录或配置未能加载", "Bundle refused"},
	"alarm.queue-full":     {"队列已满，暂停受理", "Queue full: not taking submissions"},
	"alarm.staff-lockout":  {"工作人员登录连续出错，员工菜单已锁定", "Staff menu locked after wrong badges, PINs or codes"},

	// The audit trail's alarms: raised by the terminal (unwritable,
	// rewritten) or by the back office from its anchors (rollback, fork).
	"alarm.audit-unwritable":  {"审计日志无法写入", "Audit trail not writable"},
	"alarm.audit-rewritten":   {"审计日志被改写", "Audit trail rewritten"},
	"alarm.audit-rollback":    {"审计日志倒退（被截断或替换）", "Audit trail went backwards"},
	"alarm.audit-fork":        {"审计日志出现分叉（被改写）", "Audit trail forked"},
	"alarm.connector-failing": {"部门服务连续失败，相关查询请到人工窗口", "Department service failing: its queries go to the counter"},

	"enrol.title":       {"注册终端", "Enrol a terminal"},
	"enrol.terminal":    {"终端编号", "Terminal code"},
	"enrol.center":      {"所属中心", "Center"},
	"enrol.issue":       {"生成一次性令牌", "Issue a single-use token"},
	"enrol.token":       {"令牌（24小时内有效，只能用一次）", "Token (valid 24 hours, single use)"},
	"enrol.how":         {"把令牌交给技术员，在终端上运行：", "Give the token to the technician, who runs on the terminal:"},
	"enrol.qr":          {"二维码含后台地址、令牌和后台 CA 指纹：在终端设置中扫描即可，无需再输入。", "The QR code holds the back office address, the token and the back office CA fingerprint: scan it in the terminal's set-up, nothing to type."},
	"enrol.reenrol":     {"重新注册已注册过的终端（换了硬盘或密钥）：它的旧证书随即作废", "Re-enrol a terminal enrolled already (a new disk or key): its old certificate stops working"},
	"enrol.move":        {"同时迁往上面填写的中心", "and move it to the center given above"},
	"enrol.enrolled":    {"这台终端已经注册过，没有生成令牌。确需重新注册时，请勾选“重新注册”：它的旧证书将作废。", "This terminal is enrolled already; no token was issued. To enrol it again, tick Re-enrol: its old certificate will stop working."},
	"enrol.notenrolled": {"这台终端还没有注册过，没有生成令牌：请取消勾选“重新注册”。", "This terminal has not been enrolled yet; no token was issued: untick Re-enrol."},
	"enrol.othercenter": {"这台终端属于另一个中心，没有生成令牌。确需迁移时，请同时勾选“迁往”。", "This terminal belongs to another center; no token was issued. To move it, tick Move as well."},
	"enrol.samecenter":  {"这台终端已在该中心，无需迁移，没有生成令牌：请取消勾选“迁往”。", "This terminal is in that center already; no token was issued: untick Move."},
	"enrol.fingerprint": {"后台 CA 指纹：技术员在终端上核对（扫码时已含在码里）：", "The back office CA fingerprint, for the technician to check on the terminal (the QR code carries it):"},

	"staff.title":    {"工作人员工牌", "Staff badges"},
	"staff.number":   {"工号", "Staff number"},
	"staff.name":     {"姓名", "Name"},
	"staff.issue":    {"发放工牌和密码", "Issue badge and PIN"},
	"staff.badge":    {"工牌", "Badge"},
	"staff.pin":      {"密码：", "PIN:"},
	"staff.once":     {"请打印工牌、把密码当面交给本人。关闭本页后不能再次查看：后台只保存密码的慢哈希。新的终端配置下发后生效。", "Print the badge and give the PIN to the person directly. It cannot be shown again once this page is closed: only a slow hash is kept. It works once terminals install the new configuration."},
	"staff.list":     {"已发放", "Issued"},
	"staff.revoke":   {"吊销", "Revoke"},
	"staff.revoked":  {"已吊销", "Revoked"},
	"nav.staff":      {"工牌", "Staff badges"},
	"bundle.title":   {"发布目录与配置", "Publish a catalog or configuration"},
	"bundle.kind":    {"种类", "Kind"},
	"bundle.catalog": {"事项目录", "Catalog"},
	"bundle.config":  {"终端配置", "Configuration"},
	"bundle.file":    {"文件", "File"},
	"bundle.text":    {"或粘贴 JSON", "or paste JSON"},
	"bundle.publish": {"签名并发布", "Sign and publish"},
	"bundle.done":    {"已发布版本", "Published version"},

	"appt.title":     {"预约", "Appointments"},
	"appt.today":     {"今天", "Today"},
	"appt.week":      {"本周", "This week"},
	"appt.time":      {"时间", "Time"},
	"appt.item":      {"事项", "Item"},
	"appt.state":     {"状态", "State"},
	"appt.visit":     {"到场", "Visit"},
	"appt.arrived":   {"已到", "Arrived"},
	"appt.no-show":   {"未到", "No-show"},
	"appt.booked":    {"已预约", "Booked"},
	"appt.cancelled": {"已取消", "Cancelled"},
	"appt.none":      {"没有预约。", "No appointment."},

	"appt.place":                {"地点", "Place"},
	"appt.by":                   {"预约中心", "Booked at"},
	"appt.slots":                {"可预约时段", "Slots"},
	"appt.noslots":              {"没有可预约的时段。", "No slots."},
	"appt.capacity":             {"名额", "Places"},
	"appt.anyitem":              {"任何事项", "Any item"},
	"appt.day":                  {"日期", "Day"},
	"appt.times":                {"时间（用逗号分开）", "Times (comma-separated)"},
	"appt.itemcode":             {"事项代码（留空为任何事项）", "Item code (empty: any item)"},
	"appt.addslots":             {"添加时段", "Add slots"},
	"appt.closed":               {"此地点已暂停预约：终端不再显示它的时段，已有预约保留。", "This place is closed for bookings: terminals no longer offer its slots; bookings made stay."},
	"appt.close":                {"暂停预约", "Close for bookings"},
	"appt.open":                 {"恢复预约", "Open for bookings"},
	"place.center":              {"中心窗口", "Center counters"},
	"place.marriage-registry":   {"婚姻登记机关", "Marriage registry"},
	"place.assessment-hospital": {"残疾评定医院", "Assessment hospital"},
	"ok.slots":                  {"时段已保存。", "Slots saved."},
	"ok.place":                  {"地点已更新。", "Place updated."},
	"err.slotday":               {"日期不对：请选今天或以后的日期。", "The day is not valid: choose today or a later day."},
	"err.slotcapacity":          {"名额应为1到500之间的整数。", "Places must be a whole number from 1 to 500."},
	"err.slotitem":              {"事项代码只能有小写字母、数字和连字符。", "An item code has lower-case letters, digits and hyphens only."},
	"err.slottimes":             {"时间应写成09:00，用逗号分开，最多24个。", "Write times as 09:00, comma-separated, at most 24."},
	"err.slothours":             {"有的时间不在此地点的办公时间内。", "Some times are outside the place's opening hours."},
	"err.slotbooked":            {"名额不能少于已预约的人数。", "Places cannot be fewer than those already booked."},

	"rep.title":    {"报表", "Reports"},
	"rep.day":      {"每天的申请件", "Submissions per day"},
	"rep.item":     {"各事项的申请件", "Submissions per item"},
	"rep.terminal": {"各终端的申请件", "Submissions per terminal"},
	"rep.tickets":  {"取号与等候", "Tickets and waiting"},
	"rep.avail":    {"终端可用率（每天）", "Terminal availability per day"},
	"rep.key":      {"项目", "What"},
	"rep.n":        {"数量", "Count"},
	"rep.dayh":     {"日期", "Day"},
	"rep.share":    {"可用率", "Available"},
	"rep.csv":      {"导出 CSV", "Export CSV"},
	"rep.range":    {"最近30天", "The last 30 days"},

	"users.title":    {"账号", "Accounts"},
	"users.add":      {"新建账号", "New account"},
	"users.display":  {"姓名", "Name"},
	"users.role":     {"角色", "Role"},
	"users.locked":   {"锁定至", "Locked until"},
	"users.create":   {"建立", "Create"},
	"users.disabled": {"已停用", "Disabled"},
	"users.disable":  {"停用", "Disable"},
	"users.enable":   {"启用", "Enable"},
	"users.unlock":   {"解锁", "Unlock"},

	"audit.title":  {"审计记录", "Audit trail"},
	"audit.at":     {"时间", "When"},
	"audit.who":    {"谁", "Who"},
	"audit.action": {"操作", "Action"},
	"audit.target": {"对象", "Target"},
	"audit.detail": {"详情", "Detail"},
	"audit.from":   {"来源", "From"},
	"audit.more":   {"更早的记录", "Older entries"},

	"rec.title":      {"导入部门数据", "Import department records"},
	"rec.intro":      {"上传部门提供的CSV文件（UTF-8编码），本中心的终端用它回答居民对这个事项的查询。第一列是证件号码，第二列是姓名，后面每列是一项内容，列名可写“中文|English”，列名前加*的内容在大厅里遮盖显示。有错的行不导入，其余的行照常导入；同一居民再次导入时以新的为准。", "Upload the CSV file (UTF-8) a department gave you; this center's terminals answer residents' queries for the item from it. The first column is the ID number, the second the name, then one column per line of the answer, headed \"中文|English\"; a * before a heading masks that value in the hall. Rows with a mistake are left out and the others kept; a resident imported again is replaced."},
	"rec.limits":     {"每个文件最多", "At most, per file:"},
	"rec.rows":       {"行", "rows"},
	"rec.item":       {"事项编码", "Item code"},
	"rec.title_zh":   {"查询结果的标题（中文）", "Title of the answer (Chinese)"},
	"rec.title_en":   {"查询结果的标题（英文，可不填）", "Title of the answer (English, optional)"},
	"rec.source_zh":  {"数据来源部门（中文）", "Department the data comes from (Chinese)"},
	"rec.source_en":  {"数据来源部门（英文，可不填）", "Department (English, optional)"},
	"rec.file":       {"CSV文件", "CSV file"},
	"rec.upload":     {"上传并导入", "Upload and import"},
	"rec.report":     {"导入结果", "Import report"},
	"rec.summary":    {"读到%d行，已导入%d行，未导入%d行。", "%d rows read, %d kept, %d not kept."},
	"rec.fix":        {"下面这些行没有导入。请在原文件里改正，再上传一次（已导入的行再导入一次不会重复）。", "The rows below were not kept. Correct them in the file and upload it again (rows already kept are replaced, not doubled)."},
	"rec.line":       {"行", "Line"},
	"rec.column":     {"列", "Column"},
	"rec.reason":     {"原因", "Reason"},
	"rec.wholerow":   {"整行", "whole row"},
	"rec.more":       {"还有更多未导入的行没有列出，请先改正上面这些再上传。未列出的行数：", "More rows were not kept than are listed; correct these and upload again. Rows not listed:"},
	"rec.failed":     {"文件没有导入，一行也没有保存：", "The file was not imported; nothing of it was kept: "},
	"rec.notserved":  {"这个中心的这个事项不是用导入的数据回答的，导入了也用不上。请核对事项编码；需要开通的，请联系市级运维。", "This center does not answer this item from imported records, so they would never be used. Check the item code, or ask a city operator to connect it."},
	"rec.noitems":    {"本中心还没有哪个事项是用导入的数据回答的，所以现在不能导入。需要开通的，请联系市级运维。", "This center answers no item from imported records yet, so there is nothing to import. Ask a city operator to connect one."},
	"rec.incomplete": {"请选择文件，并填好中心、事项编码、标题和数据来源部门。", "Choose a file and fill in the center, the item code, the title and the department."},
}

func word(lang, key string) string {
	w, ok := words[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

func listSep(lang string) string {
	if lang == "en" {
		return ", "
	}
	return "、"
}

var funcs = template.FuncMap{
	"t": word,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(shanghai).Format("2006-01-02 15:04")
	},
	"clock": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(shanghai).Format("15:04:05")
	},
	"age": ageWords,
	"q":   url.QueryEscape,
	"has": func(role string, roles ...string) bool {
		for _, r := range roles {
			if r == role {
				return true
			}
		}
		return false
	},
	"pct": func(a, b int) string {
		if b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	},
	"join": strings.Join,
	"list": func(s ...string) []string { return s },
	// flash shows only messages the console itself names.
	"flash": func(key string) string {
		if _, ok := words[key]; ok && (strings.HasPrefix(key, "ok.") || strings.HasPrefix(key, "err.")) {
			return key
		}
		return ""
	},
	"isErr":  func(key string) bool { return strings.HasPrefix(key, "err.") },
	"prefix": func(p, s string) string { return p + s },
	"detail": detailWords,
	// devs names the devices of an alarm ("scanner, id-reader") in words.
	"devs": func(lang, kinds string) string {
		parts := strings.Split(kinds, ", ")
		for i, k := range parts {
			if _, ok := words["dev."+k]; ok {
				parts[i] = word(lang, "dev."+k)
			}
		}
		return strings.Join(parts, listSep(lang))
	},
	// tv is the words for a value a terminal reported (prefix+value), or
	// the value itself when the console has none.
	"tv": func(lang, prefix, value string) string {
		if _, ok := words[prefix+value]; ok {
			return word(lang, prefix+value)
		}
		return value
	},
	"add": func(a, b int) int { return a + b },
}

var shanghai = time.FixedZone("CST", 8*3600)

// ageWords says how long ago in a few characters, in lang: 45秒, 12分钟,
// 3小时, 2天; 45 s, 12 min, 3 h, 2 d.
func ageWords(lang string, d time.Duration) string {
	if d < 0 {
		return "−" + ageWords(lang, -d)
	}
	n, unit := int(d.Hours()/24), 3
	switch {
	case d < time.Minute:
		n, unit = int(d.Seconds()), 0
	case d < time.Hour:
		n, unit = int(d.Minutes()), 1
	case d < 48*time.Hour:
		n, unit = int(d.Hours()), 2
	}
	if lang == "en" {
		return fmt.Sprintf("%d %s", n, [...]string{"s", "min", "h", "d"}[unit])
	}
	return fmt.Sprintf("%d%s", n, [...]string{"秒", "分钟", "小时", "天"}[unit])
}

// detailWords shows an alarm's detail in lang: the console's own
// (alarmDetail: "@key arg") in words, a terminal's as it sent it.
func detailWords(lang, d string) string {
	key, arg, _ := strings.Cut(strings.TrimPrefix(d, "@"), " ")
	if _, ok := words["adetail."+key]; !ok || !strings.HasPrefix(d, "@") {
		return d
	}
	w := word(lang, "adetail."+key)
	if secs, err := strconv.Atoi(strings.TrimSuffix(arg, "s")); err == nil && strings.HasSuffix(arg, "s") && key == "silent.for" {
		arg = ageWords(lang, time.Duration(secs)*time.Second)
	}
	if strings.Contains(w, "%s") {
		return fmt.Sprintf(w, arg)
	}
	return w
}

func urlEscape(s string) string { return url.QueryEscape(s) }

var roles = []string{store.RoleStaff, store.RoleDirector, store.RoleOperator, store.RoleAuditor}
