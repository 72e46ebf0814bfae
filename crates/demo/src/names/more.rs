//! More city-level procedures: the finer splits provincial catalogs publish (per kind of
//! establishment, per professional title, per case of a land change, per type of vehicle).

use super::Pool;

/// Add the finer splits of an agency's catalog.
pub fn extend(p: &mut Pool) {
    match p.dept {
        "SYT" => health(p),
        "SNNMT" => agriculture_environment(p),
        "SXD" => construction(p),
        "SNV" => home_affairs(p),
        "STC" => finance(p),
        "SKHCN" => science(p),
        "SVHTTDL" => culture(p),
        "SGDĐT" => education(p),
        "CATP" => police(p),
        "SCT" => industry_trade(p),
        "STP" => justice(p),
        "BQLKKT" => economic_zones(p),
        _ => {}
    }
}

fn health(p: &mut Pool) {
    p.f("Khám bệnh, chữa bệnh").x(
        &[
            "Cấp mới giấy phép hành nghề {}",
            "Cấp lại giấy phép hành nghề {}",
            "Gia hạn giấy phép hành nghề {}",
            "Điều chỉnh giấy phép hành nghề {}",
        ],
        &[
            "đối với chức danh bác sĩ y học cổ truyền",
            "đối với chức danh bác sĩ y học dự phòng",
            "đối với chức danh bác sĩ răng hàm mặt",
            "đối với chức danh kỹ thuật y chuyên ngành xét nghiệm y học",
            "đối với chức danh kỹ thuật y chuyên ngành hình ảnh y học",
            "đối với chức danh kỹ thuật y chuyên ngành phục hồi chức năng",
        ],
    );
    p.x(
        &[
            "Điều chỉnh giấy phép hoạt động đối với {} khi thay đổi quy mô giường bệnh, cơ cấu tổ chức hoặc phương thức hoạt động",
            "Cấp giấy phép hoạt động đối với {} khi thay đổi địa điểm",
        ],
        &[
            "bệnh viện",
            "phòng khám đa khoa",
            "phòng khám chuyên khoa",
            "phòng khám y học cổ truyền",
            "nhà hộ sinh",
            "phòng xét nghiệm",
            "phòng chẩn đoán hình ảnh",
            "cơ sở dịch vụ cấp cứu, hỗ trợ vận chuyển người bệnh",
            "phòng khám bác sĩ gia đình",
            "cơ sở dịch vụ kính thuốc",
        ],
    );
    p.s(&[
        "Phê duyệt lần đầu danh mục kỹ thuật của cơ sở khám bệnh, chữa bệnh",
        "Phê duyệt bổ sung danh mục kỹ thuật của cơ sở khám bệnh, chữa bệnh",
        "Cho phép áp dụng kỹ thuật mới, phương pháp mới trong khám bệnh, chữa bệnh",
        "Công bố cơ sở đủ điều kiện khám sức khỏe cho người lái xe",
        "Công bố cơ sở khám bệnh, chữa bệnh đủ điều kiện thực hiện kỹ thuật hỗ trợ sinh sản",
        "Công bố cơ sở khám bệnh, chữa bệnh đủ điều kiện thực hiện xét nghiệm khẳng định HIV dương tính",
        "Cấp văn bản xác nhận là người đủ điều kiện thực hành khám bệnh, chữa bệnh",
        "Đăng ký hành nghề khám bệnh, chữa bệnh tại cơ sở khám bệnh, chữa bệnh",
    ]);
    p.f("Dược phẩm").x(
        &["Cấp {}", "Cấp lại {}", "Điều chỉnh nội dung {}"],
        &[
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho nhà thuốc",
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho quầy thuốc",
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho tủ thuốc trạm y tế xã",
            "Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở kinh doanh dược liệu",
        ],
    );
    p.s(&[
        "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
        "Cấp Chứng chỉ hành nghề dược theo hình thức thi",
        "Cấp phép nhập khẩu thuốc thành phẩm chưa có giấy đăng ký lưu hành phục vụ cấp cứu",
        "Công bố cơ sở kinh doanh có tổ chức kệ thuốc",
        "Đánh giá đáp ứng Thực hành tốt bảo quản thuốc",
        "Báo cáo sử dụng thuốc gây nghiện, thuốc hướng tâm thần, thuốc tiền chất",
    ]);
    p.f("An toàn thực phẩm").x(
        &["Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với {} (thuộc thẩm quyền ngành y tế)"],
        &[
            "cơ sở sản xuất nước uống đóng chai, nước khoáng thiên nhiên",
            "cơ sở sản xuất thực phẩm bảo vệ sức khỏe",
            "bếp ăn tập thể",
            "cơ sở kinh doanh dịch vụ ăn uống",
            "cơ sở sản xuất phụ gia thực phẩm",
            "cơ sở sản xuất nước đá dùng liền",
        ],
    );
    p.f("Trang thiết bị y tế").s(&[
        "Công bố đủ điều kiện mua bán trang thiết bị y tế thuộc loại C, D không kèm điều kiện",
        "Cấp giấy chứng nhận đăng ký lưu hành trang thiết bị y tế chẩn đoán in vitro thuộc loại A",
        "Công bố đủ điều kiện thực hiện dịch vụ kỹ thuật trang thiết bị y tế",
    ]);
    p.f("Bảo trợ xã hội").s(&[
        "Cấp lại giấy phép hoạt động đối với cơ sở trợ giúp xã hội",
        "Điều chỉnh giấy phép hoạt động đối với cơ sở trợ giúp xã hội",
        "Tiếp nhận người cao tuổi có hoàn cảnh khó khăn vào cơ sở trợ giúp xã hội cấp tỉnh",
        "Tiếp nhận trẻ em có hoàn cảnh đặc biệt vào cơ sở trợ giúp xã hội cấp tỉnh",
    ]);
    p.f("Dân số").s(&[
        "Xét duyệt hỗ trợ chi phí sàng lọc trước sinh, sơ sinh",
        "Cấp giấy chứng nhận cơ sở tư vấn và kiểm tra sức khỏe trước kết hôn",
    ]);
}

fn agriculture_environment(p: &mut Pool) {
    p.f("Đất đai").x(
        &["Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong trường hợp {}"],
        &[
            "thay đổi thời hạn sử dụng đất",
            "chuyển từ hình thức thuê đất sang giao đất",
            "nhận quyền sử dụng đất theo kết quả đấu giá",
            "xác lập quyền sử dụng hạn chế thửa đất liền kề",
            "cho thuê lại đất trong khu công nghiệp, cụm công nghiệp",
            "thay đổi tên tổ chức sử dụng đất",
            "chia tài sản chung của vợ và chồng",
            "chuyển quyền sử dụng đất của doanh nghiệp tư nhân cho chủ doanh nghiệp",
        ],
    );
    p.s(&[
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất cho tổ chức đã được Nhà nước giao đất, cho thuê đất",
        "Cấp Giấy chứng nhận quyền sở hữu tài sản gắn liền với đất cho chủ sở hữu nhà ở, công trình xây dựng không đồng thời là người sử dụng đất",
        "Gia hạn sử dụng đất trong khu công nghệ cao, khu kinh tế",
        "Điều chỉnh diện tích, thời hạn giao đất, cho thuê đất đối với tổ chức",
        "Chấp thuận việc tổ chức kinh tế nhận chuyển nhượng quyền sử dụng đất nông nghiệp để thực hiện dự án",
    ]);
    p.f("Thủy sản").fam(
        "CL",
        &[
            "chứng chỉ thuyền trưởng tàu cá",
            "chứng chỉ máy trưởng tàu cá",
            "giấy chứng nhận cơ sở đủ điều kiện sản xuất thức ăn thủy sản, sản phẩm xử lý môi trường nuôi trồng thủy sản",
            "giấy phép nuôi trồng thủy sản trên biển",
        ],
    );
    p.s(&[
        "Công bố mở cảng cá loại II",
        "Công nhận và giao quyền quản lý khu bảo tồn biển cấp tỉnh",
        "Phê duyệt phương án khai thác thủy sản trong khu bảo tồn biển",
        "Cấp giấy xác nhận tàu cá đăng ký hoạt động khai thác thủy sản vùng khơi",
    ]);
    p.f("Tài nguyên nước").x(
        &[
            "Cấp giấy phép khai thác, sử dụng nước mặt {}",
            "Gia hạn, điều chỉnh giấy phép khai thác, sử dụng nước mặt {}",
        ],
        &[
            "cho sản xuất nông nghiệp, nuôi trồng thủy sản",
            "cho phát điện",
            "cho kinh doanh, dịch vụ và sản xuất phi nông nghiệp",
        ],
    );
    p.f("Địa chất và khoáng sản").s(&[
        "Cấp giấy phép khai thác khoáng sản làm vật liệu san lấp",
        "Gia hạn giấy phép khai thác khoáng sản làm vật liệu san lấp",
        "Đăng ký thu hồi khoáng sản trong diện tích đất của dự án đầu tư xây dựng công trình",
        "Phê duyệt đề án đóng cửa mỏ khoáng sản",
        "Điều chỉnh tiền cấp quyền khai thác khoáng sản",
    ]);
    p.f("Lâm nghiệp").s(&[
        "Phê duyệt phương án khai thác thực vật rừng thông thường",
        "Phê duyệt phương án trồng rừng thay thế",
        "Nộp tiền trồng rừng thay thế về Quỹ bảo vệ và phát triển rừng của tỉnh",
        "Xác nhận nguồn gốc lâm sản nhập khẩu",
        "Cấp giấy chứng nhận trại nuôi động vật rừng thông thường",
    ]);
    p.f("Môi trường").s(&[
        "Cấp giấy phép môi trường đối với cơ sở đang hoạt động (cấp tỉnh)",
        "Đăng ký phương án cải tạo, phục hồi môi trường bổ sung",
        "Chấp thuận điều chỉnh phương án cải tạo, phục hồi môi trường",
        "Xác nhận đủ điều kiện về bảo vệ môi trường trong nhập khẩu phế liệu làm nguyên liệu sản xuất",
    ]);
    p.f("Thú y").s(&[
        "Cấp giấy chứng nhận kiểm dịch sản phẩm động vật thủy sản vận chuyển ra khỏi địa bàn cấp tỉnh",
        "Đăng ký kiểm dịch động vật, sản phẩm động vật nhập khẩu về địa phương",
        "Cấp giấy chứng nhận vùng an toàn dịch bệnh động vật",
    ]);
    p.f("Trồng trọt").s(&[
        "Công nhận giống cây trồng lâm nghiệp mới",
        "Cấp quyết định công nhận nguồn giống cây trồng lâm nghiệp",
    ]);
    p.f("Quản lý chất lượng nông lâm sản và thủy sản").s(&[
        "Cấp giấy chứng nhận xuất xứ cho sản phẩm nông lâm thủy sản",
        "Kiểm tra, chứng nhận chất lượng muối nhập khẩu",
        "Cấp giấy xác nhận nội dung quảng cáo thực phẩm (thuộc thẩm quyền ngành nông nghiệp và môi trường)",
    ]);
}

fn construction(p: &mut Pool) {
    p.f("Xây dựng").x(
        &[
            "Cấp chứng chỉ năng lực {} hạng II, hạng III",
            "Điều chỉnh, bổ sung chứng chỉ năng lực {} hạng II, hạng III",
        ],
        &[
            "khảo sát xây dựng",
            "lập thiết kế quy hoạch xây dựng",
            "thiết kế, thẩm tra thiết kế xây dựng",
            "lập, thẩm tra dự án đầu tư xây dựng",
            "tư vấn quản lý dự án đầu tư xây dựng",
            "thi công xây dựng công trình",
            "giám sát thi công xây dựng công trình",
            "kiểm định xây dựng",
        ],
    );
    p.x(
        &[
            "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình {}",
            "Cấp giấy phép di dời đối với công trình {}",
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
    p.s(&[
        "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở điều chỉnh",
        "Thẩm định điều chỉnh Báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "Cho ý kiến về việc kéo dài thời hạn sử dụng công trình hết thời hạn sử dụng theo thiết kế",
        "Đăng ký thông tin năng lực hoạt động xây dựng của tổ chức",
    ]);
    p.f("Giao thông vận tải").s(&[
        "Đăng ký khai thác tuyến vận tải hành khách cố định nội tỉnh",
        "Đăng ký khai thác tuyến vận tải hành khách cố định liên tỉnh",
        "Cấp giấy phép vận tải loại A, E cho phương tiện vận tải đường bộ quốc tế",
        "Chấp thuận khai thác tuyến vận tải hành khách bằng xe ô tô giữa Việt Nam và Lào",
        "Cấp Giấy chứng nhận đăng ký xe máy chuyên dùng có thời hạn",
        "Cấp Giấy phép lưu hành xe bánh xích tự hành trên đường bộ",
        "Chấp thuận đấu nối tạm thời có thời hạn vào quốc lộ",
        "Cấp giấy phép thi công công trình trên đường bộ đang khai thác thuộc quản lý của tỉnh",
    ]);
    p.f("Nhà ở").s(&[
        "Thẩm định giá thuê nhà ở công vụ",
        "Cho thuê nhà ở xã hội thuộc tài sản công",
        "Chấp thuận chủ trương chuyển đổi công năng nhà ở",
        "Công nhận đơn vị quản lý vận hành nhà chung cư",
    ]);
    p.f("Kinh doanh bất động sản").s(&[
        "Chuyển nhượng dự án bất động sản có thay đổi chủ đầu tư do Ủy ban nhân dân cấp tỉnh chấp thuận",
        "Đăng ký thành lập sàn giao dịch bất động sản",
    ]);
    p.f("Quy hoạch xây dựng, kiến trúc").s(&[
        "Thẩm định nhiệm vụ quy hoạch phân khu",
        "Thẩm định đồ án quy hoạch phân khu",
        "Thẩm định điều chỉnh cục bộ quy hoạch chi tiết",
        "Cấp chứng chỉ hành nghề kiến trúc cho người nước ngoài",
    ]);
}

fn home_affairs(p: &mut Pool) {
    p.f("Người có công").s(&[
        "Giải quyết chế độ ưu đãi đối với con đẻ của người hoạt động kháng chiến bị nhiễm chất độc hóa học",
        "Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng",
        "Giải quyết chế độ ưu đãi đối với Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động trong thời kỳ kháng chiến",
        "Giải quyết chế độ ưu đãi đối với người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945",
        "Giải quyết chế độ ưu đãi đối với người hoạt động cách mạng từ ngày 01 tháng 01 năm 1945 đến ngày khởi nghĩa tháng Tám năm 1945",
        "Giải quyết trợ cấp tuất hằng tháng khi người có công từ trần",
        "Giải quyết chế độ mai táng phí, trợ cấp một lần khi người có công từ trần (cấp tỉnh)",
        "Cấp Giấy chứng nhận người hưởng chính sách như thương binh",
        "Giải quyết chế độ ưu đãi đối với người có công giúp đỡ cách mạng được tặng Kỷ niệm chương",
        "Giải quyết chế độ đối với thân nhân liệt sĩ (cấp tỉnh)",
        "Xác nhận liệt sĩ đối với trường hợp mất tin, mất tích",
        "Cấp bổ sung hoặc cấp lại giấy chứng nhận người có công do ngành nội vụ quản lý",
    ]);
    p.f("Thi đua, khen thưởng").x(
        &["Đề nghị tặng {}"],
        &[
            "Huân chương Lao động hạng Nhất",
            "Huân chương Lao động hạng Nhì",
            "Huân chương Lao động hạng Ba",
            "Cờ thi đua của Chính phủ",
            "danh hiệu Anh hùng Lao động",
            "Bằng khen của Thủ tướng Chính phủ cho gia đình",
        ],
    );
    p.s(&[
        "Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh theo chuyên đề",
        "Tặng Cờ thi đua của Ủy ban nhân dân cấp tỉnh theo chuyên đề",
    ]);
    p.f("Tín ngưỡng, tôn giáo").s(&[
        "Thủ tục đăng ký bổ nhiệm, bầu cử, suy cử những người lãnh đạo tổ chức tôn giáo trực thuộc",
        "Thủ tục thông báo kết quả bổ nhiệm, bầu cử, suy cử những người lãnh đạo tổ chức tôn giáo",
        "Thủ tục đề nghị cấp đăng ký pháp nhân phi thương mại cho tổ chức tôn giáo trực thuộc",
        "Thủ tục đăng ký thay đổi trụ sở của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
        "Thủ tục thông báo về người được phong phẩm hoặc suy cử làm chức sắc",
        "Thủ tục đề nghị tổ chức hội nghị, đại hội của tổ chức tôn giáo trực thuộc",
    ]);
    p.f("Lao động").x(
        &["Cấp giấy phép lao động cho người lao động nước ngoài {}"],
        &[
            "là nhà quản lý, giám đốc điều hành",
            "là chuyên gia",
            "là lao động kỹ thuật",
            "di chuyển trong nội bộ doanh nghiệp",
            "thực hiện hợp đồng, thỏa thuận về kinh tế, thương mại",
            "là nhà cung cấp dịch vụ theo hợp đồng",
        ],
    );
    p.s(&[
        "Đăng ký nội quy lao động (cấp tỉnh)",
        "Cấp giấy chứng nhận đủ điều kiện hoạt động dịch vụ việc làm của chi nhánh doanh nghiệp",
        "Thông báo thay đổi trụ sở, chi nhánh của doanh nghiệp cho thuê lại lao động",
    ]);
    p.f("Công chức, viên chức").s(&[
        "Thủ tục xét tuyển công chức",
        "Thủ tục xét chuyển cán bộ, công chức cấp xã thành công chức cấp tỉnh",
        "Thủ tục tiếp nhận vào làm công chức không qua thi tuyển",
        "Thủ tục thi tuyển viên chức",
    ]);
    p.f("Văn thư, lưu trữ").s(&[
        "Cấp lại chứng chỉ hành nghề lưu trữ do bị mất, hư hỏng",
        "Cấp bản sao tài liệu lưu trữ có dấu xác nhận của Lưu trữ lịch sử tỉnh",
    ]);
}

fn finance(p: &mut Pool) {
    p.f("Đăng ký kinh doanh").x(
        &[
            "Đăng ký giảm vốn điều lệ",
            "Thông báo thay đổi thông tin về chủ sở hữu hưởng lợi của doanh nghiệp",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp trong trường hợp thừa kế",
            "Đăng ký thay đổi địa chỉ trụ sở chính sang tỉnh, thành phố khác",
        ],
        &[
            "(đối với công ty trách nhiệm hữu hạn một thành viên)",
            "(đối với công ty cổ phần)",
            "(đối với công ty trách nhiệm hữu hạn hai thành viên trở lên)",
            "(đối với doanh nghiệp tư nhân)",
            "(đối với công ty hợp danh)",
        ],
    );
    p.f("Đầu tư tại Việt Nam").s(&[
        "Điều chỉnh dự án đầu tư trong trường hợp dự án đã được chấp thuận chủ trương đầu tư",
        "Điều chỉnh dự án đầu tư trong trường hợp dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "Đăng ký góp vốn, mua cổ phần, mua phần vốn góp vào tổ chức kinh tế có sử dụng đất tại đảo, xã biên giới, ven biển",
        "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án thuộc diện chấp thuận chủ trương đầu tư",
    ]);
}

fn science(p: &mut Pool) {
    p.f("An toàn bức xạ và hạt nhân").fam(
        "CLG",
        &[
            "giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong nha khoa",
            "giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang đo mật độ xương",
            "giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chụp vú",
        ],
    );
    p.f("Tiêu chuẩn, đo lường, chất lượng").s(&[
        "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá của tổ chức, cá nhân",
        "Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận của tổ chức chứng nhận",
        "Đăng ký công bố hợp quy dựa trên kết quả tự đánh giá của tổ chức, cá nhân",
        "Chỉ định tổ chức kiểm định, hiệu chuẩn, thử nghiệm phương tiện đo, chuẩn đo lường",
        "Điều chỉnh nội dung quyết định chỉ định tổ chức kiểm định, hiệu chuẩn, thử nghiệm",
        "Chứng nhận chuẩn đo lường để kiểm định phương tiện đo nhóm 2",
    ]);
    p.f("Sở hữu trí tuệ").s(&[
        "Hỗ trợ phát triển tài sản trí tuệ cho sản phẩm đặc sản địa phương",
        "Cấp Giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp",
    ]);
    p.f("Hoạt động khoa học và công nghệ").s(&[
        "Xét giao trực tiếp nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "Tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "Đánh giá, nghiệm thu kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh",
    ]);
}

fn culture(p: &mut Pool) {
    p.f("Thể dục thể thao").x(
        &["Thủ tục cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao đối với môn"],
        &[
            "Cầu mây",
            "Bóng ném",
            "Lướt ván buồm",
            "Xe đạp thể thao",
            "Kickboxing",
            "Muay",
            "Thể dục Aerobic",
            "Vật",
            "Bơi thuyền",
            "Đua thuyền truyền thống",
        ],
    );
    p.f("Du lịch").x(
        &["Thủ tục công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao đối với {}"],
        &[
            "khách sạn",
            "biệt thự du lịch",
            "căn hộ du lịch",
            "tàu thủy lưu trú du lịch",
        ],
    );
    p.f("Văn hóa").s(&[
        "Thủ tục cấp Giấy phép phổ biến phim",
        "Thủ tục thông báo tổ chức lễ hội cấp tỉnh",
    ]);
}

fn education(p: &mut Pool) {
    p.f("Giáo dục và Đào tạo").x(
        &[
            "Thành lập hoặc cho phép thành lập {}",
            "Cho phép hoạt động giáo dục đối với {}",
            "Cho phép hoạt động giáo dục trở lại đối với {}",
            "Sáp nhập, chia, tách {}",
            "Giải thể {}",
        ],
        &[
            "cơ sở giáo dục mầm non có vốn đầu tư nước ngoài",
            "cơ sở giáo dục phổ thông có vốn đầu tư nước ngoài",
            "trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên",
            "phân hiệu của cơ sở giáo dục có vốn đầu tư nước ngoài",
        ],
    );
}

fn police(p: &mut Pool) {
    p.f("Đăng ký, quản lý phương tiện giao thông").x(
        &[
            "Đăng ký lần đầu đối với {}",
            "Đăng ký sang tên, di chuyển {}",
            "Cấp đổi chứng nhận đăng ký, biển số {}",
            "Cấp lại chứng nhận đăng ký, biển số {}",
        ],
        &["rơ moóc, sơ mi rơ moóc", "xe mô tô ba bánh"],
    );
    p.f("Giấy phép lái xe").x(
        &["Sát hạch, cấp giấy phép lái xe {}"],
        &[
            "hạng A1, A",
            "hạng B",
            "hạng C1, C",
            "hạng D1, D2, D",
            "hạng BE, C1E, CE, D1E, D2E, DE",
        ],
    );
    p.f("Quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ").s(&[
        "Cấp giấy phép mua vũ khí thể thao",
        "Cấp giấy phép vận chuyển vũ khí thể thao",
        "Cấp giấy phép mua công cụ hỗ trợ",
        "Cấp giấy phép sửa chữa công cụ hỗ trợ",
        "Cấp giấy xác nhận đăng ký công cụ hỗ trợ",
    ]);
    p.f("Phòng cháy, chữa cháy").s(&[
        "Phê duyệt phương án cứu nạn, cứu hộ của cơ sở",
        "Cấp chứng nhận huấn luyện nghiệp vụ phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Kiểm tra kết quả nghiệm thu về phòng cháy và chữa cháy đối với công trình cải tạo",
        "Cấp giấy phép vận chuyển hàng hóa nguy hiểm là chất độc hại, chất lây nhiễm",
    ]);
    p.f("Xuất nhập cảnh").s(&[
        "Cấp giấy xác nhận nhân sự đối với người Việt Nam định cư ở nước ngoài",
        "Cấp giấy phép xuất cảnh cho người không quốc tịch cư trú tại Việt Nam",
        "Cấp văn bản đề nghị cấp thẻ đi lại của doanh nhân APEC",
    ]);
    p.f("Quản lý người nước ngoài").s(&[
        "Cấp đổi thẻ thường trú cho người nước ngoài tại Việt Nam",
        "Cấp lại thẻ thường trú cho người nước ngoài tại Việt Nam",
    ]);
}

fn industry_trade(p: &mut Pool) {
    p.f("Điện lực").s(&[
        "Cấp giấy phép hoạt động phát điện đối với nhà máy điện mặt trời mái nhà",
        "Cấp giấy phép hoạt động tư vấn giám sát thi công công trình điện",
        "Cấp giấy phép hoạt động tư vấn thiết kế công trình điện",
    ]);
    p.f("Thương mại quốc tế").s(&[
        "Cấp Giấy phép kinh doanh đối với hoạt động cung cấp dịch vụ logistics của tổ chức kinh tế có vốn đầu tư nước ngoài",
        "Cấp Giấy phép kinh doanh đối với hoạt động bán lẻ hàng hóa của tổ chức kinh tế có vốn đầu tư nước ngoài",
        "Điều chỉnh tăng diện tích cơ sở bán lẻ thứ nhất không nằm trong trung tâm thương mại",
    ]);
    p.f("Lưu thông hàng hóa trong nước").s(&[
        "Cấp Giấy chứng nhận đủ điều kiện kinh doanh mua bán nguyên liệu thuốc lá",
        "Đăng ký hoạt động kinh doanh chợ hạng 1",
    ]);
}

fn justice(p: &mut Pool) {
    p.f("Luật sư").s(&[
        "Đăng ký hành nghề luật sư với tư cách cá nhân tại tổ chức hành nghề luật sư nước ngoài",
        "Thành lập chi nhánh của công ty luật nước ngoài tại Việt Nam",
        "Cấp Giấy chứng nhận hành nghề luật sư cho người nước ngoài",
    ]);
    p.f("Hộ tịch").s(&[
        "Thủ tục đăng ký lại kết hôn có yếu tố nước ngoài (cấp tỉnh)",
        "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân để kết hôn với người nước ngoài",
    ]);
}

fn economic_zones(p: &mut Pool) {
    let zone = "trong khu công nghiệp, khu kinh tế";
    p.f("Đầu tư tại Việt Nam").x(
        &[
            "Điều chỉnh chấp thuận chủ trương đầu tư đối với dự án",
            "Cấp lại hoặc hiệu đính thông tin trên Giấy chứng nhận đăng ký đầu tư đối với dự án",
            "Thành lập văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC",
            "Gia hạn thời hạn hoạt động của dự án đầu tư",
        ],
        &[zone],
    );
    p.f("Quy hoạch xây dựng, kiến trúc").x(
        &[
            "Cung cấp thông tin về quy hoạch xây dựng",
            "Cấp giấy phép quy hoạch dự án đầu tư xây dựng",
            "Thẩm định nhiệm vụ, đồ án quy hoạch chi tiết xây dựng",
        ],
        &[zone],
    );
    p.f("Lao động").x(
        &[
            "Cấp Giấy xác nhận hợp đồng tiếp nhận lao động thực tập",
            "Thông báo tổ chức làm thêm từ trên 200 giờ đến 300 giờ trong một năm",
        ],
        &[zone],
    );
    p.f("Thương mại quốc tế").x(
        &[
            "Cấp Giấy chứng nhận xuất xứ hàng hóa ưu đãi cho doanh nghiệp",
            "Xác nhận ưu đãi thuế đối với hàng hóa nhập khẩu của doanh nghiệp chế xuất",
        ],
        &[zone],
    );
}
