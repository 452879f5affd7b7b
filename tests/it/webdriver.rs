//! A small WebDriver client for headless Chromium (Debian's `chromium` and
//! `chromium-driver`): start the driver, open a session, navigate, run
//! scripts, type, take screenshots. Plain JSON over HTTP with ureq.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium `width`×`height`. Fails
    /// (never skips) when they are missing: `tests/run` installs them.
    pub fn start(width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver (Debian's chromium-driver) does not start ({e}): {}",
                    crate::harness::SETUP
                )
            });
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let profile = tempfile::tempdir().unwrap();
        let mut browser =
            Browser { driver, base: format!("http://127.0.0.1:{port}"), agent, _profile: profile };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.agent.get(&format!("{}/status", browser.base)).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--window-size={width},{height}"),
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}
        }}});
        assert!(
            Path::new("/usr/bin/chromium").is_file(),
            "Debian's chromium is missing: {}",
            crate::harness::SETUP
        );
        let session = browser.post("/session", &capabilities);
        let id = session["sessionId"].as_str().expect("a WebDriver session").to_string();
        browser.base = format!("{}/session/{id}", browser.base);
        browser
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match body {
            Some(body) => {
                self.agent.post(&url).header("Content-Type", "application/json").send(body.to_string())
            }
            None if method == "DELETE" => self.agent.delete(&url).call(),
            None => self.agent.get(&url).call(),
        };
        let text = response.expect("WebDriver answers").body_mut().read_to_string().unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let Some(error) = value["value"]["error"].as_str() {
            panic!("WebDriver {method} {path}: {error}: {}", value["value"]["message"]);
        }
        value
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        self.request("POST", path, Some(body))["value"].clone()
    }

    pub fn open(&self, url: &str) {
        self.post("/url", &json!({ "url": url }));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn eval(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", &json!({ "script": script, "args": args }))
    }

    /// Runs an async script: it calls `arguments[arguments.length - 1]` with its result.
    pub fn eval_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", &json!({ "script": script, "args": args }))
    }

    /// Types `text` into the element matching `css`.
    pub fn type_into(&self, css: &str, text: &str) {
        let found = self.post("/element", &json!({"using": "css selector", "value": css}));
        let id = found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element");
        self.post(&format!("/element/{id}/value"), &json!({ "text": text }));
    }

    /// Waits until `script` returns a truthy value; returns it.
    pub fn wait_for(&self, script: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.eval(script, json!([]));
            if !(value.is_null() || value == json!(false) || value == json!("") || value == json!([])) {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// axe-core's serious and critical violations on the open page (axe
    /// from tests/tools), one line each.
    pub fn serious_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(crate::harness::test_tool("axe-core/axe.min.js")).unwrap();
        self.eval(&axe, json!([]));
        let result = self.eval_async(
            "var done = arguments[arguments.length - 1]; axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))).catch(e => done(['axe failed: ' + e]));",
            json!([]),
        );
        let list = result.as_array().unwrap_or_else(|| panic!("axe answered no list: {result:#}"));
        list.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let value = self.request("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD.decode(value["value"].as_str().unwrap()).unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
