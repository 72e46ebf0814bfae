//! Synthetic people and organisations: Vietnamese names drawn from lists of common family,
//! middle and given names (so no real person is described), citizen ID (CCCD) numbers with
//! the real layout, phone numbers, e-mail addresses at `example.vn`, addresses in Hải Phòng
//! and company names.

use crate::rng::{chance, digits, pick, pick_str, weighted};
use crate::text::slug;
use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

/// Common family names with rough shares in northern Vietnam (per cent).
const FAMILY: &[(&str, f64)] = &[
    ("Nguyễn", 36.0),
    ("Trần", 11.0),
    ("Lê", 9.0),
    ("Phạm", 8.0),
    ("Vũ", 5.0),
    ("Hoàng", 4.5),
    ("Đỗ", 3.0),
    ("Bùi", 3.0),
    ("Đặng", 2.5),
    ("Ngô", 2.0),
    ("Phan", 1.8),
    ("Đinh", 1.5),
    ("Đào", 1.5),
    ("Dương", 1.2),
    ("Lương", 1.0),
    ("Trịnh", 1.0),
    ("Mai", 0.8),
    ("Đoàn", 0.8),
    ("Cao", 0.7),
    ("Hà", 0.7),
    ("Lưu", 0.6),
    ("Tô", 0.5),
    ("Phí", 0.4),
    ("Tạ", 0.4),
    ("Vương", 0.3),
    ("Lại", 0.3),
];

const MIDDLE_MALE: &[&str] = &[
    "Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Ngọc", "Mạnh", "Trọng", "Duy",
    "Tiến", "Hoàng", "Anh", "Thế",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Bích", "Kim", "Khánh",
    "Diệu", "Hải", "Mai",
];
const GIVEN_MALE: &[&str] = &[
    "An", "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
    "Khánh", "Khoa", "Kiên", "Long", "Lâm", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn",
    "Tài", "Thắng", "Thành", "Thịnh", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng",
];
const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huyền", "Hương", "Lan", "Liên",
    "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang",
    "Trinh", "Uyên", "Vân", "Yến", "Hậu", "Lương", "Tâm",
];

/// A synthetic person.
#[derive(Debug, Clone)]
pub struct Person {
    pub full_name: String,
    pub male: bool,
    pub birth: NaiveDate,
    pub cccd: String,
    pub cccd_issued: NaiveDate,
    pub phone: String,
    pub email: String,
}

/// A Vietnamese full name: family, middle and given name.
pub fn full_name(rng: &mut StdRng, male: bool) -> String {
    let weights: Vec<f64> = FAMILY.iter().map(|(_, w)| *w).collect();
    let family = FAMILY[weighted(rng, &weights)].0;
    let (middle, given) = if male {
        (*pick(rng, MIDDLE_MALE), *pick(rng, GIVEN_MALE))
    } else {
        (*pick(rng, MIDDLE_FEMALE), *pick(rng, GIVEN_FEMALE))
    };
    // Some people have a two-part middle name ("Nguyễn Thị Thu Hà").
    if chance(rng, 0.12) {
        let second = if male {
            *pick(rng, &["Minh", "Quốc", "Hoàng", "Tuấn"])
        } else {
            *pick(rng, &["Thu", "Ngọc", "Thanh", "Mai"])
        };
        if second != middle && second != given {
            return format!("{family} {middle} {second} {given}");
        }
    }
    format!("{family} {middle} {given}")
}

/// A citizen ID (CCCD) number: province of birth registration (3 digits: 031 Hải Phòng,
/// 030 Hải Dương, or another province), a sex-and-century digit, the last two digits of the
/// birth year, and six random digits.
pub fn cccd(rng: &mut StdRng, male: bool, birth_year: i32) -> String {
    let province = *pick(
        rng,
        &[
            "031", "031", "031", "031", "030", "030", "030", "001", "022", "034", "033", "036", "079",
        ],
    );
    let century = if birth_year >= 2000 { 2 } else { 0 } + if male { 0 } else { 1 };
    format!("{province}{century}{:02}{}", birth_year.rem_euclid(100), digits(rng, 6))
}

/// A mobile phone number: 10 digits starting with a Vietnamese network prefix.
pub fn phone(rng: &mut StdRng) -> String {
    let prefix = *pick(
        rng,
        &[
            "090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "070", "077", "079", "081", "083",
            "084", "085", "032", "033", "034", "035", "036", "037", "038", "039", "056", "058",
        ],
    );
    format!("{prefix}{}", digits(rng, 7))
}

/// A synthetic person born between `min_age` and `max_age` years before `today`.
pub fn person(rng: &mut StdRng, today: NaiveDate, min_age: i32, max_age: i32) -> Person {
    let male = chance(rng, 0.5);
    let full_name = full_name(rng, male);
    let age_days = rng.gen_range(i64::from(min_age) * 365..=i64::from(max_age) * 365);
    let birth = today - chrono::Duration::days(age_days);
    let cccd = cccd(rng, male, chrono::Datelike::year(&birth));
    let issued_days_ago = rng.gen_range(30..=9 * 365).min(age_days - 14 * 365).max(30);
    let cccd_issued = today - chrono::Duration::days(issued_days_ago);
    let phone = phone(rng);
    let email = format!("{}{}@example.vn", slug(&full_name), rng.gen_range(1..1000));
    Person {
        full_name,
        male,
        birth,
        cccd,
        cccd_issued,
        phone,
        email,
    }
}

const STREETS_CITY: &[&str] = &[
    "đường Lạch Tray",
    "đường Trần Phú",
    "đường Điện Biên Phủ",
    "đường Lê Lợi",
    "đường Tô Hiệu",
    "đường Nguyễn Văn Linh",
    "đường Hùng Vương",
    "đường Lê Thánh Tông",
    "đường Văn Cao",
    "đường Trần Nguyên Hãn",
    "đường Lê Hồng Phong",
    "đường Nguyễn Lương Bằng",
    "đường Thanh Niên",
    "đường Trần Hưng Đạo",
    "đường Bạch Đằng",
    "phố Cầu Đất",
    "phố Quang Trung",
    "phố Tam Bạc",
];
const STREETS_RURAL: &[&str] = &[
    "thôn Đông",
    "thôn Đoài",
    "thôn Trung",
    "thôn Thượng",
    "thôn Hạ",
    "thôn Nam",
    "thôn Bắc",
    "khu dân cư số 1",
    "khu dân cư số 2",
    "khu dân cư số 3",
    "tổ dân phố số 4",
    "tổ dân phố số 7",
];

/// An address in a commune-level unit of Hải Phòng, e.g. "Số 12, đường Lạch Tray, Phường
/// Lê Chân, thành phố Hải Phòng".
pub fn address(rng: &mut StdRng, commune_full_name: &str) -> String {
    let urban = commune_full_name.starts_with("Phường");
    if urban {
        format!(
            "Số {}, {}, {}, thành phố Hải Phòng",
            rng.gen_range(1..400),
            pick(rng, STREETS_CITY),
            commune_full_name
        )
    } else {
        format!(
            "{}, {}, thành phố Hải Phòng",
            capital_first(pick_str(rng, STREETS_RURAL)),
            commune_full_name
        )
    }
}

fn capital_first(s: &str) -> String {
    crate::text::capitalise(s)
}

const COMPANY_FORMS: &[&str] = &[
    "Công ty TNHH",
    "Công ty TNHH",
    "Công ty TNHH",
    "Công ty Cổ phần",
    "Công ty Cổ phần",
    "Doanh nghiệp tư nhân",
    "Hợp tác xã",
];
const COMPANY_BRANDS: &[&str] = &[
    "Hải Long",
    "Minh Phát",
    "Thành Đạt",
    "Phú Thịnh",
    "Đông Hải",
    "An Khang",
    "Hoàng Gia",
    "Tân Cảng",
    "Bạch Đằng",
    "Duyên Hải",
    "Sao Biển",
    "Hưng Thịnh",
    "Việt Nhật",
    "Kinh Môn",
    "Thanh Hà",
    "Hồng Bàng",
    "Ngọc Sơn",
    "Trường Giang",
    "Vạn Xuân",
    "Lạc Hồng",
    "Cát Bà",
    "Đại Dương",
    "Phúc Lộc",
    "Quang Minh",
];
const COMPANY_TRADES: &[&str] = &[
    "Thương mại và Dịch vụ",
    "Xây dựng",
    "Vận tải biển",
    "Logistics",
    "Xuất nhập khẩu",
    "Thực phẩm",
    "Cơ khí",
    "Công nghệ",
    "Du lịch",
    "Bất động sản",
    "Dược phẩm",
    "Vật liệu xây dựng",
    "Điện tử",
    "May mặc",
    "Nông sản",
];

/// A synthetic organisation name, e.g. "Công ty TNHH Logistics Hải Long".
pub fn company_name(rng: &mut StdRng) -> String {
    let form = *pick(rng, COMPANY_FORMS);
    let trade = *pick(rng, COMPANY_TRADES);
    let brand = *pick(rng, COMPANY_BRANDS);
    format!("{form} {trade} {brand}")
}

/// A tax code of an enterprise registered in Hải Phòng (10 digits starting with 02).
pub fn tax_code(rng: &mut StdRng) -> String {
    format!("02{}", digits(rng, 8))
}

/// Lines of business (ngành, nghề kinh doanh) typical of the port city.
pub const BUSINESS_LINES: &[&str] = &[
    "Bán buôn thực phẩm",
    "Xây dựng nhà để ở",
    "Vận tải hàng hóa bằng đường bộ",
    "Kho bãi và lưu giữ hàng hóa",
    "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động",
    "Sản xuất sản phẩm từ plastic",
    "Dịch vụ lưu trú ngắn ngày",
    "Bán lẻ hàng may mặc, giày dép trong các cửa hàng chuyên doanh",
    "Sửa chữa máy móc, thiết bị",
    "Hoạt động dịch vụ hỗ trợ trực tiếp cho vận tải đường thủy",
    "Lập trình máy vi tính",
    "Đại lý, môi giới, đấu giá hàng hóa",
    "Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng",
    "Nuôi trồng thủy sản biển",
];

const FOREIGN_NAMES: &[&str] = &[
    "KIM MIN JUN",
    "LEE JI HOON",
    "PARK SEO YEON",
    "TANAKA HIROSHI",
    "SATO YUKI",
    "WANG LEI",
    "ZHANG WEI",
    "CHEN JING",
    "JOHN SMITH",
    "MARIA GARCIA",
    "DAVID MILLER",
    "SOMCHAI PRASERT",
    "ANNA MÜLLER",
    "PIERRE MARTIN",
];

/// A foreign applicant's name and passport number.
pub fn foreigner(rng: &mut StdRng) -> (String, String) {
    let name = pick(rng, FOREIGN_NAMES).to_string();
    let letter = char::from(b'A' + rng.gen_range(0..26u8));
    let letter2 = char::from(b'A' + rng.gen_range(0..26u8));
    (name, format!("{letter}{letter2}{}", digits(rng, 7)))
}
