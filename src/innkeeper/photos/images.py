"""Reading an uploaded picture by its content, and re-encoding it for the web.

Nothing of the uploaded file is kept as it came: the pixels are decoded, turned
upright, brought to sRGB and written anew, so no EXIF (GPS position, camera serial),
no embedded profile and no bytes appended after the image (a ZIP, a script) survive.
"""

import warnings
from contextlib import suppress
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..exceptions import InvalidFields
from .models import FORMATS, widths_for

MAX_BYTES = 10 * 1024 * 1024
# A 50-megapixel photo takes about 150 MB to decode; a larger one is refused unread.
MAX_PIXELS = 50_000_000
# Pillow warns past this and refuses past twice this, for every image it opens.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ACCEPTED = ("JPEG", "PNG", "WEBP")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
WEBP_QUALITY = 78
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Prepared:
    """A picture ready to store: its upright size and its files by (width, extension)."""

    width: int
    height: int
    files: dict[tuple[int, str], bytes]


def _refuse(key: str, **params) -> InvalidFields:
    return InvalidFields.on("photo", key, **params)


def read_limited(stream) -> bytes:
    """The uploaded file's bytes; refused past MAX_BYTES without reading much further."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        stream.seek(0, 2)
        size = stream.tell()
        raise _refuse(
            "photo_too_large", size=f"{size / 1024 / 1024:.1f}", max=MAX_BYTES // 1024 // 1024
        )
    return data


def _decode(data: bytes) -> Image.Image:
    """The picture's pixels, if it is a whole JPEG, PNG or WebP of a sensible size."""
    try:
        with warnings.catch_warnings():
            # Pillow's warning that a picture is very large is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=ACCEPTED)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width} x {height}")
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse("photo_too_many_pixels", max=MAX_PIXELS // 1_000_000) from None
    except UnidentifiedImageError:
        raise _refuse("photo_not_an_image") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Truncated or corrupt data: the decoders raise any of these.
        raise _refuse("photo_unreadable") from None
    return image


def _in_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB, transparency laid on white (JPEG has none)."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    if profile:
        # A profile LittleCMS cannot read or apply: the colours are taken as they are.
        with suppress(ImageCms.PyCMSError, OSError, ValueError):
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(BytesIO(profile)),
                SRGB,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    # Nothing of the original's metadata goes into the files written from it.
    image.info = {}
    return image


def _encode(image: Image.Image, ext: str) -> bytes:
    out = BytesIO()
    if ext == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def prepare(data: bytes) -> Prepared:
    """The picture upright, in sRGB, at each stored width and format; InvalidFields if it
    is not a JPEG, PNG or WebP that decodes whole."""
    image = _in_srgb(ImageOps.exif_transpose(_decode(data)))
    width, height = image.size
    files = {}
    for target in widths_for(width):
        size = (target, max(1, round(height * target / width)))
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
        for ext in FORMATS:
            files[(target, ext)] = _encode(resized, ext)
    return Prepared(width, height, files)
