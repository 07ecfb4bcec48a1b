"""Writes the golden files of lazygrad's io tests (tests/it/io.rs) with numpy and PIL, and reads
back the files lazygrad wrote.

Run from the repository root:

    python3 tests/it/io_golden/gen.py           # regenerate the goldens next to this script
    python3 tests/it/io_golden/gen.py text      # only the text-file goldens (needs numpy only)
    python3 tests/it/io_golden/gen.py --check   # also run the Rust io tests, which write files to
                                                # target/io-written/, and read those with numpy/PIL

Needs numpy and Pillow (`pip install pillow`). CI never runs this script: its output is
committed, and a regeneration shows up as a diff in review.

Golden files:
- npy/<dtype>_c.npy, npy/<dtype>_f.npy: the same (2, 3, 4) array in C and Fortran order, for
  every lazygrad dtype; values follow `pattern(dtype)`, which tests/it/io.rs repeats in Rust.
- npy/scalar_f8.npy (0-d), npy/empty_i4_3x0.npy, npy/big_endian_i4.npy, npy/v2_f4.npy (format 2.0).
- npz/savez.npz, npz/savez_compressed.npz: every dtype's pattern, named by dtype, then the same
  arrays in Fortran order (np.asfortranarray), named "<dtype>_f".
- img/*.png|jpg|bmp|gif|webp|ppm|pgm: source images; img/*.npy: what PIL decodes them to.
  The GIFs, WebPs (lossless) and PNMs hold the same pixels as a PNG (checked here): rgb.gif
  is palette.png's, grey.gif is grey.png's (a grey palette), rgb.webp/rgb.ppm are
  rgb.png's, rgba.webp is rgba.png's and grey.pgm is grey.png's.
- resize/<image>_<filter>_<h>x<w>.npy: PIL's Image.resize of img/<image>.png.
- text/: numpy's loadtxt, genfromtxt and savetxt (tests/it/text_io.rs). cases.txt lists every
  case with its arguments; <case>.txt is a text file read by loadtxt/genfromtxt (or written by
  savetxt from <case>_in.npy), and <case>.npy the array numpy read, or <case>.err numpy's error
  message.
"""

import sys
import subprocess
from pathlib import Path

import numpy as np

try:
    from PIL import Image
except ImportError:  # `gen.py text` needs numpy only
    Image = None

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
WRITTEN = ROOT / "target" / "io-written"

DTYPES = ["bool", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
          "float16", "float32", "float64"]
SHAPE = (2, 3, 4)

FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
} if Image else {}


def pattern(dtype):
    """The test array of `dtype`; tests/it/io.rs computes the same values."""
    i = np.arange(24, dtype=np.int64)
    values = {
        "bool": i % 3 == 0,
        "uint8": (i * 11) % 256,
        "int8": i * -5 + 60,
        "uint16": i * 2711,
        "int16": (i - 12) * 2711,
        "uint32": i * 178_956_970,
        "int32": i * -7 + 3,
        "uint64": i * 768_614_336_404_564_650,
        "int64": (i - 5) * 2**40,
        "float16": i * 0.125 - 1.5,
        "float32": i * 0.25 - 1.0,
        "float64": np.sqrt(i.astype(np.float64)) * 1e-3,
    }[dtype]
    return values.astype(dtype).reshape(SHAPE)


def source_images():
    """Synthetic images: smooth gradients plus seeded noise, at odd sizes (resizing noise is
    the hardest case for matching PIL)."""
    rng = np.random.default_rng(7)
    h, w = 37, 53
    y, x = np.mgrid[0:h, 0:w]
    smooth = np.stack([x * 255 / (w - 1), y * 255 / (h - 1), (x + y) * 255 / (w + h - 2)], -1)
    noise = rng.integers(-60, 61, size=(h, w, 3))
    rgb = np.clip(smooth + noise, 0, 255).astype(np.uint8)
    grey = rng.integers(0, 256, size=(29, 31), dtype=np.uint8)
    rgba = np.concatenate(
        [rng.integers(0, 256, size=(23, 19, 3)), rng.integers(128, 256, size=(23, 19, 1))], -1
    ).astype(np.uint8)
    return {"rgb": rgb, "grey": grey, "rgba": rgba}


def write_npy_goldens():
    out = HERE / "npy"
    out.mkdir(exist_ok=True)
    for dtype in DTYPES:
        a = pattern(dtype)
        np.save(out / f"{dtype}_c.npy", a)
        np.save(out / f"{dtype}_f.npy", np.asfortranarray(a))
        assert np.load(out / f"{dtype}_f.npy").flags.f_contiguous
    np.save(out / "scalar_f8.npy", np.float64(2.5))
    np.save(out / "empty_i4_3x0.npy", np.zeros((3, 0), dtype=np.int32))
    np.save(out / "big_endian_i4.npy", np.array([1, -2, 258], dtype=">i4"))
    with open(out / "v2_f4.npy", "wb") as f:
        np.lib.format.write_array(f, np.array([[0.5, 1.5]], dtype=np.float32), version=(2, 0))

    out = HERE / "npz"
    out.mkdir(exist_ok=True)
    # Every dtype's pattern in C order, then again in Fortran order as "<dtype>_f": numpy stores
    # an F-contiguous array with fortran_order True and its elements column-major.
    arrays = {dtype: pattern(dtype) for dtype in DTYPES}
    arrays |= {f"{dtype}_f": np.asfortranarray(pattern(dtype)) for dtype in DTYPES}
    np.savez(out / "savez.npz", **arrays)
    np.savez_compressed(out / "savez_compressed.npz", **arrays)
    for name in ["savez.npz", "savez_compressed.npz"]:
        with np.load(out / name) as archive:
            for dtype in DTYPES:
                assert archive[f"{dtype}_f"].flags.f_contiguous, (name, dtype)
                assert not archive[f"{dtype}_f"].flags.c_contiguous, (name, dtype)


def write_image_goldens():
    out = HERE / "img"
    out.mkdir(exist_ok=True)
    images = source_images()
    Image.fromarray(images["rgb"]).save(out / "rgb.png")
    Image.fromarray(images["grey"]).save(out / "grey.png")
    Image.fromarray(images["rgba"]).save(out / "rgba.png")
    Image.fromarray(images["rgb"]).save(out / "rgb.bmp")
    Image.fromarray(images["grey"]).save(out / "grey.bmp")  # 8-bit, grey palette
    Image.fromarray(images["rgb"]).save(out / "rgb.jpg", quality=90)
    np.save(out / "rgb_jpg_pil.npy", np.asarray(Image.open(out / "rgb.jpg").convert("RGB")))
    # A 16-bit greyscale PNG, read by lazygrad as uint8 (rounded v / 257).
    ramp16 = (np.arange(64, dtype=np.uint16).reshape(8, 8) * 1040).astype(np.uint16)
    Image.fromarray(ramp16).save(out / "grey16.png")  # mode I;16
    assert np.array_equal(np.asarray(Image.open(out / "grey16.png")), ramp16)
    np.save(out / "grey16_as_u8.npy", np.round(ramp16 / 257).astype(np.uint8))
    # A palette PNG, read as RGB.
    Image.fromarray(images["rgb"]).quantize(16).save(out / "palette.png")
    np.save(out / "palette_rgb.npy", np.asarray(Image.open(out / "palette.png").convert("RGB")))
    # The other formats imread reads, each holding the pixels of one of the PNGs above.
    Image.fromarray(images["rgb"]).quantize(16).save(out / "rgb.gif")
    Image.fromarray(images["grey"]).save(out / "grey.gif")
    Image.fromarray(images["rgb"]).save(out / "rgb.webp", lossless=True)
    Image.fromarray(images["rgba"]).save(out / "rgba.webp", lossless=True)
    Image.fromarray(images["rgb"]).save(out / "rgb.ppm")
    Image.fromarray(images["grey"]).save(out / "grey.pgm")
    same_pixels = {
        "rgb.gif": np.load(out / "palette_rgb.npy"),
        "grey.gif": images["grey"],
        "rgb.webp": images["rgb"],
        "rgba.webp": images["rgba"],
        "rgb.ppm": images["rgb"],
        "grey.pgm": images["grey"],
    }
    for name, expected in same_pixels.items():
        img = Image.open(out / name)
        # PIL reads a GIF as mode P (palette indices); lazygrad reads the colours.
        mode = {"rgb.gif": "RGB", "grey.gif": "L"}.get(name, img.mode)
        decoded = np.asarray(img.convert(mode))
        assert np.array_equal(decoded, expected), name

    out = HERE / "resize"
    out.mkdir(exist_ok=True)
    for path in out.glob("*.npy"):
        path.unlink()
    cases = [("rgb", f, size) for f in FILTERS for size in [(17, 24), (50, 80), (60, 20)]]
    cases += [("grey", f, (13, 45)) for f in FILTERS]
    cases += [("rgba", f, (40, 9)) for f in ["bilinear", "lanczos"]]
    for name, filter_name, (h, w) in cases:
        img = Image.open(HERE / "img" / f"{name}.png")
        res = np.asarray(img.resize((w, h), FILTERS[filter_name]))
        np.save(out / f"{name}_{filter_name}_{h}x{w}.npy", res)
    # Float images: PIL's mode F (float32) resizes in double precision without clipping.
    ramp = (np.arange(21 * 17, dtype=np.float32).reshape(21, 17) * 1.7 - 100.0).astype(np.float32)
    np.save(out / "float_source.npy", ramp)
    for filter_name in FILTERS:
        res = np.asarray(Image.fromarray(ramp).resize((11, 30), FILTERS[filter_name]))
        np.save(out / f"float_{filter_name}_30x11.npy", res)


# ---- Text files: loadtxt, genfromtxt, savetxt (tests/it/text_io.rs) ----

# (name, file contents, keyword arguments) of np.loadtxt cases.
LOADTXT_CASES = [
    ("load_whitespace", "# x y z\n1 2 3\n4.5 -5e-3 inf\n\n  7 nan -0 # trailing\n", {}),
    ("load_csv_skiprows", "a,b,c\n1,2,3\n4,5,6\n", dict(delimiter=",", skiprows=1)),
    ("load_usecols", "1 2 3\n4 5 6\n7 8 9\n", dict(usecols=[2, 0, -2])),
    ("load_usecols_one", "1,2\n3,4\n", dict(delimiter=",", usecols=[1])),
    ("load_int", "1 -2\n+3 40000000000\n", dict(dtype="int64")),
    ("load_int32", "1;-2\n3;2147483647\n", dict(delimiter=";", dtype="int32")),
    ("load_uint8", "0 255\n7 8\n", dict(dtype="uint8")),
    ("load_bool", "0 1 -2\n", dict(dtype="bool")),
    ("load_float32", "0.1 1e38 3.4028236e38\n", dict(dtype="float32")),
    ("load_max_rows", "# c\n1 2\n\n3 4\n5 6\n", dict(max_rows=2)),
    ("load_comments", "% c\n1 2 // x\n3 4\n", dict(comments=["%", "//"])),
    ("load_tab_crlf", "1\t2\r\n3\t4\r\n", dict(delimiter="\t")),
    ("load_single_row", "1 2 3\n", {}),
    ("load_single_value", "5\n", {}),
    ("load_single_value_ndmin1", "5\n", dict(ndmin=1)),
    ("load_single_row_ndmin2", "1 2 3\n", dict(ndmin=2)),
    ("load_column_ndmin2", "1\n2\n", dict(ndmin=2)),
    ("load_unpack", "1 2 3\n4 5 6\n", dict(unpack=True)),
    ("load_empty", "# only a comment\n", {}),
    ("load_empty_ndmin2", "", dict(ndmin=2, usecols=[0, 1])),
    ("load_spaces_in_csv", " 1 , 2 \n3,4\n", dict(delimiter=",")),
    ("load_ragged", "1 2 3\n4 5\n", {}),
    ("load_ragged_after_comments", "# a\n\n1,2\n3\n", dict(delimiter=",")),
    ("load_bad_value", "1 2\n3 x\n", {}),
    ("load_empty_field", "1,2,\n", dict(delimiter=",")),
    ("load_blank_csv_line", "1,2\n  \n", dict(delimiter=",")),
    ("load_bad_int", "1 2.5\n", dict(dtype="int64")),
    ("load_int32_overflow", "3000000000\n", dict(dtype="int32")),
    ("load_uint8_negative", "-1\n", dict(dtype="uint8")),
    ("load_underscore", "1_000\n", {}),
    ("load_quote_in_value", "1'x 2\n", {}),
    ("load_bad_usecol", "1 2\n3 4\n", dict(usecols=[0, 7])),
    ("load_bad_ndmin", "1 2\n", dict(ndmin=3)),
]

# (name, file contents, keyword arguments) of np.genfromtxt cases.
GENFROMTXT_CASES = [
    ("gen_missing", "1,,3\n4,5,6\n", dict(delimiter=",")),
    ("gen_missing_values", "1,N/A,3\n4,5,?\n", dict(delimiter=",", missing_values=["N/A", "?"])),
    ("gen_filling", "1,N/A,3\n,5,6\n", dict(delimiter=",", missing_values=["N/A"], filling_values=0)),
    ("gen_unparsable", "1,abc,3\n", dict(delimiter=",")),
    ("gen_header_footer", "h\n1 2\n# c\n\n3 4\n5 6\n# x\n", dict(skip_header=1, skip_footer=1)),
    ("gen_usecols", "1,2,3\n4,,6\n", dict(delimiter=",", usecols=[0, -1])),
    ("gen_int", "1,,3\n4,x,6\n", dict(delimiter=",", dtype="int64")),
    ("gen_int32_filling", "1,,2\n3,4,5\n", dict(delimiter=",", dtype="int32", filling_values=7)),
    ("gen_whitespace_fields", " 1 , 2 \n , \n", dict(delimiter=",")),
    ("gen_single_row", "1 2\n", {}),
    ("gen_empty", "\n# nothing\n", {}),
    ("gen_max_rows", "1 2\n3 4\n5 6\n", dict(max_rows=2)),
    ("gen_comments", "1 2 % c\n% d\n3 4\n", dict(comments="%")),
    ("gen_ragged", "1,2,3\n4,5\n7,8,9,10\n", dict(delimiter=",")),
    ("gen_ragged_numbering", "#a\n\n1,2,3\n4,5\n", dict(delimiter=",", skip_header=1)),
    ("gen_ragged_in_footer", "1,2,3\n4,5\n6,7,8\n9\n", dict(delimiter=",", skip_footer=1)),
    ("gen_bad_usecol", "1,2\n4,5\n", dict(delimiter=",", usecols=[5])),
]

# (name, array, keyword arguments) of np.savetxt cases.
SAVETXT_CASES = [
    ("save_default", np.array([[0.1, -0.0, 1e300], [np.nan, np.inf, -np.inf]]), {}),
    ("save_1d", np.array([5e-324, 2.5, -1.0]), {}),
    ("save_int_d", np.array([[1, -2], [300, 4]], dtype=np.int64), dict(fmt="%d", delimiter=",")),
    ("save_float_d", np.array([[1.7, -1.7, 1e20]]), dict(fmt="%d")),
    ("save_fixed", np.array([[0.125, 0.375, 2.5, -0.004]]), dict(fmt="%.2f")),
    ("save_g", np.array([[0.125, 1234567.0, 1e-5, 0.0001, 100000.0, 0.0, 1e16]]), dict(fmt="%g")),
    ("save_row_format", np.array([[1, 2.5], [3, 4.25]]), dict(fmt="%d,%.1f|", header="a\nb", footer="end", comments="% ", newline="\r\n")),
    ("save_flags", np.array([[7, -42], [0, 255]], dtype=np.int32), dict(fmt="%-5d|%+.3e|")),
    ("save_padding", np.array([[1.5, np.nan, -np.inf, -3.25]]), dict(fmt="%08.2f")),
    ("save_upper", np.array([[12345.678, np.inf, 1e-10]]), dict(fmt="%.3G")),
    ("save_hex", np.array([[255, -16], [8, 0]], dtype=np.int64), dict(fmt="%#x %X")),
    ("save_float32", np.array([[0.1, 16777217.0]], dtype=np.float32), dict(fmt="%.10e")),
    ("save_uint8", np.array([0, 7, 255], dtype=np.uint8), dict(fmt="%03d")),
    ("save_bool", np.array([[True, False]]), {}),
    ("save_no_columns", np.zeros((2, 0)), {}),
    ("save_empty_1d", np.zeros((0,)), dict(header="h")),
    ("save_wrong_count", np.array([[1.0, 2.0]]), dict(fmt="%d %d %d")),
    ("save_nan_as_int", np.array([[1.0, np.nan]]), dict(fmt="%d")),
    ("save_hex_float", np.array([[1.0]]), dict(fmt="%x")),
    ("save_0d", np.array(1.0), {}),
    ("save_3d", np.zeros((2, 2, 2)), {}),
]


def escape(value):
    """A manifest value on one line: backslashes, newlines, tabs and returns escaped."""
    return (str(value).replace("\\", "\\\\").replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r"))


def manifest_lines(kind, name, kwargs):
    """One case of cases.txt: `case <kind> <name>`, then `<key>\t<value>` lines (a list is one
    line per item), then `end`."""
    lines = [f"case {kind} {name}"]
    for key, value in kwargs.items():
        items = value if isinstance(value, list) else [value]
        lines += [f"{key}\t{escape(item)}" for item in items]
    return lines + ["end"]


def record(out, name, call):
    """Runs `call`: writes <name>.npy with its array, or <name>.err with its error message."""
    import warnings

    for old in [out / f"{name}.npy", out / f"{name}.err"]:
        old.unlink(missing_ok=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # loadtxt warns on empty input
            res = call()
    except (ValueError, TypeError) as err:
        (out / f"{name}.err").write_text(str(err))
        return
    if res is not None:
        np.save(out / f"{name}.npy", res)


def write_text_goldens():
    out = HERE / "text"
    out.mkdir(exist_ok=True)
    manifest = []
    for kind, cases, read in [
        ("loadtxt", LOADTXT_CASES, np.loadtxt),
        ("genfromtxt", GENFROMTXT_CASES, np.genfromtxt),
    ]:
        for name, contents, kwargs in cases:
            path = out / f"{name}.txt"
            path.write_bytes(contents.encode())
            record(out, name, lambda: read(path, **kwargs))
            manifest += manifest_lines(kind, name, kwargs)
    for name, array, kwargs in SAVETXT_CASES:
        np.save(out / f"{name}_in.npy", array)
        path = out / f"{name}.txt"
        path.unlink(missing_ok=True)
        record(out, name, lambda: np.savetxt(path, array, **kwargs))
        if (out / f"{name}.err").exists():
            path.unlink(missing_ok=True)  # numpy leaves the rows it wrote before the error
        manifest += manifest_lines("savetxt", name, kwargs)
    (out / "cases.txt").write_text("\n".join(manifest) + "\n")


def check_written():
    """Runs the Rust io tests, then reads what they wrote with numpy and PIL."""
    subprocess.run(["cargo", "test", "--test", "it", "io::"], cwd=ROOT, check=True)
    checked = 0
    for dtype in DTYPES:
        for order in ["c", "f"]:
            a = np.load(WRITTEN / f"{dtype}_{order}.npy")
            assert a.dtype == np.dtype(dtype), (dtype, a.dtype)
            assert np.array_equal(a, pattern(dtype)), dtype
            assert a.flags.f_contiguous if order == "f" else a.flags.c_contiguous
            checked += 1
    for name in ["written.npz", "written_compressed.npz", "checkpoint.npz"]:
        with np.load(WRITTEN / name) as archive:
            for dtype in DTYPES:
                assert np.array_equal(archive[dtype], pattern(dtype)), (name, dtype)
        checked += 1
    expected = np.asarray(Image.open(HERE / "img" / "rgb.png"))
    for ext in ["png", "bmp", "webp", "ppm"]:
        assert np.array_equal(np.asarray(Image.open(WRITTEN / f"rgb.{ext}")), expected), ext
        checked += 1
    grey = np.asarray(Image.open(HERE / "img" / "grey.png"))
    assert np.array_equal(np.asarray(Image.open(WRITTEN / "grey.pgm")), grey), "pgm"
    rgba = np.asarray(Image.open(HERE / "img" / "rgba.png"))
    assert np.array_equal(np.asarray(Image.open(WRITTEN / "rgba.webp")), rgba), "rgba webp"
    checked += 2
    smooth = np.asarray(Image.open(WRITTEN / "smooth.png")).astype(int)
    jpg = np.asarray(Image.open(WRITTEN / "smooth.jpg")).astype(int)
    assert np.abs(jpg - smooth).mean() < 4, "lazygrad's JPEG is far from its source"
    checked += 1
    print(f"read back {checked} files lazygrad wrote in {WRITTEN}: all agree with numpy/PIL")


def main():
    if sys.argv[1:] == ["text"]:
        write_text_goldens()
        print(f"wrote the text goldens under {HERE / 'text'}")
        return
    write_npy_goldens()
    write_image_goldens()
    write_text_goldens()
    print(f"wrote goldens under {HERE}")
    if "--check" in sys.argv:
        check_written()


if __name__ == "__main__":
    main()
