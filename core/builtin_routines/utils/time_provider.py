"""`TimeProvider`: emit the current time in several formats."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from ...routine import Routine

_CHINESE_WEEKDAYS = "一二三四五六日"


class TimeProvider(Routine):
    """On ``request``, emit ``output`` with the local time now.

    The data: ``time_string`` (in the chosen format), ``timestamp``
    (``time.time()``), ``datetime`` (ISO 8601) and ``formatted`` (with
    ``custom_format``). The format is the ``format`` received (directly or in a
    ``data`` dict), else the config's: ``"iso"`` (default), ``"timestamp"``
    (seconds as a string), ``"custom"`` (``custom_format``, default
    ``"%Y-%m-%d %H:%M:%S"``) or ``"formatted"``: with ``locale="zh_CN"`` (the
    default) and ``include_weekday`` (True) a Chinese date with the weekday,
    otherwise English (``"%A, %B %d, %Y %H:%M:%S"``, or without the weekday
    ``"%Y-%m-%d %H:%M:%S"``). An unknown format gives ISO.
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_config(
            format="iso",
            custom_format="%Y-%m-%d %H:%M:%S",
            include_weekday=True,
            locale="zh_CN",
        )
        self.trigger_slot = self.define_slot("request", handler=self._handle_request)
        self.output_event = self.define_event(
            "output", ["time_string", "timestamp", "datetime", "formatted"]
        )

    def _handle_request(self, data: Any = None, **kwargs: Any) -> None:
        chosen = None
        if data and isinstance(data, dict):
            chosen = data.get("format")
        elif "format" in kwargs:
            chosen = kwargs["format"]
        now = datetime.now()
        timestamp = time.time()
        custom = str(self.get_config("custom_format", "%Y-%m-%d %H:%M:%S"))
        self.emit(
            "output",
            time_string=self._format(now, chosen or self.get_config("format", "iso")),
            timestamp=timestamp,
            datetime=now.isoformat(),
            formatted=now.strftime(custom),
        )

    def _format(self, now: datetime, kind: Any) -> str:
        if kind == "timestamp":
            return str(now.timestamp())
        if kind == "custom":
            return now.strftime(str(self.get_config("custom_format", "%Y-%m-%d %H:%M:%S")))
        if kind == "formatted":
            weekday = self.get_config("include_weekday", True)
            if self.get_config("locale", "zh_CN") == "zh_CN" and weekday:
                day = _CHINESE_WEEKDAYS[now.weekday()]
                return now.strftime(f"%Y年%m月%d日，星期{day}，%H:%M:%S")  # noqa: RUF001 (Chinese commas)
            return now.strftime("%A, %B %d, %Y %H:%M:%S" if weekday else "%Y-%m-%d %H:%M:%S")
        return now.isoformat()
