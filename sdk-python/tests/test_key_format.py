# SPDX-License-Identifier: Apache-2.0
import unittest
import zlib

from servitor_verifier import Verifier, is_well_formed_key
from servitor_verifier.key_format import BASE62, key_checksum

from .support import CASES


class KeyFormatCases(unittest.TestCase):
    def test_every_shared_key_format_case(self) -> None:
        self.assertGreater(len(CASES["key_format"]), 20)
        for case in CASES["key_format"]:
            with self.subTest(case["why"]):
                self.assertIs(is_well_formed_key(case["input"], case.get("prefix")), case["well_formed"])
                self.assertIs(Verifier.is_well_formed_key(case["input"], case.get("prefix")), case["well_formed"])

    def test_a_small_checksum_is_padded_with_leading_zeros(self) -> None:
        payload = next(p for p in ("1" * 42 + c for c in BASE62) if zlib.crc32(p.encode()) < 62 ** 5)
        checksum = key_checksum(payload)
        self.assertEqual(len(checksum), 6)
        self.assertTrue(checksum.startswith("0"), checksum)
        self.assertTrue(is_well_formed_key(f"svt_{payload}{checksum}"))
        self.assertFalse(is_well_formed_key(f"svt_{payload}{checksum[1:]}"))

    def test_anything_but_a_string_is_not_a_key(self) -> None:
        for value in (None, 42, b"svt_WJFJxssbRyw70hMaKcpXkzrWuhlIIaJ88ahus6dYqyb4UJaTC", ["svt"]):
            with self.subTest(value=value):
                self.assertFalse(is_well_formed_key(value))


if __name__ == "__main__":
    unittest.main()
