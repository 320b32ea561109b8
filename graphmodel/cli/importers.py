"""``graphmodel import live-room``: other tools' data into an event log.

Register with ``main.add_command(import_group)``. User errors become one
``error:`` line and exit code 2; nothing is written then.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.group import Group
from graphmodel.cli.options import Duration

__all__ = ["import_group"]


@click.group("import", cls=Group, epilog=examples(
    ("Douyin live-room recordings into a log, user ids pseudonymised",
     "graphmodel import live-room recordings/*.jsonl --out room-log/ --key-file pseudonym.key"),
))
def import_group():
    """Read data other tools write (live-room recordings) into an event log."""


def _key(key_file: Path | None, keep_ids: bool) -> bytes | None:
    from graphmodel.errors import UserError
    from graphmodel.importers.live_room import KEY_ENV
    from graphmodel.terminal import visible

    if keep_ids:
        if key_file is not None:
            raise UserError("give --keep-ids or --key-file, not both")
        return None
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise UserError(f"{visible(str(key_file))}: cannot read the key: "
                            f"{exc.strerror or exc}") from None
        if not key:
            raise UserError(f"{visible(str(key_file))}: the key file is empty")
        return key
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise UserError(f"no pseudonym key: set {KEY_ENV} or give --key-file FILE "
                        "(or --keep-ids to keep the recorded user ids)")
    return key.encode("utf-8")


@import_group.command("live-room", epilog=examples(
    ("Douyin live-room recordings into a log, user ids pseudonymised",
     "graphmodel import live-room recordings/*.jsonl --out room-log/ --key-file pseudonym.key"),
    ("keep comment text and nicknames; credit at most an hour of watching",
     "graphmodel import live-room recordings/*.jsonl --out room-log/ --key-file pseudonym.key "
     "--keep-text --watch-cap 1h"),
))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="A new (or empty) folder for the event log.")
@click.option("--input-format", "input_format",
              type=click.Choice(["auto", "json", "danmaku-xml"]), default="auto",
              show_default=True,
              help="What FILES are: JSON lines (read by --mapping), Bilibili-style danmaku "
                   "XML, or auto: each file by its first character.")
@click.option("--mapping", "mapping_file", metavar="NAME|FILE",
              help="How JSON lines map onto the log: a built-in mapping (douyin: "
                   "jwwsjlm/douyinLive, the default; barragegrab: HaoDong108/"
                   "DouyinBarrageGrab packs) or a TOML file (docs/your-data.md).")
@click.option("--watch-cap", "watch_cap", type=Duration(), default="30min", show_default=True,
              help="The longest watch credited to one viewer in one room (600, 30min, 1h).")
@click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The pseudonym key, read from this file (else env GRAPHMODEL_PSEUDONYM_KEY).")
@click.option("--keep-ids", is_flag=True, help="Keep the recorded user ids (no pseudonyms).")
@click.option("--keep-text", is_flag=True,
              help="Also write comment text (texts.csv) and nicknames (nicknames.csv).")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv",
              show_default=True, help="File format of the tables.")
def live_room(files, out, input_format, mapping_file, watch_cap, key_file, keep_ids,
              keep_text, fmt):
    """Read live-room recordings FILES (JSON lines, or danmaku XML) into the log --out.

    Comments, likes with their taps, shares with their channel, follows of the
    host, and one estimated watch per viewer and room; gifts and unmapped
    kinds are counted and reported. User ids are pseudonymised with a keyed
    hash unless --keep-ids.
    """
    from graphmodel.errors import UserError
    from graphmodel.importers.live_room import import_live_room
    from graphmodel.importers.mapping import builtin_mapping, mapping_by_name
    from graphmodel.terminal import visible

    if mapping_file and input_format == "danmaku-xml":
        raise UserError("--mapping reads JSON lines: it has no use with --input-format "
                        "danmaku-xml")
    key = _key(key_file, keep_ids)
    mapping = mapping_by_name(mapping_file) if mapping_file else builtin_mapping()
    result = import_live_room(files, out, mapping, key=key, keep_text=keep_text,
                              watch_cap_s=watch_cap, fmt=fmt, input_format=input_format)
    for line in result.notes:
        click.echo(visible(f"note: {line}"), err=True)
    w = result.meta["live_room"]["written"]
    sizes = ", ".join(f"{w[t]:,} {t}" for t in ("watch", "like", "comment", "share"))
    click.echo(f"wrote {visible(str(out))} ({fmt}: {w['streams']:,} streams, {sizes} events, "
               f"{w['follows']:,} follows)", err=True)
