#!/usr/bin/env python3
"""Writes the first version of services-catalog/ from the tables in
gen_catalog_items*.py (facts of /work/shared/reference/catalog.md).

The committed JSON is the source of truth: a center reviews and edits the
JSON. Re-running this script overwrites it.

    python3 scripts/gen_catalog.py [OUTDIR]   (default: services-catalog)
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from catalog_common import DEPARTMENTS, LIFE_EVENTS, MATERIALS  # noqa: E402
import catalog_forms as F  # noqa: E402
from gen_catalog_items1 import ITEMS as ITEMS1  # noqa: E402
from gen_catalog_items2 import ITEMS as ITEMS2  # noqa: E402

VERSION = "2026.11.0"
EFFECTIVE = "2026-12-01"

SOURCES = {
    "W": "github.com/zhouzhuliang0901/wanda (Wondersgroup Shanghai kiosk codebase: item lists, guides, options.js)",
    "NX": "github.com/JluKobe/MyRepo TableConstruct/ (national exchange tables)",
    "GB46": "GB/T 39046—2020 政务服务平台基础数据规范",
    "P1": "上海市民政事业发展“十四五”规划, https://fgw.sh.gov.cn/sswghgy_zxghwb/20210824/690ef178a1f54357920e709cc583354d.html",
    "N1": "上海发布 2018-02-27, https://freewechat.com/a/MjM5NTA5NzYyMA==/2654033315/1",
    "N2": "上海法治报 2018-02-13, http://www.shfzb.com.cn/shfzb/html/2018-02/13/content_150406_697209.htm",
    "N3": "央广网 2018-02-27, http://hainiu11.com/newscenter/native/city/20180227/t20180227_524146251.shtml",
    "N4": "友谊路街道 24小时自助服务区, http://www.kefuqq.cn/zhineng/2020/0901/14354.html",
    "N5": "婚姻登记跨省通办, http://qiduow.com/news/show.php?itemid=1736665",
    "N6": "欧阳路街道预约办理通知, https://www.shhk.gov.cn/xwzx/002014/20220601/b95bc1d9-8b27-46b6-99d2-3574e678974b.html",
    "LT": "长护险试点办法摘要, http://lwstw.com/jijintouzi/zj3e9ispp9.html",
    "H1": "骨灰海葬补贴, https://www.guhuihaizang.com/shanghai/ask/142.html",
    "C1": "居住证办理指南 (third-party code, repository not identified)",
    "C2": "住房租赁合同网签备案全市通办 (third-party code, repository not identified)",
    "M1": "policy-matching mini-app (third-party code, repository not identified)",
    "ST": "city statistics citing https://tjj.sh.gov.cn/tjgb/20260330/e0772941e8e041eaaad2df850b44ef98.html",
}

ACTION = {"A": "apply", "Q": "query", "P": "print", "B": "appointment", "G": "guide", "T": "ticket"}


def forms():
    b = F.basic
    N, I, P, C = F.NAME, F.IDNO, F.PHONE, F.CONSENT
    f = F.f
    members = f("members", "family", "共同生活的家庭成员（姓名、身份证号、关系、户籍地、就业状况、月收入、是否残疾或重病）",
                "Household members (name, ID, relation, hukou, work, monthly income, disability or serious illness)")
    return {
        "basic": b(),
        "hardship": [N, I, P, F.HUKOU_ADDR, members,
                     f("reason", "text", "遇到了什么困难", "What difficulty you face", max=200),
                     F.SIGN, F.MEANS_CONSENT, C],
        "dibao": [N, I, P, F.HUKOU_ADDR] + F.bank() + [
            members,
            f("income_per_capita", "number", "家庭月人均收入（元）", "Household income per person per month (yuan)",
              help=("全家每月收入加起来，除以共同生活的人数", "Total monthly income divided by the number of people"), min=0, max=100000),
            f("housing", "choice", "住房情况", "Housing",
              options=[("own", "自有产权房", "Own home"), ("public", "公房租赁", "Public rented"),
                       ("rent", "租房", "Private rented"), ("other", "其他", "Other")]),
            f("reason", "text", "申请理由", "Why you apply", max=200),
            F.SIGN, F.MEANS_CONSENT, C],
        "certificate": F.certificate([
            ("benefit", "申请其他救助或补贴", "Another assistance or subsidy"),
            ("school", "子女入学或助学", "School enrolment or study aid"),
            ("medical", "医疗费用减免", "Medical fee relief"),
            ("other", "其他用途", "Other use")]),
        "means-test": [N, I, P,
                       f("purpose", "choice", "为办理什么事项核对", "What the check is for",
                         options=[("assistance", "社会救助", "Social assistance"), ("housing", "住房保障", "Housing security"),
                                  ("other", "其他", "Other")]),
                       F.SIGN, F.MEANS_CONSENT],
        "senior-allowance": [N, I, F.SEX, F.BIRTH, P] + F.contact_address() + [
            f("bank", "choice", "发放银行", "Paying bank",
              options=[("icbc", "工商银行", "ICBC"), ("bosc", "上海银行", "Bank of Shanghai")]),
            F.SIGN, C],
        "senior-card": [N, I, F.SEX, F.BIRTH, P] + F.contact_address() + [C],
        "care-assessment": [N, I, P,
                            f("live_address", "address", "老人现在住的地址（评估人员上门）", "Where the older person lives (for the home visit)"),
                            f("by_proxy", "yesno", "是家属或他人代办吗？", "Are you applying for someone else?"),
                            f("proxy_name", "text", "代办人姓名", "Proxy's name", visible_if='by_proxy == "yes"', max=20),
                            f("proxy_id", "id-number", "代办人身份证号码", "Proxy's ID number", visible_if='by_proxy == "yes"'),
                            f("setting", "choice", "希望的照护方式", "Preferred care setting",
                              options=[("home", "居家照护", "Care at home"), ("institution", "养老机构照护", "Care home"),
                                       ("hospital", "住院医疗护理", "Hospital nursing")]),
                            C],
        "marriage": [N, I, F.SEX, P,
                     f("reg_type", "choice", "办理什么登记", "Which registration",
                       options=[("marry", "结婚登记", "Marriage"), ("divorce", "离婚登记", "Divorce")]),
                     f("partner_name", "text", "对方姓名", "The other party's name", max=20),
                     f("partner_id", "id-number", "对方身份证号码", "The other party's ID number"),
                     f("office", "choice", "到哪个区的婚姻登记机关", "District registry", options=F.DISTRICTS),
                     f("date", "date", "预约日期（至少提前1天）", "Date (at least one day ahead)"),
                     C],
        "unemployment": [N, I, P, F.HUKOU_ADDR,
                         f("last_employer", "text", "最后工作的单位", "Last employer", required=False, max=50),
                         f("reason", "choice", "失业原因", "Why you are unemployed",
                           options=[("contract-end", "合同到期", "Contract ended"), ("dismissed", "单位解除", "Dismissed"),
                                    ("bankrupt", "单位关闭破产", "Employer closed"), ("other", "其他", "Other")]),
                         C],
        "with-bank": [N, I, P] + F.bank() + [C],
        "flexible": [N, I, P, F.HUKOU_ADDR,
                     f("work_type", "text", "从事什么工作", "What work you do", max=50),
                     f("start_date", "date", "开始灵活就业的日期", "Date you started"),
                     C],
        "flexible-subsidy": [N, I, P,
                             f("bank", "choice", "开户银行", "Bank",
                               options=[("icbc", "工商银行", "ICBC"), ("bosc", "上海银行", "Bank of Shanghai"),
                                        ("abc", "农业银行", "Agricultural Bank"), ("boc", "中国银行", "Bank of China"),
                                        ("ccb", "建设银行", "China Construction Bank"), ("bocom", "交通银行", "Bank of Communications")]),
                             f("account_kind", "choice", "账户类型", "Account type",
                               options=[("card", "银行卡", "Bank card"), ("passbook", "存折", "Passbook")]),
                             f("bank_account", "bank-account", "银行账号", "Account number"),
                             f("bank_account_confirm", "bank-account", "请再输入一次银行账号", "Enter the account number again"),
                             F.SIGN, C],
        "contact-update": [N, I, P, f("live_address", "address", "现居住地址", "Where you live now"), C],
        "ss-card": [N, I, P,
                    f("what", "choice", "要办什么", "What you need",
                      options=[("new", "第一次申领", "First card"), ("replace", "补办（丢失）", "Replace a lost card"),
                               ("renew", "换卡（损坏或到期）", "Replace a damaged or expired card"),
                               ("report-loss", "只挂失", "Report it lost only")]),
                    f("photo_ok", "yesno", "同意使用身份证照片制卡吗？", "May we use your ID-card photo on the card?",
                      visible_if='what != "report-loss"'),
                    f("pickup_district", "choice", "到哪个区的中心领卡", "District where you collect the card",
                      options=F.DISTRICTS, visible_if='what != "report-loss"'),
                    C],
        "card-loss": [N, I, P,
                      f("what", "choice", "要办什么", "What you need",
                        options=[("report", "挂失", "Report lost"), ("cancel", "撤销挂失", "Cancel the loss report")]),
                      C],
        "cross-province": [N, I, P,
                           f("kind", "choice", "备案类型", "Kind of registration",
                             options=[("retired", "异地安置退休", "Retired elsewhere"), ("resident", "异地长期居住", "Living elsewhere"),
                                      ("worker", "常驻异地工作", "Working elsewhere"), ("referral", "转外地就医", "Referred for treatment")]),
                           f("province_address", "text", "就医地（省、市）", "Province and city of treatment", max=30),
                           f("start_date", "date", "开始日期", "Start date"),
                           C],
        "family-sharing": [N, I, P,
                           f("family", "family", "授权使用的家庭成员（配偶、父母、子女）", "Family members you authorise (spouse, parents, children)"),
                           F.SIGN, C],
        "maternity": [N, I, F.SEX, P, F.HUKOU_ADDR,
                      f("live_address", "address", "居住地址", "Where you live"),
                      f("first_marriage", "yesno", "夫妻双方都是初婚吗？", "Is this the first marriage for both of you?"),
                      f("spouse_name", "text", "配偶姓名", "Spouse's name", max=20),
                      f("spouse_id", "id-number", "配偶身份证号码", "Spouse's ID number"),
                      f("marriage_cert_no", "text", "结婚证字号", "Marriage certificate number", max=30),
                      f("marriage_date", "date", "结婚登记日期", "Date of marriage registration"),
                      f("birth_date_child", "date", "生育日期", "Date of birth of the child"),
                      f("hospital", "text", "生育医院", "Hospital of birth", max=50),
                      f("delivery", "choice", "生育方式", "Kind of delivery",
                        options=[("1", "顺产", "Natural"), ("2", "剖宫产", "Caesarean")]),
                      f("multiple", "yesno", "是多胞胎吗？", "Twins or more?"),
                      f("children", "family", "新生儿（姓名、性别、出生证编号）", "Newborns (name, sex, birth certificate number)"),
                      ] + F.bank() + [F.SIGN, C],
        "birth-registration": [N, I, P,
                               f("spouse_name", "text", "配偶姓名", "Spouse's name", max=20),
                               f("spouse_id", "id-number", "配偶身份证号码", "Spouse's ID number"),
                               f("child_order", "choice", "这是第几个孩子", "Which child this is",
                                 options=[("1", "第一个", "First"), ("2", "第二个", "Second"), ("3", "第三个及以上", "Third or later")]),
                               f("due_date", "date", "预产期或出生日期", "Due date or date of birth"),
                               C],
        "residence-permit": [N, I, P,
                             f("live_address", "address", "在上海的居住地址", "Your address in Shanghai"),
                             f("registered_half_year", "yesno", "在上海办理居住登记满半年了吗？", "Have you been registered as resident for half a year?"),
                             f("basis", "choice", "申领依据", "On what basis",
                               options=[("job", "合法稳定就业", "Stable employment"), ("home", "合法稳定住所", "Stable home"),
                                        ("study", "连续就读", "Continuous study")]),
                             f("employer", "text", "工作单位名称", "Employer", visible_if='basis == "job"', max=50),
                             f("school", "text", "就读学校名称", "School", visible_if='basis == "study"', max=50),
                             F.SIGN, C],
        "residence-registration": [N, I, P,
                                   f("live_address", "address", "在上海的居住地址", "Your address in Shanghai"),
                                   f("housing", "choice", "住房类型", "Kind of housing",
                                     options=[("rent", "租赁", "Rented"), ("own", "自有产权", "Own home"),
                                              ("dorm", "单位集体宿舍", "Employer's dormitory"), ("relative", "投靠亲友", "With relatives")]),
                                   f("move_in", "date", "入住日期", "Date you moved in"),
                                   C],
        "hukou-separation": [N, I, P,
                             f("own_property", "yesno", "现在住的房子是您本人有产权的吗？", "Do you own the home you live in?"),
                             f("live_address", "address", "实际居住地址", "Where you actually live"),
                             f("property_cert_no", "text", "不动产权证号", "Property certificate number", max=40),
                             C],
        "purpose": [N, I, P,
                    f("purpose", "choice", "证明用途", "What it is for",
                      options=[("job", "就业", "Employment"), ("abroad", "出国（境）", "Going abroad"),
                               ("school", "入学", "School"), ("other", "其他", "Other")]),
                    C],
        "rating": [f("score", "choice", "您对本次服务满意吗？", "How satisfied are you?",
                     options=[("5", "非常满意", "Very satisfied"), ("4", "满意", "Satisfied"), ("3", "基本满意", "Fair"),
                              ("2", "不满意", "Dissatisfied"), ("1", "非常不满意", "Very dissatisfied")]),
                   f("comment", "text", "意见或建议（可不填）", "Comments (optional)", required=False, max=200)],
    }


SOURCED_FORMS = {"senior-allowance", "certificate", "maternity", "flexible-subsidy", "flexible-subsidy-hte", "marriage"}


def material(token):
    e = token.endswith("e")
    key = token[:-1] if e else token
    if "/" in key:
        parts = [MATERIALS[p] for p in key.split("/")]
        return {"name": {"zh": "或".join(p[0] for p in parts), "en": " or ".join(p[1] for p in parts)},
                "required": True, "form": "1"}
    zh, en, lic = MATERIALS[key]
    m = {"name": {"zh": zh, "en": en}, "required": True}
    if e:
        m["from_licence_library"] = True
        if lic:
            m["licence_catalog_code"] = lic
    m["form"] = "5" if key in ("表", "授", "困难情况说明") else "1"
    return m


def build(d, forms_by_name, dept_info):
    kinds = [c for c in d["k"].replace("+", "/").split("/")]
    actions = []
    for c in kinds:
        a = ACTION[c]
        if a not in actions:
            actions.append(a)
    for extra in ("ticket", "guide"):
        if extra not in actions:
            actions.append(extra)
    primary = ACTION[kinds[0]]
    inferred = ["summary", "type", "service_object", "project_type", "handle_forms", "tongban", "fees",
                "result", "life_events", "popularity", "keywords", "topic"]
    src_i = d["src"] == "I"
    if src_i:
        inferred += ["name", "department", "actions", "auth", "materials"]
    idreq = d["id"]
    if idreq == "Y":
        auth = ["idcard-face", "suishenma"]
    elif idreq == "N":
        auth = ["none"]
    else:
        auth = ["idcard-face", "suishenma", "none"]
    needs = []
    def need(n):
        if n not in needs:
            needs.append(n)
    for a in actions[:len(kinds)]:
        if a in ("apply",):
            if idreq.startswith("Y"):
                need("id-reader")
            need("printer")
        elif a == "query":
            if idreq.startswith("Y"):
                need("id-reader")
            need("back-office")
        elif a == "print":
            need("printer"); need("back-office")
        elif a == "appointment":
            need("back-office")
        elif a == "ticket":
            need("printer")
    if d["code"] == "case-progress":
        need("scanner")

    mats = []
    if "materials_override" in d:
        for zh, en, _ in d["materials_override"]:
            mats.append({"name": {"zh": zh, "en": en}, "required": True, "form": "1"})
    else:
        for t in d["mats"].split():
            mats.append(material(t))
    for code, tok in d.get("materials_extra", []):
        for m in mats:
            if m["name"]["zh"] == MATERIALS[tok][0]:
                m["code"] = code
    if mats:
        inferred.append("materials[].form")

    qp = primary in ("query", "print")
    if "who" in d:
        who = d["who"]
    elif qp:
        who = "本人持有效身份证件（或随申码）即可查询。" if idreq.startswith("Y") else "所有市民均可使用，无需身份证件。"
    else:
        who = "请到人工窗口咨询。"
    if not d.get("sourced_who"):
        inferred.append("who_can_apply")

    promise = d.get("promise", (0, "working-days"))
    if not d.get("sourced_promise"):
        inferred.append("promise")

    where = d.get("where")
    if "after" in d:
        after = d["after"]
    elif primary == "query":
        after = "结果当场显示在屏幕上；需要纸质件可点“打印”。"
    elif primary == "print":
        after = "当场打印，请取走打印件和身份证。"
    elif primary == "apply":
        after = "本机打印受理回执。凭回执编号可在本机“办件进度查询”或“随申办”查看进度，办好后会短信通知您。"
    elif primary == "appointment":
        after = "预约成功后打印预约凭证，请按预约时间带齐材料前往。"
    elif primary == "ticket":
        after = "取号后请留意叫号屏和语音叫号，到对应窗口办理。"
    else:
        place = where[0] if where else "本中心人工窗口"
        after = "本机提供办事指南，可以打印带走。请带齐材料到" + place + "办理；可在本机取号。"
    if not d.get("sourced_after"):
        inferred.append("after_done")

    dept = d["dept"]
    dcode, dzh, den, phone, phone_sourced = dept_info[dept]
    contact = d.get("contact", phone)
    if not (phone_sourced or contact == "962222" or contact != phone and contact in ("962222",)):
        inferred.append("contact")
    lines = [{"name": {"zh": dzh + "服务热线", "en": den + " hotline"}, "number": contact}]
    if contact != "12345":
        lines.append({"name": {"zh": "市民服务热线", "en": "Citizens' hotline"}, "number": "12345"})

    rules = []
    for when, reason, instead, instead_item in d.get("rules", []):
        r = {"when": when, "reason": {"zh": reason}}
        if instead:
            r["instead"] = {"zh": instead}
        if instead_item:
            r["instead_item"] = instead_item
        rules.append(r)
    if rules and not d.get("sourced_who"):
        inferred.append("rules")

    acc = d.get("acc", who)
    if not d.get("sourced_who"):
        inferred.append("accept_condition")

    typ = d["typ"]
    result = d.get("result")
    if result:
        res = {"type": result[0], "name": {"zh": result[1], "en": result[2]}}
    elif primary in ("query", "print", "guide", "ticket", "appointment"):
        res = {"type": "99"}
    else:
        res = {"type": "30", "name": {"zh": "办理结果通知", "en": "Notice of the decision"}}

    tong = d.get("tongban")
    if tong:
        tongban = {"city_wide": True, "mode": tong}
        if tong == "direct" and d["code"] in ("senior-allowance", "senior-card"):
            inferred.remove("tongban")
    elif dept in ("MZ", "FG") and primary == "guide":
        tongban = {"city_wide": True, "mode": "separated"}
    else:
        tongban = {"city_wide": True, "mode": "direct"}

    item = {
        "code": d["code"],
        "name": {"zh": d["zh"], "en": d["en"]},
        "summary": {"zh": d["sum"][0], "en": d["sum"][1]},
        "department": dept,
        "actions": actions,
    }
    if needs:
        item["needs"] = needs
    item["who_can_apply"] = {"zh": who}
    if mats:
        item["materials"] = mats
    item["promise"] = {"days": promise[0], "unit": promise[1]}
    item["after_done"] = {"zh": after}
    item["contact"] = contact
    formname = d.get("form")
    if formname is None and ("apply" in actions[:len(kinds)]):
        formname = "basic"
    if formname:
        item["form"] = forms_by_name[formname]
        if formname not in SOURCED_FORMS:
            inferred.append("form")
    if d.get("life"):
        item["life_events"] = d["life"]
    item["popularity"] = d.get("pop", 1)
    if d.get("codes"):
        item["codes"] = d["codes"]
    item["type"] = typ
    item["service_object"] = ["1"]
    if d.get("topic"):
        item["topic"] = d["topic"]
    item["project_type"] = "1" if promise[0] == 0 else "2"
    item["handle_forms"] = d.get("handle", ["1", "2", "3"])
    item["tongban"] = tongban
    if d.get("sourced_fees"):
        inferred.remove("fees")
    item["accept_condition"] = {"zh": acc}
    if rules:
        item["rules"] = rules
    item["result"] = res
    if where:
        item["where"] = {"zh": where[0], "en": where[1]}
    elif primary == "guide":
        item["where"] = {"zh": "本中心人工窗口", "en": "The staffed counter of this center"}
    item["contact_lines"] = lines
    if d.get("faq"):
        item["faq"] = [{"question": {"zh": q[0], "en": q[1]}, "answer": {"zh": a[0], "en": a[1]}} for q, a in d["faq"]]
    item["auth"] = auth
    if d.get("kw"):
        item["keywords"] = d["kw"]
    rel = [r[3] for r in d.get("rules", []) if r[3]]
    if rel:
        item["related"] = sorted(set(rel))
    item["sources"] = [s for s in d["src"].split(",") if s != "I"]
    if not item["sources"]:
        del item["sources"]
    item["inferred"] = sorted(f for f in set(inferred) if f.split(".")[0].split("[")[0] in item)
    return item


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "services-catalog")
    items_dir = os.path.join(out, "items")
    if os.path.isdir(items_dir):
        shutil.rmtree(items_dir)
    dept_info = {d[0]: d for d in DEPARTMENTS}
    fb = forms()
    fb["flexible-subsidy-hte"] = fb["flexible-subsidy"][:3] + [
        F.f("hard_to_employ", "yesno", "您已经被认定为就业困难人员了吗？", "Have you been recognised as hard to employ?")
    ] + fb["flexible-subsidy"][3:]
    seen = set()
    for d in ITEMS1 + ITEMS2:
        assert d["code"] not in seen, d["code"]
        seen.add(d["code"])
        item = build(d, fb, dept_info)
        path = os.path.join(items_dir, d["dept"].lower(), d["code"] + ".json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(item, fh, ensure_ascii=False, indent=2)
            fh.write("\n")

    def write(name, obj):
        with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
            json.dump(obj, fh, ensure_ascii=False, indent=2)
            fh.write("\n")

    write("catalog.json", {
        "version": VERSION,
        "effective": EFFECTIVE,
        "title": {"zh": "上海市社区事务受理服务中心自助终端事项目录", "en": "Shanghai community center self-service catalog"},
        "sources": SOURCES,
    })
    write("departments.json", [
        {"code": c, "name": {"zh": zh, "en": en}, "hotline": ph, "order": i + 1}
        for i, (c, zh, en, ph, _) in enumerate(DEPARTMENTS)])
    write("life_events.json", [
        {"id": i, "name": {"zh": zh, "en": en}, "order": n + 1} for n, (i, zh, en) in enumerate(LIFE_EVENTS)])
    print("wrote", len(seen), "items to", out)


if __name__ == "__main__":
    main()
