"""The Korean catalogue: rendering, and the gist that stands for many messages of one code."""

from __future__ import annotations

import pytest

import civicrpa.processes.childbirth_incentive.messages  # noqa: F401 - the codes below are its own
from civicrpa.core.messages import CATALOGUE, render, template_gist


@pytest.mark.parametrize(
    ("code", "gist"),
    [
        (
            "childbirth.residency_too_short",
            "전입일로부터 출생일까지 관내 거주기간 미충족 (필요 …개월, 실제 …개월)",
        ),
        (
            "childbirth.not_resident_on_birth",
            "출생일(…) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.",
        ),
        ("childbirth.documents_missing", "제출 서류가 빠졌습니다: …"),
        # No placeholder: the gist is the message itself.
        (
            "childbirth.applicant_mismatch",
            "신청인의 성명·주민등록번호가 주민등록 정보와 일치하지 않습니다.",
        ),
    ],
)
def test_the_gist_shows_each_placeholder_as_an_ellipsis(code: str, gist: str) -> None:
    assert template_gist(code) == gist


def test_every_gist_is_free_of_braces_and_reads_like_its_messages() -> None:
    for code, template in CATALOGUE.items():
        gist = template_gist(code)
        assert "{" not in gist, code
        assert "}" not in gist, code
        assert gist.count("…") == template.count("{"), code
        # Filling every placeholder with "…" renders the same text.
        fields = {part.split("}")[0] for part in template.split("{")[1:]}
        assert render(code, dict.fromkeys(fields, "…")) == gist, code


def test_an_unknown_code_falls_back_as_render_does() -> None:
    assert template_gist("nope.never") == render("nope.never")
    assert "nope.never" in template_gist("nope.never")
