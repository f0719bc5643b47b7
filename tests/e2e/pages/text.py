"""Matching what a user reads: the whole text of an element, whatever spaces surround it."""

import re


def exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")
