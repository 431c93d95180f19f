#!/usr/bin/env python3
"""Writes the HTML entity table our Python-compatible unescaping reads (src/Vision/Tokenization/Data/html_entities.json).

  * "html5": Python's html.entities.html5, the WHATWG list of named character references (names with and without
    the ';', exactly as html.unescape looks them up).
  * "upper_case": the extra names ftfy's unescape_html accepts (ftfy 6.3.1 chardata._build_html_entities, from its
    documentation): for an entity name ending in ';' that is all lower case, its upper-cased spelling, when
    html.unescape leaves that spelling alone, decodes to the character upper-cased by str.upper() ("&SZLIG;" -> "SS").

This is data computed by Python's standard library, not code; re-run it to follow a newer Python.
Usage: python3 make_html_entities.py <output .json>
"""
import html
import html.entities
import json
import sys


def main(out_path):
    upper = {}
    for name, char in html.entities.html5.items():
        if name.endswith(";") and name == name.lower():
            spelled = "&" + name.upper()
            if html.unescape(spelled) == spelled:
                upper[name.upper()] = char.upper()
    doc = {"generator": "tests/fixtures-src/tokenizer/make_html_entities.py", "python": sys.version.split()[0],
           "html5": dict(sorted(html.entities.html5.items())), "upper_case": dict(sorted(upper.items()))}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=True, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
