//! The browser harness itself (tests/common/browser.rs), on small pages written here: it finds
//! accessibility violations where there are some and none where there are none, drives forms
//! and the keyboard, takes screenshots, and reaches a real `citygov serve`.

mod common;

use common::browser::{Browser, Violation, artifacts_dir};
use common::{KillOnDrop, free_port, serve};
use std::path::Path;
use std::time::Duration;

/// Writes `html` to `dir/name` and returns its file:// URL.
fn page(dir: &Path, name: &str, html: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, html).unwrap();
    format!("file://{}", path.display())
}

fn ids(violations: &[Violation]) -> Vec<&str> {
    violations.iter().map(|v| v.id.as_str()).collect()
}

const BROKEN: &str = r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Trang lỗi</title></head>
<body><main>
  <h1>Nộp hồ sơ</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
  <input type="text" name="ho_ten">
  <p style="color:#bbbbbb;background:#ffffff">Chữ xám nhạt trên nền trắng khó đọc.</p>
</main></body></html>"#;

const CLEAN: &str = r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Trang tốt</title></head>
<body><main>
  <h1>Nộp hồ sơ</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40" alt="Quốc huy">
  <label for="ho_ten">Họ và tên</label> <input id="ho_ten" type="text" name="ho_ten">
  <p style="color:#222222;background:#ffffff">Chữ đậm trên nền trắng dễ đọc.</p>
</main></body></html>"#;

#[tokio::test]
async fn axe_reports_the_violations_of_a_broken_page() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let b = Browser::start(1280, 800).await?;
    b.goto(&page(dir.path(), "broken.html", BROKEN)).await?;

    let found = b.axe("broken page").await?;
    for rule in ["image-alt", "label", "color-contrast"] {
        assert!(ids(&found).contains(&rule), "{rule} not in {:?}", ids(&found));
    }
    let alt = found.iter().find(|v| v.id == "image-alt").unwrap();
    assert!(alt.is_serious());
    assert_eq!(alt.count, 1);
    assert!(alt.html[0].starts_with("<img"), "{alt}");

    let err = b.assert_accessible("broken page").await.unwrap_err().to_string();
    eprintln!("{err}"); // what a failing page test shows (with --nocapture)
    for needle in ["broken page", "image-alt", "label", "color-contrast", "<img"] {
        assert!(err.contains(needle), "{needle} not in: {err}");
    }
    Ok(())
}

#[tokio::test]
async fn a_clean_page_passes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let b = Browser::start(1280, 800).await?;
    b.goto(&page(dir.path(), "clean.html", CLEAN)).await?;
    b.assert_accessible("clean page").await?;
    let all = b.axe("clean page").await?;
    assert!(all.is_empty(), "{:?}", ids(&all));
    // The browser speaks Vietnamese, as the city's users do.
    let lang = b.client().execute("return navigator.language;", vec![]).await?;
    assert_eq!(lang, "vi-VN");
    Ok(())
}

#[tokio::test]
async fn the_keyboard_reaches_a_link_and_enter_follows_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let next = page(
        dir.path(),
        "next.html",
        r#"<!doctype html><html lang="vi"><title>Bước 2</title><main><h1 id="step2">Bước 2</h1></main></html>"#,
    );
    let first = page(
        dir.path(),
        "first.html",
        r#"<!doctype html><html lang="vi"><title>Bước 1</title><main>
           <h1>Bước 1</h1><button type="button">Lưu nháp</button> <a href="next.html">Tiếp tục</a>
           </main></html>"#,
    );
    let b = Browser::start(1280, 800).await?;
    b.goto(&first).await?;
    b.press_tab(1).await?;
    assert_eq!(b.active_element_text().await?, "Lưu nháp");
    b.press_tab(1).await?;
    assert_eq!(b.active_element_text().await?, "Tiếp tục");
    b.press_enter().await?;
    b.wait_for("#step2").await?;
    assert_eq!(b.current_url().await?, next);
    Ok(())
}

#[tokio::test]
async fn forms_are_filled_clicked_and_given_files() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let attachment = dir.path().join("giay-to.pdf");
    std::fs::write(&attachment, b"%PDF-1.4\n")?;
    let form = page(
        dir.path(),
        "form.html",
        r#"<!doctype html><html lang="vi"><title>Biểu mẫu</title><main>
           <label for="name">Họ và tên</label> <input id="name" value="cũ">
           <label for="file">Tệp đính kèm</label> <input id="file" type="file">
           <button id="send" type="button">Gửi</button>
           <output id="out"></output>
           <script>
             document.getElementById('send').onclick = () => setTimeout(() => {
               const f = document.getElementById('file').files[0];
               document.getElementById('out').textContent =
                 document.getElementById('name').value + ' / ' + f.name + ' / ' + f.size;
               document.body.insertAdjacentHTML('beforeend', '<p id="done">xong</p>');
             }, 200);
           </script></main></html>"#,
    );
    let b = Browser::start(1280, 800).await?;
    b.goto(&form).await?;
    b.fill("#name", "Nguyễn Văn An").await?;
    b.upload("#file", &attachment).await?;
    b.click("#send").await?;
    b.wait_for("#done").await?;
    assert_eq!(b.text_of("#out").await?, "Nguyễn Văn An / giay-to.pdf / 9");
    assert!(b.page_source().await?.contains(r#"<p id="done">xong</p>"#));
    let err = b
        .wait_for_within("#never", Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("#never"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_screenshot_is_a_png_of_the_whole_page() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let long = page(
        dir.path(),
        "long.html",
        r#"<!doctype html><html lang="vi"><title>Dài</title><body style="margin:0">
           <main style="height:2400px;background:linear-gradient(#036,#9cf)"><h1>Trang dài</h1></main></body></html>"#,
    );
    let b = Browser::start(800, 600).await?;
    b.goto(&long).await?;
    let path = artifacts_dir().join("harness/long-page.png");
    let _ = std::fs::remove_file(&path);
    b.screenshot(&path).await?;
    let png = std::fs::read(&path)?;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes(png[16..20].try_into()?);
    let height = u32::from_be_bytes(png[20..24].try_into()?);
    assert!(width >= 700 && height >= 2400, "{width}×{height}");

    // A narrow window: a phone-sized layout.
    b.set_size(390, 844).await?;
    let inner: i64 = b
        .client()
        .execute("return window.innerWidth;", vec![])
        .await?
        .as_i64()
        .unwrap();
    assert!(inner <= 390, "{inner}");
    Ok(())
}

#[tokio::test]
async fn the_browser_reads_the_health_of_a_real_server() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let _server = KillOnDrop(serve(&dir.path().join("data"), port, &[], &[]));
    let http = reqwest::Client::new();
    common::wait_up(&http, &base).await;

    let b = Browser::start(1280, 800).await?;
    b.goto(&format!("{base}/health")).await?;
    assert_eq!(b.text_of("body").await?, "ok");
    Ok(())
}

#[tokio::test]
async fn missing_binaries_fail_with_a_hint() {
    let err = Browser::start_with(
        Path::new("/nonexistent/chromedriver"),
        Path::new("/usr/bin/chromium"),
        800,
        600,
    )
    .await
    .err()
    .expect("no chromedriver there")
    .to_string();
    assert!(
        err.contains("/nonexistent/chromedriver") && err.contains(".ci/run"),
        "{err}"
    );
}
