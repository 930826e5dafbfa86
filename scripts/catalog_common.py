"""Shared vocabulary of the catalog generator (scripts/gen_catalog.py).

The committed JSON under services-catalog/ is the source of truth; this
script only wrote its first version. Edit the JSON directly afterwards, or
edit here and re-run: `python3 scripts/gen_catalog.py`.
"""

DEPARTMENTS = [
    # code, zh, en, default hotline (number, sourced?)
    ("MZ", "市民政局", "Civil Affairs", "962200", True),
    ("RS", "市人力资源社会保障局", "Human Resources and Social Security", "12333", False),
    ("YB", "市医疗保障局", "Healthcare Security", "962218", True),
    ("WJ", "市卫生健康委", "Health Commission", "12345", False),
    ("GA", "市公安局", "Public Security", "12345", False),
    ("CL", "市残疾人联合会", "Disabled Persons' Federation", "12345", False),
    ("FG", "市住房城乡建设管理委", "Housing and Urban-Rural Development", "12345", False),
    ("GZ", "市规划资源局", "Planning and Natural Resources", "12345", False),
    ("GJJ", "市公积金管理中心", "Housing Provident Fund", "12329", False),
    ("TY", "市退役军人事务局", "Veterans Affairs", "12345", False),
    ("GH", "市总工会", "Federation of Trade Unions", "12351", False),
    ("LS", "市粮食和物资储备局", "Food and Strategic Reserves", "12345", False),
    ("DA", "市档案局", "Archives", "12345", False),
    ("ZH", "综合服务", "General services", "12345", False),
]

LIFE_EVENTS = [
    ("birth", "出生", "Having a baby"),
    ("school", "上学", "Going to school"),
    ("employment", "就业", "Work and jobs"),
    ("marriage", "婚姻", "Marriage"),
    ("elderly", "养老", "Growing older"),
    ("assistance", "救助", "Help in hardship"),
    ("disability", "残疾", "Disability"),
    ("after-death", "身后事", "When someone dies"),
]

# Material tokens of reference/catalog.md §2. Value: zh, en, licence code.
MATERIALS = {
    "身": ("居民身份证", "Resident ID card", "310105109000100"),
    "户": ("户口簿或户籍证明", "Household register or hukou certificate", "310105105000100"),
    "社": ("社会保障卡", "Social-security card", ""),
    "银": ("本人实名银行卡", "Bank card in your own name", ""),
    "照": ("近期免冠照片", "Recent photo, no hat", ""),
    "表": ("申请表（在本机填写并签名）", "Application form (filled in and signed on screen)", ""),
    "授": ("居民家庭经济状况核对授权书（在本机签名）", "Consent to the household means test (signed on screen)", ""),
    "结婚证": ("结婚证", "Marriage certificate", "310105127000101"),
    "残疾证": ("残疾人证", "Disability certificate", ""),
    "居住证": ("上海市居住证", "Shanghai residence permit", ""),
    "就业创业证": ("就业创业证（或劳动手册）", "Employment and entrepreneurship card (or labour handbook)", ""),
    "评估结论": ("老年照护统一需求评估结论", "Result of the unified elderly-care needs assessment", ""),
    "医疗费票据": ("医疗费用票据", "Medical bills", ""),
    "病历": ("病历", "Medical records", ""),
    "死亡证明": ("居民死亡医学证明", "Medical certificate of death", ""),
    "火化证明": ("火化证明", "Cremation certificate", ""),
    "租赁或产权证明": ("房屋产权证明或租赁备案证明", "Proof of property ownership or a filed lease", ""),
    "产权证明": ("房屋产权证明", "Proof of property ownership", ""),
    "租赁合同": ("房屋租赁合同", "Lease contract", ""),
    "困难情况说明": ("困难情况说明（在本机填写）", "Statement of your difficulty (written on screen)", ""),
    "家庭成员材料": ("家庭成员身份证件和收入证明", "Family members' ID and income proof", ""),
    "受理凭证": ("受理回执或办件编号", "Acceptance receipt or case number", ""),
    "退伍证": ("退出现役证明（退伍证）", "Discharge certificate", ""),
    "监护人身": ("监护人居民身份证", "Guardian's resident ID card", ""),
    "代办人身": ("代办人居民身份证", "Proxy's resident ID card", ""),
    "双方身": ("双方居民身份证", "Both parties' resident ID cards", ""),
    "居住证明": ("居住证明（产权、租赁备案或集体宿舍证明）", "Proof of residence (ownership, filed lease or dormitory)", ""),
    "婚姻状况证明": ("婚姻状况证明", "Proof of marital status", ""),
    "生育医学证明": ("《生育医学证明》（红联和黄联）", "Birth medical certificate (red and yellow copies)", ""),
}
