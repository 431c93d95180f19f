#!/usr/bin/env python3
"""Expected outputs of CLIP's text normalisation, computed by Python itself, for our C# ClipTextCleaner.

Two references (the layouts a CLIP model comes from):
  * "openai": OpenAI CLIP simple_tokenizer / OpenCLIP tokenizer: whitespace_clean(basic_clean(text)).lower(), where
    basic_clean = ftfy.fix_text, then html.unescape(html.unescape(.)), then .strip(); whitespace_clean = re.sub(r"\\s+",
    " ", .).strip(). html.unescape, str.lower, str.strip and re come from this Python, so they are independent of
    our code.
  * "huggingface_fast": the normalizer of transformers' CLIPTokenizerFast (tokenizer.json): NFC, then \\s+ -> " ",
    then the Rust tokenizers' Lowercase, which lower-cases each character on its own (no final-sigma context);
    here: unicodedata NFC, Unicode White_Space runs, and str.lower applied one character at a time.

ftfy: when `import ftfy` works, fix_text is ftfy's own. When it does not (the development machines cannot install
it), each case's "fix_text" is the expectation we wrote by hand from ftfy's documentation and test data, and the file
says so in "ftfy"; re-running this script where ftfy is installed checks every hand-written value and replaces it.
Mojibake cases: ftfy's documented repairs (our Utf8Mojibake repairs UTF-8 read as Windows-1252 / Latin-1).

Also written, for exhaustive checks of our Python-compatible lower-casing: every code point whose str.lower()
differs from itself; the code points Python's final-sigma rule treats as case-ignorable or (non-ignorable) cased,
probed through str.lower() itself; the code points unassigned in this Python's Unicode database; and the code
points str.isspace() accepts.

Usage: python3 make_text_normalization.py <output .json>
"""
import html
import json
import re
import sys
import unicodedata

try:
    import ftfy
    FTFY = ftfy.fix_text
    FTFY_NOTE = f"ftfy {ftfy.__version__}: fix_text values are ftfy's own"
except ImportError:
    FTFY = None
    FTFY_NOTE = ("ftfy not installed: fix_text values are hand-written from ftfy 6.3.1's documentation and "
                 "need confirmation by re-running this script where ftfy is installed")

# (text, fix_text as ftfy 6.3.1 is documented to return it, note)
CASES = [
    ("a photo of a cat", "a photo of a cat", "plain prompt"),
    ("A Photo Of A CAT", "A Photo Of A CAT", "case only"),
    ("İstanbul İZMİR", "İstanbul İZMİR", "dotted capital I lowers to i + U+0307 in Python"),
    ("ΟΔΟΣ ΣΟΦΟΣ.", "ΟΔΟΣ ΣΟΦΟΣ.", "final sigma: str.lower gives ς at a word end, also before '.'"),
    ("ΣΑΣ Σ ΑΣ'Σ", "ΣΑΣ Σ ΑΣ'Σ", "sigma alone, and around a case-ignorable apostrophe"),
    ("Straße GROSS ẞ", "Straße GROSS ẞ", "sharp s; capital sharp s lowers to ß"),
    ("ﬁsh ﬂower ﬀ ﬃ ﬄ ﬆ ﬅ Ĳssel ǅ", "fish flower ff ffi ffl st ſt IJssel Dž", "ftfy.fixes.fix_latin_ligatures"),
    ("‘single’ “double” ‚low‛ „low‟ ʼn", "'single' \"double\" 'low' \"low\" 'n",
     "ftfy.fixes.uncurl_quotes: U+02BC, U+2018-U+201B -> ', U+201C-U+201F -> \""),
    ("ＡＢＣ１２３　ｆｕｌｌ－ｗｉｄｔｈ！", "ABC123 full-width!", "ftfy.fixes.fix_character_width, U+3000 -> space"),
    ("ｶﾀｶﾅ ﾊﾟﾝ ｶﾞｷﾞ", "カタカナ パン ガギ", "half-width katakana; the sound marks compose under NFC"),
    ("fish &amp; chips", "fish & chips", "entity"),
    ("fish &amp;amp;amp; chips", "fish & chips", "ftfy re-runs its fixes until nothing changes: three levels unescape"),
    ("&lt;b&gt;bold&lt;/b&gt; &amp; <i>", "&lt;b&gt;bold&lt;/b&gt; &amp; <i>",
     "a literal '<' turns ftfy's unescape_html off; html.unescape still runs twice afterwards"),
    ("P&EACUTE;REZ BUNDESSTRA&SZLIG;E", "PÉREZ BUNDESSTRASSE", "ftfy decodes upper-cased entity names"),
    ("&ntilde; &Ntilde; &NTILDE; &nTILDE;", "ñ Ñ Ñ &nTILDE;", "ftfy.fixes.unescape_html docstring"),
    ("this&not that &copy 2024 &amp", "this&not that &copy 2024 &amp",
     "ftfy leaves entities without ';'; Python's html.unescape then decodes them"),
    ("&#x2019;s &#8220;quoted&#8221; &hellip; &#65;&#x42;", "'s \"quoted\" … AB", "numeric references, then uncurled"),
    ("<x> &#0; &#128; &#x9F; &#xD800; &#1114112; &#11; &#65 &#x41x", "<x> &#0; &#128; &#x9F; &#xD800; &#1114112; &#11; &#65 &#x41x",
     "html.unescape's rules for invalid numeric references and missing ';' (the '<' keeps ftfy's unescape off)"),
    ("&Jscr;ohn &HilbertSpace;ancock &checkmark;", "𝒥ohn ℋancock ✓", "HTML5 entity names"),
    ("non\u00a0breaking\u202fnarrow\u2009thin\u3000ideographic", "non\u00a0breaking\u202fnarrow\u2009thin ideographic",
     "Unicode spaces: whitespace_clean collapses them"),
    ("zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom", "zero\u200bwidth\u200cnon\u200djoiner\u2060wordbom",
     "ftfy removes U+FEFF; other zero-width characters stay"),
    ("tab\there\nnew\r\nline\rcr\u2028ls\u2029ps\x0cff\x0bvt", "tab\there\nnew\nline\ncr\nls\nps\x0cffvt",
     "ftfy.fixes.fix_line_breaks; U+000B is removed as a control character"),
    ("bell\x07nul\x00esc\x1b[31mred\x1b[0m del\x7f", "bellnulescred del", "terminal escapes and C0 controls removed"),
    ("file\x1cgroup\x1drecord\x1eunit\x1fsep", "filegrouprecordunitsep", "U+001C-U+001F: removed by ftfy"),
    ("caf\u0065\u0301 n\u0303 A\u030a", "café ñ Å", "combining marks composed by NFC"),
    ("e&#769; composed late", "é composed late", "a combining mark from an entity, composed by ftfy's NFC"),
    ("😀 emoji 👨‍👩‍👧‍👦 🇫🇷 🏴󠁧󠁢󠁷󠁬󠁳󠁿", "😀 emoji 👨‍👩‍👧‍👦 🇫🇷 🏴󠁧󠁢󠁷󠁬󠁳󠁿", "emoji, ZWJ sequences, flags, tag characters"),
    ("Ελληνικά ΚΕΙΜΕΝΑ Привет МИР Ёлка", "Ελληνικά ΚΕΙΜΕΝΑ Привет МИР Ёлка", "Greek and Cyrillic"),
    ("Iİıi Türkçe ŞĞÜÖÇ", "Iİıi Türkçe ŞĞÜÖÇ", "Turkish letters: Python applies no Turkish locale rule"),
    ("ǅ ǈ ǋ ǲ Ⅻ ⅻ Ⓐ ⓐ 🄰", "Dž Lj Nj Dz Ⅻ ⅻ Ⓐ ⓐ 🄰", "title-case digraphs (also ligatures to ftfy), roman numerals, circled letters"),
    ("Σ\u0301 ΑΣ\u0301 ΑΣ\u0301Α ΑΣ·Α", "Σ\u0301 ΑΣ\u0301 ΑΣ\u0301Α ΑΣ·Α", "final sigma around combining marks and middle dot"),
    ("ªΣ ºΣ ʰΣ 1Σ", "ªΣ ºΣ ʰΣ 1Σ", "cased (ª º) and case-ignorable (ʰ) letters before sigma"),
    ("   leading and trailing   ", "   leading and trailing   ", "strip"),
    ("", "", "empty"),
    ("<|startoftext|>Hello<|endoftext|>", "<|startoftext|>Hello<|endoftext|>", "special-token spellings"),
    ("line one\nline &amp; two\n<p> three &amp; four\nfive &amp; six", "line one\nline & two\n<p> three &amp; four\nfive &amp; six",
     "ftfy.fix_text works line by line and, once a line holds '<', stops unescaping for the rest of the text"),
    ("a\x85b", "a…b", "C1 NEL read as Windows-1252 (ftfy.fixes.fix_c1_controls runs before fix_line_breaks)"),
    # Mojibake: ftfy's documented repairs of UTF-8 read as Windows-1252.
    ("cafÃ© crÃ¨me", "café crème", "UTF-8 read as Windows-1252 (mojibake)"),
    ("âœ” No problems", "✔ No problems", "ftfy.fix_text docstring (mojibake)"),
]


# Extra inputs for html.unescape alone (no ftfy involved): HTML5's character-reference edge cases.
HTML_CASES = [
    "&notit; &notin; &not; &not I&apos;m", "&amp &ampx &amp;x &AMP; &AMP &Amp;", "&#; &#x; &#X41; &#x41 &#65x &#0065;",
    "&#9999999999999999999999; &#x110000; &#xFFFE; &#x1FFFF; &#xFDD0; &#127; &#13; &#x85;", "& amp; &\tamp; &;",
    "&thisnameiswaytoolongtobeanentityatall; &ThisNameIsLongButEndsInAmp&amp;", "&lt&gt&quot&copy2024",
    "&NotNestedGreaterGreater; &nGt; &fjlig; &bne; &ThickSpace;", "&\u00e9acute; &eacute &Eacute;x",
    "&#x1F600; &#128512; &#x1f600", "a&#x0;b&#x0d;c&#1;d&#8;e&#11;f&#14;g&#x7f;h&#x80;i&#x9d;j",
]


def whitespace_clean(text):
    return re.sub(r"\s+", " ", text).strip()


def openai_pipeline(fixed):
    text = html.unescape(html.unescape(fixed)).strip()
    return whitespace_clean(text).lower()


WHITE_SPACE = set([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                   0x2028, 0x2029, 0x202F, 0x205F, 0x3000])  # Unicode PropList White_Space (Rust regex \s)


def huggingface_fast(text):
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if ord(c) in WHITE_SPACE else c for c in text)
    text = re.sub(" +", " ", text)
    return "".join(c.lower() for c in text)


def ranges(points):
    out, start, prev = [], None, None
    for p in points:
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append([start, prev])
            start = prev = p
    if start is not None:
        out.append([start, prev])
    return out


def sigma_classes():
    """CPython's final-sigma rule looks back past case-ignorable characters for a cased one. Probing str.lower:
    'A'+c+'Σ' ends in ς iff c is case-ignorable or cased; c+'Σ' ends in ς iff c is cased and not case-ignorable."""
    ignorable, cased = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        after_a = ("A" + c + "Σ").lower().endswith("ς")
        alone = (c + "Σ").lower().endswith("ς")
        if alone:
            cased.append(cp)
        elif after_a:
            ignorable.append(cp)
    return ranges(ignorable), ranges(cased)


def main(out_path):
    cases, mismatches = [], []
    for text, hand_written, note in CASES:
        fixed = hand_written
        if FTFY is not None:
            fixed = FTFY(text)
            if fixed != hand_written:
                mismatches.append({"text": text, "hand_written": hand_written, "ftfy": fixed})
        cases.append({
            "note": note,
            "text": text,
            "fix_text": fixed,
            "openai": openai_pipeline(fixed),
            "huggingface_fast": huggingface_fast(text),
            "python_lower": text.lower(),
            "html_unescape": html.unescape(text),
        })
    html_cases = [{"text": t, "html_unescape": html.unescape(t)} for t in HTML_CASES]
    lower = [[cp, chr(cp).lower()] for cp in range(0x110000)
             if not 0xD800 <= cp <= 0xDFFF and chr(cp).lower() != chr(cp)]
    ignorable, cased = sigma_classes()
    unassigned = ranges([cp for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cn"])
    doc = {
        "generator": "tests/fixtures-src/tokenizer/make_text_normalization.py",
        "python": sys.version.split()[0],
        "unicode": unicodedata.unidata_version,
        "ftfy": FTFY_NOTE,
        "hand_written_mismatches": mismatches,
        "cases": cases,
        "html_cases": html_cases,
        "lower": lower,
        "sigma_case_ignorable": ignorable,
        "sigma_cased": cased,
        "unassigned": unassigned,
        "isspace": [cp for cp in range(0x110000) if chr(cp).isspace()],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=True, indent=1)
        f.write("\n")
    if mismatches:
        print(f"{len(mismatches)} hand-written fix_text values differ from ftfy:", file=sys.stderr)
        for m in mismatches:
            print(json.dumps(m, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
