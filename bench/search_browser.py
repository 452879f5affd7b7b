# Searches a built site the way a reader does, for bench/search-transfer and
# bench/search-quality: the site's folder served by Python's HTTP server,
# Debian's headless Chromium driven by chromedriver (W3C WebDriver over HTTP),
# the page /tim-kiem/?q=… opened (1280×900) and its own script left to
# search until the snippets on the screen are in. Answers
# the result links and the index files the page fetched (the browser's
# resource timing), so what is measured is what the shipped script does.
import functools, http.server, json, os, socket, subprocess, tempfile, threading, time, urllib.parse, urllib.request

DONE = "var s = document.getElementById('trang-thai').textContent; return /Tìm thấy|Hiện|Không tìm thấy/.test(s) && s;"
# The snippets on the screen are in (the others come as they are scrolled to).
SNIPPETS = "return Array.from(document.querySelectorAll('#ket-qua .tom-tat')).filter(p => { var r = p.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).every(p => p.firstChild)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Search:
    def __init__(self, public):
        self.public = public
        handler = functools.partial(Quiet, directory=public)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.site = f"http://127.0.0.1:{self.server.server_address[1]}"
        port = free_port()
        self.driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/status")
                break
            except OSError:
                time.sleep(0.1)
        self.profile = tempfile.TemporaryDirectory()
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--window-size=1280,900", f"--user-data-dir={self.profile.name}"]
        session = self.post("/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})
        self.base += "/session/" + session["sessionId"]

    def post(self, path, body):
        request = urllib.request.Request(self.base + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request))["value"]

    def run(self, script):
        return self.post("/execute/sync", {"script": script, "args": []})

    def search(self, query):
        """The result links first shown (before "Xem thêm") and the index
        files fetched, as paths under /tim-kiem/chi-muc/."""
        self.post("/url", {"url": self.site + "/tim-kiem/?q=" + urllib.parse.quote(query)})
        deadline = time.time() + 60
        while not (self.run(DONE) and self.run(SNIPPETS)):
            assert time.time() < deadline, f"no results for {query}"
            time.sleep(0.05)
        links = self.run("return Array.from(document.querySelectorAll('#ket-qua h2 a')).map(a => a.getAttribute('href'))")
        fetched = self.run("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
        prefix = "/tim-kiem/chi-muc/"
        return links, [urllib.parse.unquote(f[len(prefix):]) for f in fetched if f.startswith(prefix)]

    def close(self):
        try:
            urllib.request.urlopen(urllib.request.Request(self.base, method="DELETE"))
        finally:
            self.driver.kill()
            self.driver.wait()
            self.server.shutdown()
            self.profile.cleanup()
