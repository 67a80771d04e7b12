"""The build pipeline end to end: determinism, atomicity, the JSON Resume sample, the browser."""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from cvgen.build import build, render_pages
from cvgen.bundle.write import MARKER
from cvgen.errors import ContentError, CvgenError
from tests.conftest import REPO, free_port, run_cvgen
from tests.render.test_pdf import pdfinfo, pdftotext

SAMPLE = REPO / "tests" / "data" / "jsonresume" / "sample.resume.json"


def tree(folder: Path) -> dict[str, bytes]:
    """The site's files in `folder`, without the build's marker."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def test_build_writes_the_site(example_site: Path) -> None:
    report = build(example_site)
    output = example_site / "output"
    assert report.output == output.resolve()
    files = tree(output)
    assert report.files == len(files) and report.bytes == sum(map(len, files.values()))
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt", "resume.json"} <= set(files)
    assert b"Ada Lindqvist" in files["index.html"]
    assert (output / MARKER).is_file()  # a later build may replace this folder
    assert report.seconds > 0


def test_render_pages_writes_nothing(example_site: Path) -> None:
    config, pages = render_pages(example_site)
    assert config.root == example_site and "index.html" in pages
    assert not (example_site / "output").exists()


def test_example_page_weight_stays_small(example_site: Path) -> None:
    """Everything the page loads (HTML, CSS, counter script, favicon) in under 20 KB."""
    _, pages = render_pages(example_site)
    loaded = [name for name in pages if name == "index.html" or name.startswith("assets/")]
    assert sum(len(pages[name]) for name in loaded) < 20 * 1024


def _build_in_subprocess(site: Path, output: Path, cwd: Path, tz: str) -> None:
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": "random", "LC_ALL": "C"}
    subprocess.run(
        [sys.executable, "-m", "cvgen", "build", "--root", str(site), "--output", str(output)],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def test_builds_are_byte_identical_across_cwd_and_timezone(
    example_site: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (tmp_path / "elsewhere").mkdir()
    _build_in_subprocess(example_site, first, example_site, "UTC")
    shutil.rmtree(example_site / ".cvgen")  # typeset the PDF again, not from its cache
    _build_in_subprocess(example_site, second, tmp_path / "elsewhere", "Pacific/Auckland")
    assert tree(first) == tree(second)
    build(example_site)
    assert tree(example_site / "output") == tree(first)


def test_failed_build_leaves_previous_output_untouched(example_site: Path) -> None:
    build(example_site)
    before = tree(example_site / "output")
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(cv.read_text(encoding="utf-8") + "\nwork: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(example_site)
    assert tree(example_site / "output") == before
    # no temp folder left behind; `.cvgen/` is the site's state (compiled templates)
    assert sorted(p.name for p in example_site.iterdir() if p.name.startswith(".")) == [".cvgen"]


def test_broken_template_leaves_previous_output_untouched(example_site: Path) -> None:
    build(example_site)
    before = tree(example_site / "output")
    index = example_site / "theme" / "default" / "templates" / "index.html"
    index.write_text("{{ basics.nmae }}", encoding="utf-8")
    with pytest.raises(CvgenError, match=r"^theme/default/templates/index.html:1: "):
        build(example_site)
    assert tree(example_site / "output") == before


def _set_pdf(site: Path, text: str) -> None:
    config = site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\npdf:\n{text}", encoding="utf-8")


def test_build_typesets_the_pdf_and_the_page_links_it(example_site: Path) -> None:
    build(example_site)
    output = example_site / "output"
    assert (output / "cv.pdf").read_bytes().startswith(b"%PDF-")
    page = (output / "index.html").read_text(encoding="utf-8")
    assert (
        '<a href="cv.pdf" type="application/pdf" download data-count-download>Download PDF</a>'
        in page
    )


def test_pdf_name_is_configurable(example_site: Path) -> None:
    _set_pdf(example_site, "  filename: ada-lindqvist-cv.pdf\n")
    _, pages = render_pages(example_site)
    assert "cv.pdf" not in pages and pages["ada-lindqvist-cv.pdf"].startswith(b"%PDF-")
    assert b'<a href="ada-lindqvist-cv.pdf"' in pages["index.html"]


def test_pdf_can_be_turned_off(example_site: Path) -> None:
    _set_pdf(example_site, "  enabled: false\n")
    _, pages = render_pages(example_site)
    assert not [name for name in pages if name.endswith(".pdf")]
    assert b"Download PDF" not in pages["index.html"] and b".pdf" not in pages["index.html"]


def test_broken_pdf_template_leaves_previous_output_untouched(example_site: Path) -> None:
    build(example_site)
    before = tree(example_site / "output")
    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[9] = "#let broken = (cv.basics.nmae)"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CvgenError, match=r"^PDF template: theme/default/pdf/cv.typ:10:"):
        build(example_site)
    assert tree(example_site / "output") == before


def test_refuses_to_build_over_the_sources(example_site: Path) -> None:
    for dest in (example_site, example_site / "content"):
        with pytest.raises(CvgenError, match="holds the site's sources"):
            build(example_site, dest)
    assert (example_site / "content" / "cv.yaml").is_file()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("output", [".git", ".github", "$HOME/$UNSET", "notes"])
def test_cli_refuses_to_replace_a_folder_it_did_not_make(
    example_site: Path, tmp_path: Path, output: str
) -> None:
    """`cvgen build --output .git` once deleted the repository's history: now every folder
    cvgen did not make (no marker), that is not empty and not in output/ is refused."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("key")
    subprocess.run(["git", "init", "-q"], cwd=example_site, check=True)
    (example_site / ".github" / "workflows").mkdir(parents=True)
    (example_site / ".github" / "workflows" / "deploy.yml").write_text("on: push\n")
    (example_site / "notes").mkdir()
    (example_site / "notes" / "todo.md").write_text("mine\n")
    before = _snapshot(tmp_path)
    env = {**os.environ, "HOME": str(home)}
    # what the shell passes for "$HOME/$UNSET"
    target = output.replace("$HOME", str(home)).replace("$UNSET", "")
    done = run_cvgen("build", "--output", target, cwd=example_site, env=env)
    assert done.returncode == 1, done.stderr
    assert "cvgen did not make it" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(tmp_path) == before


def _use_resume_json(site: Path, source: Path) -> None:
    (site / "content" / "cv.yaml").unlink()
    for md in (site / "content").glob("*.md"):
        md.unlink()
    shutil.copyfile(source, site / "content" / "resume.json")


def test_json_resume_sample_builds(example_site: Path) -> None:
    _use_resume_json(example_site, SAMPLE)
    build(example_site, strict=True)  # not even a warning
    page = (example_site / "output" / "index.html").read_text(encoding="utf-8")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert sample["basics"]["name"] in page
    for section in (
        "Experience",
        "Volunteering",
        "Education",
        "Awards",
        "Publications",
        "Skills",
        "Languages",
        "Interests",
        "References",
        "Projects",
    ):
        assert f">{section}</h2>" in page, section
    exported = json.loads((example_site / "output" / "resume.json").read_text(encoding="utf-8"))
    assert exported["basics"]["name"] == sample["basics"]["name"]
    schema = json.loads(
        (REPO / "cvgen" / "schemas" / "jsonresume.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft7Validator(schema).validate(exported)


# The field that names an entry of each section, on the page, in the PDF and in the export
ENTRY_NAMES = {
    "work": "name",
    "volunteer": "organization",
    "education": "institution",
    "awards": "title",
    "certificates": "name",
    "publications": "name",
    "skills": "name",
    "languages": "language",
    "interests": "name",
    "references": "name",
    "projects": "name",
}


def test_page_pdf_and_export_agree(example_site: Path, tmp_path: Path) -> None:
    """Same sections in the same order, same entries, in index.html, cv.pdf and resume.json."""
    _use_resume_json(example_site, SAMPLE)
    resume_file = example_site / "content" / "resume.json"
    resume = json.loads(resume_file.read_text(encoding="utf-8"))
    resume["talks"] = [{"name": "Paved roads", "event": "KubeCon", "date": "2024-05"}]
    resume_file.write_text(json.dumps(resume), encoding="utf-8")
    (example_site / "content" / "about.md").write_text(
        "---\ntitle: About me\norder: 5\n---\nHello.\n", encoding="utf-8"
    )
    _, pages = render_pages(example_site)
    page = pages["index.html"].decode("utf-8")
    export = json.loads(pages["resume.json"])
    page_titles = re.findall(r'<h2 id="[^"]+-title">([^<]+)</h2>', page)
    structure = pdfinfo(pages["cv.pdf"], tmp_path, "-struct")
    assert re.findall(r'H2 "([^"]*)"', structure) == page_titles
    assert page_titles[0] == "About me" and "Talks" in page_titles  # Markdown and custom
    assert len(page_titles) == 2 + len([k for k in ENTRY_NAMES if export.get(k)])
    assert export["talks"] == resume["talks"]
    assert "Paved roads May 2024 KubeCon" in " ".join(
        pdftotext(pages["cv.pdf"], tmp_path, "raw").split()
    )
    text = " ".join(pdftotext(pages["cv.pdf"], tmp_path).split())
    cursor = 0
    order = [b for b in re.findall(r'<h2 id="([^"]+)-title">', page) if b in ENTRY_NAMES]
    for key in order:
        for entry in export[key]:
            name = entry[ENTRY_NAMES[key]]
            assert name in page, name
            cursor = text.index(name, cursor)  # in the page's order
    assert set(order) == {k for k in ENTRY_NAMES if export.get(k)}


@pytest.mark.parametrize(
    "example", sorted(SAMPLE.parent.glob("examples/*.json")), ids=lambda p: p.name
)
def test_json_resume_examples_build(example_site: Path, example: Path) -> None:
    _use_resume_json(example_site, example)
    site = render_pages(example_site)
    assert site.warnings == ()
    name = json.loads(example.read_text(encoding="utf-8"))["basics"]["name"]
    assert f"<h1>{name}</h1>" in site.pages["index.html"].decode("utf-8")
    schema = json.loads(
        (REPO / "cvgen" / "schemas" / "jsonresume.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft7Validator(schema).validate(json.loads(site.pages["resume.json"]))


# --- the counter in a real browser -----------------------------------------------------


class _SiteServer(http.server.ThreadingHTTPServer):
    api: Callable[[http.server.BaseHTTPRequestHandler], None]
    posts: list[Any]


def _handler(directory: Path) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            assert isinstance(self.server, _SiteServer)
            length = int(self.headers.get("Content-Length", 0))
            self.server.posts.append(json.loads(self.rfile.read(length)))
            self.server.api(self)

    return Handler


@contextlib.contextmanager
def _serve(directory: Path) -> Iterator[_SiteServer]:
    """`directory` on a loopback port, with POST answered by `server.api` (set by the test)."""
    server = _SiteServer(("127.0.0.1", 0), _handler(directory))
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _allow_loopback(output: Path) -> None:
    """Mark the built page the way `cvgen serve` does, so its counter runs on 127.0.0.1."""
    index = output / "index.html"
    html = index.read_text(encoding="utf-8")
    assert html.count(" defer data-api=") == 1
    index.write_text(html.replace(" defer data-api=", " defer data-local data-api="), "utf-8")


@pytest.fixture
def served_site(example_site: Path) -> Iterator[_SiteServer]:
    build(example_site)
    _allow_loopback(example_site / "output")
    with _serve(example_site / "output") as server:
        yield server


def _respond(status: int, body: bytes) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def _open(page: Any, server: _SiteServer) -> list[str]:
    uncaught: list[str] = []
    page.on("pageerror", lambda exc: uncaught.append(str(exc)))
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
    page.wait_for_load_state("networkidle")
    return uncaught


@pytest.mark.browser
def test_counter_shows_the_count(page: Any, served_site: _SiteServer) -> None:
    served_site.api = _respond(200, b'{"page": "/", "views": 1234}')
    uncaught = _open(page, served_site)
    page.wait_for_selector("[data-counter]:not([hidden])", timeout=5000)
    assert page.text_content("[data-counter-value]") == "1,234"
    assert page.is_visible("[data-counter]")
    (post,) = served_site.posts
    assert post["page"] == "/" and re.fullmatch(
        r"[0-9a-f-]{36}", post["id"]
    )  # loopback: UUIDs work
    assert uncaught == [] and page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b'{"error": "boom"}'), (200, b"not json"), (200, b'{"views": "many"}'), (429, b"")],
)
def test_counter_stays_hidden_when_the_api_fails(
    page: Any, served_site: _SiteServer, status: int, body: bytes
) -> None:
    served_site.api = _respond(status, body)
    uncaught = _open(page, served_site)
    assert [post["page"] for post in served_site.posts] == ["/"]
    assert page.is_hidden("[data-counter]")
    assert uncaught == []
    # Chromium itself logs a failed response (4xx/5xx); nothing else may reach the console
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


@pytest.mark.browser
def test_counter_stays_hidden_when_the_api_is_unreachable(page: Any, example_site: Path) -> None:
    config = example_site / "cvgen.yaml"
    dead = f"http://127.0.0.1:{free_port()}/api/views"
    config.write_text(
        config.read_text(encoding="utf-8").replace("api: /api/views", f"api: {dead}"),
        encoding="utf-8",
    )
    build(example_site)
    assert dead.encode() in (example_site / "output" / "index.html").read_bytes()
    _allow_loopback(example_site / "output")
    with _serve(example_site / "output") as server:
        uncaught = _open(page, server)
        page.wait_for_timeout(300)
    assert page.is_hidden("[data-counter]")
    assert uncaught == [] and server.posts == []


@pytest.mark.browser
def test_built_page_on_a_plain_local_server_stays_quiet(page: Any, example_site: Path) -> None:
    # `cvgen build` then any static server on 127.0.0.1: no API there, so no request at all
    # (a failed one would put an error in the console), and the counter stays hidden.
    build(example_site)
    with _serve(example_site / "output") as server:
        server.api = _respond(200, b'{"page": "/", "views": 5}')
        uncaught = _open(page, server)
        page.wait_for_timeout(300)
    assert server.posts == []
    assert page.is_hidden("[data-counter]")
    assert uncaught == [] and page.console_errors == []


@pytest.mark.browser
def test_built_page_opened_from_disk_stays_quiet(page: Any, example_site: Path) -> None:
    build(example_site)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((example_site / "output" / "index.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.is_hidden("[data-counter]")
    assert not [url for url in requests if "api/views" in url]
    assert page.console_errors == []


@pytest.mark.browser
def test_layout_fits_320px_in_both_schemes_and_print_hides_the_counter(
    page: Any, served_site: _SiteServer
) -> None:
    served_site.api = _respond(200, b'{"page": "/", "views": 7}')
    page.set_viewport_size({"width": 320, "height": 640})
    backgrounds = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        _open(page, served_site)
        page.wait_for_selector("[data-counter]:not([hidden])", timeout=5000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds["light"] == "rgb(255, 255, 255)"
    assert backgrounds["dark"] != backgrounds["light"]
    page.emulate_media(media="print", color_scheme="dark")
    assert page.is_hidden("[data-counter]")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_the_benchmark_synthetic_cv_builds(tmp_path: Path) -> None:
    """bench/build_bench.py's generated CVs are valid content, with every section on the page."""
    spec = importlib.util.spec_from_file_location("build_bench", REPO / "bench" / "build_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.write_synthetic_site(tmp_path, 100, 10)
    _, pages = render_pages(tmp_path)
    page = pages["index.html"].decode("utf-8")
    resume = yaml.safe_load((tmp_path / "content" / "cv.yaml").read_text(encoding="utf-8"))
    entries = {key: len(value) for key, value in resume.items() if key != "basics"}
    assert sum(entries.values()) in range(95, 106)  # 100, give or take rounding per section
    # languages are list items and references quotes; everything else is an <article>
    articles = sum(entries.values()) - entries["languages"] - entries["references"]
    assert page.count('<article class="entry">') == articles
    assert page.count('<figure class="quote">') == entries["references"]
    assert page.count('<div class="prose">') == 10


@pytest.mark.browser
def test_example_cv_prints_on_two_a4_pages(page: Any, served_site: _SiteServer) -> None:
    served_site.api = _respond(200, b'{"page": "/", "views": 7}')
    _open(page, served_site)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2


@pytest.mark.browser
def test_download_links_in_the_header(page: Any, served_site: _SiteServer) -> None:
    """PDF · Word · Text, each downloading its file; none of them printed."""
    served_site.api = _respond(200, b'{"page": "/", "views": 7}')
    _open(page, served_site)
    links = page.locator("header .pdf-link a")
    assert links.all_inner_texts() == ["Download PDF", "Word", "Text"]
    starts = {"cv.pdf": b"%PDF-", "cv.docx": b"PK\x03\x04", "cv.txt": b"Ada Lindqvist\n"}
    for n, (name, start) in enumerate(starts.items()):
        assert links.nth(n).is_visible()
        with page.expect_download() as info:
            links.nth(n).click()
        download = info.value
        assert download.suggested_filename == name
        assert Path(download.path()).read_bytes().startswith(start)
    page.emulate_media(media="print")
    assert page.locator("header .pdf-link").is_hidden()


def test_strict_fails_before_anything_is_typeset(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(cv.read_text("utf-8").replace("  url:", "  website:", 1), "utf-8")

    def no_pdf(*args: Any) -> bytes:
        raise AssertionError("the PDF is typeset although the build is refused")

    monkeypatch.setattr("cvgen.render.pdf.render_pdf", no_pdf)
    with pytest.raises(ContentError) as caught:
        build(example_site, strict=True)
    assert [issue.field for issue in caught.value.issues] == ["basics.website"]
    assert not (example_site / "output").exists()


def test_a_pdf_name_too_long_for_the_file_system_is_an_error_at_its_line(
    example_site: Path,
) -> None:
    """256 characters was an OSError traceback (ENAMETOOLONG) after typesetting."""
    build(example_site)
    before = tree(example_site / "output")
    _set_pdf(example_site, "  filename: " + "a" * 252 + ".pdf\n")
    done = run_cvgen("build", "--root", str(example_site))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "pdf.filename: a file name of 256 characters, over the 100 an output" in done.stderr
    assert tree(example_site / "output") == before


def test_a_full_disk_is_an_error_that_leaves_the_output_as_it_was(example_site: Path) -> None:
    """A real process whose writes fail past 30 KB (RLIMIT_FSIZE: the kernel refuses the
    write as a full disk would): one clean message, exit 1, output/ untouched."""
    import resource
    import signal

    build(example_site)
    before = tree(example_site / "output")
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(cv.read_text(encoding="utf-8").replace("Ada", "Adah"), encoding="utf-8")

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))

    done = run_cvgen("build", "--root", str(example_site), preexec_fn=small_disk)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "could not write the site to " in done.stderr and "File too large" in done.stderr
    assert "was left as it was" in done.stderr
    assert tree(example_site / "output") == before
    assert sorted(p.name for p in example_site.iterdir() if p.name.startswith(".output")) == []
