"""
Thai words the demo rows are drawn from: dropdown lists, names, enterprises and notes.

The dropdown values follow the roles and activities of the operating manual (§4 roles, §6.3
activities); the names are common Thai given and family names with a romanised form for
e-mail addresses.
"""

from __future__ import annotations

from rules import headers as h

ACTIVITY_TYPES: tuple[str, ...] = (
    "ฝึกอบรม",
    "สัมมนาเชิงปฏิบัติการ",
    "ศึกษาดูงาน",
    "ให้คำปรึกษาเชิงลึก",
    "กิจกรรมสร้างทีม (Team-building)",
    "เจรจาจับคู่ธุรกิจ",
    "ออกงานแสดงสินค้า",
)
"""Activities of a cluster's development plan (operating manual §6.3)."""

LONG_ACTIVITY_TYPE = "ให้คำปรึกษาเชิงลึก"
"""The one activity that runs for weeks or months rather than a few days."""

STATUS_DONE = "ดำเนินการแล้วเสร็จ"
STATUS_ONGOING = "อยู่ระหว่างดำเนินการ"
STATUSES: tuple[str, ...] = (STATUS_DONE, STATUS_ONGOING, h.CANCELLED)

PARTICIPATIONS: tuple[str, ...] = ("รายใหม่", "รายเดิม (ต่อเนื่อง)")
"""New or continuing members, the two development tracks of the operating manual §6.3."""

MEMBER_TYPES: tuple[str, ...] = (
    "ผู้ประกอบการ",
    "สมาชิกกลุ่มอุตสาหกรรม",
    "ประธานกลุ่มอุตสาหกรรม",
    "ผู้ประสานงานคลัสเตอร์ (CDA)",
    "บุคลากรของสถานประกอบการ",
)
"""Roles of the operating manual §4, with the entrepreneur's staff who also attend."""

GENDER_MALE = "ชาย"
GENDER_FEMALE = "หญิง"
GENDERS: tuple[str, ...] = (GENDER_MALE, GENDER_FEMALE, "ไม่ระบุ")

WRONG_DROPDOWN_VALUES: dict[str, tuple[str, ...]] = {
    h.ACTIVITY_TYPE: ("อบรม", "สัมมนา", "ดูงาน"),
    h.STATUS: ("เสร็จแล้ว", "ปิดกิจกรรม"),
    h.PARTICIPATION_STATUS: ("เข้าร่วม", "ใหม่"),
    h.MEMBER_TYPE: ("สมาชิก", "เจ้าของกิจการ"),
    h.GENDER: ("ช", "ญ", "M"),
}
"""Values people type instead of picking from the dropdown; none is in its list."""

GIVEN_MALE: tuple[tuple[str, str], ...] = (
    ("สมชาย", "somchai"),
    ("สมศักดิ์", "somsak"),
    ("ประเสริฐ", "prasert"),
    ("วิชัย", "wichai"),
    ("สุรชัย", "surachai"),
    ("ธนากร", "thanakorn"),
    ("ณัฐพล", "natthaphon"),
    ("อนุชา", "anucha"),
    ("กิตติพงษ์", "kittipong"),
    ("ชัยวัฒน์", "chaiwat"),
    ("ปิยะพงษ์", "piyapong"),
    ("วีระ", "weera"),
    ("สุริยา", "suriya"),
    ("บุญมี", "boonmee"),
    ("ธีรวัฒน์", "teerawat"),
    ("พงศกร", "pongsakorn"),
    ("เกรียงไกร", "kriangkrai"),
    ("อภิชาติ", "apichat"),
    ("ศุภชัย", "supachai"),
    ("ธนวัฒน์", "thanawat"),
    ("สมพงษ์", "sompong"),
    ("ไพโรจน์", "pairoj"),
    ("ชาญวิทย์", "chanwit"),
    ("นิพนธ์", "niphon"),
)

GIVEN_FEMALE: tuple[tuple[str, str], ...] = (
    ("สมหญิง", "somying"),
    ("มาลี", "malee"),
    ("สุดารัตน์", "sudarat"),
    ("กาญจนา", "kanjana"),
    ("วันเพ็ญ", "wanpen"),
    ("ปราณี", "pranee"),
    ("อรุณี", "arunee"),
    ("นภัสสร", "napatsorn"),
    ("พิมพ์ชนก", "pimchanok"),
    ("ศิริพร", "siriporn"),
    ("จันทร์เพ็ญ", "janpen"),
    ("รัตนา", "rattana"),
    ("สุภาพร", "supaporn"),
    ("ณัฐธิดา", "natthida"),
    ("อัมพร", "amporn"),
    ("ลำดวน", "lamduan"),
    ("ปวีณา", "paweena"),
    ("ชุติมา", "chutima"),
    ("กัลยา", "kanlaya"),
    ("วราภรณ์", "waraporn"),
    ("บุษบา", "budsaba"),
    ("เยาวลักษณ์", "yaowalak"),
    ("ดวงใจ", "duangjai"),
    ("ทิพวรรณ", "thippawan"),
)

FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("ใจดี", "jaidee"),
    ("สุขสวัสดิ์", "suksawat"),
    ("ศรีสุข", "srisuk"),
    ("วงศ์สวัสดิ์", "wongsawat"),
    ("ทองดี", "thongdee"),
    ("แก้วมณี", "kaewmanee"),
    ("บุญเรือง", "boonruang"),
    ("สมบูรณ์", "somboon"),
    ("จันทร์แก้ว", "chankaew"),
    ("พรหมมา", "promma"),
    ("ศรีวงศ์", "sriwong"),
    ("มีสุข", "meesuk"),
    ("รุ่งเรือง", "rungruang"),
    ("เพชรรัตน์", "petcharat"),
    ("นาคสุวรรณ", "naksuwan"),
    ("อินทร์แก้ว", "inkaew"),
    ("ปัญญาดี", "panyadee"),
    ("บุญมา", "boonma"),
    ("สายทอง", "saithong"),
    ("คำแสน", "khamsaen"),
    ("ธนสาร", "thanasan"),
    ("วัฒนกุล", "wattanakul"),
    ("เจริญผล", "charoenphon"),
    ("ชัยมงคล", "chaimongkol"),
    ("ศักดิ์ศรี", "saksri"),
    ("พิทักษ์ไทย", "phithakthai"),
    ("หอมจันทร์", "homchan"),
    ("ทองคำ", "thongkham"),
    ("สิงห์ทอง", "singthong"),
    ("กิตติวงศ์", "kittiwong"),
)

TITLES_MALE: tuple[str, ...] = ("นาย",)
TITLES_FEMALE: tuple[str, ...] = ("นาง", "นางสาว")

EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "hotmail.com",
    "yahoo.com",
    "outlook.co.th",
)

PRODUCTS: tuple[tuple[str, int], ...] = (
    ("ผลไม้แปรรูป", 10309),
    ("ขนมไทย", 10711),
    ("ขนมอบ", 10712),
    ("น้ำพริกและเครื่องแกง", 10795),
    ("ข้าวแปรรูป", 10612),
    ("กาแฟคั่ว", 10791),
    ("เครื่องดื่มสมุนไพร", 11042),
    ("ผ้าทอมือ", 13121),
    ("ผ้าไหม", 13122),
    ("เสื้อผ้าสำเร็จรูป", 14111),
    ("กระเป๋าหนัง", 15121),
    ("เฟอร์นิเจอร์ไม้", 31001),
    ("ของตกแต่งบ้านจากไม้", 16292),
    ("เครื่องสำอางสมุนไพร", 20232),
    ("เซรามิก", 23931),
    ("เครื่องจักสาน", 16293),
)
"""Product groups of the cluster SMEs with a five-digit TSIC code for each."""

ENTERPRISE_STEMS: tuple[str, ...] = (
    "ทองดี",
    "ศรีสุข",
    "รุ่งเรือง",
    "เจริญผล",
    "บ้านสวน",
    "แม่มาลี",
    "ล้านนา",
    "อีสานรุ่ง",
    "ทะเลใต้",
    "สยาม",
    "ภูผา",
    "ชัยมงคล",
    "สุขใจ",
    "ไทยเจริญ",
    "วัฒนา",
    "ดอยคำ",
)

ROADS: tuple[str, ...] = (
    "มิตรภาพ",
    "พหลโยธิน",
    "สุขุมวิท",
    "เพชรเกษม",
    "ราชดำเนิน",
    "เจริญกรุง",
    "นิมมานเหมินท์",
    "ศรีจันทร์",
    "-",
)

REMARKS: tuple[str, ...] = (
    "ส่งเอกสารครบแล้ว",
    "รอเอกสารเพิ่มเติม",
    "เข้าร่วมผ่าน Zoom",
    "ผู้ประกอบการรายใหม่ในพื้นที่",
)

CANCEL_REMARK = "ผู้ประกอบการแจ้งยกเลิกการเข้าร่วม"

LOCAL_NOTES: tuple[str, ...] = (
    "โทรยืนยันแล้ว",
    "ติดต่อไม่ได้",
    "ส่งใบสมัครทางไลน์",
)
"""Notes a regional centre keeps in its own extra column."""

NOT_A_NUMBER: tuple[str, ...] = ("ไม่ทราบ", "ไม่มีข้อมูล", "รอข้อมูล")
"""What people type into a number column when they have no figure."""

MONTHS_SHORT: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_LONG: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)

SECTION_ACTIVITY = "ข้อมูลกิจกรรม"
SECTION_PARTICIPANT = "ข้อมูลผู้เข้าร่วม"
SECTION_ADDRESS = "ที่อยู่"
SECTION_ENTERPRISE = "ข้อมูลสถานประกอบการ"
SECTION_RESULTS = "ผลการดำเนินงาน (ก่อน/หลัง)"
SECTION_SATISFACTION = "ความพึงพอใจ"
SECTION_OTHER = "อื่น ๆ"

ACTIVITY_TITLE = "5.1-2 การพัฒนาองค์ความรู้และศักยภาพด้านการบริหารจัดการ"
"""The activity of the operating manual's reporting-form example (appendix)."""

CLUSTER_TRADES: tuple[str, ...] = (
    "อาหารแปรรูป",
    "ผ้าทอและเครื่องนุ่งห่ม",
    "เครื่องจักสาน",
    "สมุนไพรและเครื่องสำอาง",
    "ชิ้นส่วนยานยนต์",
    "เซรามิก",
    "ผลิตภัณฑ์ยางพารา",
)
"""What each regional centre's cluster group makes (one group per centre in the demo)."""

RESULTS_ACTIVITY_TITLE = "5.1-1 การปรับธุรกิจให้รองรับการเปลี่ยนแปลง"
"""The activity of the appendix's Part 2 (results) screenshot."""

TAB_TITLE = "แบบรายงานผลการดำเนินงาน"
