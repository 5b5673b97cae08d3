"""UTF-16 without a byte-order mark holding text beyond Latin (invented sentences)."""

from __future__ import annotations

import random

import pytest

from rashomon.errors import InputError
from rashomon.inputs.decode import decode_bytes

CHINESE = (
    "港口仓库周二晚间发生火灾，消防部门出动了12辆消防车。\n"
    "市长表示，大约40名工人已被疏散，无人受伤。\n"
    "调查人员说，起火原因仍在调查之中，一位目击者称火势在一小时内得到控制。\n"
)
JAPANESE = (
    "港の倉庫で火曜日の夜に火災が発生し、消防車12台が出動した。\n"
    "市長によると、約40人の作業員が避難した。\n"
)
KOREAN = (
    "화요일 밤 항구 창고에서 화재가 발생해 소방차 12대가 출동했다.\n"
    "시장은 노동자 약 40명이 대피했다고 말했다.\n"
)
RUSSIAN = (
    "Во вторник вечером на складе в порту произошёл пожар.\n"
    "Мэр сказал, что эвакуировали 40 рабочих.\n"
)


@pytest.mark.parametrize("text", [CHINESE, JAPANESE, KOREAN, RUSSIAN, "一二三\n中文 2024"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_text(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "a.txt") == text


@pytest.mark.parametrize("seed", range(20))
def test_binary_data_with_nul_bytes_stays_binary(seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.choice([0, 0, 0, *range(256)]) for _ in range(2 * rng.randint(20, 400)))
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.bin")
    assert info.value.problem == "looks like a binary file, not text"


def test_the_byte_order_that_reads_as_one_script_wins() -> None:
    from rashomon.inputs.decode import _utf16_of_one_script

    data = CHINESE.encode("utf-16-le")
    assert _utf16_of_one_script(data) == CHINESE
    swapped = bytes(b for pair in zip(data[1::2], data[0::2], strict=True) for b in pair)
    assert _utf16_of_one_script(swapped) == CHINESE  # read big-endian, not as noise
