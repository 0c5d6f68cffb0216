import re


def my_tagger(text, dct):
    return {
        "entities": [
            {"start": m.start(), "end": m.end(), "label": "GPE"}
            for m in re.finditer(r"\bRussia\b", text)
        ]
    }
