//! Commune-level procedures beyond the 184 real rows: procedures moved from the district to
//! the commune tier on 01/07/2025 and national procedures every commune handles (military
//! service registration, identity cards and residence at the commune police).

use super::Pool;

pub fn commune_pool() -> Pool {
    let mut p = Pool::new("XA");
    p.f("Cư trú").s(&[
        "Khai báo tạm vắng",
        "Thông báo lưu trú",
        "Xóa đăng ký tạm trú",
        "Xác nhận thông tin về cư trú",
        "Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú",
        "Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, tạm trú",
    ]);
    p.f("Căn cước").s(&[
        "Cấp thẻ căn cước cho công dân từ đủ 14 tuổi trở lên",
        "Cấp thẻ căn cước cho người dưới 14 tuổi",
        "Cấp đổi thẻ căn cước",
        "Cấp lại thẻ căn cước",
        "Xác nhận số chứng minh nhân dân, số căn cước công dân",
        "Tích hợp, cập nhật, điều chỉnh thông tin trên thẻ căn cước",
    ]);
    p.f("Nghĩa vụ quân sự").s(&[
        "Đăng ký nghĩa vụ quân sự lần đầu",
        "Đăng ký nghĩa vụ quân sự bổ sung",
        "Đăng ký nghĩa vụ quân sự chuyển đi khi thay đổi nơi cư trú hoặc nơi làm việc, học tập",
        "Đăng ký nghĩa vụ quân sự chuyển đến khi thay đổi nơi cư trú hoặc nơi làm việc, học tập",
        "Đăng ký nghĩa vụ quân sự tạm vắng",
        "Đăng ký miễn gọi nhập ngũ thời chiến",
        "Đăng ký phương tiện kỹ thuật dự bị động viên",
    ]);
    p.f("Tổ chức phi chính phủ").s(&[
        "Thủ tục phê duyệt điều lệ hội",
        "Thủ tục chia, tách; sáp nhập; hợp nhất hội",
        "Thủ tục đổi tên hội",
        "Thủ tục hội tự giải thể",
        "Thủ tục báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội",
        "Thủ tục công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên hội đồng quản lý quỹ",
        "Thủ tục thay đổi giấy phép thành lập và công nhận điều lệ (sửa đổi, bổ sung) quỹ",
        "Thủ tục cấp lại giấy phép thành lập và công nhận điều lệ quỹ",
        "Thủ tục hợp nhất, sáp nhập, chia, tách quỹ",
        "Thủ tục đổi tên quỹ",
        "Thủ tục quỹ tự giải thể",
    ]);
    p.f("Thi đua, khen thưởng").s(&[
        "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thực hiện nhiệm vụ chính trị",
        "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thi đua theo đợt hoặc chuyên đề",
        "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất",
        "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình",
        "Thủ tục xét tặng danh hiệu Lao động tiên tiến",
        "Thủ tục xét tặng danh hiệu Chiến sĩ thi đua cơ sở",
        "Thủ tục xét tặng danh hiệu Tập thể lao động tiên tiến",
    ]);
    p.f("Tín ngưỡng, tôn giáo").s(&[
        "Thủ tục thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã",
        "Thủ tục thông báo danh mục hoạt động tôn giáo bổ sung đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã",
        "Thủ tục thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc",
        "Thủ tục đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác",
        "Thủ tục thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung",
        "Thủ tục đề nghị giảng đạo ngoài địa bàn phụ trách có quy mô tổ chức ở một xã",
    ]);
    p.f("Đất đai").s(&[
        "Giao đất, cho thuê đất không đấu giá quyền sử dụng đất đối với hộ gia đình, cá nhân",
        "Chuyển mục đích sử dụng đất đối với hộ gia đình, cá nhân",
        "Gia hạn sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất",
        "Đăng ký biến động quyền sử dụng đất đối với hộ gia đình, cá nhân",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
        "Thu hồi đất do tự nguyện trả lại đất của hộ gia đình, cá nhân",
        "Cung cấp thông tin, dữ liệu đất đai (cấp xã)",
    ]);
    p.f("Xây dựng").s(&[
        "Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ",
        "Thông báo khởi công xây dựng nhà ở riêng lẻ",
        "Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng (cấp xã)",
        "Kiểm tra công tác nghiệm thu hoàn thành công trình (cấp xã)",
    ]);
    p.f("Hạ tầng kỹ thuật").s(&[
        "Cấp phép chặt hạ, dịch chuyển cây xanh đô thị",
        "Cấp phép thi công xây dựng công trình hạ tầng kỹ thuật trên vỉa hè",
        "Cấp biển số nhà",
    ]);
    p.f("Nhà ở").s(&[
        "Xác nhận đối tượng được mua, thuê mua nhà ở xã hội",
        "Hỗ trợ xây dựng nhà ở cho hộ nghèo, hộ cận nghèo",
    ]);
    p.f("Môi trường").s(&[
        "Đăng ký môi trường",
        "Cấp giấy phép môi trường (cấp xã)",
        "Cấp đổi giấy phép môi trường (cấp xã)",
        "Cấp điều chỉnh giấy phép môi trường (cấp xã)",
        "Cấp lại giấy phép môi trường (cấp xã)",
    ]);
    p.f("Tài nguyên nước")
        .s(&["Đăng ký khai thác, sử dụng nước mặt, nước biển"]);
    p.f("Giao thông vận tải").s(&[
        "Xóa Giấy chứng nhận đăng ký phương tiện thủy nội địa",
        "Cấp lại Giấy chứng nhận đăng ký phương tiện thủy nội địa",
        "Đăng ký phương tiện thủy nội địa chuyển từ cơ quan đăng ký khác sang",
        "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường xã",
        "Cấp giấy phép thi công công trình trên đường xã đang khai thác",
        "Công bố lại hoạt động bến thủy nội địa",
    ]);
    p.f("Lưu thông hàng hóa trong nước").s(&[
        "Thủ tục cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm thuốc lá",
        "Thủ tục cấp lại Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
        "Thủ tục cấp sửa đổi, bổ sung Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
    ]);
    p.f("Kinh doanh khí").s(&[
        "Thủ tục cấp lại Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai",
        "Thủ tục cấp điều chỉnh Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai",
    ]);
    p.f("An toàn thực phẩm").s(&[
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống (cấp xã)",
        "Xác nhận bản cam kết bảo đảm an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm nhỏ lẻ",
    ]);
    p.f("Hợp tác xã").s(&[
        "Đăng ký thay đổi tổ hợp tác",
        "Chấm dứt hoạt động tổ hợp tác",
        "Thông báo thay đổi tổ trưởng tổ hợp tác",
    ]);
    p.f("Giáo dục và Đào tạo").s(&[
        "Cho phép trung tâm học tập cộng đồng hoạt động trở lại",
        "Sáp nhập, chia, tách trường tiểu học",
        "Giải thể trường tiểu học",
        "Cho phép trường tiểu học hoạt động giáo dục trở lại",
        "Sáp nhập, chia, tách trường trung học cơ sở",
        "Giải thể trường trung học cơ sở",
        "Cho phép trường trung học cơ sở hoạt động giáo dục trở lại",
        "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục",
        "Giải thể nhóm trẻ, lớp mẫu giáo độc lập",
        "Chuyển đổi trường mầm non tư thục sang trường mầm non tư thục hoạt động không vì lợi nhuận",
        "Hỗ trợ chi phí học tập đối với học sinh",
        "Miễn, giảm học phí đối với học sinh",
        "Cấp học bổng và hỗ trợ kinh phí mua phương tiện, đồ dùng học tập cho người khuyết tật",
        "Tiếp nhận học sinh Việt Nam về nước học tiểu học",
        "Tiếp nhận học sinh Việt Nam về nước học trung học cơ sở",
        "Công nhận trường tiểu học đạt chuẩn quốc gia",
        "Công nhận trường mầm non đạt chuẩn quốc gia",
        "Công nhận trường trung học cơ sở đạt chuẩn quốc gia",
        "Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ",
    ]);
    p.f("Văn hóa").s(&[
        "Thủ tục xét tặng danh hiệu Gia đình văn hóa hằng năm",
        "Thủ tục xét tặng danh hiệu Thôn, tổ dân phố văn hóa",
        "Thủ tục thông báo tổ chức biểu diễn nghệ thuật (cấp xã)",
    ]);
    p.f("Quảng cáo")
        .s(&["Thủ tục thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn (cấp xã)"]);
    p.f("Thư viện")
        .s(&["Thủ tục thông báo thành lập thư viện đối với thư viện cộng đồng"]);
    p.f("Thể dục thể thao")
        .s(&["Thủ tục đăng ký tổ chức giải thi đấu thể thao quần chúng cấp xã"]);
    p.f("Gia đình").s(&[
        "Thủ tục thông báo hoạt động đối với cơ sở tư vấn về phòng, chống bạo lực gia đình",
        "Thủ tục thông báo hoạt động đối với cơ sở trợ giúp nạn nhân bạo lực gia đình",
        "Thủ tục thông báo thay đổi thông tin hoạt động của cơ sở trợ giúp nạn nhân bạo lực gia đình",
    ]);
    p.f("Bảo trợ xã hội").s(&[
        "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí điều trị người bị thương nặng",
        "Quyết định trợ cấp xã hội hằng tháng khi đối tượng thay đổi nơi cư trú",
        "Đăng ký nhận nuôi dưỡng, chăm sóc đối tượng cần bảo vệ khẩn cấp",
        "Hỗ trợ kinh phí nhận chăm sóc, nuôi dưỡng đối tượng bảo trợ xã hội tại cộng đồng",
    ]);
    p.f("Trẻ em").s(&["Chuyển trẻ em đang được chăm sóc thay thế tại cơ sở trợ giúp xã hội đến cá nhân, gia đình nhận chăm sóc thay thế"]);
    p.f("Người có công").s(&[
        "Giải quyết chế độ ưu đãi đối với thân nhân liệt sĩ",
        "Hỗ trợ người có công với cách mạng cải thiện nhà ở",
        "Di chuyển hài cốt liệt sĩ đang an táng ngoài nghĩa trang liệt sĩ về an táng tại nghĩa trang liệt sĩ theo nguyện vọng của đại diện thân nhân",
        "Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Campuchia",
        "Giải quyết chế độ trợ cấp một lần đối với quân nhân đã phục viên, xuất ngũ, thôi việc",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
    ]);
    p.f("Giảm nghèo").s(&[
        "Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp cho hộ nghèo, hộ cận nghèo",
        "Hỗ trợ cải thiện nhà ở cho hộ nghèo, hộ cận nghèo",
    ]);
    p.f("Nông nghiệp").s(&[
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
        "Phê duyệt kế hoạch hỗ trợ phát triển sản xuất cộng đồng",
        "Hỗ trợ dự án liên kết (cấp xã)",
    ]);
    p.f("Chăn nuôi").s(&["Kê khai hoạt động chăn nuôi"]);
    p.f("Lâm nghiệp").s(&["Xác nhận bảng kê lâm sản"]);
    p.f("Thủy lợi").s(&[
        "Phê duyệt kế hoạch và dự toán kinh phí hỗ trợ sử dụng sản phẩm, dịch vụ công ích thủy lợi",
        "Cấp phép hoạt động trong phạm vi bảo vệ công trình thủy lợi thuộc thẩm quyền cấp xã",
    ]);
    p.f("Phổ biến, giáo dục pháp luật").s(&[
        "Thủ tục công nhận tuyên truyền viên pháp luật",
        "Thủ tục cho thôi làm tuyên truyền viên pháp luật",
    ]);
    p.f("Bồi thường nhà nước")
        .s(&["Thủ tục phục hồi danh dự", "Thủ tục trả tiền bồi thường (cấp xã)"]);
    p.f("Thanh niên")
        .s(&["Thủ tục xác nhận phiên hiệu thanh niên xung phong ở cấp xã"]);
    p.f("Y tế")
        .s(&["Xác nhận hộ gia đình tham gia bảo hiểm y tế có mức sống trung bình"]);
    p.f("Tiếp công dân")
        .s(&["Thủ tục tiếp nhận, xử lý phản ánh, kiến nghị của người dân tại cấp xã"]);
    p.f("Tiếp cận thông tin")
        .s(&["Thủ tục cung cấp thông tin theo yêu cầu (cấp xã)"]);
    p
}
