"""Draws the demo customers' avatars (initials on a coloured circle) into public/customers/.

Run once with Pillow available, e.g. `uv run --with pillow python scripts/make-avatars.py`;
the PNGs are committed, Pillow is not a dependency.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CUSTOMERS = {
    "evil-rabbit": ("ER", (17, 24, 39)),
    "delba-de-oliveira": ("DO", (219, 39, 119)),
    "lee-robinson": ("LR", (37, 99, 235)),
    "michael-novotny": ("MN", (5, 150, 105)),
    "amy-burns": ("AB", (217, 119, 6)),
    "balazs-orban": ("BO", (124, 58, 237)),
}
SIZE = 128
OUT = Path(__file__).resolve().parent.parent / "public" / "customers"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    font = ImageFont.load_default(size=52)
    for slug, (text, colour) in CUSTOMERS.items():
        image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.ellipse((0, 0, SIZE - 1, SIZE - 1), fill=colour)
        draw.text((SIZE / 2, SIZE / 2), text, font=font, fill="white", anchor="mm")
        image.save(OUT / f"{slug}.png", optimize=True)


if __name__ == "__main__":
    main()
