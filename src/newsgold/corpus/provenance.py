"""Where each seed text comes from, as far as the text itself shows (quoted in the card)."""

from __future__ import annotations

from collections.abc import Mapping

#: What the texts themselves show about where they come from (the seeds carry no URL or date).
PROVENANCE: Mapping[str, str] = {
    "000_e9e65d9efa045d67": (
        "A page of a Romanian regional site: the footer reads “Brasov-Romania News To Your "
        "Inbox!”, the byline “Editor : A.C.”, and the story credits AFP and Agerpres. The "
        "English shows machine translation (“in a telegram. Kremlin, amid …”, “will hold. "
        "place in Vienna”)."
    ),
    "001_6065d58d5078e82b": (
        "A page of GENERICO.ru (a .ru news site): site name, section and headline are "
        "glued together (“GENERICO.ruWorldBiden said …”), the dateline is “WASHINGTON Dec "
        "31”, and the story quotes the White House press pool. The English shows machine "
        "translation; the headline is repeated, and comment-form boilerplate closes the page."
    ),
    "002_7dc57ecce207a157": (
        "Apparently translated from French (the French spelling “Vladimir Poutine”, an "
        "“(… editor’s note)” insertion); the opening paragraph is repeated with small "
        "changes, and the page ends with “Any reproduction prohibited” and “Source link -112”."
    ),
    "003_36c248dcc6a592ee": (
        "A report credited to “RIA News” at its end, quoting Kremlin aide Yuri Ushakov at "
        "length; the English shows machine translation, some quotes open with “ and close "
        "with “, and a site's appeal to disable ad blockers closes the page."
    ),
    "004_2cdfb3fb3a2b4cf3": (
        "A “Business News” page on Putin's annual press conference; the English shows "
        "machine translation (“Are we putting throws near US borders?”, “talks. year.”), "
        "and site furniture closes the page."
    ),
}
