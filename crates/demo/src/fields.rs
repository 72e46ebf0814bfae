//! Fields (lĩnh vực) of the catalog: code, the city agency competent for the field after the
//! 2025 restructuring, the kind of applicant and form it implies, a plausible time limit for
//! procedures whose limit the reference data leaves blank, and legal bases.
//!
//! Competence follows the 2025 restructuring: Sở Tài chính took over planning and investment
//! (enterprise registration, investment); Sở Nông nghiệp và Môi trường joined agriculture and
//! natural resources (land, environment, water, fisheries) and took poverty reduction; Sở Xây
//! dựng took transport; Sở Nội vụ took labour, employment and people with merits; Sở Y tế took
//! social protection and children; Sở Giáo dục và Đào tạo took vocational training; Sở Khoa
//! học và Công nghệ took post, telecommunications and IT, while press, publishing and
//! broadcasting went to Sở Văn hóa, Thể thao và Du lịch. Judicial records (lý lịch tư pháp) and
//! residence are the police's (data/README.md).

use citygov_domain::calendar::TimeUnit;

/// What kind of applicant and form a field implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// A person's own matter: civil status, residence, certification, social support.
    Person,
    /// Land registration and certificates.
    Land,
    /// Building permits and construction.
    Construction,
    /// Enterprises, household businesses, cooperatives, investment, trade licences.
    Business,
    /// A professional's own licence or certificate.
    Practitioner,
    /// An organisation's licence, establishment or approval.
    Organisation,
    /// Complaints, denunciations, petitions.
    Complaint,
}

pub struct FieldInfo {
    pub name: &'static str,
    pub code: &'static str,
    /// Short name of the competent city agency (`departments.csv`), or `CATP` for the police.
    pub dept: &'static str,
    pub profile: Profile,
    /// Plausible time limit (low, high, unit) when the reference data gives none.
    pub limit: (u32, u32, TimeUnit),
    pub law: &'static [&'static str],
}

use Profile::*;
use TimeUnit::{Days, WorkingDays};

const fn f(name: &'static str, code: &'static str, dept: &'static str, profile: Profile, limit: (u32, u32, TimeUnit), law: &'static [&'static str]) -> FieldInfo {
    FieldInfo { name, code, dept, profile, limit, law }
}

pub const FIELDS: &[FieldInfo] = &[
    // Justice
    f("Hộ tịch", "HT", "STP", Person, (3, 5, WorkingDays), &["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"]),
    f("Chứng thực", "CTH", "STP", Person, (1, 2, WorkingDays), &["Nghị định 23/2015/NĐ-CP", "Thông tư 226/2016/TT-BTC"]),
    f("Nuôi con nuôi", "NCN", "STP", Person, (20, 30, Days), &["Luật Nuôi con nuôi 2010", "Nghị định 114/2016/NĐ-CP"]),
    f("Quốc tịch", "QT", "STP", Person, (30, 45, Days), &["Luật Quốc tịch Việt Nam 2008"]),
    f("Luật sư", "LS", "STP", Practitioner, (7, 10, WorkingDays), &["Luật Luật sư 2006"]),
    f("Công chứng", "CC", "STP", Practitioner, (10, 20, Days), &["Luật Công chứng 2024"]),
    f("Giám định tư pháp", "GDTP", "STP", Practitioner, (15, 20, Days), &["Luật Giám định tư pháp 2012"]),
    f("Đấu giá tài sản", "DGTS", "STP", Organisation, (10, 15, WorkingDays), &["Luật Đấu giá tài sản 2016"]),
    f("Trọng tài thương mại", "TTTM", "STP", Organisation, (10, 15, WorkingDays), &["Luật Trọng tài thương mại 2010"]),
    f("Hòa giải thương mại", "HGTM", "STP", Organisation, (10, 15, WorkingDays), &["Nghị định 22/2017/NĐ-CP"]),
    f("Quản tài viên", "QTV", "STP", Practitioner, (5, 7, WorkingDays), &["Luật Phá sản 2014"]),
    f("Thừa phát lại", "TPL", "STP", Practitioner, (10, 20, Days), &["Nghị định 08/2020/NĐ-CP"]),
    f("Trợ giúp pháp lý", "TGPL", "STP", Person, (2, 5, WorkingDays), &["Luật Trợ giúp pháp lý 2017"]),
    f("Tư vấn pháp luật", "TVPL", "STP", Organisation, (5, 7, WorkingDays), &["Nghị định 77/2008/NĐ-CP"]),
    f("Bồi thường nhà nước", "BTNN", "STP", Person, (30, 45, Days), &["Luật Trách nhiệm bồi thường của Nhà nước 2017"]),
    f("Phổ biến, giáo dục pháp luật", "PBPL", "STP", Person, (5, 10, WorkingDays), &["Luật Phổ biến, giáo dục pháp luật 2012"]),
    f("Hòa giải ở cơ sở", "HGCS", "STP", Person, (3, 5, WorkingDays), &["Luật Hòa giải ở cơ sở 2013"]),
    // Police
    f("Lý lịch tư pháp", "LLTP", "CATP", Person, (10, 10, Days), &["Luật Lý lịch tư pháp 2009"]),
    f("Cư trú", "CUTRU", "CATP", Person, (3, 7, WorkingDays), &["Luật Cư trú 2020", "Thông tư 75/2022/TT-BTC"]),
    f("Căn cước", "CCUOC", "CATP", Person, (5, 7, WorkingDays), &["Luật Căn cước 2023"]),
    f("Xuất nhập cảnh", "XNC", "CATP", Person, (5, 8, WorkingDays), &["Luật Xuất cảnh, nhập cảnh của công dân Việt Nam 2019"]),
    f("Quản lý người nước ngoài", "QLNNN", "CATP", Person, (5, 5, WorkingDays), &["Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam 2014"]),
    f("Đăng ký, quản lý phương tiện giao thông", "DKX", "CATP", Person, (2, 2, WorkingDays), &["Luật Trật tự, an toàn giao thông đường bộ 2024"]),
    f("Giấy phép lái xe", "GPLX", "CATP", Person, (5, 10, WorkingDays), &["Luật Trật tự, an toàn giao thông đường bộ 2024"]),
    f("Phòng cháy, chữa cháy", "PCCC", "CATP", Organisation, (10, 15, WorkingDays), &["Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ 2024"]),
    f("Quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ", "VKVLN", "CATP", Organisation, (5, 10, WorkingDays), &["Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ 2024"]),
    f("Ngành, nghề kinh doanh có điều kiện về an ninh, trật tự", "ANTT", "CATP", Business, (5, 5, WorkingDays), &["Nghị định 96/2016/NĐ-CP"]),
    f("Quản lý con dấu", "CDAU", "CATP", Organisation, (3, 3, WorkingDays), &["Nghị định 99/2016/NĐ-CP"]),
    // Finance, planning and investment
    f("Đăng ký kinh doanh", "DKKD", "STC", Business, (3, 3, WorkingDays), &["Luật Doanh nghiệp 2020", "Nghị định 01/2021/NĐ-CP", "Nghị định 168/2025/NĐ-CP", "Thông tư 47/2019/TT-BTC"]),
    f("Hợp tác xã", "HTX", "STC", Business, (3, 5, WorkingDays), &["Luật Hợp tác xã 2023"]),
    f("Đầu tư tại Việt Nam", "DTVN", "STC", Business, (15, 35, Days), &["Luật Đầu tư 2020"]),
    f("Quản lý công sản", "QLCS", "STC", Organisation, (15, 30, Days), &["Luật Quản lý, sử dụng tài sản công 2017"]),
    f("Quản lý giá", "QLG", "STC", Business, (10, 15, WorkingDays), &["Luật Giá 2023"]),
    f("Ngân sách nhà nước", "NSNN", "STC", Organisation, (2, 5, WorkingDays), &["Luật Ngân sách nhà nước 2015"]),
    f("Đấu thầu", "DTHAU", "STC", Organisation, (10, 20, Days), &["Luật Đấu thầu 2023"]),
    // Agriculture and environment
    f("Đất đai", "DD", "SNNMT", Land, (10, 23, WorkingDays), &["Luật Đất đai 2024", "Nghị định 101/2024/NĐ-CP"]),
    f("Đăng ký biện pháp bảo đảm", "DKBPBD", "SNNMT", Land, (1, 3, WorkingDays), &["Nghị định 99/2022/NĐ-CP"]),
    f("Đo đạc và bản đồ", "DDBD", "SNNMT", Organisation, (10, 15, WorkingDays), &["Luật Đo đạc và bản đồ 2018"]),
    f("Môi trường", "MT", "SNNMT", Organisation, (20, 45, Days), &["Luật Bảo vệ môi trường 2020", "Nghị định 08/2022/NĐ-CP"]),
    f("Tài nguyên nước", "TNN", "SNNMT", Organisation, (15, 30, WorkingDays), &["Luật Tài nguyên nước 2023"]),
    f("Địa chất và khoáng sản", "KS", "SNNMT", Organisation, (30, 45, Days), &["Luật Địa chất và khoáng sản 2024"]),
    f("Khí tượng thủy văn", "KTTV", "SNNMT", Organisation, (10, 15, WorkingDays), &["Luật Khí tượng thủy văn 2015"]),
    f("Biển và hải đảo", "BHD", "SNNMT", Organisation, (20, 30, Days), &["Luật Tài nguyên, môi trường biển và hải đảo 2015"]),
    f("Thủy sản", "TS", "SNNMT", Business, (5, 10, WorkingDays), &["Luật Thủy sản 2017"]),
    f("Thú y", "TY", "SNNMT", Business, (5, 10, WorkingDays), &["Luật Thú y 2015"]),
    f("Chăn nuôi", "CN", "SNNMT", Business, (10, 20, WorkingDays), &["Luật Chăn nuôi 2018"]),
    f("Trồng trọt", "TT", "SNNMT", Business, (10, 20, WorkingDays), &["Luật Trồng trọt 2018"]),
    f("Bảo vệ thực vật", "BVTV", "SNNMT", Business, (7, 15, WorkingDays), &["Luật Bảo vệ và kiểm dịch thực vật 2013"]),
    f("Lâm nghiệp", "LN", "SNNMT", Organisation, (10, 15, WorkingDays), &["Luật Lâm nghiệp 2017"]),
    f("Thủy lợi", "TL", "SNNMT", Organisation, (10, 20, WorkingDays), &["Luật Thủy lợi 2017"]),
    f("Phòng, chống thiên tai", "PCTT", "SNNMT", Person, (5, 10, WorkingDays), &["Luật Phòng, chống thiên tai 2013"]),
    f("Quản lý chất lượng nông lâm sản và thủy sản", "QLCL", "SNNMT", Business, (10, 15, WorkingDays), &["Luật An toàn thực phẩm 2010"]),
    f("Nông nghiệp", "NN", "SNNMT", Person, (7, 15, WorkingDays), &["Nghị định 58/2018/NĐ-CP"]),
    f("Khuyến nông", "KN", "SNNMT", Organisation, (10, 15, WorkingDays), &["Nghị định 83/2018/NĐ-CP"]),
    f("Phát triển nông thôn", "PTNT", "SNNMT", Organisation, (10, 20, WorkingDays), &["Nghị định 98/2018/NĐ-CP"]),
    f("Giảm nghèo", "GN", "SNNMT", Person, (10, 15, Days), &["Nghị định 07/2021/NĐ-CP"]),
    // Construction and transport
    f("Xây dựng", "XD", "SXD", Construction, (15, 20, Days), &["Luật Xây dựng 2014 (sửa đổi, bổ sung 2020)", "Nghị định 175/2024/NĐ-CP"]),
    f("Quy hoạch xây dựng, kiến trúc", "QHXD", "SXD", Construction, (15, 25, Days), &["Luật Quy hoạch đô thị và nông thôn 2024", "Luật Kiến trúc 2019"]),
    f("Nhà ở", "NO", "SXD", Person, (15, 30, Days), &["Luật Nhà ở 2023"]),
    f("Kinh doanh bất động sản", "KDBDS", "SXD", Practitioner, (10, 15, WorkingDays), &["Luật Kinh doanh bất động sản 2023"]),
    f("Hạ tầng kỹ thuật", "HTKT", "SXD", Organisation, (10, 20, WorkingDays), &["Nghị định 80/2014/NĐ-CP"]),
    f("Vật liệu xây dựng", "VLXD", "SXD", Business, (10, 15, WorkingDays), &["Nghị định 09/2021/NĐ-CP"]),
    f("Giao thông vận tải", "GTVT", "SXD", Business, (3, 10, WorkingDays), &["Luật Đường bộ 2024", "Luật Trật tự, an toàn giao thông đường bộ 2024"]),
    f("Đường thủy nội địa", "DTND", "SXD", Business, (3, 7, WorkingDays), &["Luật Giao thông đường thủy nội địa 2004 (sửa đổi, bổ sung 2014)"]),
    // Health and social protection
    f("Y tế", "YT", "SYT", Person, (3, 5, WorkingDays), &["Luật Khám bệnh, chữa bệnh 2023"]),
    f("Khám bệnh, chữa bệnh", "KCB", "SYT", Organisation, (20, 45, Days), &["Luật Khám bệnh, chữa bệnh 2023", "Nghị định 96/2023/NĐ-CP"]),
    f("Dược phẩm", "DUOC", "SYT", Practitioner, (10, 20, WorkingDays), &["Luật Dược 2016 (sửa đổi, bổ sung 2024)", "Nghị định 54/2017/NĐ-CP"]),
    f("Trang thiết bị y tế", "TTBYT", "SYT", Business, (5, 15, WorkingDays), &["Nghị định 98/2021/NĐ-CP"]),
    f("Mỹ phẩm", "MP", "SYT", Business, (5, 10, WorkingDays), &["Nghị định 93/2016/NĐ-CP"]),
    f("Y tế dự phòng", "YTDP", "SYT", Organisation, (10, 20, WorkingDays), &["Luật Phòng, chống bệnh truyền nhiễm 2007"]),
    f("Giám định y khoa", "GDYK", "SYT", Person, (20, 30, Days), &["Thông tư 56/2017/TT-BYT"]),
    f("Dân số", "DS", "SYT", Person, (5, 10, WorkingDays), &["Pháp lệnh Dân số 2003"]),
    f("Bảo trợ xã hội", "BTXH", "SYT", Person, (7, 15, WorkingDays), &["Nghị định 20/2021/NĐ-CP"]),
    f("Trẻ em", "TE", "SYT", Person, (5, 10, WorkingDays), &["Luật Trẻ em 2016"]),
    f("Phòng, chống mua bán người", "PCMBN", "SYT", Person, (5, 10, WorkingDays), &["Luật Phòng, chống mua bán người 2024"]),
    f("Phòng, chống tệ nạn xã hội", "PCTNXH", "SYT", Person, (5, 10, WorkingDays), &["Luật Phòng, chống ma túy 2021"]),
    // Education
    f("Giáo dục và Đào tạo", "GDDT", "SGDĐT", Organisation, (10, 20, WorkingDays), &["Luật Giáo dục 2019"]),
    f("Văn bằng, chứng chỉ", "VBCC", "SGDĐT", Person, (1, 5, WorkingDays), &["Thông tư 21/2019/TT-BGDĐT"]),
    f("Giáo dục nghề nghiệp", "GDNN", "SGDĐT", Organisation, (10, 15, WorkingDays), &["Luật Giáo dục nghề nghiệp 2014"]),
    // Home affairs, labour
    f("Lao động", "LD", "SNV", Organisation, (5, 10, WorkingDays), &["Bộ luật Lao động 2019", "Nghị định 219/2025/NĐ-CP"]),
    f("Việc làm", "VL", "SNV", Person, (15, 20, WorkingDays), &["Luật Việc làm 2013"]),
    f("An toàn, vệ sinh lao động", "ATVSLD", "SNV", Organisation, (5, 10, WorkingDays), &["Luật An toàn, vệ sinh lao động 2015"]),
    f("Tiền lương", "TL2", "SNV", Organisation, (10, 15, WorkingDays), &["Bộ luật Lao động 2019"]),
    f("Người có công", "NCC", "SNV", Person, (12, 20, WorkingDays), &["Pháp lệnh Ưu đãi người có công với cách mạng 2020", "Nghị định 131/2021/NĐ-CP"]),
    f("Tổ chức phi chính phủ", "TCPCP", "SNV", Organisation, (15, 30, Days), &["Nghị định 126/2024/NĐ-CP", "Nghị định 93/2019/NĐ-CP"]),
    f("Tín ngưỡng, tôn giáo", "TNTG", "SNV", Organisation, (15, 30, Days), &["Luật Tín ngưỡng, tôn giáo 2016"]),
    f("Thi đua, khen thưởng", "TDKT", "SNV", Person, (20, 30, WorkingDays), &["Luật Thi đua, khen thưởng 2022", "Nghị định 98/2023/NĐ-CP"]),
    f("Văn thư, lưu trữ", "VTLT", "SNV", Practitioner, (10, 15, WorkingDays), &["Luật Lưu trữ 2024"]),
    f("Công chức, viên chức", "CCVC", "SNV", Practitioner, (20, 30, Days), &["Luật Viên chức 2010"]),
    f("Chính quyền địa phương", "CQDP", "SNV", Organisation, (15, 30, Days), &["Luật Tổ chức chính quyền địa phương 2025"]),
    f("Thanh niên", "TN", "SNV", Person, (5, 10, WorkingDays), &["Luật Thanh niên 2020"]),
    // Industry and trade
    f("Lưu thông hàng hóa trong nước", "LTHH", "SCT", Business, (10, 15, WorkingDays), &["Nghị định 105/2017/NĐ-CP", "Nghị định 67/2013/NĐ-CP"]),
    f("Kinh doanh xăng dầu", "XD2", "SCT", Business, (15, 20, WorkingDays), &["Nghị định 83/2014/NĐ-CP"]),
    f("Kinh doanh khí", "KDK", "SCT", Business, (10, 15, WorkingDays), &["Nghị định 87/2018/NĐ-CP"]),
    f("Điện lực", "DL", "SCT", Business, (10, 15, WorkingDays), &["Luật Điện lực 2024"]),
    f("Hóa chất", "HC", "SCT", Business, (12, 15, WorkingDays), &["Luật Hóa chất 2007"]),
    f("Vật liệu nổ công nghiệp", "VLNCN", "SCT", Business, (10, 15, WorkingDays), &["Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ 2024"]),
    f("Xúc tiến thương mại", "XTTM", "SCT", Business, (3, 5, WorkingDays), &["Luật Thương mại 2005", "Nghị định 81/2018/NĐ-CP"]),
    f("Quản lý cạnh tranh", "QLCT", "SCT", Business, (10, 15, WorkingDays), &["Luật Cạnh tranh 2018", "Nghị định 40/2018/NĐ-CP"]),
    f("Thương mại quốc tế", "TMQT", "SCT", Business, (10, 15, WorkingDays), &["Luật Quản lý ngoại thương 2017", "Nghị định 09/2018/NĐ-CP"]),
    f("Thương mại điện tử", "TMDT", "SCT", Business, (7, 10, WorkingDays), &["Nghị định 52/2013/NĐ-CP"]),
    f("Công nghiệp địa phương", "CNDP", "SCT", Business, (10, 15, WorkingDays), &["Nghị định 105/2017/NĐ-CP"]),
    f("Thương mại", "TM", "SCT", Business, (5, 7, WorkingDays), &["Luật Thương mại 2005"]),
    f("An toàn thực phẩm", "ATTP", "SCT", Business, (15, 20, WorkingDays), &["Luật An toàn thực phẩm 2010", "Nghị định 15/2018/NĐ-CP"]),
    // Science, technology, post and telecommunications
    f("An toàn bức xạ và hạt nhân", "ATBX", "SKHCN", Organisation, (10, 15, WorkingDays), &["Luật Năng lượng nguyên tử 2008"]),
    f("Hoạt động khoa học và công nghệ", "HDKHCN", "SKHCN", Organisation, (10, 15, WorkingDays), &["Luật Khoa học và công nghệ 2013"]),
    f("Sở hữu trí tuệ", "SHTT", "SKHCN", Organisation, (10, 15, WorkingDays), &["Luật Sở hữu trí tuệ 2005 (sửa đổi, bổ sung 2022)"]),
    f("Tiêu chuẩn, đo lường, chất lượng", "TDC", "SKHCN", Business, (5, 10, WorkingDays), &["Luật Đo lường 2011", "Luật Chất lượng sản phẩm, hàng hóa 2007"]),
    f("Chuyển giao công nghệ", "CGCN", "SKHCN", Business, (5, 15, WorkingDays), &["Luật Chuyển giao công nghệ 2017"]),
    f("Bưu chính", "BC", "SKHCN", Business, (10, 15, WorkingDays), &["Luật Bưu chính 2010"]),
    f("Viễn thông và Internet", "VT", "SKHCN", Business, (10, 15, WorkingDays), &["Luật Viễn thông 2023"]),
    f("Công nghệ thông tin, điện tử", "CNTT", "SKHCN", Business, (10, 15, WorkingDays), &["Luật Công nghệ thông tin 2006"]),
    // Culture, sports, tourism, press
    f("Văn hóa", "VH", "SVHTTDL", Business, (5, 7, WorkingDays), &["Nghị định 54/2019/NĐ-CP", "Nghị định 144/2020/NĐ-CP"]),
    f("Nghệ thuật biểu diễn", "NTBD", "SVHTTDL", Organisation, (5, 7, WorkingDays), &["Nghị định 144/2020/NĐ-CP"]),
    f("Mỹ thuật, nhiếp ảnh, triển lãm", "MTNA", "SVHTTDL", Organisation, (7, 10, WorkingDays), &["Nghị định 113/2013/NĐ-CP", "Nghị định 72/2016/NĐ-CP"]),
    f("Di sản văn hóa", "DSVH", "SVHTTDL", Organisation, (10, 15, WorkingDays), &["Luật Di sản văn hóa 2024"]),
    f("Quảng cáo", "QC", "SVHTTDL", Business, (5, 5, WorkingDays), &["Luật Quảng cáo 2012"]),
    f("Thư viện", "TV", "SVHTTDL", Organisation, (5, 10, WorkingDays), &["Luật Thư viện 2019"]),
    f("Điện ảnh", "DA", "SVHTTDL", Organisation, (5, 10, WorkingDays), &["Luật Điện ảnh 2022"]),
    f("Gia đình", "GD", "SVHTTDL", Person, (3, 5, WorkingDays), &["Luật Phòng, chống bạo lực gia đình 2022"]),
    f("Du lịch", "DLICH", "SVHTTDL", Business, (10, 15, WorkingDays), &["Luật Du lịch 2017"]),
    f("Thể dục thể thao", "TDTT", "SVHTTDL", Business, (7, 10, WorkingDays), &["Luật Thể dục, thể thao 2006 (sửa đổi, bổ sung 2018)", "Nghị định 36/2019/NĐ-CP"]),
    f("Báo chí", "BCHI", "SVHTTDL", Organisation, (10, 15, WorkingDays), &["Luật Báo chí 2016"]),
    f("Xuất bản, in và phát hành", "XBIN", "SVHTTDL", Business, (7, 10, WorkingDays), &["Luật Xuất bản 2012", "Nghị định 60/2014/NĐ-CP"]),
    f("Phát thanh, truyền hình và thông tin điện tử", "PTTH", "SVHTTDL", Business, (10, 15, WorkingDays), &["Nghị định 72/2013/NĐ-CP", "Nghị định 147/2024/NĐ-CP"]),
    // Foreign affairs, inspection, the city office, military service
    f("Ngoại vụ", "NV", "SNgV", Organisation, (7, 10, WorkingDays), &["Quyết định 06/2020/QĐ-TTg"]),
    f("Tiếp công dân", "TCD", "VP UBND", Complaint, (10, 15, WorkingDays), &["Luật Tiếp công dân 2013"]),
    f("Xử lý đơn thư", "XLD", "TTTP", Complaint, (10, 10, WorkingDays), &["Luật Tiếp công dân 2013", "Thông tư 05/2021/TT-TTCP"]),
    f("Giải quyết khiếu nại", "GQKN", "TTTP", Complaint, (30, 45, Days), &["Luật Khiếu nại 2011"]),
    f("Giải quyết tố cáo", "GQTC", "TTTP", Complaint, (30, 30, Days), &["Luật Tố cáo 2018"]),
    f("Phòng, chống tham nhũng", "PCTN", "TTTP", Complaint, (10, 15, WorkingDays), &["Luật Phòng, chống tham nhũng 2018"]),
    f("Kiểm soát thủ tục hành chính", "KSTTHC", "VP UBND", Complaint, (10, 10, WorkingDays), &["Nghị định 20/2008/NĐ-CP"]),
    f("Tiếp cận thông tin", "TCTT", "VP UBND", Person, (10, 15, WorkingDays), &["Luật Tiếp cận thông tin 2016"]),
    f("Nghĩa vụ quân sự", "NVQS", "VP UBND", Person, (1, 3, WorkingDays), &["Luật Nghĩa vụ quân sự 2015"]),
];

/// The entry for a field name (panics on an unknown field: the demo data must be complete).
pub fn field(name: &str) -> &'static FieldInfo {
    FIELDS.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("field «{name}» is missing from the demo field table"))
}

/// The competent department of a real city-level row: the field's agency, except where the
/// name says otherwise (food safety is split by sector).
pub fn competent_dept(field_name: &str, procedure_name: &str) -> &'static str {
    if field_name == "An toàn thực phẩm" {
        if procedure_name.contains("nông nghiệp") {
            return "SNNMT";
        }
        if procedure_name.contains("y tế") {
            return "SYT";
        }
        return "SCT";
    }
    field(field_name).dept
}
