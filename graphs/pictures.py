"""Grids of digits, and PNG files of them, in NumPy and the standard library only (no
TensorFlow, no imaging library): the augmentation benchmark's grid, and TensorBoard's
projector sprite and grid of mistakes (graphs/tensorboard.py).

Digit images are float arrays with ink = 1 and background = 0; pictures are uint8 [H, W].
"""
import struct
import zlib

import numpy as np

GAP_GREY = 160  # the lines between the digits of a grid


def digit_grid(images, columns, zoom=1, gap=0):
    """uint8 [H, W]: `images` [N, 28, 28] as dark ink on white, `columns` to a row, each
    zoomed `zoom` times, `gap` grey pixels around and between them (none: a sprite, whose
    cells must sit edge to edge)."""
    count, height, width = images.shape
    rows = -(-count // columns)
    cell_height, cell_width = height * zoom + gap, width * zoom + gap
    picture = np.full((rows * cell_height + gap, columns * cell_width + gap), GAP_GREY,
                      np.uint8)
    ink = np.kron(images, np.ones((zoom, zoom)))
    for index in range(count):
        top = gap + (index // columns) * cell_height
        left = gap + (index % columns) * cell_width
        picture[top:top + height * zoom, left:left + width * zoom] = np.round(
            255 * (1 - ink[index]))
    return picture


def write_png(path, picture):
    """An 8-bit greyscale PNG of `picture` [H, W] uint8."""
    height, width = picture.shape

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    scanlines = b''.join(b'\x00' + row.tobytes() for row in picture)  # filter 0: none
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n'
                + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(scanlines, 9)) + chunk(b'IEND', b''))
