//! City-level procedures of each agency beyond the real rows.

use super::Pool;

pub fn city_pools() -> Vec<Pool> {
    let mut pools = vec![
        justice(),
        police(),
        finance(),
        agriculture_environment(),
        construction(),
        health(),
        education(),
        home_affairs(),
        industry_trade(),
        science(),
        culture(),
        foreign_affairs(),
        inspectorate(),
        city_office(),
        economic_zones(),
    ];
    for p in &mut pools {
        super::more::extend(p);
    }
    pools
}

fn justice() -> Pool {
    let mut p = Pool::new("STP");
    p.f("Luật sư").s(&[
        "Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
        "Thay đổi nội dung đăng ký hoạt động của tổ chức hành nghề luật sư",
        "Thay đổi người đại diện theo pháp luật của văn phòng luật sư, công ty luật trách nhiệm hữu hạn một thành viên",
        "Thay đổi người đại diện theo pháp luật của công ty luật trách nhiệm hữu hạn hai thành viên trở lên, công ty luật hợp danh",
        "Thay đổi nội dung đăng ký hành nghề luật sư với tư cách cá nhân",
        "Hợp nhất công ty luật",
        "Sáp nhập công ty luật",
        "Chuyển đổi văn phòng luật sư thành công ty luật",
        "Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư nước ngoài tại Việt Nam",
        "Đăng ký hoạt động của công ty luật nước ngoài",
        "Thay đổi nội dung Giấy đăng ký hoạt động của chi nhánh, công ty luật nước ngoài",
        "Đăng ký hoạt động của công ty luật Việt Nam chuyển đổi từ công ty luật nước ngoài",
    ]);
    p.fam(
        "L",
        &[
            "Giấy đăng ký hoạt động của tổ chức hành nghề luật sư",
            "Giấy đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
        ],
    );
    p.f("Công chứng").s(&[
        "Đăng ký hoạt động Văn phòng công chứng",
        "Thay đổi nội dung đăng ký hoạt động của Văn phòng công chứng",
        "Hợp nhất Văn phòng công chứng",
        "Sáp nhập Văn phòng công chứng",
        "Chuyển nhượng Văn phòng công chứng",
        "Đăng ký hoạt động Văn phòng công chứng nhận sáp nhập",
        "Đăng ký hoạt động Văn phòng công chứng hợp nhất",
        "Chuyển đổi Phòng công chứng thành Văn phòng công chứng",
        "Tạm ngừng hoạt động Văn phòng công chứng",
        "Chấm dứt hoạt động Văn phòng công chứng",
        "Thành lập Hội công chứng viên",
        "Xóa đăng ký hành nghề và thu hồi Thẻ công chứng viên",
        "Đăng ký tập sự hành nghề công chứng",
        "Thay đổi nơi tập sự hành nghề công chứng",
        "Đăng ký tham gia kiểm tra kết quả tập sự hành nghề công chứng",
    ]);
    p.fam(
        "L",
        &["Thẻ công chứng viên", "Giấy đăng ký hoạt động của Văn phòng công chứng"],
    );
    p.f("Giám định tư pháp").s(&[
        "Bổ nhiệm giám định viên tư pháp",
        "Miễn nhiệm giám định viên tư pháp",
        "Cấp phép thành lập Văn phòng giám định tư pháp",
        "Đăng ký hoạt động Văn phòng giám định tư pháp",
        "Thay đổi, bổ sung lĩnh vực giám định của Văn phòng giám định tư pháp",
        "Chuyển đổi loại hình Văn phòng giám định tư pháp",
        "Thay đổi tên gọi, địa chỉ trụ sở, người đại diện theo pháp luật của Văn phòng giám định tư pháp",
        "Đăng ký công nhận người giám định tư pháp theo vụ việc",
    ]);
    p.fam("L", &["Giấy đăng ký hoạt động của Văn phòng giám định tư pháp"]);
    p.f("Đấu giá tài sản").s(&[
        "Đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
        "Thay đổi nội dung đăng ký hoạt động của doanh nghiệp đấu giá tài sản",
        "Đăng ký hoạt động của chi nhánh doanh nghiệp đấu giá tài sản",
        "Phê duyệt đủ điều kiện thực hiện hình thức đấu giá trực tuyến",
        "Đăng ký tập sự hành nghề đấu giá",
        "Thay đổi nơi tập sự hành nghề đấu giá",
        "Cấp Thẻ đấu giá viên",
    ]);
    p.fam("L", &["Giấy đăng ký hoạt động của doanh nghiệp đấu giá tài sản"]);
    p.f("Trọng tài thương mại").s(&[
        "Đăng ký hoạt động Trung tâm trọng tài",
        "Đăng ký hoạt động Chi nhánh Trung tâm trọng tài",
        "Đăng ký hoạt động Chi nhánh của Tổ chức trọng tài nước ngoài tại Việt Nam",
        "Thay đổi nội dung Giấy đăng ký hoạt động của Trung tâm trọng tài",
        "Chấm dứt hoạt động Chi nhánh Trung tâm trọng tài",
    ]);
    p.fam("L", &["Giấy đăng ký hoạt động của Trung tâm trọng tài"]);
    p.f("Hòa giải thương mại").s(&[
        "Đăng ký làm hòa giải viên thương mại vụ việc",
        "Đăng ký hoạt động Chi nhánh của Trung tâm hòa giải thương mại",
        "Thay đổi tên gọi trong Giấy đăng ký hoạt động của Trung tâm hòa giải thương mại",
        "Chấm dứt hoạt động Trung tâm hòa giải thương mại",
    ]);
    p.fam("L", &["Giấy đăng ký hoạt động của Trung tâm hòa giải thương mại"]);
    p.f("Quản tài viên").s(&[
        "Đăng ký hành nghề quản lý, thanh lý tài sản với tư cách cá nhân",
        "Đăng ký hành nghề quản lý, thanh lý tài sản đối với doanh nghiệp quản lý, thanh lý tài sản",
        "Thay đổi thông tin đăng ký hành nghề của quản tài viên",
        "Thay đổi thành viên hợp danh hoặc chủ doanh nghiệp tư nhân của doanh nghiệp quản lý, thanh lý tài sản",
    ]);
    p.f("Thừa phát lại").s(&[
        "Thành lập Văn phòng Thừa phát lại",
        "Đăng ký hoạt động Văn phòng Thừa phát lại",
        "Thay đổi nội dung đăng ký hoạt động Văn phòng Thừa phát lại",
        "Đăng ký hành nghề và cấp Thẻ Thừa phát lại",
        "Đăng ký tập sự hành nghề Thừa phát lại",
        "Chuyển nhượng Văn phòng Thừa phát lại",
        "Hợp nhất, sáp nhập Văn phòng Thừa phát lại",
        "Miễn nhiệm Thừa phát lại",
    ]);
    p.fam("L", &["Thẻ Thừa phát lại"]);
    p.f("Trợ giúp pháp lý").s(&[
        "Thủ tục đăng ký tham gia trợ giúp pháp lý",
        "Thủ tục chấm dứt tham gia trợ giúp pháp lý",
        "Thủ tục lựa chọn, ký hợp đồng với luật sư",
        "Thủ tục lựa chọn, ký hợp đồng với tổ chức hành nghề luật sư, tổ chức tư vấn pháp luật",
        "Thủ tục thay đổi người thực hiện trợ giúp pháp lý",
        "Thủ tục giải quyết khiếu nại về trợ giúp pháp lý",
        "Thủ tục cấp thẻ cộng tác viên trợ giúp pháp lý",
    ]);
    p.f("Tư vấn pháp luật").s(&[
        "Đăng ký hoạt động của Trung tâm tư vấn pháp luật",
        "Thay đổi nội dung đăng ký hoạt động của Trung tâm tư vấn pháp luật",
        "Đăng ký hoạt động cho chi nhánh của Trung tâm tư vấn pháp luật",
        "Cấp thẻ tư vấn viên pháp luật",
    ]);
    p.f("Quốc tịch").s(&[
        "Thủ tục cấp Giấy xác nhận là người gốc Việt Nam",
        "Thủ tục cấp bản sao Quyết định cho nhập, cho thôi, cho trở lại quốc tịch Việt Nam",
        "Thủ tục thông báo có quốc tịch nước ngoài",
    ]);
    p.f("Nuôi con nuôi").s(&[
        "Giải quyết việc người nước ngoài thường trú ở Việt Nam nhận trẻ em Việt Nam làm con nuôi",
        "Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài",
        "Xác nhận trẻ em đủ điều kiện làm con nuôi nước ngoài",
    ]);
    p.f("Hộ tịch").s(&[
        "Thủ tục cấp bản sao trích lục hộ tịch (cấp tỉnh)",
        "Thủ tục ghi chú ly hôn (cấp tỉnh)",
    ]);
    p.f("Bồi thường nhà nước").s(&[
        "Thủ tục trả tiền bồi thường (cấp tỉnh)",
        "Thủ tục phục hồi danh dự (cấp tỉnh)",
        "Thủ tục chuyển giao quyết định giải quyết bồi thường",
    ]);
    p.f("Phổ biến, giáo dục pháp luật").s(&[
        "Thủ tục công nhận báo cáo viên pháp luật cấp tỉnh",
        "Thủ tục miễn nhiệm báo cáo viên pháp luật cấp tỉnh",
    ]);
    p
}

fn police() -> Pool {
    let mut p = Pool::new("CATP");
    p.f("Lý lịch tư pháp").s(&[
        "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội",
        "Cấp Phiếu lý lịch tư pháp qua ứng dụng định danh quốc gia VNeID",
    ]);
    p.f("Xuất nhập cảnh").s(&[
        "Cấp hộ chiếu phổ thông ở trong nước",
        "Cấp hộ chiếu phổ thông cho người chưa đủ 14 tuổi",
        "Khôi phục giá trị sử dụng hộ chiếu phổ thông",
        "Trình báo mất hộ chiếu phổ thông",
    ]);
    p.f("Quản lý người nước ngoài").s(&[
        "Cấp thị thực cho người nước ngoài đang tạm trú tại Việt Nam",
        "Gia hạn tạm trú cho người nước ngoài tại Việt Nam",
        "Cấp thẻ thường trú cho người nước ngoài tại Việt Nam",
        "Khai báo tạm trú cho người nước ngoài tại Việt Nam",
        "Cấp giấy phép vào khu vực cấm, khu vực biên giới cho người nước ngoài",
    ]);
    p.fam("CLG", &["thẻ tạm trú cho người nước ngoài tại Việt Nam"]);
    p.f("Đăng ký, quản lý phương tiện giao thông").x(
        &[
            "Đăng ký lần đầu đối với {}",
            "Đăng ký sang tên, di chuyển {}",
            "Cấp đổi chứng nhận đăng ký, biển số {}",
            "Cấp lại chứng nhận đăng ký, biển số {}",
            "Thu hồi chứng nhận đăng ký, biển số {}",
            "Đăng ký tạm thời {}",
        ],
        &["xe ô tô", "xe mô tô, xe gắn máy", "xe máy chuyên dùng"],
    );
    p.s(&["Đăng ký biển số xe trúng đấu giá"]);
    p.f("Giấy phép lái xe").s(&[
        "Cấp đổi giấy phép lái xe",
        "Cấp lại giấy phép lái xe",
        "Cấp giấy phép lái xe quốc tế",
        "Cấp giấy phép lái xe sau sát hạch",
        "Cấp đổi giấy phép lái xe do ngành Quân đội cấp",
        "Cấp đổi giấy phép lái xe do nước ngoài cấp",
    ]);
    p.f("Phòng cháy, chữa cháy").s(&[
        "Thẩm định thiết kế về phòng cháy và chữa cháy",
        "Nghiệm thu về phòng cháy và chữa cháy",
        "Cấp giấy chứng nhận đủ điều kiện kinh doanh dịch vụ phòng cháy và chữa cháy",
        "Cấp chứng chỉ hành nghề tư vấn về phòng cháy và chữa cháy",
        "Phê duyệt phương án chữa cháy của cơ sở",
        "Kiểm định phương tiện phòng cháy và chữa cháy",
        "Cấp giấy phép vận chuyển hàng hóa nguy hiểm về cháy, nổ",
    ]);
    p.f("Quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ").s(&[
        "Cấp giấy phép sử dụng vũ khí thể thao",
        "Cấp giấy phép sử dụng công cụ hỗ trợ",
        "Cấp giấy phép trang bị công cụ hỗ trợ",
        "Khai báo vũ khí thô sơ",
        "Cấp giấy phép vận chuyển vật liệu nổ công nghiệp",
    ]);
    p.f("Ngành, nghề kinh doanh có điều kiện về an ninh, trật tự").s(&[
        "Cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự để kinh doanh ngành, nghề có điều kiện",
        "Thông báo thay đổi người đại diện theo pháp luật, địa điểm kinh doanh của cơ sở kinh doanh ngành, nghề có điều kiện về an ninh, trật tự",
    ]);
    p.f("Quản lý con dấu").s(&[
        "Đăng ký mẫu con dấu mới",
        "Đăng ký lại mẫu con dấu",
        "Đăng ký thêm con dấu",
        "Đăng ký dấu nổi, dấu thu nhỏ, dấu xi",
        "Đổi, cấp lại giấy chứng nhận đăng ký mẫu con dấu",
    ]);
    p.f("Căn cước").s(&[
        "Cấp giấy chứng nhận căn cước",
        "Cấp thẻ căn cước cho người gốc Việt Nam chưa xác định được quốc tịch",
    ]);
    p
}

fn finance() -> Pool {
    let mut p = Pool::new("STC");
    p.f("Đăng ký kinh doanh").x(
        &[
            "Đăng ký thay đổi tên doanh nghiệp",
            "Thông báo thay đổi nội dung đăng ký thuế",
            "Thông báo cập nhật bổ sung thông tin trong hồ sơ đăng ký doanh nghiệp",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp theo quyết định của Tòa án hoặc Trọng tài",
            "Cấp lại Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện",
            "Chấm dứt hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
            "Đăng ký thay đổi nội dung đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
            "Hiệu đính thông tin trong Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
            "Thông báo thay đổi thông tin người quản lý doanh nghiệp, người đại diện theo ủy quyền",
            "Đăng ký doanh nghiệp đối với doanh nghiệp hoạt động theo Giấy phép đầu tư, Giấy chứng nhận đầu tư",
        ],
        &[
            "(đối với công ty trách nhiệm hữu hạn một thành viên)",
            "(đối với công ty cổ phần)",
            "(đối với công ty trách nhiệm hữu hạn hai thành viên trở lên)",
            "(đối với doanh nghiệp tư nhân)",
            "(đối với công ty hợp danh)",
        ],
    );
    p.s(&[
        "Đăng ký thay đổi chủ doanh nghiệp tư nhân trong trường hợp bán, tặng cho doanh nghiệp, chủ doanh nghiệp chết",
        "Đăng ký thay đổi chủ sở hữu công ty trách nhiệm hữu hạn một thành viên",
        "Thông báo thay đổi thông tin của cổ đông sáng lập công ty cổ phần chưa niêm yết",
        "Thông báo thay đổi thông tin của cổ đông là nhà đầu tư nước ngoài trong công ty cổ phần chưa niêm yết",
        "Thông báo chào bán cổ phần riêng lẻ của công ty cổ phần không phải là công ty đại chúng",
        "Đăng ký chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn, công ty cổ phần, công ty hợp danh",
        "Đăng ký chuyển đổi công ty trách nhiệm hữu hạn một thành viên thành công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "Đăng ký chuyển đổi công ty trách nhiệm hữu hạn hai thành viên trở lên thành công ty trách nhiệm hữu hạn một thành viên",
        "Đăng ký chuyển đổi công ty cổ phần thành công ty trách nhiệm hữu hạn",
        "Đăng ký thành lập doanh nghiệp trên cơ sở chuyển đổi từ hộ kinh doanh",
        "Đăng ký doanh nghiệp đối với công ty được chia",
        "Đăng ký doanh nghiệp đối với công ty được tách",
        "Đăng ký doanh nghiệp đối với công ty hợp nhất",
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp đối với công ty nhận sáp nhập",
        "Thông báo Cam kết thực hiện mục tiêu xã hội, môi trường của doanh nghiệp xã hội",
        "Thông báo thay đổi nội dung Cam kết thực hiện mục tiêu xã hội, môi trường",
        "Thông báo chấm dứt Cam kết thực hiện mục tiêu xã hội, môi trường",
        "Thông báo tiếp nhận viện trợ, tài trợ của doanh nghiệp xã hội",
        "Giải thể doanh nghiệp trong trường hợp bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp hoặc theo quyết định của Tòa án",
        "Khôi phục tình trạng pháp lý của doanh nghiệp",
        "Cung cấp thông tin về doanh nghiệp theo yêu cầu",
        "Cấp Giấy xác nhận về việc thay đổi nội dung đăng ký doanh nghiệp",
        "Chấm dứt tồn tại doanh nghiệp bị sáp nhập, bị hợp nhất",
    ]);
    p.f("Đầu tư tại Việt Nam").s(&[
        "Điều chỉnh tên dự án đầu tư, tên và địa chỉ nhà đầu tư trong Giấy chứng nhận đăng ký đầu tư",
        "Điều chỉnh dự án đầu tư trong trường hợp chia, tách, sáp nhập, hợp nhất, chuyển đổi loại hình tổ chức kinh tế",
        "Điều chỉnh dự án đầu tư theo bản án, quyết định của tòa án, trọng tài",
        "Chuyển nhượng dự án đầu tư",
        "Điều chỉnh văn bản chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
        "Gia hạn thời hạn hoạt động của dự án đầu tư",
        "Giãn tiến độ thực hiện dự án đầu tư",
        "Tạm ngừng, ngừng hoạt động của dự án đầu tư",
        "Chấm dứt hoạt động của dự án đầu tư",
        "Cấp lại hoặc hiệu đính thông tin trên Giấy chứng nhận đăng ký đầu tư",
        "Thành lập văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC",
        "Chấm dứt hoạt động văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC",
        "Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài",
        "Đổi Giấy chứng nhận đăng ký đầu tư cho dự án hoạt động theo Giấy phép đầu tư, Giấy chứng nhận đầu tư",
        "Cung cấp thông tin về dự án đầu tư",
        "Bảo đảm đầu tư trong trường hợp không được tiếp tục áp dụng ưu đãi đầu tư",
        "Điều chỉnh dự án đầu tư trong trường hợp nhà đầu tư nhận chuyển nhượng dự án đầu tư là tài sản bảo đảm",
    ]);
    p.f("Hợp tác xã").s(&[
        "Đăng ký thành lập liên hiệp hợp tác xã",
        "Đăng ký thay đổi nội dung đăng ký liên hiệp hợp tác xã",
        "Đăng ký giải thể liên hiệp hợp tác xã",
        "Cấp lại Giấy chứng nhận đăng ký liên hiệp hợp tác xã",
        "Thông báo tạm ngừng kinh doanh của liên hiệp hợp tác xã",
    ]);
    p.f("Quản lý công sản").s(&[
        "Quyết định mua sắm tài sản công phục vụ hoạt động của cơ quan, tổ chức, đơn vị",
        "Quyết định thuê tài sản phục vụ hoạt động của cơ quan, tổ chức, đơn vị",
        "Quyết định điều chuyển tài sản công",
        "Quyết định bán tài sản công",
        "Quyết định thanh lý tài sản công",
        "Quyết định tiêu hủy tài sản công",
        "Quyết định xử lý tài sản công trong trường hợp bị mất, bị hủy hoại",
        "Quyết định chuyển đổi công năng sử dụng tài sản công",
        "Phê duyệt đề án sử dụng tài sản công tại đơn vị sự nghiệp công lập vào mục đích kinh doanh, cho thuê, liên doanh, liên kết",
    ]);
    p.f("Quản lý giá").s(&[
        "Đăng ký giá của các doanh nghiệp thuộc phạm vi cấp tỉnh",
        "Kê khai giá của các doanh nghiệp thuộc phạm vi cấp tỉnh",
        "Hiệp thương giá",
    ]);
    p.f("Ngân sách nhà nước").s(&[
        "Đăng ký mã số đơn vị có quan hệ với ngân sách cho các đơn vị dự toán",
        "Đăng ký mã số đơn vị có quan hệ với ngân sách cho các dự án đầu tư",
        "Thay đổi thông tin mã số đơn vị có quan hệ với ngân sách",
    ]);
    p.f("Đấu thầu").s(&[
        "Lựa chọn nhà đầu tư thực hiện dự án đầu tư có sử dụng đất",
        "Thẩm định kế hoạch lựa chọn nhà thầu",
    ]);
    p
}

fn agriculture_environment() -> Pool {
    let mut p = Pool::new("SNNMT");
    p.f("Đất đai").s(&[
        "Giao đất, cho thuê đất không đấu giá quyền sử dụng đất, không đấu thầu lựa chọn nhà đầu tư đối với tổ chức",
        "Giao đất, cho thuê đất thông qua đấu giá quyền sử dụng đất đối với tổ chức",
        "Chuyển mục đích sử dụng đất đối với tổ chức",
        "Gia hạn sử dụng đất đối với tổ chức",
        "Điều chỉnh quyết định giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất",
        "Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất",
        "Đăng ký biến động đối với trường hợp chuyển nhượng dự án có sử dụng đất",
        "Đăng ký biến động do đổi tên, thay đổi thông tin về người sử dụng đất",
        "Đăng ký biến động do thay đổi diện tích xây dựng, diện tích sử dụng, tầng cao, kết cấu của tài sản gắn liền với đất",
        "Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề",
        "Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân",
        "Đăng ký chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm quyền",
        "Đính chính Giấy chứng nhận đã cấp",
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất cho người mua nhà ở, công trình xây dựng trong dự án phát triển nhà ở",
        "Đăng ký đất đai lần đầu đối với trường hợp được Nhà nước giao đất để quản lý",
        "Bán tài sản gắn liền với đất thuê của Nhà nước theo hình thức thuê đất trả tiền hằng năm",
        "Chuyển từ hình thức thuê đất trả tiền hằng năm sang thuê đất trả tiền một lần cho cả thời gian thuê",
        "Đăng ký bổ sung tài sản gắn liền với đất vào Giấy chứng nhận đã cấp",
        "Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất không thông qua hình thức đấu giá",
        "Xóa đăng ký cho thuê, cho thuê lại quyền sử dụng đất, góp vốn bằng quyền sử dụng đất",
        "Đăng ký biến động do thay đổi hạn chế về quyền sử dụng đất",
        "Đăng ký biến động do thay đổi thông tin về thửa đất",
    ]);
    p.x(
        &["Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong trường hợp {}"],
        &[
            "chuyển nhượng quyền sử dụng đất",
            "tặng cho quyền sử dụng đất",
            "thừa kế quyền sử dụng đất",
            "góp vốn bằng quyền sử dụng đất",
            "chuyển đổi quyền sử dụng đất nông nghiệp",
            "xử lý hợp đồng thế chấp",
            "chia, tách, hợp nhất, sáp nhập tổ chức",
            "thỏa thuận phân chia quyền sử dụng đất của nhóm người sử dụng đất",
            "hòa giải thành về tranh chấp đất đai",
            "thực hiện bản án, quyết định của Tòa án",
        ],
    );
    p.f("Đăng ký biện pháp bảo đảm").s(&[
        "Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký",
        "Sửa chữa sai sót nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký do lỗi của cơ quan đăng ký",
        "Đăng ký văn bản thông báo về việc xử lý tài sản bảo đảm bằng quyền sử dụng đất",
        "Cung cấp thông tin về biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất",
        "Đăng ký biện pháp bảo đảm bằng tài sản gắn liền với đất hình thành trong tương lai",
        "Chuyển tiếp đăng ký thế chấp quyền tài sản phát sinh từ hợp đồng mua bán nhà ở",
    ]);
    p.f("Môi trường").fam("LDE", &["giấy phép môi trường (cấp tỉnh)"]);
    p.s(&[
        "Thẩm định phương án cải tạo, phục hồi môi trường trong hoạt động khai thác khoáng sản (cấp tỉnh)",
        "Vận hành thử nghiệm công trình xử lý chất thải (cấp tỉnh)",
        "Chấp thuận tách đấu nối khỏi hệ thống thu gom, thoát nước, xử lý nước thải tập trung",
        "Xác nhận hoàn thành phương án cải tạo, phục hồi môi trường",
        "Chấp thuận kế hoạch ứng phó sự cố chất thải",
        "Công nhận cơ sở bảo tồn đa dạng sinh học",
        "Cấp giấy phép nuôi, trồng các loài thuộc Danh mục loài được ưu tiên bảo vệ",
        "Đăng ký cơ sở bảo tồn đa dạng sinh học",
        "Thẩm định báo cáo đánh giá tác động môi trường điều chỉnh (cấp tỉnh)",
    ]);
    p.f("Tài nguyên nước").fam(
        "CLEG",
        &[
            "giấy phép khai thác, sử dụng nước dưới đất",
            "giấy phép thăm dò nước dưới đất",
            "giấy phép khai thác, sử dụng nước biển",
            "giấy phép hành nghề khoan nước dưới đất",
        ],
    );
    p.fam("LEG", &["giấy phép khai thác, sử dụng nước mặt"]);
    p.s(&[
        "Trả lại giấy phép tài nguyên nước",
        "Tính tiền cấp quyền khai thác tài nguyên nước",
        "Điều chỉnh tiền cấp quyền khai thác tài nguyên nước",
        "Lấy ý kiến về phương án chuyển nước",
    ]);
    p.f("Địa chất và khoáng sản").fam(
        "CEGT",
        &["giấy phép thăm dò khoáng sản", "giấy phép khai thác khoáng sản"],
    );
    p.fam(
        "CG",
        &[
            "giấy phép khai thác khoáng sản làm vật liệu xây dựng thông thường",
            "giấy phép khai thác tận thu khoáng sản",
        ],
    );
    p.s(&[
        "Chuyển nhượng quyền thăm dò khoáng sản",
        "Chuyển nhượng quyền khai thác khoáng sản",
        "Đóng cửa mỏ khoáng sản",
        "Đăng ký khai thác khoáng sản nhóm IV",
        "Phê duyệt trữ lượng khoáng sản",
        "Tính tiền cấp quyền khai thác khoáng sản",
    ]);
    p.f("Khí tượng thủy văn")
        .fam("CLSG", &["giấy phép hoạt động dự báo, cảnh báo khí tượng thủy văn"]);
    p.s(&["Cung cấp thông tin, dữ liệu khí tượng thủy văn"]);
    p.f("Đo đạc và bản đồ").s(&[
        "Cấp giấy phép hoạt động đo đạc và bản đồ",
        "Cấp bổ sung nội dung giấy phép hoạt động đo đạc và bản đồ",
        "Cấp chứng chỉ hành nghề đo đạc và bản đồ hạng II",
        "Cung cấp thông tin, dữ liệu, sản phẩm đo đạc và bản đồ",
    ]);
    p.f("Biển và hải đảo").s(&[
        "Giao khu vực biển (cấp tỉnh)",
        "Công nhận khu vực biển",
        "Gia hạn quyết định giao khu vực biển",
        "Sửa đổi, bổ sung quyết định giao khu vực biển",
        "Trả lại khu vực biển",
    ]);
    p.fam("CLSGT", &["giấy phép nhận chìm ở biển"]);
    p.f("Thủy sản").fam("LG", &["giấy phép khai thác thủy sản"]);
    p.fam("L", &["Giấy chứng nhận đăng ký tàu cá"]);
    p.fam(
        "CL",
        &[
            "giấy chứng nhận an toàn kỹ thuật tàu cá",
            "giấy chứng nhận cơ sở đủ điều kiện sản xuất, ương dưỡng giống thủy sản",
            "giấy chứng nhận cơ sở đủ điều kiện nuôi trồng thủy sản",
            "giấy xác nhận đăng ký nuôi trồng thủy sản lồng bè, đối tượng thủy sản nuôi chủ lực",
        ],
    );
    p.s(&[
        "Cấp giấy chứng nhận thủy sản khai thác",
        "Cấp giấy xác nhận nguyên liệu thủy sản khai thác",
        "Cấp văn bản chấp thuận đóng mới, cải hoán, thuê, mua tàu cá",
        "Xóa đăng ký tàu cá",
        "Đăng ký tàu cá tạm thời",
        "Công nhận và giao quyền quản lý cho tổ chức cộng đồng",
        "Phê duyệt phương án khai thác loài thủy sản nguy cấp, quý, hiếm",
    ]);
    p.f("Thú y").fam(
        "CL",
        &[
            "giấy chứng nhận đủ điều kiện vệ sinh thú y",
            "giấy chứng nhận đủ điều kiện buôn bán thuốc thú y",
            "giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
        ],
    );
    p.fam("CLG", &["chứng chỉ hành nghề thú y"]);
    p.fam("L", &["Giấy chứng nhận cơ sở an toàn dịch bệnh động vật"]);
    p.f("Chăn nuôi").fam(
        "CL",
        &[
            "giấy chứng nhận đủ điều kiện chăn nuôi trang trại quy mô lớn",
            "giấy chứng nhận đủ điều kiện sản xuất thức ăn chăn nuôi",
        ],
    );
    p.f("Trồng trọt")
        .fam("CLE", &["giấy chứng nhận đủ điều kiện sản xuất phân bón"]);
    p.fam("CL", &["giấy chứng nhận đủ điều kiện buôn bán phân bón"]);
    p.s(&[
        "Công nhận cây đầu dòng, vườn cây đầu dòng",
        "Cấp mã số vùng trồng",
        "Công nhận tiến bộ kỹ thuật trong trồng trọt",
    ]);
    p.f("Bảo vệ thực vật")
        .fam("CL", &["giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật"]);
    p.s(&[
        "Cấp giấy phép vận chuyển thuốc bảo vệ thực vật",
        "Cấp giấy chứng nhận kiểm dịch thực vật nội địa",
        "Cấp giấy xác nhận nội dung quảng cáo thuốc bảo vệ thực vật",
        "Cấp mã số cơ sở đóng gói",
    ]);
    p.f("Lâm nghiệp").s(&[
        "Phê duyệt phương án quản lý rừng bền vững của chủ rừng là tổ chức",
        "Phê duyệt hồ sơ thiết kế, dự toán công trình lâm sinh",
        "Giao rừng, cho thuê rừng đối với tổ chức",
        "Chuyển mục đích sử dụng rừng sang mục đích khác",
        "Đăng ký mã số cơ sở nuôi, trồng các loài động vật, thực vật hoang dã nguy cấp",
        "Xác nhận nguồn gốc gỗ trước khi xuất khẩu",
    ]);
    p.f("Thủy lợi").fam(
        "CLEG",
        &["giấy phép hoạt động trong phạm vi bảo vệ công trình thủy lợi"],
    );
    p.s(&[
        "Phê duyệt phương án cắm mốc chỉ giới phạm vi bảo vệ công trình thủy lợi",
        "Phê duyệt quy trình vận hành hồ chứa nước",
        "Phê duyệt phương án ứng phó thiên tai cho công trình vùng hạ du đập",
        "Phê duyệt phương án bảo vệ công trình thủy lợi",
        "Cấp giấy phép xả nước thải vào công trình thủy lợi",
    ]);
    p.f("Phòng, chống thiên tai").s(&[
        "Cấp phép hoạt động trong phạm vi bảo vệ đê điều",
        "Cấp phép sử dụng đê, kè bảo vệ đê, cống qua đê làm đường giao thông",
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai (cấp tỉnh)",
    ]);
    p.f("Quản lý chất lượng nông lâm sản và thủy sản").fam(
        "CL",
        &["giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nông lâm thủy sản"],
    );
    p.s(&[
        "Xác nhận kiến thức về an toàn thực phẩm cho chủ cơ sở và người trực tiếp sản xuất, kinh doanh nông lâm thủy sản",
        "Cấp giấy chứng nhận lưu hành tự do (CFS) đối với sản phẩm nông lâm thủy sản xuất khẩu",
        "Cấp giấy chứng nhận sản phẩm nông nghiệp hữu cơ",
    ]);
    p.f("Giảm nghèo").s(&[
        "Hỗ trợ phát triển sản xuất, đa dạng hóa sinh kế thuộc Chương trình mục tiêu quốc gia giảm nghèo bền vững",
    ]);
    p.f("Phát triển nông thôn").s(&[
        "Hỗ trợ dự án liên kết (cấp tỉnh)",
        "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh",
        "Công nhận nghề truyền thống",
        "Công nhận làng nghề",
        "Công nhận làng nghề truyền thống",
    ]);
    p.f("Nông nghiệp")
        .s(&["Phê duyệt đối tượng được hỗ trợ phí bảo hiểm nông nghiệp (cấp tỉnh)"]);
    p
}

fn construction() -> Pool {
    let mut p = Pool::new("SXD");
    p.f("Xây dựng").s(&[
        "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp đặc biệt, cấp I, cấp II",
        "Cấp giấy phép di dời đối với công trình cấp đặc biệt, cấp I, cấp II",
        "Cấp điều chỉnh giấy phép xây dựng đối với công trình cấp đặc biệt, cấp I, cấp II",
        "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng thuộc thẩm quyền của cơ quan chuyên môn về xây dựng cấp tỉnh",
        "Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng (cấp tỉnh)",
        "Kiểm tra công tác nghiệm thu hoàn thành công trình",
        "Thẩm định dự toán xây dựng",
        "Cho ý kiến về kết quả đánh giá an toàn công trình",
        "Thông báo khởi công xây dựng công trình",
    ]);
    p.x(
        &[
            "Cấp giấy phép xây dựng mới đối với công trình {} cấp đặc biệt, cấp I, cấp II",
            "Cấp giấy phép xây dựng có thời hạn đối với công trình {}",
        ],
        &[
            "không theo tuyến",
            "theo tuyến trong đô thị",
            "tín ngưỡng, tôn giáo",
            "tượng đài, tranh hoành tráng",
            "quảng cáo",
            "hạ tầng kỹ thuật viễn thông thụ động",
        ],
    );
    p.fam(
        "CLEG",
        &[
            "chứng chỉ hành nghề khảo sát xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề thiết kế quy hoạch xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề thiết kế xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề giám sát thi công xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề định giá xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề quản lý dự án đầu tư xây dựng hạng II, hạng III",
        ],
    );
    p.fam(
        "LEG",
        &[
            "chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
            "chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
        ],
    );
    p.f("Kinh doanh bất động sản")
        .fam("LD", &["chứng chỉ hành nghề môi giới bất động sản"]);
    p.s(&[
        "Chuyển nhượng toàn bộ hoặc một phần dự án bất động sản do Ủy ban nhân dân cấp tỉnh quyết định",
        "Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua",
    ]);
    p.f("Nhà ở").s(&[
        "Thẩm định giá bán, giá thuê mua nhà ở xã hội",
        "Cho thuê nhà ở công vụ thuộc thẩm quyền cấp tỉnh",
        "Bán nhà ở cũ thuộc tài sản công",
        "Cho thuê nhà ở cũ thuộc tài sản công",
        "Công nhận chủ đầu tư dự án xây dựng nhà ở xã hội",
        "Chấp thuận chủ trương đầu tư dự án xây dựng nhà ở thương mại",
    ]);
    p.f("Quy hoạch xây dựng, kiến trúc").s(&[
        "Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền cấp tỉnh",
        "Cấp giấy phép quy hoạch dự án đầu tư xây dựng",
        "Thẩm định nhiệm vụ quy hoạch chi tiết",
        "Thẩm định đồ án quy hoạch chi tiết",
        "Cấp chứng chỉ hành nghề kiến trúc",
        "Công nhận chứng chỉ hành nghề kiến trúc của người nước ngoài",
    ]);
    p.f("Hạ tầng kỹ thuật").s(&[
        "Thỏa thuận đấu nối vào hệ thống thoát nước",
        "Chấp thuận phương án sử dụng tạm thời hạ tầng kỹ thuật đô thị",
        "Cấp giấy phép đào đường, vỉa hè để thi công công trình hạ tầng kỹ thuật",
    ]);
    p.f("Vật liệu xây dựng")
        .s(&["Tiếp nhận bản công bố hợp quy sản phẩm, hàng hóa vật liệu xây dựng"]);
    p.f("Giao thông vận tải").fam(
        "L",
        &[
            "Giấy phép kinh doanh vận tải bằng xe ô tô",
            "phù hiệu xe ô tô kinh doanh vận tải",
        ],
    );
    p.x(
        &["Cấp Giấy phép liên vận {}", "Gia hạn Giấy phép liên vận {}"],
        &[
            "Việt - Lào",
            "Việt Nam - Campuchia",
            "giữa Việt Nam, Lào và Campuchia",
            "Việt - Trung",
        ],
    );
    p.s(&[
        "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
        "Chấp thuận thiết kế kỹ thuật và phương án tổ chức giao thông của nút giao đấu nối vào quốc lộ",
        "Cấp giấy phép thi công nút giao đấu nối vào quốc lộ",
        "Gia hạn chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
        "Công bố đưa bến xe khách vào khai thác",
        "Công bố lại đưa bến xe khách vào khai thác",
        "Cấp giấy phép đào tạo lái xe ô tô",
        "Cấp giấy phép xe tập lái",
        "Cấp giấy chứng nhận giáo viên dạy thực hành lái xe",
        "Cấp Giấy chứng nhận đăng ký xe máy chuyên dùng lần đầu",
    ]);
    p.f("Đường thủy nội địa").s(&[
        "Công bố mở cảng thủy nội địa",
        "Công bố lại cảng thủy nội địa",
        "Công bố đóng cảng thủy nội địa",
        "Cấp giấy phép hoạt động bến thủy nội địa",
        "Chấp thuận phương án vận tải hàng hóa siêu trường, siêu trọng trên đường thủy nội địa",
        "Thỏa thuận thông số kỹ thuật xây dựng cảng, bến thủy nội địa",
        "Công bố hạn chế giao thông đường thủy nội địa",
        "Cấp giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng",
        "Đăng ký phương tiện thủy nội địa mang cấp VR-SB",
    ]);
    p
}

fn health() -> Pool {
    let mut p = Pool::new("SYT");
    p.f("Khám bệnh, chữa bệnh").x(
        &[
            "Cấp mới giấy phép hoạt động đối với {}",
            "Cấp lại giấy phép hoạt động đối với {}",
            "Điều chỉnh giấy phép hoạt động đối với {}",
        ],
        &[
            "bệnh viện",
            "phòng khám đa khoa",
            "phòng khám chuyên khoa",
            "phòng khám y học cổ truyền",
            "phòng khám bác sĩ gia đình",
            "phòng chẩn trị y học cổ truyền",
            "nhà hộ sinh",
            "phòng xét nghiệm",
            "phòng chẩn đoán hình ảnh",
            "cơ sở dịch vụ cấp cứu, hỗ trợ vận chuyển người bệnh",
            "cơ sở dịch vụ tiêm, chích, thay băng, đo huyết áp",
            "cơ sở dịch vụ làm răng giả",
            "cơ sở dịch vụ kính thuốc",
            "trạm y tế xã",
            "phòng khám, điều trị nghiện chất dạng thuốc phiện",
        ],
    );
    p.x(
        &[
            "Cấp mới giấy phép hành nghề {}",
            "Cấp lại giấy phép hành nghề {}",
            "Gia hạn giấy phép hành nghề {}",
            "Điều chỉnh giấy phép hành nghề {}",
        ],
        &[
            "đối với chức danh bác sĩ",
            "đối với chức danh y sĩ",
            "đối với chức danh điều dưỡng",
            "đối với chức danh hộ sinh",
            "đối với chức danh kỹ thuật y",
            "đối với chức danh dinh dưỡng lâm sàng",
            "đối với chức danh cấp cứu viên ngoại viện",
            "đối với chức danh tâm lý lâm sàng",
            "đối với lương y",
            "đối với người có bài thuốc gia truyền hoặc phương pháp chữa bệnh gia truyền",
        ],
    );
    p.s(&[
        "Công bố cơ sở đủ điều kiện khám sức khỏe",
        "Công bố cơ sở đủ điều kiện khám bệnh nghề nghiệp",
        "Cho phép người nước ngoài vào Việt Nam khám bệnh, chữa bệnh nhân đạo theo đợt",
    ]);
    p.f("Dược phẩm").fam("L", &["chứng chỉ hành nghề dược"]);
    p.x(
        &["Cấp {}", "Cấp lại {}", "Điều chỉnh nội dung {}"],
        &[
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán buôn thuốc",
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ dược liệu, thuốc dược liệu, thuốc cổ truyền",
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở kinh doanh thuốc phải kiểm soát đặc biệt",
        ],
    );
    p.s(&[
        "Điều chỉnh nội dung Chứng chỉ hành nghề dược",
        "Đánh giá đáp ứng Thực hành tốt phân phối thuốc",
        "Đánh giá duy trì đáp ứng Thực hành tốt cơ sở bán lẻ thuốc",
        "Cho phép hủy thuốc gây nghiện, thuốc hướng tâm thần, thuốc tiền chất",
        "Xác nhận nội dung thông tin thuốc theo hình thức hội thảo giới thiệu thuốc",
        "Duyệt dự trù thuốc gây nghiện, thuốc hướng tâm thần, thuốc tiền chất",
    ]);
    p.f("Trang thiết bị y tế").s(&[
        "Công bố đủ điều kiện mua bán trang thiết bị y tế thuộc loại B, C, D",
        "Công bố tiêu chuẩn áp dụng đối với trang thiết bị y tế thuộc loại A, B",
        "Công bố đủ điều kiện sản xuất trang thiết bị y tế",
    ]);
    p.f("Mỹ phẩm").s(&[
        "Tiếp nhận phiếu công bố sản phẩm mỹ phẩm sản xuất trong nước",
        "Cấp giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm",
        "Điều chỉnh giấy chứng nhận đủ điều kiện sản xuất mỹ phẩm",
    ]);
    p.f("Y tế dự phòng").s(&[
        "Công bố cơ sở đủ điều kiện thực hiện tiêm chủng",
        "Công bố đủ điều kiện thực hiện hoạt động quan trắc môi trường lao động",
        "Cấp giấy chứng nhận cơ sở xét nghiệm đạt tiêu chuẩn an toàn sinh học cấp I, cấp II",
    ]);
    p.f("An toàn thực phẩm").s(&[
        "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thuộc thẩm quyền ngành y tế)",
        "Đăng ký bản công bố sản phẩm thực phẩm dinh dưỡng y học, thực phẩm dùng cho chế độ ăn đặc biệt",
        "Xác nhận nội dung quảng cáo thực phẩm (thuộc thẩm quyền ngành y tế)",
        "Xác nhận kiến thức về an toàn thực phẩm (thuộc thẩm quyền ngành y tế)",
    ]);
    p.f("Giám định y khoa").s(&[
        "Khám giám định lần đầu do tai nạn lao động",
        "Khám giám định lần đầu do bệnh nghề nghiệp",
        "Khám giám định tái phát tai nạn lao động",
        "Khám giám định để hưởng chế độ hưu trí trước tuổi",
        "Khám giám định để hưởng trợ cấp tuất hằng tháng",
        "Khám giám định tổng hợp",
        "Khám giám định phúc quyết mức độ khuyết tật",
    ]);
    p.f("Bảo trợ xã hội").s(&[
        "Thành lập cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân cấp tỉnh",
        "Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội",
        "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền cấp tỉnh",
        "Giải thể cơ sở trợ giúp xã hội ngoài công lập",
        "Thay đổi tên gọi, trụ sở, giám đốc cơ sở trợ giúp xã hội ngoài công lập",
        "Tiếp nhận đối tượng vào cơ sở trợ giúp xã hội cấp tỉnh quản lý",
        "Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội cấp tỉnh",
    ]);
    p.f("Trẻ em").s(&[
        "Đăng ký hoạt động cơ sở cung cấp dịch vụ bảo vệ trẻ em",
        "Thông báo thay đổi thông tin của cơ sở cung cấp dịch vụ bảo vệ trẻ em",
    ]);
    p.f("Phòng, chống tệ nạn xã hội").s(&[
        "Cấp giấy phép hoạt động cơ sở cai nghiện ma túy tự nguyện",
        "Công bố cơ sở cai nghiện ma túy đủ điều kiện cung cấp dịch vụ cai nghiện ma túy tự nguyện",
        "Đề nghị cai nghiện ma túy tự nguyện tại cơ sở cai nghiện công lập",
    ]);
    p.f("Thi đua, khen thưởng")
        .s(&["Đề nghị xét tặng danh hiệu Thầy thuốc nhân dân, Thầy thuốc ưu tú"]);
    p
}

fn education() -> Pool {
    let mut p = Pool::new("SGDĐT");
    p.f("Giáo dục và Đào tạo").x(
        &[
            "Thành lập hoặc cho phép thành lập {}",
            "Cho phép hoạt động giáo dục đối với {}",
            "Cho phép hoạt động giáo dục trở lại đối với {}",
            "Sáp nhập, chia, tách {}",
            "Giải thể {}",
        ],
        &[
            "trường trung học phổ thông",
            "trường phổ thông có nhiều cấp học có cấp học cao nhất là trung học phổ thông",
            "trường phổ thông dân tộc nội trú",
            "trường trung học phổ thông chuyên",
            "trung tâm giáo dục thường xuyên",
            "trung tâm ngoại ngữ, tin học",
            "trung tâm hỗ trợ phát triển giáo dục hòa nhập",
            "trường dành cho người khuyết tật",
        ],
    );
    p.s(&[
        "Xin học lại tại trường khác đối với học sinh trung học",
        "Tiếp nhận học sinh Việt Nam về nước học trung học phổ thông",
        "Tiếp nhận học sinh người nước ngoài học tại trường trung học phổ thông",
        "Phê duyệt việc dạy và học bằng tiếng nước ngoài",
        "Công nhận trường trung học phổ thông đạt chuẩn quốc gia",
        "Cho phép tổ chức thi cấp chứng chỉ năng lực ngoại ngữ",
        "Phê duyệt liên kết giáo dục với nước ngoài",
        "Đề nghị xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú",
    ]);
    p.f("Văn bằng, chứng chỉ").s(&[
        "Cấp giấy chứng nhận tốt nghiệp trung học phổ thông tạm thời",
        "Cấp bản sao bằng tốt nghiệp trung học phổ thông từ sổ gốc",
        "Xác minh văn bằng, chứng chỉ",
        "Đăng ký dự thi tốt nghiệp trung học phổ thông",
        "Xét đặc cách tốt nghiệp trung học phổ thông",
        "Cấp giấy chứng nhận hoàn thành chương trình giáo dục phổ thông",
        "Cấp lại văn bằng, chứng chỉ do bị mất",
    ]);
    p.f("Giáo dục nghề nghiệp").s(&[
        "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp đối với trường trung cấp, trung tâm giáo dục nghề nghiệp",
        "Đăng ký bổ sung hoạt động giáo dục nghề nghiệp đối với trường trung cấp, trung tâm giáo dục nghề nghiệp",
        "Thành lập trung tâm giáo dục nghề nghiệp công lập",
        "Cho phép thành lập trường trung cấp tư thục",
        "Giải thể trung tâm giáo dục nghề nghiệp",
        "Phê duyệt liên kết đào tạo với nước ngoài trình độ trung cấp",
        "Cấp chứng chỉ kỹ năng nghề quốc gia",
    ]);
    p
}

fn home_affairs() -> Pool {
    let mut p = Pool::new("SNV");
    p.f("Thi đua, khen thưởng").s(&[
        "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        "Tặng Cờ thi đua của Ủy ban nhân dân cấp tỉnh",
        "Tặng danh hiệu Tập thể lao động xuất sắc",
        "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
        "Đề nghị tặng danh hiệu Chiến sĩ thi đua toàn quốc",
    ]);
    p.x(
        &["Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh"],
        &[
            "về thành tích thực hiện nhiệm vụ chính trị",
            "về thành tích thi đua theo đợt hoặc chuyên đề",
            "về thành tích đột xuất",
            "về thành tích đối ngoại",
            "cho gia đình",
        ],
    );
    p.f("Tín ngưỡng, tôn giáo").s(&[
        "Thủ tục đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục đề nghị tổ chức đại hội của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở nhiều xã",
        "Thủ tục đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký",
        "Thủ tục thông báo thuyên chuyển chức sắc, chức việc, nhà tu hành",
        "Thủ tục đề nghị thành lập, chia, tách, sáp nhập, hợp nhất tổ chức tôn giáo trực thuộc",
        "Thủ tục đăng ký mở lớp bồi dưỡng về tôn giáo cho người chuyên hoạt động tôn giáo",
        "Thủ tục đề nghị sinh hoạt tôn giáo tập trung của người nước ngoài cư trú hợp pháp tại Việt Nam",
        "Thủ tục đề nghị công nhận tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục đăng ký sửa đổi hiến chương của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục đề nghị thay đổi tên của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
    ]);
    p.f("Tổ chức phi chính phủ").x(
        &[
            "Thủ tục phê duyệt điều lệ hội",
            "Thủ tục chia, tách; sáp nhập; hợp nhất hội",
            "Thủ tục đổi tên hội",
            "Thủ tục hội tự giải thể",
            "Thủ tục báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội",
            "Thủ tục công nhận ban vận động thành lập hội",
            "Thủ tục cấp giấy phép thành lập và công nhận điều lệ quỹ",
            "Thủ tục công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên hội đồng quản lý quỹ",
            "Thủ tục thay đổi giấy phép thành lập và công nhận điều lệ (sửa đổi, bổ sung) quỹ",
            "Thủ tục cấp lại giấy phép thành lập và công nhận điều lệ quỹ",
            "Thủ tục hợp nhất, sáp nhập, chia, tách quỹ",
            "Thủ tục đổi tên quỹ",
            "Thủ tục quỹ tự giải thể",
        ],
        &["(cấp tỉnh)"],
    );
    p.s(&[
        "Thủ tục cho phép hội đặt văn phòng đại diện",
        "Thủ tục công nhận thay đổi, bổ sung thành viên hội đồng quản lý quỹ",
        "Thủ tục cho phép quỹ hoạt động trở lại sau khi bị tạm đình chỉ hoạt động",
    ]);
    p.f("Lao động")
        .fam("CLG", &["giấy phép hoạt động cho thuê lại lao động"]);
    p.s(&[
        "Đăng ký hợp đồng nhận lao động thực tập thời hạn dưới 90 ngày",
        "Báo cáo giải trình nhu cầu, thay đổi nhu cầu sử dụng người lao động nước ngoài",
        "Gửi thỏa ước lao động tập thể cấp doanh nghiệp",
        "Thông báo về việc tổ chức làm thêm từ trên 200 giờ đến 300 giờ trong một năm",
        "Giải quyết tranh chấp lao động tập thể về quyền",
        "Đăng ký hoạt động đưa người lao động đi làm việc ở nước ngoài",
        "Thông báo về việc thành lập tổ chức đại diện người lao động tại doanh nghiệp",
    ]);
    p.f("Việc làm").s(&[
        "Gia hạn giấy phép hoạt động dịch vụ việc làm",
        "Cấp lại giấy phép hoạt động dịch vụ việc làm",
        "Tạm dừng hưởng trợ cấp thất nghiệp",
        "Tiếp tục hưởng trợ cấp thất nghiệp",
        "Chấm dứt hưởng trợ cấp thất nghiệp",
        "Chuyển nơi hưởng trợ cấp thất nghiệp (chuyển đi)",
        "Chuyển nơi hưởng trợ cấp thất nghiệp (chuyển đến)",
        "Hỗ trợ học nghề cho người đang hưởng trợ cấp thất nghiệp",
        "Hỗ trợ đào tạo, bồi dưỡng, nâng cao trình độ kỹ năng nghề để duy trì việc làm cho người lao động",
        "Thông báo về việc tìm kiếm việc làm hằng tháng",
        "Vay vốn hỗ trợ tạo việc làm từ Quỹ quốc gia về việc làm đối với cơ sở sản xuất, kinh doanh",
    ]);
    p.f("An toàn, vệ sinh lao động").s(&[
        "Cấp Giấy chứng nhận đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao động hạng A",
        "Cấp Giấy chứng nhận đủ điều kiện hoạt động dịch vụ kiểm định kỹ thuật an toàn lao động",
        "Khai báo khi đưa vào sử dụng các loại máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn lao động",
        "Hỗ trợ kinh phí huấn luyện an toàn, vệ sinh lao động",
        "Hỗ trợ chuyển đổi nghề nghiệp cho người lao động bị tai nạn lao động, bệnh nghề nghiệp",
    ]);
    p.f("Tiền lương").s(&[
        "Xếp hạng công ty trách nhiệm hữu hạn một thành viên do Ủy ban nhân dân cấp tỉnh làm chủ sở hữu",
        "Phê duyệt quỹ tiền lương, thù lao của người quản lý công ty do Ủy ban nhân dân cấp tỉnh làm chủ sở hữu",
    ]);
    p.f("Người có công").s(&[
        "Giải quyết chế độ đối với thương binh đồng thời là bệnh binh",
        "Công nhận thương binh, người hưởng chính sách như thương binh",
        "Giám định lại thương tật do vết thương cũ tái phát",
        "Giải quyết chế độ đối với người hoạt động kháng chiến bị nhiễm chất độc hóa học",
        "Giải quyết chế độ người có công giúp đỡ cách mạng",
        "Giải quyết chế độ ưu đãi đối với người hoạt động cách mạng, kháng chiến bị địch bắt tù, đày",
        "Đổi, cấp lại Bằng Tổ quốc ghi công",
        "Cấp trích lục hoặc sao hồ sơ người có công với cách mạng",
        "Sửa đổi thông tin cá nhân trong hồ sơ người có công",
        "Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú",
        "Tiếp nhận người có công vào cơ sở nuôi dưỡng, điều dưỡng người có công do tỉnh quản lý",
        "Hỗ trợ lấy mẫu sinh phẩm để giám định ADN xác định danh tính hài cốt liệt sĩ",
        "Công nhận liệt sĩ đối với trường hợp hy sinh từ ngày 01/01/1995 trở về sau",
    ]);
    p.f("Văn thư, lưu trữ").s(&[
        "Cấp chứng chỉ hành nghề lưu trữ",
        "Phục vụ việc sử dụng tài liệu của độc giả tại phòng đọc",
        "Cấp bản sao và chứng thực tài liệu lưu trữ",
    ]);
    p.f("Công chức, viên chức").s(&[
        "Thủ tục thi nâng ngạch công chức",
        "Thủ tục tiếp nhận vào làm công chức",
        "Thủ tục thi thăng hạng chức danh nghề nghiệp viên chức",
        "Thủ tục xét thăng hạng chức danh nghề nghiệp viên chức",
        "Thủ tục tiếp nhận vào làm viên chức",
    ]);
    p.f("Chính quyền địa phương").s(&[
        "Thủ tục thẩm định thành lập đơn vị sự nghiệp công lập",
        "Thủ tục thẩm định tổ chức lại đơn vị sự nghiệp công lập",
        "Thủ tục thẩm định giải thể đơn vị sự nghiệp công lập",
        "Thủ tục thành lập thôn, tổ dân phố mới",
    ]);
    p.f("Thanh niên").s(&[
        "Thủ tục xác nhận phiên hiệu thanh niên xung phong ở cấp tỉnh",
        "Thủ tục giải quyết chế độ trợ cấp một lần đối với thanh niên xung phong",
    ]);
    p
}

fn industry_trade() -> Pool {
    let mut p = Pool::new("SCT");
    p.f("Lưu thông hàng hóa trong nước")
        .fam("LS", &["Giấy phép kinh doanh bán buôn rượu"]);
    p.fam(
        "CLS",
        &[
            "giấy phép sản xuất rượu công nghiệp (quy mô dưới 3 triệu lít/năm)",
            "giấy phép bán buôn sản phẩm thuốc lá",
        ],
    );
    p.f("Kinh doanh xăng dầu")
        .fam("LS", &["Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu"]);
    p.f("Kinh doanh khí").fam(
        "CLE",
        &[
            "giấy chứng nhận đủ điều kiện thương nhân kinh doanh mua bán LPG",
            "giấy chứng nhận đủ điều kiện trạm nạp LPG vào chai",
            "giấy chứng nhận đủ điều kiện trạm nạp LPG vào xe bồn",
            "giấy chứng nhận đủ điều kiện trạm cấp LPG",
            "giấy chứng nhận đủ điều kiện trạm nạp CNG vào phương tiện vận tải",
        ],
    );
    p.f("Điện lực").s(&[
        "Cấp giấy phép hoạt động phát điện đối với nhà máy điện có quy mô công suất dưới 50 MW",
        "Cấp giấy phép hoạt động phân phối điện",
        "Cấp giấy phép hoạt động bán lẻ điện",
        "Cấp giấy phép hoạt động tư vấn chuyên ngành điện lực",
        "Cấp sửa đổi, bổ sung giấy phép hoạt động điện lực",
        "Huấn luyện và cấp thẻ kiểm tra viên điện lực",
    ]);
    p.f("Hóa chất").fam(
        "CLE",
        &[
            "giấy chứng nhận đủ điều kiện sản xuất hóa chất sản xuất, kinh doanh có điều kiện trong lĩnh vực công nghiệp",
            "giấy chứng nhận đủ điều kiện kinh doanh hóa chất sản xuất, kinh doanh có điều kiện trong lĩnh vực công nghiệp",
        ],
    );
    p.s(&["Xác nhận Kế hoạch phòng ngừa, ứng phó sự cố hóa chất trong lĩnh vực công nghiệp"]);
    p.f("Vật liệu nổ công nghiệp")
        .fam("CLG", &["giấy phép sử dụng vật liệu nổ công nghiệp"]);
    p.s(&["Cấp giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp"]);
    p.f("Xúc tiến thương mại").s(&[
        "Đăng ký tổ chức hội chợ, triển lãm thương mại tại Việt Nam",
        "Đăng ký sửa đổi, bổ sung nội dung tổ chức hội chợ, triển lãm thương mại tại Việt Nam",
        "Đăng ký sửa đổi, bổ sung nội dung chương trình khuyến mại",
        "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi trên địa bàn một tỉnh, thành phố",
    ]);
    p.f("Quản lý cạnh tranh").s(&[
        "Đăng ký sửa đổi, bổ sung nội dung hoạt động bán hàng đa cấp tại địa phương",
        "Thông báo tổ chức hội nghị, hội thảo, đào tạo về bán hàng đa cấp",
        "Chấm dứt hoạt động bán hàng đa cấp tại địa phương",
        "Đăng ký hợp đồng theo mẫu, điều kiện giao dịch chung",
    ]);
    p.f("Thương mại quốc tế").fam(
        "LE",
        &["Giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài"],
    );
    p.fam(
        "CLEG",
        &[
            "giấy phép lập cơ sở bán lẻ",
            "Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
        ],
    );
    p.s(&["Chấm dứt hoạt động của Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam"]);
    p.f("Công nghiệp địa phương").s(&[
        "Hỗ trợ kinh phí khuyến công địa phương",
        "Xét chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh",
        "Thành lập, mở rộng cụm công nghiệp",
        "Điều chỉnh quy hoạch chi tiết cụm công nghiệp",
    ]);
    p.f("An toàn thực phẩm").s(&[
        "Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thuộc thẩm quyền ngành công thương)",
        "Xác nhận nội dung quảng cáo thực phẩm (thuộc thẩm quyền ngành công thương)",
        "Kiểm tra, xác nhận kiến thức về an toàn thực phẩm (thuộc thẩm quyền ngành công thương)",
    ]);
    p.f("Thương mại").s(&[
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ giám định thương mại",
        "Đăng ký dấu nghiệp vụ giám định thương mại",
        "Đăng ký hoạt động nhượng quyền thương mại",
        "Thông báo thay đổi thông tin đăng ký hoạt động nhượng quyền thương mại",
    ]);
    p
}

fn science() -> Pool {
    let mut p = Pool::new("SKHCN");
    p.f("An toàn bức xạ và hạt nhân").fam(
        "LG",
        &["giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế"],
    );
    p.fam("L", &["chứng chỉ nhân viên bức xạ"]);
    p.s(&[
        "Sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế",
        "Khai báo thiết bị X-quang chẩn đoán trong y tế",
        "Phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở đối với công việc sử dụng thiết bị X-quang chẩn đoán trong y tế",
    ]);
    p.f("Hoạt động khoa học và công nghệ").s(&[
        "Đăng ký hoạt động của tổ chức khoa học và công nghệ",
        "Thay đổi, bổ sung nội dung Giấy chứng nhận đăng ký hoạt động của tổ chức khoa học và công nghệ",
        "Cấp lại Giấy chứng nhận đăng ký hoạt động của tổ chức khoa học và công nghệ",
        "Đăng ký hoạt động lần đầu cho văn phòng đại diện, chi nhánh của tổ chức khoa học và công nghệ",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
        "Giao quyền sở hữu, quyền sử dụng kết quả nghiên cứu khoa học và phát triển công nghệ sử dụng ngân sách nhà nước",
        "Thay đổi, bổ sung nội dung Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "Cấp lại Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        "Đăng ký thông tin kết quả nghiên cứu khoa học và phát triển công nghệ được mua bằng ngân sách nhà nước",
        "Công nhận kết quả nghiên cứu khoa học và phát triển công nghệ do tổ chức, cá nhân tự đầu tư nghiên cứu",
        "Hỗ trợ doanh nghiệp khởi nghiệp đổi mới sáng tạo",
    ]);
    p.f("Sở hữu trí tuệ").s(&[
        "Hỗ trợ đăng ký bảo hộ quyền sở hữu công nghiệp",
        "Cho phép sử dụng địa danh để đăng ký nhãn hiệu chứng nhận, nhãn hiệu tập thể",
        "Cho phép sử dụng chỉ dẫn địa lý",
    ]);
    p.f("Tiêu chuẩn, đo lường, chất lượng").s(&[
        "Đăng ký công bố hợp quy đối với các sản phẩm, hàng hóa sản xuất trong nước",
        "Đăng ký kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
        "Đăng ký tham dự sơ tuyển, xét tặng Giải thưởng chất lượng quốc gia",
        "Miễn giảm kiểm tra chất lượng hàng hóa nhập khẩu",
    ]);
    p.f("Chuyển giao công nghệ").s(&[
        "Đăng ký chuyển giao công nghệ (cấp tỉnh)",
        "Đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao công nghệ (cấp tỉnh)",
        "Thẩm định công nghệ dự án đầu tư (cấp tỉnh)",
    ]);
    p.f("Bưu chính").s(&[
        "Sửa đổi, bổ sung giấy phép bưu chính",
        "Cấp văn bản xác nhận thông báo hoạt động bưu chính",
        "Cấp lại văn bản xác nhận thông báo hoạt động bưu chính",
    ]);
    p.fam("L", &["giấy phép bưu chính"]);
    p.f("Viễn thông và Internet").s(&[
        "Chấp thuận xây dựng công trình hạ tầng kỹ thuật viễn thông thụ động",
        "Cấp giấy phép lắp đặt cáp viễn thông trong phạm vi hành lang an toàn đường bộ",
    ]);
    p.f("Công nghệ thông tin, điện tử")
        .s(&["Xác nhận ưu đãi đầu tư đối với dự án sản xuất sản phẩm công nghệ thông tin"]);
    p
}

fn culture() -> Pool {
    let mut p = Pool::new("SVHTTDL");
    p.f("Văn hóa").s(&[
        "Thủ tục cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        "Thủ tục cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường",
    ]);
    p.f("Nghệ thuật biểu diễn").s(&[
        "Thủ tục tổ chức biểu diễn nghệ thuật trên địa bàn quản lý",
        "Thủ tục tổ chức cuộc thi, liên hoan trên địa bàn quản lý",
        "Thủ tục tổ chức cuộc thi người đẹp, người mẫu",
        "Thủ tục thông báo tổ chức biểu diễn nghệ thuật",
    ]);
    p.f("Mỹ thuật, nhiếp ảnh, triển lãm").s(&[
        "Thủ tục cấp giấy phép triển lãm mỹ thuật",
        "Thủ tục cấp giấy phép sao chép tác phẩm mỹ thuật về danh nhân văn hóa, anh hùng dân tộc, lãnh tụ",
        "Thủ tục cấp giấy phép xây dựng tượng đài, tranh hoành tráng",
        "Thủ tục tổ chức triển lãm tác phẩm nhiếp ảnh tại Việt Nam",
        "Thủ tục đưa tác phẩm nhiếp ảnh từ Việt Nam ra nước ngoài triển lãm",
        "Thủ tục thông báo tổ chức triển lãm không vì mục đích thương mại",
    ]);
    p.f("Di sản văn hóa").s(&[
        "Thủ tục cấp chứng chỉ hành nghề tu bổ di tích",
        "Thủ tục cấp giấy chứng nhận đủ điều kiện kinh doanh giám định cổ vật",
        "Thủ tục đăng ký di vật, cổ vật, bảo vật quốc gia",
        "Thủ tục cấp phép cho người nước ngoài nghiên cứu, sưu tầm di sản văn hóa phi vật thể tại địa phương",
        "Thủ tục xác nhận đủ điều kiện được cấp giấy phép hoạt động bảo tàng ngoài công lập",
        "Thủ tục cấp giấy phép hoạt động bảo tàng ngoài công lập",
        "Đề nghị xét tặng danh hiệu Nghệ nhân nhân dân, Nghệ nhân ưu tú",
    ]);
    p.f("Quảng cáo").s(&[
        "Thủ tục tiếp nhận hồ sơ thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn",
        "Thủ tục tiếp nhận thông báo tổ chức đoàn người thực hiện quảng cáo",
        "Thủ tục cấp giấy phép thành lập văn phòng đại diện của doanh nghiệp quảng cáo nước ngoài tại Việt Nam",
        "Thủ tục sửa đổi, bổ sung giấy phép thành lập văn phòng đại diện của doanh nghiệp quảng cáo nước ngoài",
    ]);
    p.f("Thư viện").s(&[
        "Thủ tục thông báo thành lập thư viện chuyên ngành ngoài công lập",
        "Thủ tục thông báo sáp nhập, hợp nhất, chia, tách thư viện",
        "Thủ tục thông báo chấm dứt hoạt động thư viện",
    ]);
    p.f("Điện ảnh").s(&[
        "Thủ tục cấp giấy phép phân loại phim",
        "Thủ tục tổ chức liên hoan phim chuyên ngành, chuyên đề",
    ]);
    p.f("Gia đình").s(&[
        "Thủ tục cấp Giấy chứng nhận đăng ký hoạt động của cơ sở trợ giúp nạn nhân bạo lực gia đình",
        "Thủ tục cấp Giấy chứng nhận đăng ký hoạt động của cơ sở tư vấn về phòng, chống bạo lực gia đình",
    ]);
    p.f("Du lịch").s(&[
        "Thủ tục cấp lại giấy phép kinh doanh dịch vụ lữ hành nội địa",
        "Thủ tục cấp đổi giấy phép kinh doanh dịch vụ lữ hành nội địa",
        "Thủ tục cấp đổi thẻ hướng dẫn viên du lịch",
        "Thủ tục cấp lại thẻ hướng dẫn viên du lịch",
        "Thủ tục cấp thẻ hướng dẫn viên du lịch tại điểm",
        "Thủ tục công nhận điểm du lịch",
        "Thủ tục công nhận khu du lịch cấp tỉnh",
        "Thủ tục công nhận cơ sở kinh doanh dịch vụ ăn uống đạt tiêu chuẩn phục vụ khách du lịch",
        "Thủ tục công nhận cơ sở kinh doanh dịch vụ mua sắm đạt tiêu chuẩn phục vụ khách du lịch",
        "Thủ tục công nhận cơ sở kinh doanh dịch vụ thể thao đạt tiêu chuẩn phục vụ khách du lịch",
        "Thủ tục công nhận cơ sở kinh doanh dịch vụ chăm sóc sức khỏe đạt tiêu chuẩn phục vụ khách du lịch",
        "Thủ tục thông báo thành lập văn phòng đại diện, chi nhánh của doanh nghiệp kinh doanh dịch vụ lữ hành",
    ]);
    p.f("Thể dục thể thao").x(
        &["Thủ tục cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao đối với môn"],
        &[
            "Bơi, Lặn",
            "Billiards & Snooker",
            "Bóng bàn",
            "Cầu lông",
            "Quần vợt",
            "Thể dục thẩm mỹ",
            "Thể dục thể hình và Fitness",
            "Yoga",
            "Golf",
            "Bóng đá",
            "Võ cổ truyền, Vovinam",
            "Taekwondo",
            "Karate",
            "Judo",
            "Khiêu vũ thể thao",
            "Patin",
            "Lân Sư Rồng",
            "Đấu kiếm thể thao",
            "Dù lượn và Diều bay",
            "Mô tô nước trên biển",
            "Lặn biển thể thao giải trí",
            "Bắn súng thể thao",
            "Leo núi thể thao",
            "Quyền anh",
            "Wushu",
            "Bóng rổ",
            "Bóng chuyền",
        ],
    );
    p.s(&[
        "Thủ tục cấp lại giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
        "Thủ tục cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao trong trường hợp thay đổi nội dung",
        "Thủ tục đăng cai tổ chức giải thi đấu vô địch từng môn thể thao cấp tỉnh",
    ]);
    p.f("Báo chí").s(&[
        "Thủ tục cấp giấy phép xuất bản tài liệu không kinh doanh",
        "Thủ tục sửa đổi, bổ sung giấy phép xuất bản bản tin",
        "Thủ tục khai báo tổ chức họp báo",
        "Thủ tục trưng bày tranh, ảnh và các hình thức thông tin khác bên ngoài trụ sở cơ quan đại diện nước ngoài",
    ]);
    p.f("Xuất bản, in và phát hành").fam("CLD", &["giấy phép hoạt động in"]);
    p.s(&[
        "Xác nhận đăng ký hoạt động cơ sở in",
        "Thay đổi thông tin đăng ký hoạt động cơ sở in",
        "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
        "Đăng ký nhập khẩu thiết bị in",
        "Cấp giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm",
        "Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm",
        "Cấp giấy phép chế bản, in, gia công sau in cho nước ngoài",
        "Đăng ký sử dụng máy photocopy màu, máy in có chức năng photocopy màu",
    ]);
    p.f("Phát thanh, truyền hình và thông tin điện tử")
        .fam("SLG", &["giấy phép thiết lập trang thông tin điện tử tổng hợp"]);
    p.s(&["Cấp Giấy chứng nhận đăng ký thu tín hiệu truyền hình nước ngoài trực tiếp từ vệ tinh"]);
    p
}

fn foreign_affairs() -> Pool {
    let mut p = Pool::new("SNgV");
    p.f("Ngoại vụ").s(&[
        "Cho phép sử dụng thẻ đi lại của doanh nhân APEC trong trường hợp cấp lại",
        "Thẩm định nội dung ký kết thỏa thuận quốc tế nhân danh Ủy ban nhân dân cấp tỉnh",
        "Tiếp nhận, hỗ trợ phóng viên nước ngoài đến hoạt động báo chí tại địa phương",
        "Cho phép tổ chức hội nghị, hội thảo quốc tế trực tuyến thuộc thẩm quyền cấp tỉnh",
        "Cho phép cơ quan, tổ chức ở địa phương tiếp nhận viện trợ phi chính phủ nước ngoài",
    ]);
    p
}

fn inspectorate() -> Pool {
    let mut p = Pool::new("TTTP");
    p.f("Phòng, chống tham nhũng").s(&[
        "Thủ tục kê khai tài sản, thu nhập (cấp tỉnh)",
        "Thủ tục tiếp nhận yêu cầu giải trình (cấp tỉnh)",
        "Thủ tục thực hiện việc giải trình (cấp tỉnh)",
        "Thủ tục xác minh tài sản, thu nhập",
    ]);
    p.f("Xử lý đơn thư")
        .s(&["Thủ tục tiếp nhận, xử lý đơn phản ánh, kiến nghị (cấp tỉnh)"]);
    p
}

fn city_office() -> Pool {
    let mut p = Pool::new("VP UBND");
    p.f("Kiểm soát thủ tục hành chính")
        .s(&["Thủ tục tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính"]);
    p.f("Tiếp cận thông tin").s(&[
        "Thủ tục cung cấp thông tin theo yêu cầu (cấp tỉnh)",
        "Thủ tục cấp bản sao văn bản của Ủy ban nhân dân thành phố",
    ]);
    p
}

fn economic_zones() -> Pool {
    let mut p = Pool::new("BQLKKT");
    let zone = "trong khu công nghiệp, khu kinh tế";
    let groups: [(&'static str, &[&str]); 5] = [
        (
            "Đầu tư tại Việt Nam",
            &[
                "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án",
                "Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự án",
                "Chấp thuận chủ trương đầu tư đối với dự án",
                "Chuyển nhượng dự án đầu tư",
                "Giãn tiến độ thực hiện dự án đầu tư",
                "Tạm ngừng, ngừng hoạt động của dự án đầu tư",
                "Chấm dứt hoạt động của dự án đầu tư",
                "Đổi Giấy chứng nhận đăng ký đầu tư cho dự án",
                "Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài vào tổ chức kinh tế",
                "Cấp Giấy xác nhận ưu đãi dự án sản xuất sản phẩm công nghiệp hỗ trợ",
            ],
        ),
        (
            "Xây dựng",
            &[
                "Cấp giấy phép xây dựng mới đối với công trình",
                "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
                "Cấp điều chỉnh giấy phép xây dựng công trình",
                "Gia hạn giấy phép xây dựng công trình",
                "Cấp lại giấy phép xây dựng công trình",
                "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
            ],
        ),
        (
            "Lao động",
            &[
                "Cấp giấy phép lao động cho người lao động nước ngoài làm việc",
                "Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc",
                "Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc",
                "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động làm việc",
                "Đăng ký nội quy lao động của doanh nghiệp",
                "Gửi thỏa ước lao động tập thể của doanh nghiệp",
            ],
        ),
        (
            "Môi trường",
            &[
                "Cấp giấy phép môi trường đối với dự án",
                "Thẩm định báo cáo đánh giá tác động môi trường đối với dự án",
            ],
        ),
        (
            "Thương mại quốc tế",
            &[
                "Cấp Giấy phép kinh doanh đối với hoạt động mua bán hàng hóa của doanh nghiệp",
                "Cấp Giấy phép lập cơ sở bán lẻ",
                "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài",
            ],
        ),
    ];
    for (field, heads) in groups {
        p.f(field).x(heads, &[zone]);
    }
    p
}
