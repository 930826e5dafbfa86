package setup

import "github.com/tongban/tongban/kiosk/provision"

// The set-up's words, for the technician (not residents): Chinese first,
// then English.
var words = map[string][2]string{
	"title":        {"终端首次设置", "First-time set-up"},
	"lang":         {"中文", "English"},
	"choose.lang":  {"请选择设置语言", "Choose the set-up language"},
	"center.name":  {"中心名称", "Center name"},
	"center.code":  {"中心代码", "Center code"},
	"terminal":     {"终端编号", "Terminal code"},
	"url":          {"后台地址", "Back office"},
	"token":        {"注册令牌", "Enrol token"},
	"hint":         {"令牌在后台“注册终端”页生成，以 tbe_ 开头", "The token is made on the back office's Enrol page: tbe_…"},
	"hint.url":     {"后台地址如 bo.example:8443", "Back office as bo.example:8443"},
	"next":         {"下一步", "Next"},
	"back":         {"返回修改", "Back"},
	"start":        {"开始设置", "Set up"},
	"retry":        {"重试", "Try again"},
	"zero":         {"正在按 U 盘上的设置文件自动设置", "Setting up from the provision file on the USB stick"},
	"working":      {"正在设置…", "Setting up…"},
	"done":         {"设置完成，正在启动终端", "Set up: the terminal is starting"},
	"failed":       {"这一步没有完成，请检查：", "This step did not finish; check:"},
	"missing":      {"还没有填写：", "Not filled in yet: "},
	"ok":           {"完成", "done"},
	"step.read":    {"读取设置", "Read the settings"},
	"step.enrol":   {"向后台注册（双向 TLS）", "Enrol with the back office (mutual TLS)"},
	"step.token":   {"从设置文件删除已用令牌", "Remove the used token from the file"},
	"step.config":  {"写入终端配置", "Write the terminal's configuration"},
	"no.provision": {"U 盘上没有设置文件：请逐项填写", "No provision file on the stick: fill in each item"},
}

var stepKeys = map[provision.Step]string{
	provision.StepRead:   "step.read",
	provision.StepEnrol:  "step.enrol",
	provision.StepToken:  "step.token",
	provision.StepConfig: "step.config",
}
