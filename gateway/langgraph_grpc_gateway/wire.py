"""Protobuf wire bytes written by hand, for the messages sent once per event or per run. Pure.

The gateway's busiest messages are a stream's event (StreamRunResponse, JoinStreamResponse and
JoinThreadStreamResponse share its fields 1-6) and WaitRun's answer. Building them as message
objects means a protobuf object per JSON node, filled field by field, and then serialized; writing
their bytes directly from the parsed JSON does the same in one pass, and grpc sends the bytes as
they are (calls.Calls lets a method hand over bytes instead of a message). A client cannot tell:
tests/unit/test_wire.py checks that each form decodes to the message the objects would make.

A JSON value becomes a google.protobuf.Value, as json_format would make it: an object a Struct
(its keys in the JSON's order), an array a ListValue, null NULL_VALUE, a number a double.

    wire.value({"a": [1, "x"]})                        # a Value's bytes
    wire.event(ServerSentEvent("updates", b"{}"), raw=False)
"""

from __future__ import annotations

import struct
from typing import Any, Final, TypeVar

import orjson

from .jsonvalue import JSON
from .sse import ServerSentEvent

# The module is compiled with mypyc (pyproject.toml): a Final name is a constant in C, where
# another name is looked up in the module's dictionary each time it is read. The memos are
# Final too: emptied, never replaced.

# Varints up to 2**14 (every length below 16 KiB) from a table: most lengths here are small.
_VARINTS: Final = [bytes([n]) if n < 0x80 else bytes([(n & 0x7F) | 0x80, n >> 7]) for n in range(1 << 14)]
_double: Final = struct.Struct("<d").pack

# Tags (field number << 3 | wire type) of google.protobuf.Value, Struct and ListValue.
_NULL: Final = b"\x08\x00"
_NUMBER: Final = b"\x11"
_STRING: Final = b"\x1a"
_TRUE: Final = b"\x20\x01"
_FALSE: Final = b"\x20\x00"
_STRUCT: Final = b"\x2a"
_LIST: Final = b"\x32"
# Struct.fields, its entry's key, ListValue.values: all field 1
_ENTRY: Final = b"\x0a"
_KEY: Final = b"\x0a"
_ITEM: Final = b"\x0a"
_ENTRY_VALUE: Final = b"\x12"


def varint(number: int) -> bytes:
    if number < 1 << 14:
        return _VARINTS[number]
    out = bytearray()
    while number > 0x7F:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def delimited(tag: bytes, payload: bytes) -> bytes:
    """A length-delimited field (string, bytes, message) with its tag."""
    return tag + varint(len(payload)) + payload


# Memos of what events repeat: Struct keys (their field: tag, length, UTF-8), short string
# Values, and whole entries of a key and a string, null, {} or [] (a token stream repeats its
# metadata, ids included, and its chunks' empty fields in every event). Each is emptied when
# full, so that what a long-lived process keeps is what its recent events repeat, in bounded
# memory.
_KEYS: Final[dict[str, bytes]] = {}
_STRINGS: Final[dict[str, bytes]] = {}
_ENTRIES: Final[dict[tuple[str, str | type], bytes]] = {}
_SHORT: Final = 32
_LONG: Final = 64
_KEPT: Final = 4096
# And whole objects of many entries, keyed by their JSON as orjson writes it (about 1 us a KiB,
# in C): a token stream's `messages-tuple` events repeat the same kilobyte of metadata with every
# token, and a `values` stream repeats the messages already sent. Only objects whose JSON is at
# most _OBJECT_BYTES are kept, and at most _KEPT_OBJECTS of them in each of two memos: a few MiB
# at worst. An object seen once waits in _FRESH; seen again, it moves to _OBJECTS. So a token's
# own chunk, new with every event, only ever churns _FRESH, and never pushes out the metadata
# that repeats.
_FRESH: Final[dict[bytes, bytes]] = {}
_OBJECTS: Final[dict[bytes, bytes]] = {}
_MANY: Final = 8
_OBJECT_BYTES: Final = 8192
_KEPT_OBJECTS: Final = 256


Kept = TypeVar("Kept")


def right_sized(written: bytes) -> bytes:
    """orjson's output as a bytes object of its own length. orjson writes into a buffer of at
    least 4 KiB, rounded up to a power of two, and hands that buffer over as the bytes, never
    shrunk: whatever is kept for long (a request body for its stream's life, a memo's key) is
    copied first, which costs a memcpy and gives the rest back."""
    return bytes(memoryview(written))


def _kept(memo: dict[Any, Kept], key: Any, encoded: Kept, limit: int = _KEPT) -> Kept:
    if len(memo) >= limit:
        memo.clear()
    memo[key] = encoded
    return encoded


def value(obj: JSON) -> bytes:
    """A JSON value (as json.loads gives it) as a google.protobuf.Value's bytes.

    Raises UnicodeEncodeError for a string protobuf cannot carry (a lone surrogate, which JSON's
    \\ud800 escapes can make), OverflowError for an integer beyond a double, and, where this
    module runs as Python, RecursionError past Python's depth (compiled, it writes any depth
    orjson reads: 1,024 levels); the callers say which upstream answer it was."""
    kind = type(obj)
    # Ordered by how often each shape occurs in LangGraph events.
    if kind is str:
        found = _STRINGS.get(obj)
        if found is not None:
            return found
        data: bytes = obj.encode()
        encoded = _STRING + varint(len(data)) + data
        return _kept(_STRINGS, obj, encoded) if len(obj) <= _SHORT else encoded
    if kind is dict:
        return _struct(obj) if len(obj) < _MANY else _remembered_struct(obj)
    if kind is list:
        items = b"".join([delimited(_ITEM, value(item)) for item in obj])
        return _LIST + varint(len(items)) + items
    if obj is None:
        return _NULL
    if kind is bool:
        return _TRUE if obj else _FALSE
    return _NUMBER + _double(obj)


def _struct(obj: dict[str, JSON]) -> bytes:
    return _struct_value(fields(obj))


def _struct_value(entries: bytes) -> bytes:
    """A Struct Value of entries already written (fields, fields_like)."""
    return _STRUCT + varint(len(entries)) + entries


def fields(obj: dict[str, JSON]) -> bytes:
    """An object's entries, as a Struct's fields (without the Struct's own tag and length)."""
    return b"".join([entry(key, item) for key, item in obj.items()])


def entry(key: str, item: JSON) -> bytes:
    """One entry as a Struct's field: fields({key: item})."""
    kind = type(item)
    memo_key: tuple[str, str | type]
    if kind is str and len(item) <= _LONG:
        memo_key = (key, item)
    elif not item and (item is None or kind is dict or kind is list):
        # null, {} and []: a message's empty fields ("name": null, "tool_calls": []), in every
        # chunk of a token stream. Keyed by the type, which no string value can be equal to
        # (and not by the value: False == 0 == 0.0 in a dict key, and they are written apart).
        memo_key = (key, kind)
    else:
        return _encoded_entry(key, item)
    found = _ENTRIES.get(memo_key)
    return _kept(_ENTRIES, memo_key, _encoded_entry(key, item)) if found is None else found


# The entries of objects written lately by fields_like, by the object's first key: each entry's
# key and value, and its bytes. A token stream's metadata names its run, so no memo has seen the
# next run's, but it differs from the last run's only in its ids; a token's chunk differs from
# the last stream's in its token and its id. Written like the last one, an entry equal to the one
# in the same place is reused as it was written, found by comparing the two (where a memo would
# hash every new string it is asked about, and build a key for it).
_LIKE: Final[dict[str, tuple[list[tuple[str, JSON]], list[bytes]]]] = {}


def fields_like(obj: dict[str, JSON]) -> bytes:
    """fields(obj), reusing the entries equal to those in the same place of the last object
    written here with the same first key."""
    return entries_like(list(obj.items()))


def entries_like(items: list[tuple[str, JSON]]) -> bytes:
    """fields_like for an object's entries, (key, value) in order: a part of one, with no new
    object made of it."""
    if not items:
        return b""
    first = items[0][0]
    before, parts = _LIKE.get(first, ([], [])), []
    old_items, old_parts = before
    for index, (key, item) in enumerate(items):
        if index < len(old_items):
            old_key, old = old_items[index]
            if old_key == key and _alike(old, item):
                parts.append(old_parts[index])
                continue
        parts.append(entry(key, item))
    written = b"".join(parts)
    if len(written) <= _OBJECT_BYTES:  # bounded as the memo of whole objects is
        if len(_LIKE) >= _KEPT_OBJECTS:
            _LIKE.clear()
        _LIKE[first] = (items, parts)
    return written


def _alike(old: JSON, new: JSON) -> bool:
    """Whether two JSON values are written alike: of the same types throughout, and equal. Python's
    == alone is not enough: 1 == 1.0 == True, written apart as a number and a boolean, and
    0.0 == -0.0, two doubles (so floats are never taken as alike)."""
    kind = type(new)
    if type(old) is not kind:
        return False
    if kind is str or kind is int or kind is bool:
        return bool(old == new)
    if kind is list:
        return _alike_lists(old, new)
    if kind is dict:
        return _alike_objects(old, new)
    return new is None


# The two below loop by index, not with all() over zip(): compiled, that is a C loop with no
# iterator or generator objects.


def _alike_lists(old: list[JSON], new: list[JSON]) -> bool:
    if len(old) != len(new):
        return False
    for index in range(len(new)):  # noqa: SIM110
        if not _alike(old[index], new[index]):
            return False
    return True


def _alike_objects(old: dict[str, JSON], new: dict[str, JSON]) -> bool:
    if len(old) != len(new):
        return False
    old_entries, new_entries = list(old.items()), list(new.items())
    for index in range(len(new_entries)):
        old_key, old_item = old_entries[index]
        key, item = new_entries[index]
        if old_key != key or not _alike(old_item, item):
            return False
    return True


def _remembered_struct(obj: dict[str, JSON]) -> bytes:
    """_struct(obj), from the memo when an object with the same JSON was written lately. Equal
    JSON means an equal Value: the same keys in the same order with the same values (orjson
    writes 1 and 1.0 apart, and both are the double 1.0). NaN and Infinity, which orjson would
    write as null, are not JSON: translate.parse_json refuses them before they get here."""
    try:
        key = orjson.dumps(obj)
    except TypeError:  # what orjson cannot write (a lone surrogate, too deep): _struct says why
        return _struct(obj)
    found = _OBJECTS.get(key)
    if found is not None:
        return found
    found = _FRESH.pop(key, None)
    if found is not None:
        return _kept(_OBJECTS, right_sized(key), found, _KEPT_OBJECTS)
    encoded = fresh(obj)  # new: written like the last object of its shape (a message, say)
    if len(key) > _OBJECT_BYTES:
        return encoded
    return _kept(_FRESH, right_sized(key), encoded, _KEPT_OBJECTS)


def _encoded_entry(key: str, item: JSON) -> bytes:
    encoded = value(item)
    entry = _key_field(key) + _ENTRY_VALUE + varint(len(encoded)) + encoded
    return _ENTRY + varint(len(entry)) + entry


def _key_field(key: str) -> bytes:
    """A Struct entry's key, as its field (tag, length, UTF-8)."""
    field = _KEYS.get(key)
    if field is None:
        name = key.encode()
        field = _kept(_KEYS, key, _KEY + varint(len(name)) + name)
    return field


# A stream event's fields: event 1, data 2 (Value), id 3, mode 4, namespace 5, data_json 6.
_EVENT, _DATA, _ID, _MODE, _NAMESPACE, _DATA_JSON = b"\x0a", b"\x12", b"\x1a", b"\x22", b"\x2a", b"\x32"


# An event name's fields, by the name. A stream repeats a handful of names (subgraph names carry
# a task id: hence the bound). A memo of our own, not functools.lru_cache: compiled, a dict's get
# is a call into C where the cache is a call through Python's (about a third of the instructions).
_NAMES: Final[dict[str, tuple[bytes, bytes]]] = {}
_KEPT_NAMES: Final = 1024


def _names(name: str) -> tuple[bytes, bytes]:
    """An event name's fields: `event`, and `mode` with `namespace` (the name split at "|")."""
    found = _NAMES.get(name)
    if found is not None:
        return found
    mode, *namespace = name.split("|")
    event = delimited(_EVENT, name.encode()) if name else b""
    rest = delimited(_MODE, mode.encode()) if mode else b""
    fields = (event, rest + b"".join([delimited(_NAMESPACE, part.encode()) for part in namespace]))
    return _kept(_NAMES, name, fields, _KEPT_NAMES)


def event(sse: ServerSentEvent, data: JSON | bytes | None) -> bytes:
    """One event as a stream message's bytes. `data` is the parsed JSON (sent as a Value), the raw
    bytes (sent as data_json), or None when the event carried none."""
    if data is not None and type(data) is not bytes:
        return event_value(sse, value(data))
    head, names = _names(sse.event)
    ident = delimited(_ID, sse.id.encode()) if sse.id else b""
    if type(data) is bytes and data:
        return b"".join([head, ident, names, _DATA_JSON, varint(len(data)), data])
    return head + ident + names


# A message is a kilobyte or more where it carries a token stream's metadata: its parts are
# joined once, with the lengths they need counted beforehand. Written `head + tag + ... + data`,
# each `+` would copy all that came before (a malloc and a memcpy of the kilobyte, several times
# per message).


def event_value(sse: ServerSentEvent, encoded: bytes) -> bytes:
    """One event as a stream message's bytes, its data a Value already written."""
    head, names = _names(sse.event)
    ident = delimited(_ID, sse.id.encode()) if sse.id else b""
    return b"".join([head, _DATA, varint(len(encoded)), encoded, ident, names])


def pair_event(sse: ServerSentEvent, first: bytes, last: bytes) -> bytes:
    """One event whose data is the array [first, last], as a stream message's bytes: `first` a
    Value already written, `last` an item already written (list_item)."""
    return _pair_event(sse, b"", first, b"", last)


def token_event(sse: ServerSentEvent, entries: bytes, rest: bytes, last: bytes) -> bytes:
    """One event whose data is [object, last], as a stream message's bytes: the object's entries
    already written in two parts (entry, fields), `last` an item already written (list_item)."""
    size = len(entries) + len(rest)
    return _pair_event(sse, _STRUCT + varint(size), entries, rest, last)


def _pair_event(sse: ServerSentEvent, head: bytes, first: bytes, rest: bytes, last: bytes) -> bytes:
    # data: a ListValue Value of two items; its first item's Value is head + first + rest.
    size = len(head) + len(first) + len(rest)
    item = _ITEM + varint(size)
    items = len(item) + size + len(last)
    values = _LIST + varint(items)
    tag, names = _names(sse.event)
    ident = delimited(_ID, sse.id.encode()) if sse.id else b""
    data = varint(len(values) + items)
    return b"".join([tag, _DATA, data, values, item, head, first, rest, last, ident, names])


# The token heads a TokenEvents keeps: one per length of token (in bytes) its stream has sent.
_KEPT_HEADS: Final = 64
# And the heads of every stream, by what they depend on: the next stream's chunk and metadata are
# as long as the last one's (its ids are), and its tokens' lengths the same few, so a stream's
# heads are found here rather than written again (a short stream sends a few tokens of each length).
_TOKEN_HEADS: Final[dict[tuple[str, int, int, int], bytes]] = {}


class TokenEvents:
    """A token stream's events, data [{key: token, ...}, last], as stream messages' bytes, for as
    long as only the token changes: the chunk's other entries (`rest`, as fields_like writes them)
    and `last` (as list_item writes it) are given once. For a string token, all the message holds
    before the token's UTF-8 (the tags and lengths of the message's data, of the array, of the
    chunk and of the token's entry, and the entry's key) depends on nothing but the UTF-8's
    length (given the parts' lengths): it is written once per length, for every stream alike. What
    is left for each token is one join.

        tokens = TokenEvents("content", fields_like(rest), list_item(metadata))
        tokens.message(sse, " world")  # token_event(sse, entry("content", " world"), rest, item)

    (A class with its own __init__, not a dataclass: see sse.ServerSentEvent.)"""

    def __init__(self, key: str, rest: bytes, last: bytes) -> None:
        self.key: Final = key
        self.rest: Final = rest
        self.last: Final = last
        self._after: Final = rest + last  # what follows the token in every message
        self._heads: Final[dict[int, bytes]] = {}  # by the token's length in bytes

    def message(self, sse: ServerSentEvent, token: JSON) -> bytes:
        # A method, not __call__: compiled, a method of a native class is called directly in C.
        if type(token) is not str:
            return token_event(sse, entry(self.key, token), self.rest, self.last)
        data = token.encode()
        head = self._heads.get(len(data))
        if head is None:
            head = self._head(len(data))
        tag, names = _names(sse.event)
        if sse.id:
            return b"".join([tag, head, data, self._after, delimited(_ID, sse.id.encode()), names])
        return b"".join([tag, head, data, self._after, names])

    def _head(self, size: int) -> bytes:
        """What a message holds before a string token of `size` bytes, from its data's tag on:
        token_event's, with the entry's string Value but for its UTF-8."""
        shape = (self.key, len(self.rest), len(self.last), size)
        head = _TOKEN_HEADS.get(shape)
        if head is None:
            head = _kept(_TOKEN_HEADS, shape, self._written_head(size))
        return _kept(self._heads, size, head, _KEPT_HEADS)

    def _written_head(self, size: int) -> bytes:
        string = _STRING + varint(size)
        entry_head = _key_field(self.key) + _ENTRY_VALUE + varint(len(string) + size) + string
        entry_head = _ENTRY + varint(len(entry_head) + size) + entry_head
        fields = len(entry_head) + size + len(self.rest)  # the chunk's Struct
        first = _STRUCT + varint(fields)
        item = _ITEM + varint(len(first) + fields)
        items = len(item) + len(first) + fields + len(self.last)  # the array's ListValue
        values = _LIST + varint(items)
        return _DATA + varint(len(values) + items) + values + item + first + entry_head


def fresh(obj: JSON) -> bytes:
    """value(obj), for what is new in each stream (a token's chunk, and the metadata that names
    the run): an object is written like the last one with the same first key (fields_like), not
    looked up in the memo of whole objects, which would cost a JSON writing and a hash of it and
    never find it."""
    return _struct_value(fields_like(obj)) if type(obj) is dict else value(obj)


def list_item(obj: JSON) -> bytes:
    """A JSON value as one item of a ListValue (its field's tag, length and Value), written fresh."""
    return delimited(_ITEM, fresh(obj))


# WaitRunResponse: values 1 (Value), run_id 2, thread_id 3, values_json 4.
_VALUES, _RUN_ID, _THREAD_ID, _VALUES_JSON = b"\x0a", b"\x12", b"\x1a", b"\x22"


def wait_response(values: JSON | bytes, run_id: str, thread_id: str) -> bytes:
    """WaitRun's answer: the final state parsed (a Value) or raw (values_json), and the ids."""
    ids = (delimited(_RUN_ID, run_id.encode()) if run_id else b"") + (
        delimited(_THREAD_ID, thread_id.encode()) if thread_id else b""
    )
    if type(values) is bytes:
        return b"".join([ids, _VALUES_JSON, varint(len(values)), values]) if values else ids
    encoded = value(values)
    return b"".join([_VALUES, varint(len(encoded)), encoded, ids])
