"""cvgen.yaml: validation messages, defaults, and writing stack outputs back."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.errors import ContentError, CvgenError
from cvgen.settings.config import find_root, load_config
from cvgen.settings.write import write_settings


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cvgen.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_config(write(tmp_path, text))
    return [str(issue) for issue in info.value.issues]


def test_defaults_for_a_minimal_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "site:\n  url: https://cv.example.org\n"))
    assert config.site.url == "https://cv.example.org/"
    assert config.theme == "default"
    assert config.counter.enabled and config.counter.api == "/api/views"
    assert config.publish.invalidation_threshold == 15
    assert config.output_dir == tmp_path / "output"


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).site.language == "en"


def test_every_problem_is_reported_with_position(tmp_path: Path) -> None:
    text = (
        "site:\n"
        "  ulr: https://x.example\n"
        "counter:\n"
        "  enabled: maybe\n"
        "  mode: secret\n"
        "publsh:\n"
        "  bucket: b\n"
        "publish:\n"
        "  invalidation_threshold: true\n"
        "  cache:\n"
        "    - pattern: '*.html'\n"
    )
    assert problems(tmp_path, text) == [
        "cvgen.yaml:2:3: site.ulr: unknown setting; did you mean `url`?",
        "cvgen.yaml:4:12: counter.enabled: expected true or false, got 'maybe'",
        "cvgen.yaml:5:9: counter.mode: expected `public` or `cognito`, got 'secret'",
        "cvgen.yaml:6:1: publsh: unknown setting; did you mean `publish`?",
        "cvgen.yaml:9:27: publish.invalidation_threshold: expected a whole number, got True",
        "cvgen.yaml:11:7: publish.cache[0]: expected `{pattern: ..., cache_control: ...}`",
    ]


def test_bad_url_and_cognito_without_pool(tmp_path: Path) -> None:
    text = "site:\n  url: cv.example.org\ncounter:\n  mode: cognito\n"
    assert problems(tmp_path, text) == [
        "cvgen.yaml:2:8: site.url: expected an http(s) URL, got 'cv.example.org'",
        "cvgen.yaml:4:3: counter: `mode: cognito` needs `api` to be the API's own https URL"
        " (https://<id>.execute-api.<region>.amazonaws.com/api/views);"
        " `cvgen infra deploy --cognito` writes it",
        "cvgen.yaml:4:3: counter: `mode: cognito` needs `identity_pool_id`"
        " (run `cvgen infra deploy --cognito`)",
        "cvgen.yaml:4:3: counter: `mode: cognito` needs `role_arn`, the guest role the page"
        " assumes (run `cvgen infra deploy --cognito`)",
    ]


def test_cache_rules_and_prefix(tmp_path: Path) -> None:
    text = (
        "publish:\n  prefix: /cv/\n  cache:\n"
        "    - {pattern: '*.pdf', cache_control: 'public, max-age=600'}\n"
    )
    config = load_config(write(tmp_path, text))
    assert config.publish.prefix == "cv"
    assert config.publish.cache[0].pattern == "*.pdf"


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CvgenError, match="cvgen new"):
        load_config(tmp_path)


def test_find_root_walks_up(tmp_path: Path) -> None:
    write(tmp_path, "")
    nested = tmp_path / "content" / "deep"
    nested.mkdir(parents=True)
    assert find_root(nested) == tmp_path.resolve()


def test_find_root_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(CvgenError, match="no cvgen.yaml"):
        find_root(tmp_path)


def test_written_settings_keep_comments_and_replace_values(tmp_path: Path) -> None:
    write(
        tmp_path,
        "# my site\nsite:\n  url: https://a.example/  # keep\npublish:\n  bucket: null\n"
        "  region: eu-west-1\ntheme: default\n",
    )
    first = write_settings(
        tmp_path, {"publish": {"bucket": "my-bucket", "distribution_id": "E123"}}
    )
    api = "https://x.execute-api.eu-west-1.amazonaws.com/api/views"
    second = write_settings(tmp_path, {"counter": {"api": api}})
    assert first.to_paste == second.to_paste == {}
    text = (tmp_path / "cvgen.yaml").read_text()
    assert text.startswith("# my site\n")
    config = load_config(tmp_path)
    assert config.publish.bucket == "my-bucket"
    assert config.publish.distribution_id == "E123"
    assert config.publish.region == "eu-west-1"
    assert config.theme == "default"
    assert config.counter.api.startswith("https://x.execute-api")


def test_cognito_mode_needs_the_api_url_and_a_matching_region(tmp_path: Path) -> None:
    pool = "eu-west-1:0123abcd-0123-4567-89ab-0123456789ab"
    text = (
        f"counter:\n  mode: cognito\n  identity_pool_id: '{pool}'\n"
        "  region: us-east-1\n  api: /api/views\n  role_arn: arn:aws:iam::123:role/x\n"
    )
    assert problems(tmp_path, text) == [
        "cvgen.yaml:4:11: counter.region: `us-east-1` differs from the identity pool's region"
        " `eu-west-1`; remove `region` or make them match",
        "cvgen.yaml:5:8: counter.api: `mode: cognito` needs `api` to be the API's own https URL"
        " (https://<id>.execute-api.<region>.amazonaws.com/api/views);"
        " `cvgen infra deploy --cognito` writes it",
        "cvgen.yaml:6:13: counter.role_arn: expected an IAM role ARN like"
        " `arn:aws:iam::123456789012:role/NAME`",
    ]
    good = (
        f"counter:\n  mode: cognito\n  identity_pool_id: '{pool}'\n"
        "  api: https://abc123.execute-api.eu-west-1.amazonaws.com/api/views\n"
        "  role_arn: arn:aws:iam::123456789012:role/cvgen-identity-GuestRole-AbC1\n"
    )
    assert load_config(write(tmp_path, good)).counter.mode == "cognito"


def test_pdf_settings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.pdf.enabled and config.pdf.paper is None and config.pdf.filename == "cv.pdf"
    text = "pdf:\n  enabled: false\n  paper: Letter\n  filename: ada-lindqvist-cv.pdf\n"
    config = load_config(write(tmp_path, text))
    assert not config.pdf.enabled and config.pdf.paper == "letter"
    assert config.pdf.filename == "ada-lindqvist-cv.pdf"


def test_bad_pdf_settings_are_reported_with_their_place(tmp_path: Path) -> None:
    text = "pdf:\n  paper: a5\n  filename: ../cv.pdf\n  enabeld: true\n"
    assert problems(tmp_path, text) == [
        "cvgen.yaml:2:10: pdf.paper: expected `a4` or `letter`, got 'a5'",
        "cvgen.yaml:3:13: pdf.filename: expected a file name ending in .pdf, such as"
        " `ada-lindqvist-cv.pdf` (letters, digits, `.`, `-`, `_`; no folders), got '../cv.pdf'",
        "cvgen.yaml:4:3: pdf.enabeld: unknown setting; did you mean `enabled`?",
    ]


@pytest.mark.parametrize(
    ("own", "order", "hide", "titles"),
    [
        # own `order` only: the site's `hide` and titles still hold on the variant's page
        ("{order: [work]}", ("work",), ("about",), {"work": "Jobs"}),
        # own `hide` replaces the site's; own titles add to the site's
        (
            "{hide: [skills], titles: {skills: Tools}}",
            ("education",),
            ("skills",),
            {"work": "Jobs", "skills": "Tools"},
        ),
        ("{hide: []}", ("education",), (), {"work": "Jobs"}),
    ],
)
def test_a_variant_s_sections_lay_over_the_site_s(
    tmp_path: Path, own: str, order: tuple[str, ...], hide: tuple[str, ...], titles: dict[str, str]
) -> None:
    config = load_config(
        write(
            tmp_path,
            "sections:\n  order: [education]\n  hide: [about]\n  titles: {work: Jobs}\n"
            f"variants:\n  - name: backend\n    sections: {own}\n",
        )
    )
    sections = config.variants[0].sections
    assert sections is not None
    assert (sections.order, sections.hide, dict(sections.titles)) == (order, hide, titles)


def test_outputs_pick_the_files_beside_each_page(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.downloads == {"pdf": "cv.pdf", "docx": "cv.docx", "txt": "cv.txt"}
    text = "outputs: [txt, DOCX]\ndocx:\n  filename: ada-cv.docx\ntxt:\n  filename: ada.txt\n"
    assert load_config(write(tmp_path, text)).downloads == {"docx": "ada-cv.docx", "txt": "ada.txt"}
    assert load_config(write(tmp_path, "outputs: []\n")).downloads == {}
    # pdf.enabled: false and outputs: meet: the PDF stays off
    text = "outputs: [pdf, txt]\npdf:\n  enabled: false\n"
    assert load_config(write(tmp_path, text)).downloads == {"txt": "cv.txt"}


def test_bad_outputs_are_reported_with_their_place(tmp_path: Path) -> None:
    text = "outputs: [pdf, word, pdf, 3]\ndocx:\n  filename: cv.doc\n  name: x\ntxt:\n  filename: a/b.txt\n"
    assert problems(tmp_path, text) == [
        "cvgen.yaml:1:16: outputs[1]: unknown output 'word'; expected one of: `docx`, `pdf`,"
        " `txt` (the page itself is always built)",
        "cvgen.yaml:1:22: outputs[2]: `pdf` is listed twice",
        "cvgen.yaml:1:27: outputs[3]: unknown output 3; expected one of: `docx`, `pdf`, `txt`"
        " (the page itself is always built)",
        "cvgen.yaml:3:13: docx.filename: expected a file name ending in .docx, such as"
        " `ada-lindqvist-cv.docx` (letters, digits, `.`, `-`, `_`; no folders), got 'cv.doc'",
        "cvgen.yaml:4:3: docx.name: unknown setting; expected one of: `filename`",
        "cvgen.yaml:6:13: txt.filename: expected a file name ending in .txt, such as"
        " `ada-lindqvist-cv.txt` (letters, digits, `.`, `-`, `_`; no folders), got 'a/b.txt'",
    ]
    assert problems(tmp_path, "outputs: [pfd]\n") == [
        "cvgen.yaml:1:11: outputs[0]: unknown output 'pfd'; did you mean `pdf`?"
        " (the page itself is always built)"
    ]
    assert problems(tmp_path, "outputs: pdf\n") == [
        "cvgen.yaml:1:10: outputs: expected a list, got 'pdf'"
    ]
