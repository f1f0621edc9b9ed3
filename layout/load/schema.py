"""The definitions' JSON Schemas (publication, issue, page) and validation with file:line messages.

The same dictionaries are published as schema/*.schema.json for editors (YAML language
server) — `paiban schema --write` regenerates them. Validation uses the jsonschema
library (well kept, exact JSON Schema semantics); its errors are mapped back to the YAML
node's line and turned into one message with a suggestion for a misspelt key.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import jsonschema

from layout.model.findings import InputError
from layout.model.i18n import N_, _
from layout.load.yamlsafe import YMap, where_of

# The end of the text. Not `$`: Python's re (jsonschema) lets `$` match before a final newline, so
# "4\n" passed as page 4; a negative lookahead means the same in Python and in editors (ECMA-262).
END = r"(?![\s\S])"
LENGTH = {"description": "a length: number (pt) or text with unit, e.g. 25mm, 9.5pt",
          "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?\s*(mm|cm|pt|in)?\s*" + END}]}
SIZE = {"description": "type size: pt, '9.5pt', '3mm' or a 字号 name (小五, 五号, 小初 …)",
        "oneOf": [{"type": "number"}, {"type": "string"}]}
COLOR = {"description": "cmyk(0,100,100,0), [c,m,y,k] in %, gray(60), a palette name, or #rrggbb (converted, with a warning)",
         "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
                   {"type": "object", "additionalProperties": False,
                    "properties": {k: {"type": "number"} for k in "cmyk"}}]}
# Free text is capped at what a newspaper could use (a 300,000-character editor name was accepted);
# captions may run to a paragraph.
MAX_TEXT = 200
TEXT = {"type": "string", "maxLength": MAX_TEXT}
CAPTION = {"type": "string", "maxLength": 1000}
RANGE = {"description": "grid position: a number (column 3) or a range '1-5'",
         "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^\s*\d+\s*(-\s*\d+\s*)?" + END}]}


def _obj(props: dict, required=(), description: str = "") -> dict:
    schema = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


STYLE = _obj({
    "font": {"type": "string", "description": "font role from fonts/fonts.yaml: shusong 书宋, biaosong 标宋, hei 黑体, kai 楷体, fangsong 仿宋"},
    "size": SIZE,
    "leading": {"description": "line pitch: pt/mm length, or a factor of the size (1.5)", "oneOf": [{"type": "number"}, {"type": "string"}]},
    "align": {"enum": ["left", "center", "right", "justify"]},
    "tracking": {"type": "number", "minimum": -0.2, "maximum": 1.0,
                 "description": "extra space between characters, in em (-0.2 … 1; below -0.2 glyphs overprint)"},
    "color": COLOR,
    "bold": {"type": "number", "minimum": 0, "maximum": 0.1, "description": "artificial bold stroke width in em (0.02 is typical)"},
    "scale_min": {"type": "number", "minimum": 0.5, "maximum": 1, "description": "headline fit: smallest size factor allowed"},
    "hanging": {"type": "boolean", "description": "行末悬挂: 、，。 may hang past the column edge"},
    "trim_opening": {"type": "boolean", "description": "an opening bracket at a line start loses its left blank"},
    "needs_byline": {"type": "boolean", "description": "stories in this style want a byline: `paiban check` warns when one has none"},
}, description="a named text style")

# the style names the composer uses (any other name may be defined and named by a block's style:)
STYLE_NAMES = {
    "body": "正文: body text; its size and leading set the grid", "kicker": "引题", "headline": "主题",
    "subhead": "副题", "caption": "图片说明", "byline": "署名", "running_head": "报眉", "folio": "版次 line",
    "imprint": "imprint lines", "masthead": "报头 title", "masthead_info": "报头 small print",
    "crosshead": "小标题 in copy (## ); default: 黑体 at the body size, centred",
    "strong": "**bold** in copy and table headers; default: 黑体 at the text's size",
    "emphasis": "*楷体* emphasis in copy; default: 楷体 at the text's size",
    "quote": "引语 in copy (> ); default: 楷体, 1.2 × the body size",
    "table": "table cells in copy; default: the body style",
    "index": "导读 entry titles; default: 黑体 at the body size",
    "index_head": "导读 heading; default: 黑体, 1.5 × the body size",
}

GRID_PLACE = {
    "col": RANGE, "span": {"type": "integer", "minimum": 1},
    "line": RANGE, "depth": {"type": "integer", "minimum": 1},
    "x": LENGTH, "y": LENGTH, "width": LENGTH, "height": LENGTH,
}

REGION = _obj(dict(GRID_PLACE), description="a rectangle of the grid: col/span and line/depth, or x/y/width/height in mm")

GRID_KEYS = {
    "columns": {"type": "integer", "minimum": 1, "maximum": 24},
    "column_chars": {"type": "integer", "minimum": 2, "maximum": 80, "description": "body characters per column line"},
    "gutter_chars": {"type": "number", "minimum": 0, "maximum": 10},
    "lines": {"type": "integer", "minimum": 1, "maximum": 400, "description": "body lines per column (背景格)"},
    "style": {"type": "string", "description": "the text style whose size and leading define the grid"},
}

PUBLICATION = _obj({
    "name": TEXT,
    "code": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}" + END, "description": "used in file names (CQZXB)"},
    "cn": {"type": "string", "pattern": r"^CN\d{2}-\d{4}(/[A-Z0-9.]{1,20})?" + END, "description": "国内统一刊号, e.g. CN50-0064"},
    "publisher": TEXT,
    "imprint": {"type": "array", "items": TEXT, "description": "imprint lines (主办单位, 地址, 邮编 …)"},
    "wechat": {"type": "string", "description": "微信公众平台 account, shown by the digital edition"},
    "icp": {"type": "string", "description": "备案号 (ICP licence) in the digital edition's footer"},
    "trim": {"type": "array", "items": LENGTH, "minItems": 2, "maxItems": 2, "description": "trimmed page [width, height]"},
    "bleed": LENGTH,
    "margins": _obj({"top": LENGTH, "left": LENGTH}, description="top-left of the type area; default: centred"),
    "grid": _obj(GRID_KEYS, required=["columns", "column_chars", "lines"]),
    "punctuation": {"enum": ["quanjiao", "kaiming", "banjiao"]},
    "line_breaking": {"enum": ["basic", "strict"], "description": "clreq strict also keeps ——/…… off line starts"},
    "pdfx": {"enum": ["PDF/X-1a:2001", "PDF/X-4"]},
    "ink_limit": {"type": "number", "minimum": 150, "maximum": 400},
    "min_ppi": {"type": "number", "minimum": 50},
    "profile": {"type": "string", "description": "press ICC profile file (default: the CGATS TR 002 newsprint profile)"},
    "colors": {"type": "object", "additionalProperties": COLOR, "description": "named palette"},
    "styles": {"type": "object", "additionalProperties": {"$ref": "#/$defs/style"}, "properties": {
        name: {"$ref": "#/$defs/style", "description": what} for name, what in STYLE_NAMES.items()}},
    "templates": {"type": "object", "additionalProperties": _obj({
        "running_head": _obj({"left": TEXT, "center": TEXT, "right": TEXT, "style": TEXT,
                              "rule": {"type": "number", "description": "rule width below, pt"}},
                             description="报眉: fields {paper} {date} {weekday} {page} {section} {editors}"),
        "column_rules": {"type": "boolean", "description": "栏线 between text columns"},
        "imprint": {"type": "boolean", "description": "set the imprint lines at the foot of the type area"},
        "folio": {"type": "boolean"},
        "grid": _obj(GRID_KEYS, description="the section's own grid: each key over the publication's "
                                            "(e.g. columns: 6, column_chars: 16 for a 理论 page)"),
        "margins": _obj({"top": LENGTH, "left": LENGTH}, description="the section grid's top-left; default: centred"),
        "styles": {"type": "object", "additionalProperties": {"$ref": "#/$defs/style"},
                   "description": "the section's styles: each key over the publication's style of that name"},
    })},
    "marks": {"type": "boolean", "description": "crop and registration marks in print files"},
    "ads_scale": {"type": "boolean", "description": "advertisements may be scaled to fit their space (default: never)"},
}, required=["name", "code", "grid", "styles"])
PUBLICATION["$defs"] = {"style": STYLE}

EDITORS = _obj({"responsible": TEXT, "art": TEXT, "proof": TEXT, "entry": TEXT},
               description="责任编辑 responsible, 美术编辑 art, 校对 proof, 录入 entry (the digital edition shows 录入 and 责任编辑)")

ISSUE = _obj({
    "date": {"type": "string", "format": "date"},
    "number": {"type": "integer", "minimum": 1, "description": "期号"},
    "serial": {"type": "integer", "minimum": 1, "description": "总期号"},
    "publication": {"type": "string", "description": "path to publication.yaml (default: this folder, then its parent)"},
    "pages": {"type": "array", "minItems": 1, "items": _obj({
        "page": {"type": "string", "pattern": r"^\d{1,3}" + END, "description": "版次, e.g. '04'"},
        "file": {"type": "string"},
        "section": TEXT,
        "editors": EDITORS,
        "mono": {"type": "boolean", "description": "黑白版: black-and-white page"},
    }, required=["page", "file"])},
}, required=["date", "pages"])

HEADLINE = _obj({
    "type": {"const": "headline"}, "id": TEXT, "story": TEXT,
    "kicker": TEXT, "main": TEXT, "subhead": TEXT,
    "align": {"enum": ["left", "center", "right"]},
    "size": dict(SIZE, description="main line size for this headline (overrides the headline style)"),
    "vertical": {"type": "boolean", "description": "竖排 headline"},
    **GRID_PLACE,
}, required=["type", "main"])
STORY = _obj({
    "type": {"const": "story"}, "id": TEXT, "copy": TEXT, "byline": TEXT,
    "area": {"type": "array", "items": REGION, "minItems": 1,
             "description": "regions in reading order; several make an L shape"},
    "continues": _obj({"page": {"type": "string", "pattern": r"^\d{1,3}" + END}, "story": TEXT},
                      description="转版: what does not fit continues on that page, ending here with (下转第X版)"),
    "continued": _obj({"page": {"type": "string", "pattern": r"^\d{1,3}" + END}, "story": TEXT}, required=["page", "story"],
                      description="转版: this story carries on the text of that page's story, under (上接第X版)"),
    "style": TEXT,
    **GRID_PLACE,
}, required=["type", "id"])
PHOTO = _obj({
    "type": {"const": "photo"}, "id": TEXT, "story": TEXT, "file": TEXT,
    "caption": CAPTION, "credit": TEXT,
    "fit": {"enum": ["fill", "fit"]},
    "focus": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 2, "maxItems": 2},
    **GRID_PLACE,
}, required=["type", "file"])
RULE = _obj({"type": {"const": "rule"}, "id": TEXT, "weight": LENGTH, "color": COLOR,
             "direction": {"enum": ["horizontal", "vertical"]}, **GRID_PLACE}, required=["type"])
BOX = _obj({"type": {"const": "box"}, "id": TEXT, "weight": LENGTH, "color": COLOR, "fill": COLOR,
            "tint": {"type": "number", "minimum": 0, "maximum": 100,
                     "description": "fill with this percentage of the frame colour (when no fill: is given)"},
            "frame": {"enum": ["single", "double", "thick-thin", "dotted", "none"],
                      "description": "frame style: single, double, thick-thin (文武线), dotted, or none"},
            "padding": {"description": "inner margin on the grid: a number (characters left/right and lines "
                                       "top/bottom), or {chars: 1.5, lines: 1}",
                        "oneOf": [{"type": "integer", "minimum": 0, "maximum": 10},
                                  _obj({"chars": {"type": "number", "minimum": 0, "maximum": 10},
                                        "lines": {"type": "integer", "minimum": 0, "maximum": 10}})]},
            "ornament": {"enum": ["dots", "diamonds", "stars", "squares", "checker"],
                         "description": "花边 along the inside of the frame (give padding of 2 or more)"},
            **GRID_PLACE}, required=["type"])
AD = _obj({"type": {"const": "ad"}, "id": TEXT, "file": {"type": "string", "description": "the advertiser's PDF (page 1 is placed)"},
           "advertiser": TEXT,
           "label": {"type": "string", "description": "the mark that tells readers this is an advertisement "
                                                      "(广告法: ads must be identifiable); default 广告, \"\" for none"},
           **GRID_PLACE}, required=["type", "file"])
MASTHEAD = _obj({"type": {"const": "masthead"}, "id": TEXT, "title": TEXT,
                 "logo": dict(TEXT, description="报头 artwork: a vector PDF (page 1, CMYK, checked like an "
                                                "ad) or a high-resolution image, instead of the typeset title"),
                 **GRID_PLACE}, required=["type"])
INDEX = _obj({"type": {"const": "index"}, "id": TEXT,
              "title": dict(TEXT, description="the heading (default 导读; \"\" for none)"),
              "items": {"type": "array", "minItems": 1, "description": "the stories pointed at, in order",
                        "items": _obj({"story": dict(TEXT, description="a story's id on another page"),
                                       "page": {"type": "string", "pattern": r"^\d{1,3}" + END,
                                                "description": "only when two pages have a story of that id"},
                                       "title": dict(TEXT, description="default: the story's headline"),
                                       "summary": dict(TEXT, description="提要: a line or two")},
                                      required=["story"])},
              **GRID_PLACE}, required=["type", "items"], description="导读: pointers to stories on other pages")
BLOCK_TYPES = {"headline": HEADLINE, "story": STORY, "photo": PHOTO, "rule": RULE, "box": BOX, "masthead": MASTHEAD,
               "ad": AD, "index": INDEX}

PAGE = _obj({
    "template": TEXT,
    "blocks": {"type": "array", "items": {"type": "object", "required": ["type"],
                                           "properties": {"type": {"enum": list(BLOCK_TYPES)}}}},
}, required=["blocks"])

SCHEMAS = {"publication": PUBLICATION, "issue": ISSUE, "page": PAGE}


def published(kind: str) -> dict:
    """The schema as written to schema/<kind>.schema.json (page blocks as a tagged union)."""
    schema = json.loads(json.dumps(SCHEMAS[kind]))
    if kind == "page":
        schema["properties"]["blocks"]["items"] = {
            "oneOf": [json.loads(json.dumps(s)) for s in BLOCK_TYPES.values()]}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://paiban.example/schema/{kind}.schema.json"
    schema["title"] = f"paiban {kind} definition"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in SCHEMAS:
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(published(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out


def _locate(doc, path) -> tuple:
    """Follow a jsonschema error path into the YAML tree: (container, key) of the deepest node."""
    container, key = None, None
    node = doc
    for step in path:
        container, key = node, step
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return container, key


def _message(error, doc) -> InputError:
    container, key = _locate(doc, error.absolute_path)
    where = where_of(container, key) if container is not None else getattr(doc, "where", None)
    dotted = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        node = doc
        for step in error.absolute_path:
            node = node[step]
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in node if k not in allowed]
        bad = extra[0] if extra else "?"
        if isinstance(node, YMap) and bad in node.key_where:
            where = node.key_where[bad]
        near = difflib.get_close_matches(bad, allowed, n=1, cutoff=0.5)
        hint = _("did you mean '{near}'?", near=near[0]) if near else _("allowed here: {keys}", keys=", ".join(allowed))
        return InputError(_("unknown key '{bad}' in {dotted}", bad=bad, dotted=dotted), where, hint)
    if error.validator == "required":
        return InputError(_('{dotted}: {message}', dotted=dotted, message=error.message.replace(' is a required property', ' is required')), where,
                          _('add it (see docs/definitions.md)'))
    if error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        near = difflib.get_close_matches(str(error.instance), [str(c) for c in error.validator_value], n=1)
        return InputError(_('{dotted}: {value} is not one of: {choices}', dotted=dotted, value=_short(error.instance), choices=choices), where,
                          _("did you mean '{near}'?", near=near[0]) if near else _("use one of the values listed"))
    if error.validator in ("type", "oneOf", "pattern"):
        desc = error.schema.get("description") or _(_TYPE_NAMES.get(str(error.schema.get("type")), "")) \
            or _("a different value")
        hint = _("see docs/definitions.md")
        if isinstance(error.instance, (int, float)) and not isinstance(error.instance, bool) \
                and error.schema.get("type") == "string":
            hint = _("quote it (\"04\"): YAML reads unquoted digits as a number")
        elif isinstance(error.instance, bool) and error.schema.get("type") == "string":
            hint = _("quote it: YAML reads yes/no/on/off/true/false unquoted as true or false")
        return InputError(_('{dotted}: {value} is not valid here; expected {desc}', dotted=dotted, value=_short(error.instance), desc=desc), where, hint)
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return InputError(_("{dotted} has {count:,} characters; at most {limit:,}", dotted=dotted,
                            count=len(error.instance), limit=error.validator_value),
                          where, _("shorten it (long text belongs in a copy file)"))
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems"):
        return InputError(_('{dotted}: {message}', dotted=dotted, message=error.message), where, _('see docs/definitions.md for the allowed range'))
    return InputError(_('{dotted}: {message}', dotted=dotted, message=error.message), where, _('see docs/definitions.md'))


_TYPE_NAMES = {"object": N_("a mapping of keys (key: value lines)"), "array": N_("a list (lines starting with '- ')"),
               "string": N_("text"), "integer": N_("a whole number"), "number": N_("a number"),
               "boolean": N_("true or false")}


def _short(value) -> str:
    """A value for a message: never the whole of a long list or mapping."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


# Validators built once: the schemas are constants, and building one costs more than using it.
VALIDATORS = {kind: jsonschema.Draft202012Validator(s) for kind, s in {**SCHEMAS, **BLOCK_TYPES}.items()}


def validate(doc, kind: str) -> None:
    """Raise InputError for the first problem (in document order) in a loaded YAML tree."""
    if not isinstance(doc, YMap):
        raise InputError(_('a {kind} file must be a mapping of keys (key: value lines), not {value}', kind=kind, value='a list' if isinstance(doc, list) else 'a single value'),
                         getattr(doc, "where", None), _('see docs/definitions.md for what belongs here'))
    errors = list(VALIDATORS[kind].iter_errors(doc))
    if kind == "page" and not errors and isinstance(doc.get("blocks"), list):
        blocks = doc["blocks"]
        for i, block in enumerate(blocks):
            sub = VALIDATORS[block["type"]]
            for err in sub.iter_errors(block):
                err.path.appendleft(i)
                err.path.appendleft("blocks")
                errors.append(err)
    if not errors:
        return

    def order(err):
        container, key = _locate(doc, err.absolute_path)
        w = where_of(container, key) if container is not None else None
        return (w.line, w.column) if w else (0, 0)

    # the most specific error of the earliest place
    errors.sort(key=lambda e: (order(e), -len(e.absolute_path)))
    first = errors[0]
    if first.context:  # oneOf: report the branch that got furthest
        first = max(first.context, key=lambda e: len(e.absolute_path))
        if first.validator not in ("additionalProperties",):
            first = errors[0]
    raise _message(first, doc)
