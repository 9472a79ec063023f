"""The Chinese font of the PDFs: Noto Sans CJK SC, cut down to the characters the PDFs use.

Chromium (Skia) cannot embed an OpenType font with CFF outlines, which is how Debian's
``fonts-noto-cjk`` ships Noto Sans CJK: it draws every glyph as a Type 3 procedure instead,
without the font's name, and writes the text layer from the font's character map, where one
glyph serves both an ideograph and a Kangxi radical: "网络" is then found in the PDF as "⽹络"
(U+2F79), and searching or copying the text fails. So for the PDFs the build makes its own
copy of the installed font: only the characters the pages use (no radicals), outlines
converted to TrueType quadratics (fontTools), which Chromium embeds as a subset CID TrueType
font that names itself, maps back to the right characters and is smaller.
:func:`font_faces` writes the Regular and Bold files and returns the ``@font-face`` rules.
"""

import subprocess
import time
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
# "nnguide CJK": the whole cut-down font (Chinese text, its Latin letters too);
# "nnguide CJK only": the same files for Chinese characters only, in front of a Latin font.
# (Radicals, CJK punctuation, kana, ideographs; compatibility ideographs; vertical and
# small forms; full-width forms; the supplementary ideograph planes.)
CJK_RANGES = ("U+2E80-9FFF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF, "
              "U+20000-2FA1F")
WEIGHTS = {"Regular": "100 549", "Bold": "550 900"}
GET_FONT = "apt-get install fonts-noto-cjk"


def find_font(style):
    """(file, index in the collection) of the installed Noto Sans CJK SC ``style``."""
    try:
        out = subprocess.run(["fc-match", "--format=%{file}|%{index}|%{family}|%{style}",
                              f"{FAMILY}:style={style}"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"fc-match (fontconfig) could not look up {FAMILY}: {error}; "
                         f"{GET_FONT}") from None
    file, index, family, found_style = (out.split("|") + ["", "", "", ""])[:4]
    if FAMILY not in family.split(",") or style not in found_style.split(","):
        raise SystemExit(f"font {FAMILY} {style} is not installed (fontconfig offers "
                         f"{family!r} {found_style!r} from {file}); {GET_FONT}")
    return Path(file), int(index or 0)


def _to_truetype(font):
    """Replace the font's CFF outlines by TrueType ones (as fontTools' otf2ttf snippet)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def subset_font(file, index, chars, out):
    """Write ``out``: font ``index`` of ``file`` with only ``chars``, TrueType outlines."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["kern", "ccmp"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    font = TTFont(str(file), fontNumber=index, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
    subsetter.subset(font)
    _to_truetype(font)
    font.save(str(out))
    font.close()


def font_faces(chars, out_dir, url_prefix):
    """Write the Regular and Bold cut-down fonts for ``chars`` into ``out_dir``; return the
    ``@font-face`` rules (font URLs are ``url_prefix`` + file name) and the seconds taken."""
    t0 = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    chars = set(chars) | {chr(c) for c in range(0x20, 0x7F)}
    chars = {c for c in chars if c.isprintable()}
    rules = []
    for style, weights in WEIGHTS.items():
        file, index = find_font(style)
        name = f"nnguide-cjk-{style.lower()}.ttf"
        subset_font(file, index, chars, out_dir / name)
        for family, ranges in (("nnguide CJK", None), ("nnguide CJK only", CJK_RANGES)):
            rule = (f'@font-face {{ font-family: "{family}"; font-weight: {weights}; '
                    f'src: url("{url_prefix}{name}") format("truetype");')
            rules.append(rule + (f" unicode-range: {ranges}; }}" if ranges else " }"))
    return "\n".join(rules) + "\n", time.monotonic() - t0
