"""The Porter stemmer exactly as lunr.js 2.3.9 applies it.

lunr.py's own stemmer follows a different Porter port that disagrees with
lunr.js on some words ("try", "lay"), and a term stemmed one way at build time
and another in the browser would never match. This module follows the rules
of the browser's stemmer step by step; a test runs both on the site's whole
vocabulary. It is meant for lower-case ASCII words only.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}

_CONSONANT = "[^aeiou]"
_VOWEL = "[aeiouy]"
_CONSONANTS = _CONSONANT + "[^aeiouy]*"
_VOWELS = _VOWEL + "[aeiou]*"

# m > 0, m == 1, m > 1 and "the stem has a vowel", as in Porter's paper.
_M_GT_0 = re.compile(f"^({_CONSONANTS})?{_VOWELS}{_CONSONANTS}")
_M_EQ_1 = re.compile(f"^({_CONSONANTS})?{_VOWELS}{_CONSONANTS}({_VOWELS})?\\Z")
_M_GT_1 = re.compile(f"^({_CONSONANTS})?{_VOWELS}{_CONSONANTS}{_VOWELS}{_CONSONANTS}")
_HAS_VOWEL = re.compile(f"^({_CONSONANTS})?{_VOWEL}")

_1A_SSES_IES = re.compile(r"^(.+?)(ss|i)es\Z")
_1A_S = re.compile(r"^(.+?)([^s])s\Z")
_1B_EED = re.compile(r"^(.+?)eed\Z")
_1B_ED_ING = re.compile(r"^(.+?)(ed|ing)\Z")
_1B_AT_BL_IZ = re.compile(r"(at|bl|iz)\Z")
_1B_DOUBLE = re.compile(r"([^aeiouylsz])\1\Z")
_CVC = re.compile(f"^{_CONSONANTS}{_VOWEL}[^aeiouwxy]\\Z")
_1C_Y = re.compile(r"^(.+?[^aeiou])y\Z")
_2 = re.compile("^(.+?)(" + "|".join(_STEP2) + r")\Z")
_3 = re.compile("^(.+?)(" + "|".join(_STEP3) + r")\Z")
_4 = re.compile(
    r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)\Z"
)
_4_ION = re.compile(r"^(.+?)(s|t)(ion)\Z")
_5_E = re.compile(r"^(.+?)e\Z")
_5_LL = re.compile(r"ll\Z")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if len(word) < 3:
        return word
    starts_with_y = word[0] == "y"
    if starts_with_y:  # an initial y is a consonant: mark it so no rule reads it as a vowel
        word = "Y" + word[1:]

    if match := _1A_SSES_IES.match(word) or _1A_S.match(word):
        word = match[1] + match[2]

    if match := _1B_EED.match(word):
        if _M_GT_0.match(match[1]):  # (and no 'ed' rule for an 'eed' word)
            word = word[:-1]
    elif match := _1B_ED_ING.match(word):
        base = match[1]
        if _HAS_VOWEL.match(base):
            word = base
            if _1B_AT_BL_IZ.search(word):
                word += "e"
            elif _1B_DOUBLE.search(word):
                word = word[:-1]
            elif _CVC.match(word):
                word += "e"

    if match := _1C_Y.match(word):
        word = match[1] + "i"

    if (match := _2.match(word)) and _M_GT_0.match(match[1]):
        word = match[1] + _STEP2[match[2]]

    if (match := _3.match(word)) and _M_GT_0.match(match[1]):
        word = match[1] + _STEP3[match[2]]

    if match := _4.match(word):
        if _M_GT_1.match(match[1]):
            word = match[1]
    elif (match := _4_ION.match(word)) and _M_GT_1.match(match[1] + match[2]):
        word = match[1] + match[2]

    if match := _5_E.match(word):
        base = match[1]
        if _M_GT_1.match(base) or (_M_EQ_1.match(base) and not _CVC.match(base)):
            word = base

    if _5_LL.search(word) and _M_GT_1.match(word):
        word = word[:-1]

    if starts_with_y:
        word = "y" + word[1:]
    return word
