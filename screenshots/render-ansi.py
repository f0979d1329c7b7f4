#!/usr/bin/python3
"""render-ansi.py - draw a tmux `capture-pane -p -e -N` capture as a PNG.

Usage: render-ansi.py CAPTURE.ansi OUT.png COLS ROWS

A small terminal model: SGR colours (8/16/256/truecolour), bold, dim,
italic, underline and reverse; one cell per character (two for wide ones).
Block elements (U+2580-U+259F) are drawn as exact rectangles so sparklines
and bars tile without gaps.  Needs python3-pil and fonts-dejavu-core."""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONT_SIZE = 15
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (24, 24, 28)
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    g = 8 + 10 * (n - 232)
    return (g, g, g)


class Attr:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.under = self.rev = False

    def copy(self):
        a = Attr()
        a.__dict__.update(self.__dict__)
        return a

    def sgr(self, params):
        p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
        i = 0
        while i < len(p):
            c = p[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.under = True
            elif c == 7:
                self.rev = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.under = False
            elif c == 27:
                self.rev = False
            elif 30 <= c <= 37:
                self.fg = c - 30
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = c - 40
            elif c == 49:
                self.bg = None
            elif 90 <= c <= 97:
                self.fg = c - 90 + 8
            elif 100 <= c <= 107:
                self.bg = c - 100 + 8
            elif c in (38, 48) and i + 1 < len(p):
                if p[i + 1] == 5 and i + 2 < len(p):
                    val = p[i + 2]
                    i += 2
                elif p[i + 1] == 2 and i + 4 < len(p):
                    val = tuple(p[i + 2:i + 5])
                    i += 4
                else:
                    val = None
                    i += 1
                if c == 38:
                    self.fg = val
                else:
                    self.bg = val
            i += 1


def rgb(v, default):
    if v is None:
        return default
    if isinstance(v, tuple):
        return v
    return color256(v)


def parse(text, cols, rows):
    grid = [[(" ", Attr()) for _ in range(cols)] for _ in range(rows)]
    attr = Attr()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for m in re.finditer(r"\x1b\[([0-9;]*)m|\x1b[()][0-9A-B]|([^\x1b])", line):
            if m.group(0).startswith("\x1b["):
                attr.sgr(m.group(1))
                continue
            ch = m.group(2)
            if ch is None:
                continue
            if unicodedata.combining(ch) and x > 0:
                prev, a = grid[y][x - 1]
                grid[y][x - 1] = (prev + ch, a)
                continue
            if x < cols:
                grid[y][x] = (ch, attr.copy())
            x += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return grid


def block_rect(ch, x0, y0, cw, chh):
    """Rectangle for U+2581..U+2588 (lower blocks) and U+2580 (upper half)."""
    o = ord(ch)
    if 0x2581 <= o <= 0x2588:
        h = chh * (o - 0x2580) / 8.0
        return (x0, y0 + chh - h, x0 + cw, y0 + chh)
    if o == 0x2580:
        return (x0, y0, x0 + cw, y0 + chh / 2.0)
    return None


def render(grid, out, cols, rows):
    font = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", FONT_SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", FONT_SIZE)
    asc, desc = font.getmetrics()
    cw = int(round(font.getlength("M")))
    chh = asc + desc
    pad = 8
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * chh + 2 * pad), DEFAULT_BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (ch, a) in enumerate(row):
            fg = rgb(a.fg, DEFAULT_FG)
            bg = rgb(a.bg, DEFAULT_BG)
            if a.bold and isinstance(a.fg, int) and a.fg < 8:
                fg = BASE16[a.fg + 8]
            if a.rev:
                fg, bg = bg, fg
            if a.dim:
                fg = tuple((f + b) // 2 for f, b in zip(fg, bg))
            x0, y0 = pad + x * cw, pad + y * chh
            if bg != DEFAULT_BG:
                d.rectangle((x0, y0, x0 + cw - 1, y0 + chh - 1), fill=bg)
            if ch == " ":
                pass
            elif block_rect(ch, x0, y0, cw, chh):
                r = block_rect(ch, x0, y0, cw, chh)
                d.rectangle((r[0], r[1], r[2] - 1, r[3] - 1), fill=fg)
            elif ch == "\u2591":      # light shade: a quarter blend
                mix = tuple((3 * b + f) // 4 for f, b in zip(fg, bg))
                d.rectangle((x0, y0, x0 + cw - 1, y0 + chh - 1), fill=mix)
            else:
                d.text((x0, y0), ch, font=bold if a.bold else font, fill=fg)
            if a.under:
                d.line((x0, y0 + chh - 2, x0 + cw - 1, y0 + chh - 2), fill=fg)
    img.save(out)


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: render-ansi.py CAPTURE.ansi OUT.png COLS ROWS")
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        text = f.read()
    cols, rows = int(sys.argv[3]), int(sys.argv[4])
    render(parse(text, cols, rows), sys.argv[2], cols, rows)


main()
