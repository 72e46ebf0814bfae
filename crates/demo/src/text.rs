//! Small text helpers: ASCII folding of Vietnamese (for usernames, e-mail addresses and
//! codes) and sentence-case changes.

/// Fold one character to ASCII: Vietnamese letters lose their diacritics (`ư` → `u`,
/// `Đ` → `D`); other characters are returned unchanged.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ' | 'ẫ' | 'ậ' => {
            'a'
        }
        'À' | 'Á' | 'Ả' | 'Ã' | 'Ạ' | 'Ă' | 'Ằ' | 'Ắ' | 'Ẳ' | 'Ẵ' | 'Ặ' | 'Â' | 'Ầ' | 'Ấ' | 'Ẩ' | 'Ẫ' | 'Ậ' => {
            'A'
        }
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'È' | 'É' | 'Ẻ' | 'Ẽ' | 'Ẹ' | 'Ê' | 'Ề' | 'Ế' | 'Ể' | 'Ễ' | 'Ệ' => 'E',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'Ì' | 'Í' | 'Ỉ' | 'Ĩ' | 'Ị' => 'I',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở' | 'ỡ' | 'ợ' => {
            'o'
        }
        'Ò' | 'Ó' | 'Ỏ' | 'Õ' | 'Ọ' | 'Ô' | 'Ồ' | 'Ố' | 'Ổ' | 'Ỗ' | 'Ộ' | 'Ơ' | 'Ờ' | 'Ớ' | 'Ở' | 'Ỡ' | 'Ợ' => {
            'O'
        }
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'Ù' | 'Ú' | 'Ủ' | 'Ũ' | 'Ụ' | 'Ư' | 'Ừ' | 'Ứ' | 'Ử' | 'Ữ' | 'Ự' => 'U',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'Ỳ' | 'Ý' | 'Ỷ' | 'Ỹ' | 'Ỵ' => 'Y',
        'đ' => 'd',
        'Đ' => 'D',
        other => other,
    }
}

/// Vietnamese text without diacritics ("Thủy Nguyên" → "Thuy Nguyen").
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Lower-case ASCII letters and digits only ("Lê Ích Mộc" → "leichmoc").
pub fn slug(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The first letter in upper case ("giấy phép" → "Giấy phép").
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first letter in lower case, unless the first word is an acronym or a proper noun
/// that must keep its capital ("Giấy phép" → "giấy phép", "Văn phòng công chứng" stays).
pub fn decapitalise(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    let keep = first_word.chars().filter(|c| c.is_uppercase()).count() > 1
        || ["Văn", "Thẻ", "Trung", "Hội", "Quỹ", "Bằng", "Phiếu"].contains(&first_word);
    if keep {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_fold_to_plain_ascii() {
        assert_eq!(fold("Đặc khu Bạch Long Vĩ"), "Dac khu Bach Long Vi");
        assert_eq!(slug("Lê Ích Mộc"), "leichmoc");
        assert_eq!(slug("Nguyễn Bỉnh Khiêm"), "nguyenbinhkhiem");
        assert_eq!(slug("Ưu Đàm"), "uudam");
    }

    #[test]
    fn sentence_case_helpers_respect_acronyms() {
        assert_eq!(capitalise("giấy phép"), "Giấy phép");
        assert_eq!(decapitalise("Giấy phép lao động"), "giấy phép lao động");
        assert_eq!(decapitalise("LPG chai"), "LPG chai");
    }
}
