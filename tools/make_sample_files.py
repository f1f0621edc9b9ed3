#!/usr/bin/env python3
"""Make the sample issue's stand-in files that are not plain text (run once; the results are committed):

- issues/2022-01-14/art/logo.pdf — a STAND-IN 报头 logo drawn for this sample (not the paper's real logo):
  the paper's name as vector outlines of LXGW WenKai (SIL Open Font License 1.1) in 报红, CMYK only,
  no fonts, with a rule and the name in pinyin under it.
- issues/2022-01-14/front3.docx — page 01's third story as a Word file (placeholder copy, a bold lead-in,
  a heading), to show Word copy.

    python3 tools/make_sample_files.py [--font /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf]
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "issues" / "2022-01-14"
KAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
MM = 72 / 25.4


def logo(font_path: str, out: Path) -> None:
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont
    from layout.render.pdf_fonts import make_canvas  # no default Helvetica in the resources

    font = TTFont(font_path)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    upem = font["head"].unitsPerEm
    w, h = 180 * MM, 50 * MM
    c = make_canvas(str(out), (w, h), pageCompression=1)
    c.setTrimBox((0, 0, w, h))
    c.setTitle("Stand-in masthead logo (sample only)")
    c.setAuthor("paiban sample")
    c.setFillColorCMYK(0, 1, 1, 0)
    c.setStrokeColorCMYK(0, 1, 1, 0)

    class Pen(BasePen):  # glyph outlines → a canvas path (quadratic curves become cubic ones)
        def __init__(self):
            super().__init__(glyphs)
            self.path = c.beginPath()

        def _moveTo(self, p):
            self.path.moveTo(*p)

        def _lineTo(self, p):
            self.path.lineTo(*p)

        def _curveToOne(self, p1, p2, p3):
            self.path.curveTo(*p1, *p2, *p3)

        def _closePath(self):
            self.path.close()

    def text(s: str, x: float, baseline: float, size: float, tracking: float = 0.0) -> float:
        for ch in s:
            name = cmap[ord(ch)]
            pen = Pen()
            glyphs[name].draw(pen)
            c.saveState()
            c.translate(x, baseline)
            c.scale(size / upem, size / upem)
            c.drawPath(pen.path, fill=1, stroke=0, fillMode=1)  # nonzero winding, as TrueType outlines want
            c.restoreState()
            x += glyphs[name].width * size / upem + tracking * size
        return x

    def width(s: str, size: float, tracking: float = 0.0) -> float:
        return sum(glyphs[cmap[ord(ch)]].width for ch in s) * size / upem + tracking * size * len(s)

    title, size = "重庆政协报", 34 * MM
    text(title, (w - width(title, size, 0.05)) / 2, 17 * MM, size, 0.05)
    c.setLineWidth(0.8 * MM)
    c.line(8 * MM, 11 * MM, w - 8 * MM, 11 * MM)
    pinyin, psize = "CHONGQING ZHENGXIE BAO", 5.2 * MM
    text(pinyin, (w - width(pinyin, psize, 0.3)) / 2, 3 * MM, psize, 0.3)
    c.showPage()
    c.save()


def word(out: Path) -> None:
    import docx
    d = docx.Document()
    d.core_properties.author = "paiban sample"
    p = d.add_paragraph()
    p.add_run("【示例占位稿】").bold = True  # no Latin inside a span: it is measured in the body face
    p.add_run("本条稿件以Word文件交稿，排版程序直接读取.docx：加粗的文字排成黑体，斜体排成楷体，"
              "标题样式的段落排成小标题。以下文字仅供排版演示，不代表任何报道内容。")
    d.add_heading("Word稿件中的小标题", level=2)
    d.add_paragraph("正文统一排在背景格上，相邻两栏的基线对齐。按照中文排版的通行规则，句号、逗号等点号不出现在行首，"
                    "开引号、开括号不出现在行末——这些规则由排版程序自动处理。每段首行缩进两个字，段与段之间不空行；"
                    "段落末行至少保留两个字，避免出现孤字。")
    p = d.add_paragraph("编辑在Word里做的修订必须先接受或拒绝，批注也要先删除，否则排版程序拒绝这份稿件并说明原因；"
                        "稿件里插入的图片不会排进正文，而是报告出来，图片由版面定义放置。")
    p = d.add_paragraph()
    p.add_run("数字与汉字之间留出四分之一字宽的空隙，例如2021年的893个项目、2700人次，字母词如APP、AI也同样处理。"
              "本段为排版演示用的占位文字，用来检验正文在栏中的走文、标点挤压与两端对齐。")
    p.add_run("（占位）").italic = True
    d.add_heading("表格和引语同样来自Word", level=2)
    d.add_paragraph("标点符号采用全角式：相邻标点之间的空白被挤压，行末标点收进半个字宽，使每一行都与栏的左右边缘对齐。"
                    "“你们好！”“大家好！”这一类对话引号，以及“？！”之类连用的标点，都需要按照国家标准的规定处理宽度。")
    d.add_paragraph("引用样式的段落排成引语。", style="Quote")
    t = d.add_table(rows=3, cols=2)
    for (r, col), text in {(0, 0): "项目", (0, 1): "数量（示例）", (1, 0): "公益项目", (1, 1): "893个",
                           (2, 0): "参与人次", (2, 1): "2700人次"}.items():
        t.cell(r, col).paragraphs[0].add_run(text).bold = r == 0
    d.add_paragraph("表格的第一行在Word里设为粗体，排版时作为表头，用黑体排出；表格占整行，上下和行间都有细线。"
                    "本段为排版演示用的占位文字，用来检验正文在栏中的走文、标点挤压与两端对齐，不代表任何报道内容。")
    d.add_paragraph("若正文超出所给的版面区域，排版程序会报告“超版”的页码、稿件和多出的字数，而不会悄悄截断文字。"
                    "在实际出版时，编辑会用记者的原稿替换这些文字；本段仅用于让版面的栏数、行数与真实版面相近。"
                    "占位稿中有意混排了数字、字母和各类标点：2022年1月14日、第04版、CN50-0064、GPS、12.5%、15万元，"
                    "以及“引号”“书名号”《重庆政协报》等。")
    d.add_paragraph("每段首行缩进两个字，段与段之间不空行；段落末行至少保留两个字，避免出现孤字……版面因此显得整齐、匀称。"
                    "正文统一排在背景格上，相邻两栏的基线对齐；标题、图片和图片说明都占整行，使下方的正文回到同一条基线。"
                    "本段为排版演示用的占位文字，不代表任何报道内容。")
    d.add_paragraph("按照中文排版的通行规则，句号、逗号等点号不出现在行首，开引号、开括号不出现在行末——这些规则由排版程序"
                    "自动处理。数字与汉字之间留出四分之一字宽的空隙，例如2021年的893个项目、2700人次，字母词如APP、AI"
                    "也同样处理。标点符号采用全角式：相邻标点之间的空白被挤压，行末标点收进半个字宽，使每一行都与栏的左右"
                    "边缘对齐。（占位）在实际出版时，编辑会用记者的原稿替换这些文字；本段仅用于让版面的栏数、行数与真实版面"
                    "相近。")
    d.add_paragraph("若正文超出所给的版面区域，排版程序会报告“超版”的页码、稿件和多出的字数，而不会悄悄截断文字。"
                    "每段首行缩进两个字，段与段之间不空行；段落末行至少保留两个字，避免出现孤字……版面因此显得整齐、匀称。"
                    "“你们好！”“大家好！”这一类对话引号，以及“？！”之类连用的标点，都需要按照国家标准的规定处理宽度。"
                    "正文统一排在背景格上，相邻两栏的基线对齐；标题、图片和图片说明都占整行，使下方的正文回到同一条基线。")
    d.save(str(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--font", default=KAI, help="the font whose outlines draw the stand-in logo")
    args = ap.parse_args()
    (ISSUE / "art").mkdir(exist_ok=True)
    logo(args.font, ISSUE / "art" / "logo.pdf")
    word(ISSUE / "front3.docx")
    print("wrote", ISSUE / "art" / "logo.pdf", "and", ISSUE / "front3.docx")


if __name__ == "__main__":
    main()
