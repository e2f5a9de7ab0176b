"""The demo places' pictures: flat illustrations drawn with Pillow, so the demo ships none.

Each scene is drawn at twice its size and scaled down, which smooths its edges, then
stored like an uploaded photo (several widths, WebP and JPEG).
"""

import math
import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000
SCALE = 2


class Canvas:
    """A drawing surface addressed in WIDTH x HEIGHT units, drawn at SCALE times that."""

    def __init__(self, top: str, bottom: str | None = None):
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), top)
        self.draw = ImageDraw.Draw(self.image)
        if bottom:
            self.gradient(0, 0, WIDTH, HEIGHT, top, bottom)

    @staticmethod
    def _xy(points):
        return [(x * SCALE, y * SCALE) for x, y in points]

    def gradient(self, x0, y0, x1, y1, top: str, bottom: str) -> None:
        size = (round((x1 - x0) * SCALE), round((y1 - y0) * SCALE))
        mask = Image.linear_gradient("L").resize(size)
        band = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
        self.image.paste(band, (round(x0 * SCALE), round(y0 * SCALE)))
        self.draw = ImageDraw.Draw(self.image)

    def rect(self, x0, y0, x1, y1, fill, radius=0, outline=None, width=0) -> None:
        box = [x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE]
        self.draw.rounded_rectangle(
            box, radius * SCALE, fill=fill, outline=outline, width=width * SCALE
        )

    def poly(self, points, fill) -> None:
        self.draw.polygon(self._xy(points), fill=fill)

    def ellipse(self, cx, cy, rx, ry, fill) -> None:
        box = [(cx - rx) * SCALE, (cy - ry) * SCALE, (cx + rx) * SCALE, (cy + ry) * SCALE]
        self.draw.ellipse(box, fill=fill)

    def line(self, points, fill, width) -> None:
        self.draw.line(self._xy(points), fill=fill, width=round(width * SCALE), joint="curve")

    def wave(self, y, amplitude, length, fill, width, x0=0, x1=WIDTH, phase=0.0) -> None:
        steps = range(int(x0), int(x1) + 8, 8)
        points = [(x, y + amplitude * math.sin(x / length * 2 * math.pi + phase)) for x in steps]
        self.line(points, fill, width)

    def glow(self, cx, cy, radius, colour) -> None:
        """A soft halo (a sun, a lamp): a blurred disc laid over the picture."""
        layer = Image.new("RGB", self.image.size, colour)
        mask = Image.new("L", self.image.size, 0)
        r = radius * SCALE
        ImageDraw.Draw(mask).ellipse(
            [cx * SCALE - r, cy * SCALE - r, cx * SCALE + r, cy * SCALE + r], fill=120
        )
        mask = mask.filter(ImageFilter.GaussianBlur(r / 2))
        self.image = Image.composite(layer, self.image, mask)
        self.draw = ImageDraw.Draw(self.image)

    def png(self) -> bytes:
        out = BytesIO()
        small = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        small.save(out, "PNG")
        return out.getvalue()


def palm(c: Canvas, x, ground, height, lean, trunk="#8a6a4a", leaves="#2f7d5b") -> None:
    top = (x + lean, ground - height)
    trunk_points = [(x + lean * (t / 10) ** 2, ground - height * t / 10) for t in range(11)]
    c.line(trunk_points, trunk, 16)
    for t in range(1, 10, 2):
        px, py = trunk_points[t]
        c.line([(px - 9, py), (px + 9, py - 4)], "#6f543a", 3)
    for angle in (-160, -125, -90, -55, -20, 15, 200):
        a = math.radians(angle)
        tip = (top[0] + 150 * math.cos(a), top[1] + 150 * math.sin(a) * 0.55 + 40)
        mid = (top[0] + 80 * math.cos(a), top[1] + 80 * math.sin(a) * 0.55 - 12)
        c.poly([top, (mid[0], mid[1] - 14), tip, (mid[0], mid[1] + 14)], leaves)
    c.ellipse(top[0], top[1] + 6, 13, 11, "#5b4330")


def beach_house() -> Canvas:
    c = Canvas("#8fd0ea", "#e9f6f8")
    c.glow(1270, 190, 170, "#fff4c2")
    c.ellipse(1270, 190, 70, 70, "#ffe08a")
    c.gradient(0, 520, WIDTH, 640, "#2e9ab8", "#63c3d6")
    for i, y in enumerate(range(545, 640, 22)):
        c.wave(y, 3, 90 + i * 10, "#9fdde8", 3, phase=i)
    c.gradient(0, 620, WIDTH, HEIGHT, "#f3e2bd", "#e2c692")
    c.wave(625, 6, 420, "#fdf8ec", 10)
    # The house, on stilts behind the dune.
    c.rect(430, 330, 1110, 640, "#fdfaf3")
    c.poly([(390, 345), (770, 150), (1150, 345)], "#e0735a")
    c.poly([(390, 345), (770, 150), (790, 162), (430, 352)], "#c85f48")
    for x in (480, 930):
        c.rect(x, 410, x + 130, 520, "#7fc4d8", radius=6)
        c.line([(x + 65, 410), (x + 65, 520)], "#fdfaf3", 6)
        c.rect(x - 28, 402, x - 6, 528, "#2b8aa6", radius=3)
        c.rect(x + 136, 402, x + 158, 528, "#2b8aa6", radius=3)
    c.rect(715, 470, 825, 640, "#2b8aa6", radius=8)
    c.ellipse(805, 560, 6, 6, "#f2c66d")
    # The porch: a roof on posts, a railing, steps down to the sand.
    c.rect(400, 590, 1140, 606, "#c9ad84")
    for x in range(430, 1120, 70):
        if not 700 < x < 840:
            c.rect(x, 606, x + 8, 660, "#d8c3a0")
    c.rect(400, 650, 1140, 672, "#b8976a")
    for i in range(4):
        c.rect(700 - i * 12, 672 + i * 22, 840 + i * 12, 690 + i * 22, "#cfb286")
    c.rect(545, 236, 590, 300, "#fdfaf3")
    c.rect(760, 235, 780, 255, "#c85f48")
    # Palms, dune grass and a few shells.
    palm(c, 250, 700, 430, 70)
    palm(c, 1330, 720, 360, -60, leaves="#3a8d66")
    rng = random.Random(7)
    for _ in range(60):
        x = rng.uniform(0, WIDTH)
        if 380 < x < 1160:
            continue
        y = rng.uniform(690, 760)
        c.line([(x, y), (x + rng.uniform(-25, 25), y - rng.uniform(30, 70))], "#9aa35c", 4)
    for x, y in ((520, 880), (980, 930), (1200, 850)):
        c.ellipse(x, y, 22, 14, "#f6d6c6")
        c.ellipse(x - 4, y - 2, 8, 5, "#e9b9a5")
    return c


def porch() -> Canvas:
    c = Canvas("#a5dcef", "#e8f5f7")
    c.gradient(0, 420, WIDTH, 600, "#2a93b3", "#6ccbdc")
    for i, y in enumerate(range(440, 600, 30)):
        c.wave(y, 3, 120, "#a7e2ea", 3, phase=i * 1.3)
    c.gradient(0, 590, WIDTH, 700, "#f1dfb8", "#e5cb9a")
    # The porch floor in perspective.
    c.poly([(0, 700), (WIDTH, 700), (WIDTH, HEIGHT), (0, HEIGHT)], "#b68a5c")
    for i in range(-12, 13):
        c.line([(800 + i * 40, 700), (800 + i * 160, HEIGHT)], "#9d7549", 4)
    c.rect(0, 690, WIDTH, 712, "#8e6842")
    # Roof, posts and railing.
    c.rect(0, 0, WIDTH, 110, "#f5efe4")
    c.rect(0, 95, WIDTH, 130, "#d7c3a3")
    for x in (60, 760, 1480):
        c.rect(x, 130, x + 60, 700, "#f7f2e8")
        c.rect(x + 44, 130, x + 60, 700, "#e3d8c5")
    c.rect(0, 560, WIDTH, 580, "#f7f2e8")
    for x in range(130, 1480, 55):
        if not 740 < x < 840:
            c.rect(x, 580, x + 14, 690, "#f1e9da")
    # Two hammocks slung between the posts.
    for x0, x1, colours in (
        (120, 760, ("#e0735a", "#f2c66d", "#2b8aa6")),
        (820, 1480, ("#2b8aa6", "#f7f2e8", "#e0735a")),
    ):
        for k, colour in enumerate(colours):
            sag = 300 + k * 18
            points = [
                (x0 + (x1 - x0) * t / 40, 260 + k * 16 + sag * math.sin(math.pi * t / 40))
                for t in range(41)
            ]
            c.line(points, colour, 24)
        c.line([(x0, 250), (x0 + 60, 290)], "#c8b48d", 4)
        c.line([(x1, 250), (x1 - 60, 290)], "#c8b48d", 4)
    # A pot of palm leaves and a lantern.
    c.poly([(1370, 880), (1490, 880), (1470, 990), (1390, 990)], "#d26c50")
    for angle in range(-150, -20, 22):
        a = math.radians(angle)
        c.line([(1430, 880), (1430 + 150 * math.cos(a), 880 + 190 * math.sin(a))], "#2f7d5b", 18)
    c.rect(260, 900, 320, 990, "#3b4a54", radius=8)
    c.glow(290, 945, 45, "#ffe7a3")
    c.rect(272, 915, 308, 975, "#ffe7a3", radius=6)
    return c


def bedroom() -> Canvas:
    c = Canvas("#f4ede2")
    c.rect(0, 760, WIDTH, HEIGHT, "#d4b48e")
    for y in range(790, HEIGHT, 45):
        c.line([(0, y), (WIDTH, y)], "#c5a47d", 3)
    # A window on the sea.
    c.rect(980, 150, 1420, 560, "#ffffff", radius=10)
    c.gradient(1000, 170, 1400, 400, "#9ad6ec", "#dff3f6")
    c.gradient(1000, 400, 1400, 540, "#2a93b3", "#6ccbdc")
    c.line([(1200, 170), (1200, 540)], "#ffffff", 12)
    c.line([(1000, 355), (1400, 355)], "#ffffff", 12)
    c.rect(950, 130, 1000, 600, "#e9e2f0")
    c.rect(1400, 130, 1450, 600, "#e9e2f0")
    c.rect(960, 560, 1440, 585, "#e8dccb")
    # The bed, its headboard, linen and cushions.
    c.rect(180, 360, 900, 620, "#5e8f9e", radius=30)
    c.rect(150, 600, 930, 800, "#fbfaf6", radius=24)
    c.rect(150, 680, 930, 800, "#e6eef0", radius=24)
    c.rect(150, 700, 930, 720, "#cfe0e4")
    for x, colour in ((230, "#ffffff"), (420, "#ffffff"), (610, "#f2c66d")):
        c.rect(x, 520, x + 170, 630, colour, radius=30)
    c.rect(700, 560, 860, 640, "#e0735a", radius=24)
    c.rect(150, 800, 175, 850, "#8e6842")
    c.rect(905, 800, 930, 850, "#8e6842")
    # A bedside table and its lamp, a picture of a shell.
    c.rect(20, 620, 130, 800, "#b68a5c", radius=6)
    c.glow(75, 500, 90, "#fff1c8")
    c.poly([(35, 470), (115, 470), (100, 540), (50, 540)], "#fdf6e3")
    c.rect(70, 540, 80, 620, "#3b4a54")
    c.rect(420, 150, 660, 310, "#ffffff", radius=6)
    c.rect(440, 170, 640, 290, "#9ad6ec")
    c.ellipse(540, 245, 50, 34, "#f6d6c6")
    for k in range(-3, 4):
        c.line([(540, 275), (540 + k * 15, 215)], "#e9b9a5", 4)
    c.rect(1040, 820, 1500, 900, "#e0735a", radius=40)
    c.rect(1070, 840, 1470, 880, "#f2c66d", radius=30)
    return c


def sunset_beach() -> Canvas:
    c = Canvas("#f7a774", "#fde3b0")
    c.gradient(0, 0, WIDTH, 300, "#c9749a", "#f7a774")
    c.glow(800, 520, 260, "#ffd591")
    c.ellipse(800, 520, 110, 110, "#ffe2a1")
    c.gradient(0, 520, WIDTH, 760, "#e08a6d", "#6d6fa3")
    for i, y in enumerate(range(540, 760, 24)):
        width = 240 - i * 14
        c.line([(800 - width, y), (800 + width, y)], "#ffd9a0", 5)
        c.wave(y + 10, 3, 140, "#8583b3", 3, phase=i)
    c.gradient(0, 740, WIDTH, HEIGHT, "#e6b98a", "#caa074")
    c.wave(745, 8, 500, "#f8e6cf", 12)
    # Two loungers under a parasol, a palm against the sky.
    c.line([(1120, 950), (1180, 560)], "#4a3a44", 10)
    c.poly([(940, 600), (1180, 500), (1420, 600)], "#e0735a")
    c.poly([(1180, 500), (1260, 600), (1420, 600)], "#c85f48")
    for x in (980, 1220):
        c.poly([(x, 880), (x + 230, 880), (x + 250, 850), (x + 20, 850)], "#f7f2e8")
        c.poly([(x + 160, 850), (x + 250, 850), (x + 290, 770), (x + 230, 770)], "#f7f2e8")
        c.line([(x + 20, 880), (x + 10, 915)], "#4a3a44", 6)
        c.line([(x + 220, 880), (x + 230, 915)], "#4a3a44", 6)
    palm(c, 220, 820, 500, 90, trunk="#4a3a44", leaves="#3d3346")
    return c


def harbour(c: Canvas, horizon: int, night: bool) -> None:
    """A river mouth with a lighthouse on its point and the old town on the far bank."""
    water_top, water_bottom = ("#28436b", "#1c2f4d") if night else ("#3f8fb0", "#2a6f8f")
    c.gradient(0, horizon, WIDTH, HEIGHT, water_top, water_bottom)
    # The old town climbing the far bank, windows lit at dusk.
    rng = random.Random(3)
    x = 0
    while x < 900:
        w = rng.randint(70, 120)
        h = rng.randint(90, 200)
        base = horizon + 10
        colour = rng.choice(["#f0d9b5", "#e8b7a0", "#f6efe2", "#d9c3e0", "#f2c66d"])
        if night:
            colour = rng.choice(["#5a5a7a", "#66607f", "#4f557a"])
        c.rect(x, base - h, x + w, base, colour)
        c.poly(
            [(x - 6, base - h), (x + w / 2, base - h - 40), (x + w + 6, base - h)],
            "#b85c44" if not night else "#453e5c",
        )
        for wy in range(int(base - h + 25), base - 20, 40):
            for wx in range(x + 15, x + w - 20, 32):
                lit = night and rng.random() < 0.6
                c.rect(
                    wx,
                    wy,
                    wx + 16,
                    wy + 22,
                    "#ffd98a" if lit else ("#7c8fa0" if not night else "#3a3f5c"),
                )
        x += w + rng.randint(-10, 8)
    # The point and its lighthouse.
    c.poly(
        [
            (1020, horizon + 20),
            (1180, horizon - 60),
            (1420, horizon - 70),
            (1600, horizon - 20),
            (1600, horizon + 20),
        ],
        "#6b7f5a" if not night else "#2f3a3a",
    )
    base, top = horizon - 65, horizon - 420
    c.poly([(1260, base), (1350, base), (1330, top), (1280, top)], "#fbf8f2")
    for k in range(4):
        y0 = base - (base - top) * (k * 2 + 1) / 8
        y1 = base - (base - top) * (k * 2 + 2) / 8
        shrink0 = 10 * (base - y0) / (base - top)
        shrink1 = 10 * (base - y1) / (base - top)
        c.poly(
            [
                (1260 + shrink0 * 2, y0),
                (1350 - shrink0 * 2, y0),
                (1350 - shrink1 * 2, y1),
                (1260 + shrink1 * 2, y1),
            ],
            "#d6453d",
        )
    c.rect(1268, top - 20, 1342, top, "#3b4a54")
    c.rect(1278, top - 75, 1332, top - 20, "#ffe7a3" if night else "#dff3f6")
    c.poly([(1268, top - 75), (1305, top - 115), (1342, top - 75)], "#3b4a54")
    if night:
        c.glow(1305, top - 48, 120, "#fff0b8")
        c.poly([(1305, top - 48), (0, top - 200), (0, top + 40)], "#5d6285")
    # Boats at their moorings, ripples.
    for bx, by, hull in (
        (300, horizon + 140, "#e0735a"),
        (620, horizon + 230, "#f7f2e8"),
        (980, horizon + 120, "#2b8aa6"),
    ):
        c.poly([(bx, by), (bx + 170, by), (bx + 140, by + 40), (bx + 30, by + 40)], hull)
        c.line([(bx + 85, by), (bx + 85, by - 150)], "#3b4a54", 5)
        c.poly(
            [(bx + 90, by - 145), (bx + 90, by - 15), (bx + 165, by - 15)],
            "#fbf8f2" if not night else "#c9c6dd",
        )
    for i, y in enumerate(range(horizon + 40, HEIGHT, 36)):
        c.wave(y, 3, 110, "#7fb8cf" if not night else "#3b5a86", 3, phase=i * 0.9)


def loft_window() -> Canvas:
    c = Canvas("#3b4a54")
    c.rect(0, 0, WIDTH, HEIGHT, "#e7dccb")
    # The dormer window, open on the lighthouse.
    view = Canvas("#f4b48a", "#c9e3ef")
    view.gradient(0, 0, WIDTH, 500, "#8fc7e4", "#f6dcc0")
    harbour(view, 560, night=False)
    scene = view.image.resize((900 * SCALE, 560 * SCALE), Image.Resampling.LANCZOS)
    c.image.paste(scene, (350 * SCALE, 140 * SCALE))
    c.draw = ImageDraw.Draw(c.image)
    c.rect(330, 120, 1270, 140, "#fbf8f2")
    c.rect(330, 700, 1270, 740, "#fbf8f2")
    c.rect(330, 120, 350, 740, "#fbf8f2")
    c.rect(1250, 120, 1270, 740, "#fbf8f2")
    c.rect(790, 140, 810, 700, "#fbf8f2")
    c.poly([(0, 0), (330, 0), (330, 120), (0, 420)], "#d9cbb4")
    c.poly([(WIDTH, 0), (1270, 0), (1270, 120), (WIDTH, 420)], "#d9cbb4")
    c.rect(300, 740, 1300, 770, "#b68a5c")
    # On the sill: a plant, books, a cup.
    c.poly([(420, 660), (500, 660), (490, 740), (430, 740)], "#e0735a")
    for angle in range(-160, -10, 25):
        a = math.radians(angle)
        c.line([(460, 660), (460 + 110 * math.cos(a), 660 + 130 * math.sin(a))], "#2f7d5b", 14)
    for i, colour in enumerate(("#2b8aa6", "#f2c66d", "#d6453d")):
        c.rect(1020, 716 - i * 24, 1180 - i * 12, 740 - i * 24, colour, radius=3)
    # An armchair with a throw, in the room's shade.
    c.rect(80, 700, 400, 960, "#5e8f9e", radius=40)
    c.rect(40, 800, 440, 960, "#6fa2b1", radius=36)
    c.rect(140, 760, 300, 880, "#f2c66d", radius=18)
    c.rect(0, 960, WIDTH, HEIGHT, "#a97d52")
    return c


def loft_living() -> Canvas:
    c = Canvas("#f2ebdf")
    # The roof's slopes and beams.
    c.poly([(0, 0), (520, 0), (0, 520)], "#e2d6c2")
    c.poly([(WIDTH, 0), (1080, 0), (WIDTH, 520)], "#e2d6c2")
    for x in (120, 380, 640, 900, 1160, 1420):
        c.rect(x, 0, x + 40, 90, "#a97d52")
    c.rect(0, 70, WIDTH, 100, "#8e6842")
    # A skylight with a strip of sky.
    c.poly([(1180, 120), (1420, 120), (1520, 330), (1280, 330)], "#ffffff")
    c.poly([(1195, 132), (1405, 132), (1495, 318), (1290, 318)], "#9ad6ec")
    c.rect(0, 780, WIDTH, HEIGHT, "#c29a6b")
    for x in range(0, WIDTH, 120):
        c.line([(x, 780), (x - 60, HEIGHT)], "#b18a5d", 3)
    # A bookshelf, a sofa, a rug and a reading lamp.
    c.rect(120, 300, 460, 780, "#b68a5c")
    rng = random.Random(11)
    for shelf in range(4):
        y = 330 + shelf * 112
        c.rect(135, y + 90, 445, y + 100, "#8e6842")
        x = 145
        while x < 420:
            w = rng.randint(16, 30)
            c.rect(
                x,
                y + rng.randint(18, 36),
                x + w,
                y + 90,
                rng.choice(["#2b8aa6", "#e0735a", "#f2c66d", "#5e8f9e", "#f7f2e8", "#3b4a54"]),
            )
            x += w + 3
    c.rect(580, 560, 1280, 700, "#2b8aa6", radius=40)
    c.rect(540, 620, 1320, 800, "#3196b3", radius=36)
    c.rect(540, 620, 620, 800, "#2b8aa6", radius=30)
    c.rect(1240, 620, 1320, 800, "#2b8aa6", radius=30)
    for x, colour in ((650, "#f2c66d"), (1080, "#f7f2e8")):
        c.rect(x, 560, x + 150, 680, colour, radius=28)
    c.ellipse(930, 920, 430, 60, "#e0735a")
    c.ellipse(930, 920, 330, 40, "#f2c66d")
    c.rect(1420, 420, 1432, 880, "#3b4a54")
    c.poly([(1360, 420), (1490, 420), (1460, 340), (1390, 340)], "#fdf6e3")
    c.glow(1425, 400, 110, "#fff1c8")
    c.rect(760, 780, 1100, 800, "#8e6842")
    c.ellipse(930, 770, 40, 14, "#fbf8f2")
    return c


def river_mouth_at_dusk() -> Canvas:
    c = Canvas("#2e3163")
    c.gradient(0, 0, WIDTH, 300, "#2e3163", "#c9749a")
    c.gradient(0, 300, WIDTH, 560, "#c9749a", "#f6b27f")
    for x, y in ((200, 80), (450, 150), (700, 60), (980, 120), (1450, 90)):
        c.ellipse(x, y, 3, 3, "#fff6d6")
    c.ellipse(560, 200, 38, 38, "#fdf3d6")
    c.ellipse(575, 190, 34, 34, "#4c4f7e")
    harbour(c, 560, night=True)
    return c


# (file stem, scene) by demo place, in the order the page shows them.
SCENES: dict[str, Callable[[], Canvas]] = {
    "seashell-house": beach_house,
    "seashell-porch": porch,
    "seashell-bedroom": bedroom,
    "seashell-beach": sunset_beach,
    "lighthouse-window": loft_window,
    "lighthouse-living": loft_living,
    "lighthouse-dusk": river_mouth_at_dusk,
}


def draw(name: str) -> bytes:
    """The picture `name` of SCENES as PNG bytes, WIDTH x HEIGHT."""
    return SCENES[name]().png()
