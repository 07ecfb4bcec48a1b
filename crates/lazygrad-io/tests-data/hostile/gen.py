#!/usr/bin/env python3
"""Writes the hostile files of lazygrad-io's reader tests, and `expected.txt`.

Each file declares sizes, offsets or dimensions that a reader must check before trusting them.
`expected.txt` has one line per file: its name, a tab, and words its error must contain.
`tests/hostile.rs` reads every file through `read_npy`, `read_npz` or `imread` and requires
that error (naming the file) with a bounded peak allocation.
Uses only the standard library; run `python3 crates/lazygrad-io/tests-data/hostile/gen.py`.
"""

import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FULL32 = 0xFFFFFFFF
U64_MAX = 2**64 - 1
EXPECTED = []


def write(name, data, expected):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    EXPECTED.append((name, expected))


# ---- .npy ----------------------------------------------------------------------------------


def npy(header, data=b"", version=1, header_len=None):
    """A .npy file with `header` (a dict literal) and `data`, padded as numpy pads it."""
    text = header.encode()
    prefix = 10 if version == 1 else 12
    pad = (-(prefix + len(text) + 1)) % 64
    text = text + b" " * pad + b"\n"
    length = len(text) if header_len is None else header_len
    fmt = "<H" if version == 1 else "<I"
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack(fmt, length) + text + data


def header(shape, descr="<f8"):
    return "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)


VALID_NPY = npy(header("(2,)", "<i8"), struct.pack("<2q", 1, 2))

write("npy_header_len_u32max.npy", npy(header("(2,)"), b"\0" * 16, 2, FULL32), "truncated")
write("npy_shape_2pow62_squared.npy", npy(header("(4611686018427387904, 4611686018427387904)")),
      "array is too big")
write("npy_shape_zero_and_huge.npy", npy(header("(0, 1099511627776, 1099511627776)")),
      "array is too big")
write("npy_shape_beyond_u64.npy", npy(header("(99999999999999999999999,)")), "malformed header")
write("npy_shape_2pow50_with_16_bytes.npy", npy(header("(1125899906842624,)"), b"\0" * 16),
      "promises 9007199254740992 bytes")
write("npy_65_dims.npy", npy(header("(" + "1, " * 65 + ")"), b"\0" * 8), "65 dimensions")
write("npy_version_9.npy", npy(header("(2,)"), b"\0" * 16, 9)[:12] + b"\0" * 64,
      "version 9 is not supported")
write("npy_unterminated_string.npy", npy("{'descr': '<f8"), "malformed header")
write("npy_nested_parens.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': " +
                                   "(" * 1000 + "}"), "malformed header")


# ---- .npz ----------------------------------------------------------------------------------


class Member:
    """One zip member, with every field a hostile archive might lie about."""

    def __init__(self, name, data, deflate=False, **lies):
        self.name = name.encode()
        self.packed = zlib.compress(data, 9)[2:-4] if deflate else data
        self.method = 8 if deflate else 0
        self.crc = lies.get("crc", zlib.crc32(data))
        self.len = lies.get("len", len(data))
        self.packed_len = lies.get("packed_len", len(self.packed))
        self.local = lies.get("local")  # None: where the local header really is
        self.extra = lies.get("extra")  # None: a zip64 field for the values that need one


def zip64_extra(values):
    body = b"".join(struct.pack("<Q", v) for v in values)
    return struct.pack("<HH", 1, len(body)) + body


def archive(members, eocd=None, zip64_end=None):
    """A zip archive; `eocd` and `zip64_end` override fields of the end records."""
    out = bytearray()
    offsets = []
    for m in members:
        offsets.append(len(out))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, m.method, 0, 33, m.crc,
                           len(m.packed), len(m.packed), len(m.name), 0)
        out += m.name + m.packed
    directory = len(out)
    for m, real_local in zip(members, offsets):
        local = real_local if m.local is None else m.local
        wide = [v for v in (m.len, m.packed_len, local) if v >= FULL32]
        extra = zip64_extra(wide) if m.extra is None else m.extra
        fields = [min(m.packed_len, FULL32), min(m.len, FULL32)]
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 30, 45, 0, m.method, 0, 33, m.crc,
                           fields[0], fields[1], len(m.name), len(extra), 0, 0, 0, 0,
                           min(local, FULL32))
        out += m.name + extra
    directory_len = len(out) - directory
    if zip64_end is not None:
        record = len(out)
        count = zip64_end.get("count", len(members))
        start = zip64_end.get("directory", directory)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count,
                           directory_len, start)
        out += struct.pack("<IIQI", 0x07064B50, 0, zip64_end.get("record", record), 1)
    fields = {"count": len(members), "directory": directory}
    fields.update(eocd or {})
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, fields["count"], fields["count"],
                       directory_len, fields["directory"], 0)
    return bytes(out)


def one(**lies):
    return archive([Member("a.npy", VALID_NPY, **lies)])


write("npz_zip64_size_2pow50.npz", archive([Member("a.npy", VALID_NPY, True, len=2**50)]),
      "declares 1125899906842624 bytes, more than its")
write("npz_zip64_size_u64max.npz", archive([Member("a.npy", VALID_NPY, True, len=U64_MAX)]),
      "declares 18446744073709551615 bytes, more than its")
write("npz_zip64_stored_size_2pow50.npz", one(len=2**50),
      "a stored member declares 1125899906842624 bytes")
write("npz_zip64_packed_size_u64max.npz", one(packed_len=U64_MAX), "past the start of the central")
write("npz_zip64_packed_size_2pow50.npz", one(packed_len=2**50), "past the start of the central")
write("npz_zip64_offset_u64max.npz", one(local=U64_MAX),
      "local header offset 18446744073709551615 is out of range")
write("npz_zip64_offset_near_max.npz", one(local=U64_MAX - 29), "is out of range")
write("npz_zip64_extra_too_short.npz", one(len=FULL32 + 1, extra=zip64_extra([])),
      "zip64 extra field is too short")
write("npz_extra_field_past_end.npz", one(extra=struct.pack("<HH", 0x5455, 100)),
      "runs past its header")
write("npz_zip64_end_offset_u64max.npz",
      archive([Member("a.npy", VALID_NPY)], zip64_end={"record": U64_MAX}),
      "zip64 end-of-central-directory offset is out of range")
write("npz_zip64_end_offset_near_max.npz",
      archive([Member("a.npy", VALID_NPY)], zip64_end={"record": U64_MAX - 55}),
      "zip64 end-of-central-directory offset is out of range")
write("npz_zip64_directory_offset_near_max.npz",
      archive([Member("a.npy", VALID_NPY)], zip64_end={"directory": U64_MAX - 45}),
      "central directory's offset is past")
write("npz_zip64_count_2pow60.npz",
      archive([Member("a.npy", VALID_NPY)], zip64_end={"count": 2**60}),
      "declares 1152921504606846976 members")
write("npz_directory_offset_past_end.npz",
      archive([Member("a.npy", VALID_NPY)], eocd={"directory": FULL32 - 1}),
      "central directory's offset is past")
write("npz_count_65535.npz", archive([Member("a.npy", VALID_NPY)], eocd={"count": 65535}),
      "declares 65535 members")
write("npz_overlapping_members.npz",
      archive([Member("a.npy", VALID_NPY), Member("b.npy", VALID_NPY, local=0)]), "overlap")
# The first member's declared data covers the second member's local header.
first = Member("a.npy", VALID_NPY)
first.packed_len = len(VALID_NPY) + 10
write("npz_overlapping_data.npz", archive([first, Member("b.npy", VALID_NPY)]), "overlap")
write("npz_bad_crc.npz", one(crc=zlib.crc32(VALID_NPY) ^ 1), "CRC mismatch")
write("npz_size_mismatch.npz", archive([Member("a.npy", VALID_NPY, True, len=len(VALID_NPY) + 1)]),
      "holds 144 bytes but declares 145")
# 64 MiB of zeros that declare 16 bytes: the reader must stop after the 17th byte.
write("npz_bomb_declares_16_bytes.npz",
      archive([Member("a.npy", b"\0" * (64 << 20), True, len=16, crc=0)]),
      "inflates to more than the 16 bytes it declares")
write("npz_member_shape_huge.npz",
      archive([Member("a.npy", npy(header("(4611686018427387904, 4611686018427387904)")))]),
      'member "a.npy": array is too big')
write("npz_not_zip.npz", b"PK\x05\x06" + b"\0" * 10, "not a zip archive")


# ---- images: huge declared dimensions --------------------------------------------------------


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width, height):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def jpeg_segment(marker, body):
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg(width, height):
    # A baseline greyscale JPEG whose one Huffman code (a single 1-bit code for symbol 0)
    # makes any scan data decode; the reader must refuse the size before decoding.
    dqt = jpeg_segment(0xDB, b"\x00" + b"\x01" * 64)
    sof = jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"
    dht = jpeg_segment(0xC4, b"\x00" + one_code + b"\x10" + one_code)
    sos = jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return b"\xff\xd8" + dqt + sof + dht + sos + b"\x00" * 16 + b"\xff\xd9"


def bmp(width, height):
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    pixels = b"\0" * 64
    return b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 54) + info + pixels


def gif(width, height):
    screen = struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF89a" + screen + image + b"\x3b"


def webp_vp8l(width, height):
    bits = (width - 1) | ((height - 1) << 14) | (0 << 28)
    body = b"\x2f" + struct.pack("<I", bits) + b"\0" * 16
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_vp8x(width, height):
    body = b"\0\0\0\0" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


BOMB = "pixels, more than"
write("png_2pow31_squared.png", png(2**31 - 1, 2**31 - 1), "cannot decode the image")
write("png_20000_squared.png", png(20000, 20000), BOMB)
write("jpeg_65535_squared.jpg", jpeg(65535, 65535), BOMB)
write("bmp_2pow31_squared.bmp", bmp(2**31 - 1, 2**31 - 1), "cannot decode the image")
write("bmp_20000_squared.bmp", bmp(20000, 20000), BOMB)
write("gif_65535_squared.gif", gif(65535, 65535), BOMB)
write("webp_vp8l_15000_squared.webp", webp_vp8l(15000, 15000), BOMB)
write("webp_vp8x_2pow24_squared.webp", webp_vp8x(2**24, 2**24), "cannot decode the image")
write("pnm_1e9_squared.ppm", b"P6\n1000000000 1000000000\n255\n" + b"\0" * 64, BOMB)
write("pnm_20000_squared.ppm", b"P6\n20000 20000\n255\n" + b"\0" * 64, BOMB)

# Findings of the fuzz targets, kept byte for byte; `tests/hostile.rs` checks each by name.
# A JPEG on which zune-jpeg's AVX2 inverse DCT panics (a component sampled 2x3 against 1x1).
with open(os.path.join(HERE, "jpeg_zune_avx2_idct_panic.jpg"), "wb") as f:
    f.write(bytes.fromhex(
    "ffd8ffe000104a46494600010200000100010000ffc00011080006020503011100021101032301ffdb00430008060607"
    "0605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c1c20242e2720222c231c1c"
    "2836292c30313434341f27393d38323c2e3334004300080606070605080707070909080a0c140d0c130b0c1912130f14"
    "1d1a1f1e1d1a1c1c20242e6720222c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffdb"
    "0043010909090c0b18180d2d0c0d211c2132323232323232323232323232323232323232323232363232323232323232"
    "32323232323434ced232323232323232323232ffc4001f00000105010101010101000000000000000001020304050607"
    "08090a0bffc400b5100002010303020403050504040000017d0102030004110512213541061351010003bb027d814da1"
    "08142342b1c11552d1f024336272820a17191a16091825262728292a3435363738393a75757575757575757575757575"
    "75757575757575757575757575757575757575757575757503040506074d504600a7a7a7ffe200104d504600a7a7a7a7"
    "a7a7a7a7a7a7a7a7a708090a0bffc4969798999aa20010000000ff00000000009899a7a7a7a7ffe200104a2ba7a7a7a7"
    "a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a70002a7a7ffe200104d50"
    "4600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a70002000000000000a7a7ffe2002ba7cea3a4a5a6a75a6364656667"
    "68696a737475767778797a83c085868788898a92939895969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac200"
    "ffda0008010100003f00070000000000000000000000001001000000000000000000000010000000ff00000000009899"
    "a7a7a7a7ffe200104a2ba7a7a7a7a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7"
    "a7a7a7a70002a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a70002000000000000a7a7ffe200"
    "2ba7ce00104d504600a7a7a7a7a7a7a7a7a7a7a7a7a708090a0bffc4969798999aa20010000000ff00000000009899a7"
    "a7a7a7ffe200104a2ba7a7a7a7a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7"
    "a7a7a70002a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a70002000000000000a7a7ffe2002b"
    "a7cea3a4a5a6a75a636465666768696a737475767778797a83c085868788898a92939895969798999aa2a3a4a5a6a7a8"
    "a9aab2b3b4b5b6b7b8b9bac200ffda0008010100003f0007000000000000000000000000100100000000000000000000"
    "0010000000ff00000000009899a7a7a7a7ffe200104a2ba7a7a7a7a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7"
    "a7a7a7a7a70100003f00070000000000000000000000001001000000000000000000000010000000ff00000000009899"
    "a7a7a7a7ffe200104a2ba7a7a7a7a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7"
    "a7a7a7a70002a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a70002000000000000a7a7ffe200"
    "2ba7ce00104d504600a7a7a7a7a7a7a7a7a7a7a7a7a708090a0bffc4969798999aa20010000000ff00000000009899a7"
    "a7a7a7ffe200104a2ba7a7a7a7a7a7a7a7a7a7a7a7a7a7a7ffe200104d504600a7a7a7a7a7a7a7a7a7a7a7a7a7"
    ))

with open(os.path.join(HERE, "expected.txt"), "w") as f:
    f.write("# Written by gen.py: each file, a tab, and words its error must contain.\n")
    for name, expected in EXPECTED:
        f.write("%s\t%s\n" % (name, expected))
