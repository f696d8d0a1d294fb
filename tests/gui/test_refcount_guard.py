"""The guard gives back references that PySide6 loses (see refcount_guard)."""

import sys

from PySide6.QtCore import QObject, Signal

from briefing_app.gui.refcount_guard import top_up


class Emitter(QObject):
    pinged = Signal(int)


def test_references_lost_by_emit_are_given_back(qapp):
    top_up()
    before = sys.getrefcount(True)
    emitter = Emitter()
    for number in range(200):
        emitter.pinged.emit(number)
    top_up()
    assert sys.getrefcount(True) >= before
