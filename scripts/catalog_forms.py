"""Form building blocks for scripts/gen_catalog.py (kiosk.Field as dicts)."""


def f(id, type, zh, en, required=True, prefill=None, options=None,
      visible_if=None, help=None, min=None, max=None):
    d = {"id": id, "type": type, "label": {"zh": zh, "en": en}}
    if help:
        d["help"] = {"zh": help[0], "en": help[1]}
    if required:
        d["required"] = True
    if prefill:
        d["prefill"] = prefill
    if options:
        d["options"] = [{"value": v, "label": {"zh": z, "en": e}} for v, z, e in options]
    if visible_if:
        d["visible_if"] = visible_if
    if min is not None:
        d["min"] = min
    if max is not None:
        d["max"] = max
    return d


NAME = f("name", "text", "姓名", "Name", prefill="name")
IDNO = f("id_number", "id-number", "身份证号码", "ID number", prefill="id-number")
SEX = f("sex", "choice", "性别", "Sex", prefill="sex",
        options=[("male", "男", "Male"), ("female", "女", "Female")])
BIRTH = f("birth_date", "date", "出生日期", "Date of birth", prefill="birth-date")
HUKOU_ADDR = f("id_address", "address", "身份证地址（户籍地址）", "Address on the ID card (hukou address)", prefill="address")
PHONE = f("phone", "phone", "手机号码", "Mobile phone",
          help=("办理进度会发短信到这个号码", "Progress messages go to this number"))
SIGN = f("signature", "signature", "请在下方签名", "Please sign below")
CONSENT = f("consent", "consent",
            "我确认填写的信息真实，同意用于办理本事项。",
            "I confirm the information is true and agree to its use for this service.")
MEANS_CONSENT = f("means_test_consent", "consent",
                  "我和共同生活的家庭成员同意居民经济状况核对机构核对家庭收入和财产。",
                  "My household and I consent to the means-test office checking our income and assets.")


def basic():
    """The least every apply item asks: who (from the card), a phone, consent."""
    return [NAME, IDNO, PHONE, CONSENT]


def contact_address():
    return [
        HUKOU_ADDR,
        f("same_address", "yesno", "现在住的地方就是身份证上的地址吗？",
          "Do you live at the address on your ID card?"),
        f("live_address", "address", "现居住地址", "Where you live now",
          visible_if='same_address == "no"'),
    ]


def bank(choices=None):
    fields = []
    if choices:
        fields.append(f("bank", "choice", "发放银行", "Paying bank", options=choices))
    fields.append(f("bank_account", "bank-account", "本人银行卡号", "Your bank card number",
                    help=("请使用本人实名的银行卡", "Use a card in your own name")))
    fields.append(f("bank_account_confirm", "bank-account", "请再输入一次银行卡号",
                    "Enter the card number again"))
    return fields


DISTRICTS = [
    ("huangpu", "黄浦区", "Huangpu"), ("xuhui", "徐汇区", "Xuhui"), ("changning", "长宁区", "Changning"),
    ("jingan", "静安区", "Jing'an"), ("putuo", "普陀区", "Putuo"), ("hongkou", "虹口区", "Hongkou"),
    ("yangpu", "杨浦区", "Yangpu"), ("minhang", "闵行区", "Minhang"), ("baoshan", "宝山区", "Baoshan"),
    ("jiading", "嘉定区", "Jiading"), ("pudong", "浦东新区", "Pudong"), ("fengxian", "奉贤区", "Fengxian"),
    ("songjiang", "松江区", "Songjiang"), ("jinshan", "金山区", "Jinshan"), ("qingpu", "青浦区", "Qingpu"),
    ("chongming", "崇明区", "Chongming"),
]


def certificate(purposes):
    """The five 证明出具 items (reference/catalog.md §3.4)."""
    opts = purposes + [("low-rent-housing", "申请廉租住房", "Low-rent housing application")]
    return [
        NAME, IDNO,
        f("nation", "text", "民族", "Ethnic group", max=10),
        PHONE, HUKOU_ADDR,
        f("live_address", "address", "居住地址", "Where you live"),
        f("purpose", "choice", "出证用途", "What the certificate is for", options=opts),
        f("send_to_street", "address", "发往单位所属区和街道（住房保障办公室）",
          "District and street of the housing-security office it goes to",
          visible_if='purpose == "low-rent-housing"'),
        f("send_to_org", "text", "发往单位名称", "Name of the office it goes to",
          visible_if='purpose != "low-rent-housing"', max=50),
        f("pickup", "choice", "取件方式", "How to collect it",
          options=[("centre", "到社区事务受理服务中心自取", "Collect at a community center"),
                   ("ems", "邮政快递（EMS）寄送", "Send by EMS")]),
        f("pickup_centre", "choice", "到哪个区的中心取", "District of the center", options=DISTRICTS,
          visible_if='pickup == "centre"'),
        f("ems_name", "text", "收件人姓名", "Recipient's name", visible_if='pickup == "ems"', max=20),
        f("ems_phone", "phone", "收件人手机号码", "Recipient's mobile", visible_if='pickup == "ems"'),
        f("ems_address", "address", "收件地址", "Delivery address", visible_if='pickup == "ems"'),
        f("ems_postcode", "number", "邮政编码（6位）", "Postcode (6 digits)", visible_if='pickup == "ems"',
          min=100000, max=999999),
        CONSENT,
    ]
