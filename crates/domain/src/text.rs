//! Vietnamese text folding for search: lower case, no diacritics, đ → d, so that
//! "giay phep xay dung" finds "Cấp giấy phép xây dựng".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Fold text for diacritics- and case-insensitive matching.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folded search terms of a query, in any order.
pub fn terms(q: &str) -> Vec<String> {
    fold(q).split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Cấp GIẤY phép xây dựng"), "cap giay phep xay dung");
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("Thủy Nguyên, Hòa Bình"), "thuy nguyen hoa binh");
        assert_eq!(terms("  xay   dung, giấy "), vec!["xay", "dung", "giay"]);
    }
}
