//! The browser live view (`myobalance::publish::web`, `record --web`): its HTTP surface in
//! process (the page, the update stream's first message, 403 without the token, 404 for
//! anything else, the 17th viewer refused), the marker button's request landing in the
//! recorded file, and the page in headless Chromium compared with the file's rows
//! (scripts/web_check.py, skipped with a message when the browser or Python is missing).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use myobalance::publish::web::viewers::MAX_VIEWERS;
use myobalance::publish::web::{Access, WebSink, WebView};
use myobalance::recorder::{Control, Sink, Started, Update};
use myobalance::results::EventKind;
use myobalance::sim::{SimSettings, Simulator};
use myobalance::store::read_file;

use crate::fixtures::command;
use crate::store::scratch_dir;

const BIN: &str = env!("CARGO_BIN_EXE_myobalance");

/// Sends one request and reads the status line and, for a complete response, the body.
fn request(addr: SocketAddr, method: &str, target: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

/// Opens the update stream: its status, and the stream to read on.
fn open_stream(addr: SocketAddr, target: &str) -> (u16, BufReader<TcpStream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    (line[9..12].parse().unwrap(), reader)
}

/// The next `data:` message of a stream, as JSON.
fn next_message(reader: &mut BufReader<TcpStream>) -> serde_json::Value {
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str(data.trim_end()).unwrap();
        }
    }
}

/// A web view on a free loopback port, told a simulated recording started.
fn started_view(access: Access, control: Arc<Control>) -> (WebView, WebSink, Simulator) {
    let sim = Simulator::new(&SimSettings::new(10.0, 2000.0, 1)).unwrap();
    let (view, mut sink) =
        WebView::start("127.0.0.1:0".parse().unwrap(), access, Some(control)).unwrap();
    sink.update(&Update::Started(Arc::new(Started {
        montage: sim.montage().clone(),
        tremor_channels: vec![4, 5],
        description: "simulated device".into(),
    })));
    (view, sink, sim)
}

#[test]
fn the_page_and_its_stream_and_nothing_else() {
    let control = Arc::new(Control::default());
    let (view, _sink, sim) = started_view(Access::open(), Arc::clone(&control));
    let addr = view.addr();
    let host = addr.to_string();
    let (status, page) = request(addr, "GET", "/", &host);
    assert_eq!(status, 200);
    assert!(page.contains("<canvas id=\"traces\">") && page.contains("PAUSE THE SET"));
    assert!(page.contains("new EventSource") && page.contains("--left:"));
    // Everything inline: no script, style or image from elsewhere.
    for outside in ["src=\"http", "href=\"http", "//cdn", "@import"] {
        assert!(!page.contains(outside), "the page loads {outside}");
    }
    for path in [
        "/nope",
        "/index.html",
        "/events/x",
        "/../Cargo.toml",
        "/favicon.ico",
    ] {
        assert_eq!(request(addr, "GET", path, &host).0, 404, "{path}");
    }
    // The first message is the whole picture: the montage's channels by name.
    let (status, mut stream) = open_stream(addr, "/events");
    assert_eq!(status, 200);
    let first = next_message(&mut stream);
    assert_eq!(first["kind"], "full");
    let names: Vec<&str> = first["montage"]["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = sim
        .montage()
        .channels
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, want);
    assert_eq!(first["snapshot"]["activation"].as_array().unwrap().len(), 4);
    assert_eq!(first["window_s"], 10.0);
    // A marker from the page is a marker request, as SIGUSR1's.
    assert_eq!(request(addr, "POST", "/marker", &host).0, 204);
    assert_eq!(
        control
            .marker_counter()
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    assert_eq!(request(addr, "GET", "/marker", &host).0, 405);
    // A page elsewhere reaching this loopback server through its own DNS name is refused.
    assert_eq!(request(addr, "POST", "/marker", "evil.example:80").0, 403);
    view.stop();
}

#[test]
fn a_server_that_requires_the_token_refuses_requests_without_it() {
    let control = Arc::new(Control::default());
    let access = Access::with_token("3f9a0c1d".into());
    let (view, _sink, _) = started_view(access, Arc::clone(&control));
    let addr = view.addr();
    assert_eq!(view.url(), format!("http://{addr}/?token=3f9a0c1d"));
    let host = "lab-pc:8750";
    for target in [
        "/",
        "/events",
        "/?token=3f9a0c1e",
        "/?token=",
        "/events?token=3f9a0c1",
    ] {
        assert_eq!(request(addr, "GET", target, host).0, 403, "{target}");
    }
    assert_eq!(request(addr, "POST", "/marker", host).0, 403);
    assert_eq!(
        control
            .marker_counter()
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
    assert_eq!(request(addr, "GET", "/?token=3f9a0c1d", host).0, 200);
    assert_eq!(request(addr, "POST", "/marker?token=3f9a0c1d", host).0, 204);
    let (status, mut stream) = open_stream(addr, "/events?token=3f9a0c1d");
    assert_eq!(status, 200);
    assert_eq!(next_message(&mut stream)["kind"], "full");
    // Any other address than loopback gets a fresh random token.
    let (other, _) = WebView::start_for("0.0.0.0:0".parse().unwrap(), None).unwrap();
    assert!(other.url().contains("?token=") && other.url().len() > 40);
}

#[test]
fn sixteen_viewers_at_most_and_a_seventeenth_when_one_leaves() {
    let (view, mut sink, _) = started_view(Access::open(), Arc::new(Control::default()));
    let addr = view.addr();
    let mut streams: Vec<_> = (0..MAX_VIEWERS)
        .map(|_| {
            let (status, mut s) = open_stream(addr, "/events");
            assert_eq!(status, 200);
            next_message(&mut s);
            s
        })
        .collect();
    let (status, _) = open_stream(addr, "/events");
    assert_eq!(status, 503);
    assert_eq!(view.counts().1, 1);
    drop(streams.pop());
    // The server notices the closed connection when it next writes to it.
    let mut joined = false;
    for _ in 0..100 {
        sink.update(&Update::Notice("tick".into()));
        std::thread::sleep(Duration::from_millis(60));
        let (status, _) = open_stream(addr, "/events");
        if status == 200 {
            joined = true;
            break;
        }
    }
    assert!(joined, "no room after a viewer left");
    // The viewers that stayed still get the updates.
    sink.send_now();
    loop {
        let m = next_message(&mut streams[0]);
        if m["kind"] == "delta" {
            break;
        }
    }
}

/// Runs `record --simulate --web 127.0.0.1:0`, returning the child and the page's link.
fn record_with_web(out: &Path, seconds: f64) -> (std::process::Child, String) {
    let mut cmd = command(BIN);
    cmd.args([
        "record",
        "--simulate",
        "--duration",
        &seconds.to_string(),
        "--web",
    ])
    .arg("127.0.0.1:0")
    .arg("--out")
    .arg(out);
    spawn_with_link(&mut cmd)
}

/// Starts `cmd` and reads its stderr up to the browser view's link; returns the child and
/// the link. The rest of stderr is drained so the child never blocks on it.
fn spawn_with_link(cmd: &mut std::process::Command) -> (std::process::Child, String) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut url = None;
    let mut line = String::new();
    while url.is_none() && err.read_line(&mut line).unwrap() > 0 {
        url = line
            .split_once("live view in the browser: ")
            .map(|(_, u)| u.trim().to_string());
        line.clear();
    }
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    (child, url.expect("the command printed no link"))
}

#[test]
fn the_marker_button_leaves_a_marker_in_the_file() {
    let dir = scratch_dir("web-marker");
    let out = dir.as_ref().join("marked.h5");
    let (mut child, url) = record_with_web(&out, 4.0);
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let (status, mut stream) = open_stream(addr, "/events");
    assert_eq!(status, 200);
    assert_eq!(next_message(&mut stream)["kind"], "full");
    assert_eq!(request(addr, "POST", "/marker", &addr.to_string()).0, 204);
    // The page sees the marker counted, then the end of the recording.
    let mut counted = false;
    loop {
        let m = next_message(&mut stream);
        counted |= m["status"]["markers"] == 1;
        if m["kind"] == "end" {
            break;
        }
    }
    assert!(counted);
    assert!(child.wait().unwrap().success());
    let file = read_file(&out).unwrap();
    let events = file.results.unwrap().events;
    let markers: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::Marker)
        .collect();
    assert_eq!(markers.len(), 1, "{events:?}");
    assert!(markers[0].time_s > 1.0 && markers[0].time_s < 4.0);
}

/// The page in headless Chromium during a recording long enough for the simulated tremor
/// alarm: its numbers equal the file's rows, the banner shows with the alarm, the marker
/// button marks, and a screenshot goes to out/web-view.png.
#[test]
fn the_page_in_a_browser_shows_the_files_numbers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch_dir("web-browser");
    let shots = root.join("out");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("web-view.png");
    let args = [
        "--binary".as_ref(),
        BIN.as_ref(),
        "--duration".as_ref(),
        "50".as_ref(),
        "--out-dir".as_ref(),
        dir.as_ref().as_os_str(),
        "--screenshot".as_ref(),
        shot.as_os_str(),
    ]
    .map(std::ffi::OsStr::to_owned);
    crate::fixtures::browser_check(
        "the_page_in_a_browser_shows_the_files_numbers",
        "web_check.py",
        &args,
    );
}

/// `view FILE --web`: a processed file played back through the same stream. In process,
/// any steps of playback hand on every raw row and every feature row once, in order; over
/// HTTP, the numbers the page gets are the file's rows at the time it says, and the
/// marker endpoint refuses (409) since a file takes no markers.
#[test]
fn a_processed_file_replays_through_the_same_page() {
    let dir = scratch_dir("web-view");
    let raw = dir.as_ref().join("raw.h5");
    let processed = dir.as_ref().join("processed.h5");
    let run = |args: &[&std::ffi::OsStr]| {
        let o = command(BIN).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&[
        "simulate".as_ref(),
        "--seconds".as_ref(),
        "6".as_ref(),
        "--out".as_ref(),
        raw.as_ref(),
    ]);
    run(&[
        "process".as_ref(),
        raw.as_ref(),
        "--out".as_ref(),
        processed.as_ref(),
    ]);
    let file = read_file(&processed).unwrap();
    let results = file.results.clone().unwrap();
    let activation = results
        .features
        .iter()
        .find(|g| g.name == "activation")
        .unwrap();

    // In process, in uneven steps.
    let mut replay = myobalance::publish::replay::Replay::new(
        "processed.h5",
        file.recording.clone(),
        file.results.clone(),
    )
    .unwrap();
    let (mut raw_rows, mut act_rows, mut started) = (0u64, Vec::<f64>::new(), 0);
    let mut t = 0.0;
    while !replay.done() {
        t += 0.013 + (t * 7.0f64).sin().abs() * 0.2;
        replay
            .advance_to(t, &mut |u| match u {
                Update::Started(_) => started += 1,
                Update::Raw(r) => {
                    assert_eq!(r.first_row, raw_rows);
                    raw_rows += (r.frames.len() / r.channels) as u64;
                }
                Update::Rows(g) if g.name == "activation" => act_rows.extend(&g.time_s),
                _ => {}
            })
            .unwrap();
    }
    assert_eq!(started, 1);
    assert_eq!(raw_rows as usize, file.recording.samples.nrows());
    assert_eq!(act_rows, activation.time_s);

    // Over HTTP at 10× real time.
    let mut view = command(BIN);
    view.args(["view", "--web", "127.0.0.1:0", "--speed", "10"])
        .arg(&processed);
    let (mut child, url) = spawn_with_link(&mut view);
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let (status, mut stream) = open_stream(addr, "/events");
    assert_eq!(status, 200);
    assert_eq!(request(addr, "POST", "/marker", &addr.to_string()).0, 409);
    let pct = activation.table("pct_mvc").unwrap();
    let mut compared = 0;
    loop {
        let m = next_message(&mut stream);
        assert_eq!(m["replay"], true);
        if let Some(t) = m["activation_time_s"].as_f64() {
            let row = activation.time_s.iter().position(|&x| x == t).unwrap();
            for a in m["snapshot"]["activation"].as_array().unwrap() {
                let c = pct
                    .columns
                    .iter()
                    .position(|c| c == a["name"].as_str().unwrap());
                assert_eq!(a["pct_mvc"].as_f64(), Some(pct.values[[row, c.unwrap()]]));
            }
            compared += 1;
        }
        if m["kind"] == "end" {
            break;
        }
    }
    assert!(compared > 5, "{compared}");
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_bad_address_or_speed_is_a_usage_error() {
    let dir = scratch_dir("web-usage");
    let out = dir.as_ref().join("x.h5");
    let o = command(BIN)
        .args(["record", "--simulate", "--duration", "1", "--web", "lab-pc"])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--web lab-pc"));
    assert!(!out.exists());
    let o = command(BIN)
        .args(["view", "x.h5", "--web", "127.0.0.1:0", "--speed", "0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // Without --web and without a terminal there is nowhere to show it.
    let o = command(BIN).args(["view", "x.h5"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give --web"));
}
