//! Which procedures draw most dossiers. Volumes of Vietnamese one-stop desks are dominated by
//! a few procedures (certified copies, birth registration, residence, land changes, judicial
//! records, enterprise registration); the rest follow a long tail. The demo ranks these names
//! first and the others in a seeded random order, and draws dossiers with Zipf weights
//! (1/rank).

use citygov_domain::catalog::{Level, Procedure};

/// Name prefixes of the busiest commune-level procedures, busiest first.
const COMMUNE: &[&str] = &[
    "Chứng thực bản sao từ bản chính",
    "Thủ tục đăng ký khai sinh",
    "Đăng ký tạm trú",
    "Chứng thực chữ ký trong các giấy tờ",
    "Đăng ký thường trú",
    "Chứng thực hợp đồng, giao dịch liên quan đến tài sản",
    "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
    "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
    "Thủ tục cấp bản sao Trích lục hộ tịch",
    "Gia hạn tạm trú",
    "Đăng ký thành lập hộ kinh doanh",
    "Thủ tục đăng ký kết hôn",
    "Cấp thẻ căn cước cho công dân từ đủ 14 tuổi trở lên",
    "Thủ tục đăng ký khai tử",
    "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận",
    "Đăng ký biến động quyền sử dụng đất đối với hộ gia đình",
    "Cấp giấy phép xây dựng mới đối với công trình cấp III",
    "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
    "Chứng thực văn bản thỏa thuận phân chia di sản",
    "Xác nhận thông tin về cư trú",
    "Tách hộ",
    "Đăng ký khai tử, xóa đăng ký thường trú",
    "Cấp đổi thẻ căn cước",
    "Khai báo tạm vắng",
    "Đăng ký nghĩa vụ quân sự lần đầu",
    "Xóa đăng ký thường trú",
    "Cấp bản sao từ sổ gốc",
    "Thủ tục đăng ký giám hộ",
    "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội",
    "Chứng thực di chúc",
    "Cấp lại thẻ căn cước",
    "Chứng thực văn bản khai nhận di sản",
    "Thủ tục đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
    "Thông báo lưu trú",
    "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
];

/// Name prefixes of the busiest city-level procedures, busiest first.
const CITY: &[&str] = &[
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất",
    "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
    "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
    "Cấp hộ chiếu phổ thông ở trong nước",
    "Xóa đăng ký biện pháp bảo đảm",
    "Đăng ký lần đầu đối với xe mô tô, xe gắn máy",
    "Cấp đổi giấy phép lái xe",
    "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
    "Giải quyết hưởng trợ cấp thất nghiệp",
    "Đăng ký thay đổi người đại diện theo pháp luật",
    "Cấp lại Giấy chứng nhận do bị mất",
    "Đăng ký lần đầu đối với xe ô tô",
    "Tách thửa hoặc hợp thửa đất",
    "Thông báo thay đổi ngành, nghề kinh doanh",
    "Đăng ký thành lập công ty cổ phần",
    "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (cấp tỉnh)",
    "Đăng ký sang tên, di chuyển xe mô tô",
    "Cấp chứng chỉ hành nghề dược",
    "Khai báo tạm trú cho người nước ngoài tại Việt Nam",
    "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên",
    "Gia hạn giấy phép lao động",
    "Đăng ký thay đổi vốn điều lệ",
    "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thuộc thẩm quyền ngành y tế)",
    "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh",
    "Đăng ký thành lập doanh nghiệp tư nhân",
    "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc",
    "Thông báo thực hiện khuyến mại",
    "Cấp phù hiệu xe ô tô kinh doanh vận tải",
    "Đăng ký hoạt động chi nhánh, văn phòng đại diện",
    "Thông báo tạm ngừng kinh doanh",
    "Cấp lại giấy phép lái xe",
    "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt",
    "Chuyển trường đối với học sinh trung học phổ thông",
    "Đăng ký lần đầu đối với xe máy chuyên dùng",
    "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận",
    "Gia hạn tạm trú cho người nước ngoài tại Việt Nam",
    "Thẩm định thiết kế về phòng cháy và chữa cháy",
    "Cấp thẻ tạm trú cho người nước ngoài tại Việt Nam",
];

/// Indexes of the procedures of one level, busiest first: the listed names, then `rest` (the
/// other procedures in the caller's order).
pub fn ranked(procedures: &[Procedure], level: Level, rest_order: impl FnOnce(&mut Vec<usize>)) -> Vec<usize> {
    let keys = match level {
        Level::Commune => COMMUNE,
        Level::City => CITY,
    };
    let of_level: Vec<usize> = (0..procedures.len())
        .filter(|&i| procedures[i].level == level)
        .collect();
    let mut taken = vec![false; procedures.len()];
    let mut out = Vec::new();
    for key in keys {
        let exact = of_level
            .iter()
            .copied()
            .find(|&i| !taken[i] && procedures[i].name == *key);
        let found = exact.or_else(|| {
            of_level
                .iter()
                .copied()
                .find(|&i| !taken[i] && procedures[i].name.starts_with(key))
        });
        if let Some(i) = found {
            taken[i] = true;
            out.push(i);
        }
    }
    let mut rest: Vec<usize> = of_level.into_iter().filter(|&i| !taken[i]).collect();
    rest_order(&mut rest);
    out.extend(rest);
    out
}

/// Whether a procedure name is among the busiest of its level (these are always offered
/// online, as the busiest services are in practice).
pub fn is_busy(name: &str, level: Level) -> bool {
    let keys = match level {
        Level::Commune => COMMUNE,
        Level::City => CITY,
    };
    keys.iter().any(|k| name.starts_with(k))
}
