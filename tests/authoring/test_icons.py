"""The icons: a 108x108 and a 512x512 PNG drawn by the project, committed and current."""

from __future__ import annotations

import pytest

from skill.authoring.icons import BACKGROUND, FOREGROUND, SIZES, file_name, icon_png
from skill.core import datafiles
from tests.support.png import read_png


@pytest.fixture(scope="module", params=sorted(SIZES.values()))
def drawn(request: pytest.FixtureRequest) -> tuple[int, bytes]:
    return request.param, icon_png(request.param)


def test_alexa_wants_these_two_sizes() -> None:
    assert SIZES == {"small": 108, "large": 512}


def test_the_icon_is_an_rgb_png_of_its_size(drawn: tuple[int, bytes]) -> None:
    size, data = drawn
    png = read_png(data)
    assert (png.width, png.height, png.bit_depth, png.colour_type) == (size, size, 8, 2)


def test_the_trace_is_drawn_on_the_background(drawn: tuple[int, bytes]) -> None:
    size, data = drawn
    png = read_png(data)
    corners = {png.pixel(x, y) for x in (0, size - 1) for y in (0, size - 1)}
    assert corners == {BACKGROUND}
    assert png.pixel(size // 4, round(0.56 * size)) == FOREGROUND  # on the flat part of the trace
    colours = {png.pixel(x, y) for y in range(size) for x in range(size)}
    assert len(colours) > 2, "edges are anti-aliased"


def test_the_committed_icons_are_current(drawn: tuple[int, bytes]) -> None:
    size, data = drawn
    assert (datafiles.icons_dir() / file_name(size)).read_bytes() == data, "run `make model`"


@pytest.mark.parametrize(("damage", "problem"), [
    (lambda d: d[1:], "signature"),
    (lambda d: d[:20] + bytes([d[20] ^ 1]) + d[21:], "CRC"),
    (lambda d: d[:-12], "IEND"),
])
def test_the_reader_refuses_a_damaged_png(damage, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        read_png(damage(icon_png(SIZES["small"])))
