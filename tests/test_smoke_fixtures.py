from typing import Any

import pytest

from tests.conftest import MotoServer


@pytest.mark.aws
def test_moto_server_answers_s3(moto_server: MotoServer) -> None:
    s3 = moto_server.client("s3")
    s3.create_bucket(Bucket="fixture-check")
    assert "fixture-check" in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.mark.browser
def test_browser_renders_a_page(page: Any) -> None:
    page.set_content("<title>t</title><p id=x>hello</p>")
    assert page.inner_text("#x") == "hello"
