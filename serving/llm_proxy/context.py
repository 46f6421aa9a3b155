"""Structural context for the proxy's walk: what a string means by where it sits in the request.

The walk masks every string of a request on its own, so a value whose only label is its JSON key
(`{"password": "..."}`), a sibling field (`{"name": "DB_PASSWORD", "value": "..."}`), the element before it
(`["--password", "..."]`) or the text block before it (`"비밀번호:"` then `"..."`) would go out in clear, while the
gateway masks the same JSON or text pasted as one text. This module gives the detectors that context back, with
their own vocabulary (no second list of labels here):

- each object of user data (tool inputs, metadata, schema values) is also read as the JSON line the gateway would
  see, `{"key": "value", ...}`, its short strings in place; a `name`/`key` sibling is read as the label of the
  `value` beside it (`{"DB_PASSWORD": "..."}`), a schema property's name as the label of its `default`, `const`,
  `enum` and `examples`, and an array of strings as the command line it spells (`--password ...`). All those
  readings of a request are one text, scanned once; what the detectors find in it is masked in the strings;
- consecutive text blocks of one content list (a message, a tool result, the system prompt) and the parts of a
  document block (title, context, text source) are one text to the model: they are masked as one, joined by line
  breaks, and cut back into the blocks by offsets (a value split across two blocks is masked in both).
- consecutive messages are read across their boundary as the gateway's policy reads a conversation
  (`bidradar.masking.turns`): the end of the earlier messages' texts, then the start of the next one's; a value
  told over several messages (`카드번호 9410-4453`, `네 계속`, `2977-3099`) is masked in every message that holds a
  piece of it, the earlier ones too (they are in the request again).

A value found under a secret-named key is the whole string (a structured field holds nothing else): a credential
found at the start of such a value covers it to its end (`{"password": "correct horse battery"}`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bidradar.masking import Masker
from bidradar.masking import detect as d
from bidradar.masking.turns import KEPT, across

# A place of a string in the request: (id of its container, key or index). The container is the dict or list
# object of the parsed body, alive for the whole walk.
Place = tuple[int, Any]
Span = tuple[int, int, str]  # start, end (in the string), kind

# Strings longer than this are not read in context: a label names a short value; long ones (file contents, code)
# carry their own labels and are masked as texts.
_MAX_CONTEXT_CHARS = 256
# Structural names of a name/value pair (Kubernetes env, ECS, CloudFormation, GitHub and AWS APIs), compared
# lower-cased without `_`/`-`. These say which sibling labels which; the detectors say whether the label is secret.
_NAME_FIELDS = frozenset(
    {"name", "key", "parameterkey", "parametername", "optionname", "variable", "header", "field", "type", "label"}
    | {"param", "parameter", "property", "attribute", "setting", "option"}
)
_VALUE_FIELDS = frozenset(
    {"value", "val", "parametervalue", "defaultvalue", "secretvalue", "default", "data", "plain", "plaintext", "text"}
    | {"secretstring", "string", "content"}
)
# A Kubernetes Secret: every value under its `data` / `stringData` is secret, whatever its key.
_SECRET_KIND = "Secret"
_SECRET_DATA = ("data", "stringData")
_SCHEMA_VALUES = ("default", "const", "enum", "examples", "example")
_SCHEMA_NESTED = ("properties", "patternProperties", "$defs", "definitions")
_SCHEMA_SUB = ("items", "additionalProperties", "not", "anyOf", "oneOf", "allOf", "prefixItems")
# What a reading puts in place of a character that would end a JSON string or a line (same length: offsets stay).
_BREAKERS = str.maketrans({c: " " for c in '"\\' + "".join(map(chr, range(32))) + "\x7f"})
_BLOCK_JOINER = "\n"  # adjacent blocks: a line break, which the detectors read across as they do in one text


@dataclass
class _Reading:
    """Texts built from the request, with where each string of the request sits in them."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    # (start in the reading, end, place, whole): `whole` marks a structured value (a credential at its start
    # covers it to its end).
    occurrences: list[tuple[int, int, Place, bool]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def add_string(self, value: str, place: Place, whole: bool) -> None:
        self.occurrences.append((self.length, self.length + len(value), place, whole))
        self.add(value)


@dataclass
class ContextSpans:
    """Per place: spans found with context, to mask in that string besides what it shows on its own
    (`extra`), or instead of its own detection because its whole context was scanned (`joined`)."""

    extra: dict[Place, list[Span]] = field(default_factory=lambda: defaultdict(list))
    joined: dict[Place, list[Span]] = field(default_factory=dict)


def context_spans(body: dict[str, Any], masker: Masker) -> ContextSpans:
    """The spans the detectors find in the request's strings when each is read with its structural context."""
    out = ContextSpans()
    structures = _Reading()
    runs: list[_Reading] = []
    _collect_api(body, structures, runs, 0)
    if structures.occurrences:
        for place, spans in _scan(masker, structures).items():
            out.extra[place].extend(spans)
    for run in runs:
        found = _scan(masker, run)
        for _, _, place, _ in run.occurrences:
            out.joined[place] = found.get(place, [])
    messages = body.get("messages")
    if isinstance(messages, list):
        _across_messages(messages, masker, out)
    return out


def _across_messages(messages: list[Any], masker: Masker, out: ContextSpans) -> None:
    """Pieces of values told over consecutive messages (turns.py), added to the strings that hold them. Each
    boundary between a message that ends with text and one that starts with text is read once, in a short window."""
    ends: list[tuple[str, Place] | None] = []  # per message: its last text (None: it ends with another block)
    for k, message in enumerate(messages):
        first, last = _message_texts(message)
        if first is not None and k > 0:
            earlier: list[tuple[str, Place]] = []
            for end in reversed(ends[max(0, k - KEPT) :]):
                if end is None:
                    break
                earlier.insert(0, end)
            if earlier:
                places = [place for _, place in earlier] + [first[1]]
                for piece in across(masker.detect, [text for text, _ in earlier], first[0]):
                    out.extra[places[piece.index]].append((piece.start, piece.end, piece.kind))
        ends.append(last)


def _message_texts(message: Any) -> tuple[tuple[str, Place] | None, tuple[str, Place] | None]:
    """(first text, last text) of a message with their places: its string content, or its first and last blocks
    when they are text blocks."""
    if not isinstance(message, dict):
        return None, None
    content = message.get("content")
    if isinstance(content, str):
        return (content, (id(message), "content")), (content, (id(message), "content"))
    if not isinstance(content, list) or not content:
        return None, None
    return _text_block(content[0]), _text_block(content[-1])


def _text_block(block: Any) -> tuple[str, Place] | None:
    if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
        return block["text"], (id(block), "text")
    return None


def _scan(masker: Masker, reading: _Reading) -> dict[Place, list[Span]]:
    """Detections in the reading, cut into the strings they overlap (spans relative to each string)."""
    text = "".join(reading.parts)
    detections = masker.detect(text)
    found: dict[Place, list[Span]] = defaultdict(list)
    if not detections:
        return found
    occurrences = sorted(reading.occurrences)
    i = 0
    for det in detections:
        while i < len(occurrences) and occurrences[i][1] <= det.start:
            i += 1
        j = i
        while j < len(occurrences) and occurrences[j][0] < det.end:
            start, end, place, whole = occurrences[j]
            cut_start, cut_end = max(det.start, start), min(det.end, end)
            if cut_start < cut_end:
                if whole and det.kind == d.CREDENTIAL and cut_start == start:
                    cut_end = end
                found[place].append((cut_start - start, cut_end - start, det.kind))
            j += 1
    return found


# --- the pre-pass: the same dispatch as the walk (api objects, user data, schemas) -----------------------------


def _collect_api(value: Any, structures: _Reading, runs: list[_Reading], depth: int) -> None:
    if depth > 200:
        return  # the walk refuses it
    if isinstance(value, list):
        _block_runs(value, runs)
        for item in value:
            _collect_api(item, structures, runs, depth + 1)
        return
    if not isinstance(value, dict):
        return
    if value.get("type") == "document":
        _document(value, runs)
    elif "type" not in value:  # not a block: tool definitions, their input examples, unknown fields' objects
        _object_reading(value, structures)
    for name, item in value.items():
        if name in ("input_schema", "schema") and isinstance(item, dict):
            _collect_schema(item, structures, depth + 1)
        elif name in ("input", "metadata", "content") and isinstance(item, dict):
            _collect_data(item, structures, depth + 1)
        elif isinstance(item, list | dict):
            _collect_api(item, structures, runs, depth + 1)


def _collect_data(value: Any, structures: _Reading, depth: int) -> None:
    if depth > 200:
        return
    if isinstance(value, dict):
        _object_reading(value, structures)
        _parent_labels(value, structures)
        items = value.values()
    elif isinstance(value, list):
        _pair_reading(value, structures)
        items = value
    else:
        return
    for item in items:
        if isinstance(item, dict | list):
            _collect_data(item, structures, depth + 1)


def _collect_schema(value: Any, structures: _Reading, depth: int) -> None:
    if depth > 200:
        return
    if isinstance(value, list):
        for item in value:
            _collect_schema(item, structures, depth + 1)
        return
    if not isinstance(value, dict):
        return
    for name, item in value.items():
        if name in _SCHEMA_NESTED and isinstance(item, dict):
            for prop, sub in item.items():
                if isinstance(sub, dict):
                    _property_reading(prop, sub, structures)
                    _collect_schema(sub, structures, depth + 1)
        elif name in _SCHEMA_SUB:
            _collect_schema(item, structures, depth + 1)
        elif name != "type":
            _collect_data(item, structures, depth + 1)


# --- readings ----------------------------------------------------------------------------------------------------


def _short(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_CONTEXT_CHARS


def identifier_number(value: Any) -> bool:
    """A JSON integer long enough to be an identifier (`{"account_no": 110123456789}`): read and masked as the
    digits it is written with. Shorter ones (counts, limits, ports) are left as numbers."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 100_000


def _as_text(value: Any) -> Any:
    """An identifier number as the digits it is written with; any other value as it is."""
    return str(value) if identifier_number(value) else value


def _label(name: str) -> str:
    return name.translate(_BREAKERS)


def _object_reading(obj: dict[str, Any], reading: _Reading) -> None:
    """`{"key": "value", "list": ["a", "b"]}` as the gateway would read it, then `key: a b` for each list of
    strings (a command line) and `{"<name>": "<value>"}` for a name/value pair."""
    entries = [(k, _as_text(v)) for k, v in obj.items() if isinstance(k, str) and (_short(_as_text(v)) or _strings(v))]
    if not entries:
        return
    reading.add("{")
    for i, (name, value) in enumerate(entries):
        reading.add(f'{", " if i else ""}"{_label(name)}": ')
        if isinstance(value, str):
            reading.add('"')
            reading.add_string(value.translate(_BREAKERS), (id(obj), name), True)
            reading.add('"')
        else:
            reading.add("[")
            for j, element in enumerate(value):
                reading.add(f'{", " if j else ""}"')
                if _short(element):
                    reading.add_string(element.translate(_BREAKERS), (id(value), j), True)
                reading.add('"')
            reading.add("]")
    reading.add("}\n\n")
    for name, value in entries:
        if isinstance(value, list):  # the command line the array spells
            reading.add(f"{_label(name)}: ")
            for j, element in enumerate(value):
                if _short(element):
                    reading.add_string(element.translate(_BREAKERS), (id(value), j), False)
                reading.add(" ")
            reading.add("\n\n")
    label, value_field = _name_value_pair(obj)
    if label is not None and value_field is not None:
        _labelled(label, obj[value_field], (id(obj), value_field), reading)


def _parent_labels(obj: dict[str, Any], reading: _Reading) -> None:
    """A key labels the value of the object under it when that object holds one string, or holds it under a value
    field (`{"PASSWORD": {"value": ...}}`, `{"password": {"plain": ...}}`); every string under a Kubernetes
    Secret's `data`/`stringData` is read under a password label."""
    secret_object = obj.get("kind") == _SECRET_KIND
    for name, child in obj.items():
        if not (isinstance(name, str) and isinstance(child, dict)):
            continue
        if secret_object and name in _SECRET_DATA:
            for key, value in child.items():
                if _short(value):
                    _labelled(f"{name}.password", value, (id(child), key), reading)
            continue
        strings = [(k, v) for k, v in child.items() if _short(v)]
        for key, value in strings:
            if len(strings) == 1 or (isinstance(key, str) and _folded(key) in _VALUE_FIELDS):
                _labelled(name, value, (id(child), key), reading)


def _pair_reading(items: list[Any], reading: _Reading) -> None:
    """A list of two strings is a (name, value) pair when it stands among pairs or alone: `[["password", ...]]`."""
    if len(items) == 2 and all(_short(v) for v in items):
        _labelled(items[0], items[1], (id(items), 1), reading)


def _labelled(label: str, value: str, place: Place, reading: _Reading) -> None:
    reading.add(f'{{"{_label(label)}": "')
    reading.add_string(value.translate(_BREAKERS), place, True)
    reading.add('"}\n\n')


def _folded(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and 0 < len(value) <= 64 and all(isinstance(v, str) for v in value)


def _name_value_pair(obj: dict[str, Any]) -> tuple[str | None, str | None]:
    label = value_field = None
    for name, value in obj.items():
        if not isinstance(name, str):
            continue
        folded = _folded(name)
        if folded in _NAME_FIELDS and _short(value):
            label = value
        elif folded in _VALUE_FIELDS and _short(value):
            value_field = name
    return label, value_field


def _property_reading(prop: Any, sub: dict[str, Any], reading: _Reading) -> None:
    """A schema property's values (`default`, `examples` ...) read under the property's name."""
    if not isinstance(prop, str):
        return
    for name in _SCHEMA_VALUES:
        value = sub.get(name)
        places = [((id(sub), name), _as_text(value))] if _short(_as_text(value)) else []
        if isinstance(value, list):
            places = [((id(value), j), _as_text(v)) for j, v in enumerate(value) if _short(_as_text(v))]
        for place, text in places:
            _labelled(prop, text, place, reading)


def _block_runs(blocks: list[Any], runs: list[_Reading]) -> None:
    """Runs of two or more consecutive text blocks: one reading each, the blocks joined by line breaks."""
    run: list[dict[str, Any]] = []
    for block in [*blocks, None]:
        if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
            run.append(block)
            continue
        if len(run) >= 2:
            reading = _Reading()
            for i, text_block in enumerate(run):
                if i:
                    reading.add(_BLOCK_JOINER)
                reading.add_string(text_block["text"], (id(text_block), "text"), False)
            runs.append(reading)
        run = []


def _document(block: dict[str, Any], runs: list[_Reading]) -> None:
    """A document's title, context and text source: one text (the context is read before and after the text)."""
    source = block.get("source")
    parts: list[tuple[str, Place]] = []
    for name in ("title", "context"):
        if isinstance(block.get(name), str):
            parts.append((block[name], (id(block), name)))
    if isinstance(source, dict) and source.get("type") == "text" and isinstance(source.get("data"), str):
        parts.append((source["data"], (id(source), "data")))
        if isinstance(block.get("context"), str):
            parts.append((block["context"], (id(block), "context")))
    if len(parts) < 2:
        return
    reading = _Reading()
    for i, (text, place) in enumerate(parts):
        if i:
            reading.add(_BLOCK_JOINER)
        reading.add_string(text, place, False)
    runs.append(reading)
