"""The day's check-in QR code: the encoder's matrix drawn as one inline SVG path (served offline)."""
from __future__ import annotations


def test_the_check_in_qr_code_is_an_inline_svg_of_the_encoders_matrix():
    from reportlab.graphics.barcode import qrencoder

    from app.evidence.qr import QUIET_ZONE, qr_modules, qr_svg

    link = "https://prachum.example.go.th/meetings/12/check-in?t=eyJtIjoxMiwiZCI6IjIwMjAtMDYtMjYifQ.abc"
    modules = qr_modules(link)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(link)
    code.make()
    assert len(modules) == code.getModuleCount() and modules[0][:7] == [True] * 7  # a finder pattern's top edge
    svg = qr_svg(link)
    size = len(modules) + 2 * QUIET_ZONE
    assert svg.startswith("<svg") and f'viewBox="0 0 {size} {size}"' in svg and "http" not in svg.split(">", 1)[1]
    assert svg.count("h1v1h-1z") == sum(map(sum, modules))
