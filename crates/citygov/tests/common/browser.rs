//! A headless Chromium driven over WebDriver (chromedriver + fantoccini) for end-to-end tests
//! of the HTML pages, with accessibility checks by axe-core and screenshots.
//!
//! Each [`Browser`] runs its own chromedriver on a free port with its own Chromium profile, so
//! tests can run in parallel. `.ci/run` installs Chromium, chromedriver and axe-core and sets
//! the variables read here:
//!
//! | variable | default |
//! |---|---|
//! | `CITYGOV_CHROMEDRIVER` | `/usr/bin/chromedriver` |
//! | `CITYGOV_CHROMIUM` | `/usr/bin/chromium` |
//! | `CITYGOV_AXE_JS` | `<repo>/tests/browser/node_modules/axe-core/axe.min.js` |
//!
//! Missing binaries or a missing axe-core make the test fail with a message pointing at
//! `.ci/run`: a browser test is never skipped silently.

use anyhow::{Context, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::{Value, json};
use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How long [`Browser::wait_for`] waits for an element to appear.
pub const WAIT: Duration = Duration::from_secs(10);

/// The axe-core rule tags that the pages are held to: WCAG 2.0, 2.1 and 2.2 at levels A and
/// AA, and axe's best practices.
pub const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

const INSTALL_HINT: &str =
    "run .ci/run once (it installs Debian's chromium and chromium-driver, and axe-core with npm ci in tests/browser/)";

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/citygov sits two levels below the repository root")
        .to_path_buf()
}

/// Where tests write screenshots and other files to look at after a run:
/// `<target>/tmp/browser/`.
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser")
}

fn env_path(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or(default)
}

/// One axe-core rule that a page breaks, with the first few elements that break it.
#[derive(Debug, Clone, Deserialize)]
pub struct Violation {
    /// The rule, e.g. `image-alt`, `label`, `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    /// How many elements break the rule.
    pub count: usize,
    /// CSS selectors of the first few of them.
    pub targets: Vec<String>,
    /// Their HTML, cut short.
    pub html: Vec<String>,
}

impl Violation {
    /// `serious` or `critical`: what [`Browser::assert_accessible`] rejects.
    pub fn is_serious(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {} ({} element{}) {}",
            self.impact.as_deref().unwrap_or("?"),
            self.id,
            self.help,
            self.count,
            if self.count == 1 { "" } else { "s" },
            self.help_url
        )?;
        for (target, html) in self.targets.iter().zip(&self.html) {
            write!(f, "\n      {target}  {html}")?;
        }
        Ok(())
    }
}

/// A chromedriver-specific command: run a Chrome DevTools Protocol method in the session's
/// page (`POST /session/{id}/goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.method, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A headless Chromium session. Dropping it ends the session and kills chromedriver and
/// every browser process it started.
pub struct Browser {
    client: Client,
    driver: Child,
    driver_port: u16,
    session_id: Option<String>,
    // Chromium's profile and chromedriver's log; removed after the processes are gone.
    _scratch: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium in a window of
    /// `width` × `height` CSS pixels, with a fresh profile and Vietnamese as its language.
    pub async fn start(width: u32, height: u32) -> anyhow::Result<Browser> {
        let chromedriver = env_path("CITYGOV_CHROMEDRIVER", "/usr/bin/chromedriver".into());
        let chromium = env_path("CITYGOV_CHROMIUM", "/usr/bin/chromium".into());
        Self::start_with(&chromedriver, &chromium, width, height).await
    }

    /// [`Browser::start`] with the two binaries given.
    pub async fn start_with(chromedriver: &Path, chromium: &Path, width: u32, height: u32) -> anyhow::Result<Browser> {
        for (what, path, var) in [
            ("chromedriver", chromedriver, "CITYGOV_CHROMEDRIVER"),
            ("Chromium", chromium, "CITYGOV_CHROMIUM"),
        ] {
            if !path.is_file() {
                bail!("{what} not found at {} ({var}): {INSTALL_HINT}", path.display());
            }
        }
        let scratch = tempfile::Builder::new().prefix("citygov-browser-").tempdir()?;
        let profile = scratch.path().join("profile");
        let log = scratch.path().join("chromedriver.log");

        // A free port can be taken by someone else before chromedriver binds it: try again on
        // another one when chromedriver exits at once.
        let mut attempt = 0;
        let (driver, driver_port) = loop {
            attempt += 1;
            let port = super::free_port();
            let mut driver = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group, so that drop can kill Chromium with it.
                .process_group(0)
                .spawn()
                .with_context(|| format!("starting {}", chromedriver.display()))?;
            match wait_ready(&mut driver, port).await {
                Ok(()) => break (driver, port),
                Err(e) => {
                    kill_group(&mut driver);
                    if attempt == 3 {
                        let log = std::fs::read_to_string(&log).unwrap_or_default();
                        let tail: Vec<&str> = log.lines().rev().take(20).collect();
                        let tail: Vec<&str> = tail.into_iter().rev().collect();
                        return Err(e.context(format!("chromedriver log:\n{}", tail.join("\n"))));
                    }
                }
            }
        };

        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--no-first-run",
                    "--lang=vi-VN",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {"intl.accept_languages": "vi-VN,vi"},
            }),
        );
        let connected = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await;
        let client = match connected {
            Ok(c) => c,
            Err(e) => {
                let mut driver = driver;
                kill_group(&mut driver);
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                let tail: Vec<&str> = log.lines().filter(|l| l.contains("SEVERE")).take(10).collect();
                bail!(
                    "Chromium ({}) did not start under chromedriver: {e}\n{}",
                    chromium.display(),
                    tail.join("\n")
                );
            }
        };
        let session_id = client.session_id().await.ok().flatten();
        Ok(Browser {
            client,
            driver,
            driver_port,
            session_id,
            _scratch: scratch,
        })
    }

    /// The WebDriver client, for what the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Resizes the window to `width` × `height`.
    pub async fn set_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.client.set_window_size(width, height).await?;
        Ok(())
    }

    /// Opens `url` and waits until it has loaded.
    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await.with_context(|| format!("opening {url}"))
    }

    pub async fn current_url(&self) -> anyhow::Result<String> {
        Ok(self.client.current_url().await?.to_string())
    }

    /// The page's HTML as the browser has it now.
    pub async fn page_source(&self) -> anyhow::Result<String> {
        Ok(self.client.source().await?)
    }

    async fn find(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        self.client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches {css:?}"))
    }

    /// Waits until an element matches `css` (at most [`WAIT`]), and returns it.
    pub async fn wait_for(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        self.wait_for_within(css, WAIT).await
    }

    /// Waits until an element matches `css`, at most `timeout`, and returns it.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> anyhow::Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element matched {css:?} within {timeout:?}"))
    }

    /// Clears the field at `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let e = self.find(css).await?;
        e.clear().await.with_context(|| format!("clearing {css:?}"))?;
        e.send_keys(text)
            .await
            .with_context(|| format!("typing into {css:?}"))?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.find(css)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking {css:?}"))
    }

    /// Clicks `css` and waits (at most [`WAIT`]) until the browser has left the page: the
    /// document that held the button is gone, so what is found next is on the new page.
    pub async fn click_to_next_page(&self, css: &str) -> anyhow::Result<()> {
        let old = self.find("html").await?;
        self.click(css).await?;
        let deadline = std::time::Instant::now() + WAIT;
        while old.tag_name().await.is_ok() {
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the page did not change within {WAIT:?} after clicking {css:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// The rendered text of the first element at `css`.
    pub async fn text_of(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Chooses the file at `path` in the `<input type="file">` at `css`.
    pub async fn upload(&self, css: &str, path: &Path) -> anyhow::Result<()> {
        let path = std::fs::canonicalize(path).with_context(|| format!("{}", path.display()))?;
        let e = self.find(css).await?;
        e.send_keys(&path.to_string_lossy())
            .await
            .with_context(|| format!("choosing {} in {css:?}", path.display()))
    }

    /// Presses a key on the keyboard, wherever the focus is.
    pub async fn press(&self, key: Key) -> anyhow::Result<()> {
        let k: char = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// Presses Tab `n` times.
    pub async fn press_tab(&self, n: usize) -> anyhow::Result<()> {
        for _ in 0..n {
            self.press(Key::Tab).await?;
        }
        Ok(())
    }

    pub async fn press_enter(&self) -> anyhow::Result<()> {
        self.press(Key::Enter).await
    }

    /// The text of the focused element: its rendered text, else its accessible label
    /// (`aria-label`, `value`, `title`), else its tag name.
    pub async fn active_element_text(&self) -> anyhow::Result<String> {
        let v = self
            .client
            .execute(
                "const e = document.activeElement;
                 if (!e || e === document.body) return '';
                 return (e.innerText || '').trim() || e.getAttribute('aria-label') || e.value || e.title || e.tagName.toLowerCase();",
                vec![],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Runs axe-core on the page and returns every rule it breaks (of [`AXE_TAGS`]).
    /// `page_label` names the page in errors.
    pub async fn axe(&self, page_label: &str) -> anyhow::Result<Vec<Violation>> {
        let present = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await?;
        if present != Value::Bool(true) {
            let path = env_path(
                "CITYGOV_AXE_JS",
                repo_root().join("tests/browser/node_modules/axe-core/axe.min.js"),
            );
            let script = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "axe-core not found at {} (CITYGOV_AXE_JS): {INSTALL_HINT}",
                    path.display()
                )
            })?;
            self.client
                .execute(&script, vec![])
                .await
                .context("loading axe-core into the page")?;
        }
        let result = self
            .client
            .execute_async(
                "const [tags, done] = arguments;
                 axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                   .then(r => done({violations: r.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                       count: v.nodes.length,
                       targets: v.nodes.slice(0, 5).map(n => n.target.map(t => [].concat(t).join(' >>> ')).join(' ')),
                       html: v.nodes.slice(0, 5).map(n => n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html),
                   }))}))
                   .catch(e => done({error: String(e && e.stack || e)}));",
                vec![json!(AXE_TAGS)],
            )
            .await
            .with_context(|| format!("running axe-core on {page_label}"))?;
        if let Some(e) = result.get("error") {
            bail!("axe-core failed on {page_label}: {e}");
        }
        Ok(serde_json::from_value(result["violations"].clone())?)
    }

    /// Fails, listing them, when axe-core finds serious or critical violations on the page;
    /// a screenshot of the page is then left in [`artifacts_dir`].
    pub async fn assert_accessible(&self, page_label: &str) -> anyhow::Result<()> {
        let serious: Vec<Violation> = self
            .axe(page_label)
            .await?
            .into_iter()
            .filter(Violation::is_serious)
            .collect();
        if serious.is_empty() {
            return Ok(());
        }
        let url = self.current_url().await.unwrap_or_default();
        let shot = artifacts_dir().join(format!("{}-a11y.png", file_name(page_label)));
        let shot_note = match self.screenshot(&shot).await {
            Ok(()) => format!("screenshot: {}", shot.display()),
            Err(e) => format!("no screenshot: {e}"),
        };
        let list: Vec<String> = serious.iter().map(|v| format!("  - {v}")).collect();
        bail!(
            "{page_label} ({url}) has {} serious accessibility violation{}:\n{}\n{shot_note}",
            serious.len(),
            if serious.len() == 1 { "" } else { "s" },
            list.join("\n")
        )
    }

    /// Writes a PNG of the whole page (beyond the window, up to 16,384 pixels high) to `path`;
    /// of the window only if the browser cannot do the whole page.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let png = match self.full_page_png().await {
            Ok(png) => png,
            Err(_) => self.client.screenshot().await?,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    async fn full_page_png(&self) -> anyhow::Result<Vec<u8>> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
        let size = &metrics["cssContentSize"];
        let (w, h) = (
            size["width"].as_f64().context("width")?,
            size["height"].as_f64().context("height")?,
        );
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": w.ceil(), "height": h.ceil().min(16384.0), "scale": 1},
                }),
            )
            .await?;
        use base64::Engine as _;
        Ok(base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().context("data")?)?)
    }

    /// Runs a Chrome DevTools Protocol method, e.g. `Emulation.setEmulatedMedia`.
    pub async fn cdp(&self, method: &'static str, params: Value) -> Result<Value, CmdError> {
        self.client.issue_cmd(Cdp { method, params }).await
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // End the session first so that chromedriver closes Chromium and its profile cleanly;
        // then kill the whole process group whatever happened.
        if let Some(id) = &self.session_id {
            let _ = delete_session(self.driver_port, id);
        }
        kill_group(&mut self.driver);
    }
}

/// Polls chromedriver's `/status` until it is ready (at most 10 s), or fails when it exits.
async fn wait_ready(driver: &mut Child, port: u16) -> anyhow::Result<()> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build()?;
    let url = format!("http://127.0.0.1:{port}/status");
    for _ in 0..200 {
        if let Some(status) = driver.try_wait()? {
            bail!("chromedriver exited at once ({status})");
        }
        if let Ok(r) = http.get(&url).send().await
            && let Ok(v) = r.json::<Value>().await
            && v["value"]["ready"] == true
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("chromedriver did not answer on port {port} within 10 s")
}

/// `DELETE /session/{id}`, blocking (drop cannot wait for a future).
fn delete_session(port: u16, id: &str) -> std::io::Result<()> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // chromedriver answers once Chromium has quit, and may keep the connection open after:
    // the end of the headers is enough.
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

/// Kills chromedriver and everything in its process group (Chromium and its helpers).
fn kill_group(driver: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", driver.id())])
        .stderr(Stdio::null())
        .status();
    let _ = driver.kill();
    let _ = driver.wait();
}

fn file_name(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
