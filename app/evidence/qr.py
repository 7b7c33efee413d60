"""A QR code as inline SVG (one path of dark modules), served with the page: no CDN, works offline. The matrix
comes from reportlab's QR encoder."""
from __future__ import annotations

from reportlab.graphics.barcode import qrencoder

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code's matrix (True: dark) for `text`, error correction level M, the smallest version that fits (as
    reportlab's QrCodeWidget chooses it)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


def qr_svg(text: str, *, label: str = "QR code") -> str:
    """The QR code of `text` as an SVG element that scales to its container."""
    modules = qr_modules(text)
    size = len(modules) + 2 * QUIET_ZONE
    path = "".join(f"M{col + QUIET_ZONE} {row + QUIET_ZONE}h1v1h-1z"
                   for row, line in enumerate(modules) for col, dark in enumerate(line) if dark)
    escaped = label.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{escaped}" '
            f'shape-rendering="crispEdges" class="qr-code"><rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path d="{path}" fill="#000"/></svg>')
