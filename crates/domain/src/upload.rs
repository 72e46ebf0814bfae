//! Uploaded files' metadata, checked at the edge: the file name, the size limit and the type
//! allowlist verified against the file's own bytes; and the `Content-Disposition` a file is
//! served back with. Pure functions, so that they can be fuzzed (see `fuzz/`).

use crate::Problem;

/// Limits for uploaded files.
#[derive(Debug, Clone)]
pub struct UploadPolicy {
    pub max_bytes: usize,
}

impl Default for UploadPolicy {
    fn default() -> Self {
        UploadPolicy {
            max_bytes: 10 * 1024 * 1024,
        }
    }
}

/// File types accepted: by extension, checked against the file's first bytes.
const ALLOWED: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("xml", "application/xml"),
];

/// The file extensions accepted for upload.
pub fn allowed_extensions() -> Vec<&'static str> {
    ALLOWED.iter().map(|(ext, _)| *ext).collect()
}

fn magic_ok(ext: &str, b: &[u8]) -> bool {
    match ext {
        "pdf" => b.starts_with(b"%PDF-"),
        "jpg" | "jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "png" => b.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "docx" | "xlsx" | "odt" => b.starts_with(b"PK\x03\x04"),
        "xml" => {
            let s = b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b);
            s.trim_ascii_start().starts_with(b"<")
        }
        _ => false,
    }
}

/// Check an upload: name, size and type (the extension must be allowed and match the bytes).
/// Returns the content type to record.
pub fn check_upload(file_name: &str, bytes: &[u8], policy: &UploadPolicy) -> Result<String, Problem> {
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.contains(['/', '\\']) || name.contains(char::is_control) {
        return Err(Problem::new(
            "invalid_file_name",
            "Tên tệp không hợp lệ (trống, quá dài, chứa ký tự / \\ hoặc ký tự điều khiển).",
            "The file name is invalid (empty, too long, or contains / or \\ or a control character).",
        )
        .at("file"));
    }
    if bytes.is_empty() {
        return Err(Problem::new(
            "empty_file",
            format!("Tệp «{name}» rỗng."),
            format!("File “{name}” is empty."),
        )
        .at("file"));
    }
    if bytes.len() > policy.max_bytes {
        let mb = policy.max_bytes as f64 / 1_048_576.0;
        return Err(Problem::new(
            "file_too_large",
            format!("Tệp «{name}» quá lớn: tối đa {mb:.0} MB."),
            format!("File “{name}” is too large: at most {mb:.0} MB."),
        )
        .at("file"));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let allowed = allowed_extensions();
    let Some((_, ctype)) = ALLOWED.iter().find(|(e, _)| *e == ext) else {
        return Err(Problem::new(
            "file_type_not_allowed",
            format!(
                "Loại tệp của «{name}» không được chấp nhận. Chỉ nhận: {}.",
                allowed.join(", ")
            ),
            format!(
                "The type of “{name}” is not accepted. Accepted: {}.",
                allowed.join(", ")
            ),
        )
        .at("file"));
    };
    if !magic_ok(&ext, bytes) {
        return Err(Problem::new(
            "file_content_mismatch",
            format!("Nội dung tệp «{name}» không phải là tệp .{ext} hợp lệ."),
            format!("The content of “{name}” is not a valid .{ext} file."),
        )
        .at("file"));
    }
    Ok(ctype.to_string())
}

/// The `Content-Disposition` header value that serves a file back as a download under its
/// name: an ASCII fallback (`filename`, every other character as `_`) and the exact name
/// percent-encoded in UTF-8 (`filename*`, RFC 6266 / RFC 8187). Only visible ASCII is used, so
/// the value is a valid header whatever the name holds.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_checked_by_extension_and_content() {
        let p = UploadPolicy { max_bytes: 100 };
        assert_eq!(check_upload("don.pdf", b"%PDF-1.7 ...", &p).unwrap(), "application/pdf");
        assert_eq!(
            check_upload("a.exe", b"MZ", &p).unwrap_err().code,
            "file_type_not_allowed"
        );
        assert_eq!(
            check_upload("fake.pdf", b"MZ....", &p).unwrap_err().code,
            "file_content_mismatch"
        );
        assert_eq!(
            check_upload("big.pdf", &[b'%'; 101], &p).unwrap_err().code,
            "file_too_large"
        );
        assert_eq!(
            check_upload("../x.pdf", b"%PDF-", &p).unwrap_err().code,
            "invalid_file_name"
        );
        assert_eq!(check_upload("e.pdf", b"", &p).unwrap_err().code, "empty_file");
    }

    #[test]
    fn names_with_control_characters_are_refused() {
        let p = UploadPolicy::default();
        for name in ["don\r\nX-Evil: 1.pdf", "don\u{0}.pdf", "tab\t.pdf", "bell\u{7}.pdf"] {
            assert_eq!(
                check_upload(name, b"%PDF-1.7", &p).unwrap_err().code,
                "invalid_file_name",
                "{name:?}"
            );
        }
    }

    #[test]
    fn downloads_keep_the_name_in_ascii_and_utf8() {
        assert_eq!(
            content_disposition("Đơn đề nghị.pdf"),
            "attachment; filename=\"__n____ngh_.pdf\"; filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf"
        );
        assert!(
            content_disposition("a\"b\r\n.pdf")
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b))
        );
    }
}
