"""The ``koffer`` command: serve, demo, import, export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app import main as server
from app.net import lan_addresses
from app.runtime import is_loopback, runtime
from facilitation import access, agenda, context, organize, root
from facilitation.demo import ensure_demo
from facilitation.snapshots import Created
from methods.errors import KofferError


def _ctx(data_dir: str) -> context.Context:
    return context.install(root.for_data_dir(Path(data_dir)))


def _print_access(ctx: context.Context, base: str, created: Created | None) -> None:
    password = access.ensure_admin_password(ctx)
    print("\n  Moderationskoffer")
    print(f"  Organizer login:  {base}/login", end="")
    print(f"   password: {password}  (shown once, stored hashed)" if password else "   (password as set before / KOFFER_ADMIN_PASSWORD)")
    if created is not None:
        sid = created.session.id
        print(f"  Demo session:     {created.session.title}")
        print(f"  Console:          {base}/s/{sid}/console?key={created.moderator_key}")
        print(f"  Projector:        {base}/s/{sid}/screen?key={created.projector_key}")
    print(flush=True)


def cmd_serve(args: argparse.Namespace, demo: bool = False) -> int:
    ctx = _ctx(args.data_dir)
    created = ensure_demo(ctx) if demo else None
    runtime.port, runtime.public_url = args.port, args.public_url
    runtime.local_only = is_loopback(args.host)
    runtime.lan = [] if args.public_url or runtime.local_only else lan_addresses()
    base = runtime.base_url()
    _print_access(ctx, base, created)
    if created is not None:
        print(f"  Join URL:         {runtime.join_url(created.session.join_code)}   code: {created.session.join_code}\n",
              flush=True)
    server.run(ctx, host=args.host, port=args.port, public_url=args.public_url)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    ctx = _ctx(args.data_dir)
    try:
        created = organize.create_session(ctx, agenda.loads(Path(args.agenda).read_bytes()))
    except KofferError as exc:
        print(f"error: {exc.key}", file=sys.stderr)
        for problem in exc.params.get("problems", []):
            print(f"  {problem['field']}: {problem['message']}", file=sys.stderr)
        return 2
    print(json.dumps({"id": created.session.id, "join_code": created.session.join_code,
                      "moderator_key": created.moderator_key, "projector_key": created.projector_key}))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ctx = _ctx(args.data_dir)
    try:
        doc = organize.agenda_document(ctx, int(args.session))
    except KofferError as exc:
        print(f"error: {exc.key}", file=sys.stderr)
        return 2
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if args.output in (None, "-"):
        print(text)
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="koffer", description="Moderationskoffer")
    p.add_argument("--data-dir", default="data", help="folder for the SQLite database (default: ./data)")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("serve", "demo"):
        s = sub.add_parser(name, help="start the server" + (" with the demo session" if name == "demo" else ""))
        s.add_argument("--host", default="0.0.0.0")  # noqa: S104 - phones in the room must reach the laptop
        s.add_argument("--port", type=int, default=8080)
        s.add_argument("--public-url", default=None, help="URL phones use, e.g. behind a reverse proxy")
        s.add_argument("--data-dir", default=argparse.SUPPRESS)
    i = sub.add_parser("import", help="create a session from an agenda file")
    i.add_argument("agenda")
    i.add_argument("--data-dir", default=argparse.SUPPRESS)
    e = sub.add_parser("export", help="write a session's agenda file")
    e.add_argument("session")
    e.add_argument("-o", "--output", default=None)
    e.add_argument("--data-dir", default=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    # files the server writes (the database, NiceGUI's per-browser storage) are for this user only
    os.umask(0o077)
    args = parser().parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "demo":
        return cmd_serve(args, demo=True)
    if args.command == "import":
        return cmd_import(args)
    return cmd_export(args)


if __name__ == "__main__":
    raise SystemExit(main())
