"""Readers of data other tools write, into the event log (docs/your-data.md).

- `graphmodel.importers.live_room`: live-room message recordings into an event
  log: JSON lines read by a TOML mapping (`graphmodel.importers.mapping`; the
  built-in ``douyin.toml`` reads jwwsjlm/douyinLive's output, ``barragegrab.toml``
  HaoDong108/DouyinBarrageGrab's packs), or Bilibili-style danmaku XML
  (`graphmodel.importers.read_danmaku`).
"""
